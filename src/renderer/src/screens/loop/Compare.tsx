/** Two runs side by side (a loop and its fork, or its replay): where they diverged, and what each cost. */
import { useEffect, useState } from 'react'
import type { LoopComparison, ComparedStep } from '../../../../shared/compare'
import type { LoopState } from '../../../../shared/state'
import { summarizeAction } from '../../lib/actions'
import { fmtTokens, fmtUsd } from '../../lib/format'
import { useWorkspace } from '../../lib/use-workspace'
import { useStore } from '../../store'
import { andon, errorMessage } from '../../transport'

function Step({ step, workspace }: { step: ComparedStep | null; workspace: string | null }) {
  if (!step) return <span className="muted">—</span>
  return (
    <span className={step.ok === false ? 'bad' : step.ok ? 'ok' : ''}>
      <code>{summarizeAction(step.action, workspace)}</code> · {step.summary}
    </span>
  )
}

export function Compare({ state }: { state: LoopState }) {
  const loops = useStore((st) => st.loops)
  const order = useStore((st) => st.order)
  const [other, setOther] = useState<string>(state.parentLoopId ?? order.find((id) => id !== state.loopId) ?? '')
  const [result, setResult] = useState<LoopComparison | null>(null)
  const [error, setError] = useState<string | null>(null)
  const otherWorkspace = useWorkspace(other)

  useEffect(() => {
    if (!other) return
    let stale = false
    andon.compareLoops({ a: state.loopId, b: other }).then(
      (r) => {
        if (stale) return
        setResult(r)
        setError(null)
      },
      (err: unknown) => !stale && setError(errorMessage(err))
    )
    return () => {
      stale = true
    }
  }, [state.loopId, other, state.version])

  return (
    <section className="compare" data-testid="compare">
      <label>
        Compare with
        <select data-testid="compare-with" value={other} onChange={(e) => setOther(e.target.value)}>
          <option value="">choose a loop…</option>
          {order
            .filter((id) => id !== state.loopId)
            .slice(0, 500)
            .map((id) => (
              <option key={id} value={id}>
                {loops[id]?.name ?? id} · {id}
                {id === state.parentLoopId ? ' (parent)' : ''}
              </option>
            ))}
        </select>
      </label>
      {error && <p className="error">{error}</p>}
      {result && (
        <>
          {result.forkedAt && (
            <p data-testid="compare-forked-at">
              Forked at iteration {result.forkedAt.iteration}
              {result.forkedAt.loopId === state.loopId || result.forkedAt.loopId === other ? '' : ` of ${loops[result.forkedAt.loopId]?.name ?? result.forkedAt.loopId}`}: iterations up to it are shared.
            </p>
          )}
          <p data-testid="compare-divergence" className={result.divergedAt === null ? 'ok' : 'warn'}>
            {result.divergedAt !== null
              ? `Diverged at ${result.divergence ?? `iteration ${result.divergedAt}`}`
              : result.divergence
                ? `${result.divergence[0].toUpperCase()}${result.divergence.slice(1)}.`
                : result.forkedAt
                ? 'The runs match after the fork point.'
                : 'The runs match throughout.'}
          </p>
          <table className="compare-table">
            <thead>
              <tr>
                <th>#</th>
                <th>
                  {result.a.name} · {result.a.terminationReason ?? result.a.status} · {result.a.iterations} it · {fmtTokens(result.a.inputTokens + result.a.outputTokens)} tok · {fmtUsd(result.a.costUsd)}
                </th>
                <th>
                  {result.b.name} · {result.b.terminationReason ?? result.b.status} · {result.b.iterations} it · {fmtTokens(result.b.inputTokens + result.b.outputTokens)} tok · {fmtUsd(result.b.costUsd)}
                </th>
              </tr>
            </thead>
            <tbody>
              {result.rows.map((r) => (
                <tr key={r.iteration} className={`${r.same ? '' : 'differs'}${r.inherited ? ' inherited' : ''}`} data-testid="compare-row" data-inherited={r.inherited}>
                  <td>
                    {r.iteration}
                    {r.inherited && <span className="muted"> shared</span>}
                  </td>
                  <td>
                    <Step step={r.a} workspace={state.workspace} />
                  </td>
                  <td>
                    <Step step={r.b} workspace={otherWorkspace} />
                    {r.difference && !r.inherited && (
                      <div className="compare-difference" data-testid="compare-difference">
                        {r.difference}
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  )
}
