/** The loops forked from this one, each a link to it. */
import { useMemo } from 'react'
import { ForkIcon } from '../../components/loops/Icons'
import { useStore } from '../../store'
import { selectLoop } from '../../store/sync'

export function Forks({ loopId }: { loopId: string }) {
  const loops = useStore((st) => st.loops)
  // One pass over the loops when they change, for the one loop on screen.
  const forks = useMemo(() => Object.values(loops).filter((l) => l.parentLoopId === loopId).sort((a, b) => a.createdAt - b.createdAt), [loops, loopId])
  if (forks.length === 0) return null
  return (
    <p className="fork-line" data-testid="loop-forks">
      <ForkIcon /> {forks.length === 1 ? 'Forked once:' : `Forked ${forks.length} times:`}{' '}
      {forks.map((f, i) => (
        <span key={f.loopId}>
          {i > 0 && ', '}
          <button className="link" data-testid="loop-fork-link" onClick={() => selectLoop(f.loopId)}>
            {f.name}
          </button>
        </span>
      ))}
    </p>
  )
}
