/** Archive a loop (it leaves the lists; its events are kept) or bring it back. */
import { useCommand } from '../lib/use-command'
import { refreshInbox, refreshLoops } from '../store/sync'
import { useStore } from '../store'
import { andon } from '../transport'

export function ArchiveButton({ loopId, archived = false, disabled = false }: { loopId: string; archived?: boolean; disabled?: boolean }) {
  const { busy, run } = useCommand()
  async function toggle() {
    const res = await run(archived ? 'unarchive' : 'archive', () => andon.archiveLoop({ loopId, archived: !archived, why: archived ? 'brought back' : 'archived from the control room' }))
    if (!res) return
    useStore.getState().notify(archived ? `loop ${loopId} is back in the list` : `loop ${loopId} archived: it left the lists (Show archived brings it back)`, 'info')
    await Promise.all([refreshLoops(), refreshInbox()])
  }
  return (
    <button data-testid={archived ? 'unarchive-button' : 'archive-button'} disabled={disabled || busy} onClick={() => void toggle()} title={disabled ? 'pause or cancel the loop first' : undefined}>
      {archived ? 'Unarchive' : 'Archive'}
    </button>
  )
}
