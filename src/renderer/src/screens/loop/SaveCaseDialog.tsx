/**
 * "Save as eval case…" on a terminated or escalated loop: the run becomes a case of a suite (a
 * listed one, or a new one named after the spec), with the outcome it should have had. The
 * answer says where the case was written and the suite's new version.
 */
import { useRef, useState } from 'react'
import type { EvalSuiteEntry, SavedEvalCase } from '../../../../shared/eval-contract'
import type { EvalOutcome } from '../../../../shared/eval'
import type { LoopState } from '../../../../shared/state'
import { useCommand } from '../../lib/use-command'
import { andon } from '../../transport'

const NEW = '__new__'
const OTHER_OUTCOMES: EvalOutcome[] = ['MAX_ITERATIONS', 'BUDGET_EXHAUSTED', 'STALLED', 'FATAL_ERROR', 'CANCELLED']

/** A new suite's default name: the spec's name, in the characters a suite name may hold. */
const suiteNameFor = (specName: string) => specName.replace(/[^\w .-]+/g, '-').replace(/\.\.+/g, '.').replace(/^[^\w]+/, '').slice(0, 80) || 'suite'

function outcomeChoices(ended: EvalOutcome): { value: EvalOutcome; label: string }[] {
  const said: Partial<Record<EvalOutcome, string>> = { SUCCESS: 'it should have succeeded', escalated: 'it should have stopped for a human' }
  const order: EvalOutcome[] = [ended, 'SUCCESS', 'escalated', ...OTHER_OUTCOMES]
  return [...new Set(order)].map((o) => ({ value: o, label: o === ended ? `${o} — as it ended` : `${o}${said[o] ? ` — ${said[o]}` : ''}` }))
}

export function SaveCaseDialog({ state }: { state: LoopState }) {
  const dialog = useRef<HTMLDialogElement>(null)
  const ended: EvalOutcome = state.termination?.reason ?? 'escalated'
  const [suites, setSuites] = useState<EvalSuiteEntry[]>([])
  const [suite, setSuite] = useState(NEW)
  const [newName, setNewName] = useState('')
  const [name, setName] = useState('')
  const [expected, setExpected] = useState<EvalOutcome>(ended)
  const [label, setLabel] = useState('')
  const [correction, setCorrection] = useState('')
  const [saved, setSaved] = useState<SavedEvalCase | null>(null)
  const { busy, error, run, setError } = useCommand()

  async function open() {
    setSaved(null)
    setError(null)
    setSuite(NEW)
    setNewName(suiteNameFor(state.spec.name))
    setName('')
    setExpected(ended)
    setLabel('')
    setCorrection('')
    dialog.current?.showModal()
    const listed = await run('list suites', () => andon.listEvalSuites({}))
    if (listed) setSuites(listed.filter((s) => s.error === null))
  }

  async function save() {
    const res = await run('save as eval case', () =>
      andon.saveEvalCase({
        loopId: state.loopId,
        suite: suite === NEW ? { newName: newName.trim() } : { id: suite },
        ...(name.trim() ? { name: name.trim() } : {}),
        expect: expected,
        ...(label.trim() ? { label: label.trim() } : {}),
        ...(correction.trim() ? { correction: correction.trim() } : {})
      })
    )
    if (res) setSaved(res)
  }

  return (
    <>
      <button data-testid="save-case" title="make this run a case of an eval suite, to replay it with andon eval or the validation gate" onClick={() => void open()}>
        Save as eval case…
      </button>
      <dialog ref={dialog} className="card save-case-dialog" aria-labelledby="save-case-title" data-testid="save-case-dialog">
        <h2 id="save-case-title">Save this run as an eval case</h2>
        {saved ? (
          <div data-testid="save-case-result" role="status">
            <p>
              Saved case <strong>{saved.caseName}</strong> (expects {saved.expect}) to <code data-testid="save-case-path">{saved.suitePath}</code>:{' '}
              {saved.created ? 'a new suite, ' : ''}
              <span data-testid="save-case-version">suite version {saved.version}</span>.
            </p>
            <p className="hint">
              Workspace snapshot: <code>{saved.workspace.path}</code> ({saved.workspace.files} file{saved.workspace.files === 1 ? '' : 's'})
            </p>
            {saved.workspace.source === 'loop-now' && (
              <p className="warn">The folder this run started from is gone: the snapshot is the loop&apos;s folder as it is now, and the case says so.</p>
            )}
            {saved.workspace.skipped.length > 0 && <p className="warn">Left out (not regular files): {saved.workspace.skipped.join(', ')}</p>}
          </div>
        ) : (
          <div className="form-grid">
            <label>
              Suite
              <select data-testid="save-case-suite" value={suite} onChange={(e) => setSuite(e.target.value)}>
                <option value={NEW}>New suite…</option>
                {suites.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name} (version {s.version}, {s.cases} case{s.cases === 1 ? '' : 's'})
                  </option>
                ))}
              </select>
            </label>
            {suite === NEW && (
              <label>
                New suite name (in the data folder&apos;s suites/)
                <input data-testid="save-case-new-suite" value={newName} onChange={(e) => setNewName(e.target.value)} />
              </label>
            )}
            <label>
              Case name
              <input data-testid="save-case-name" value={name} placeholder={`${state.spec.name} ${state.loopId}`} onChange={(e) => setName(e.target.value)} />
            </label>
            <label>
              Expected outcome
              <select data-testid="save-case-expect" value={expected} onChange={(e) => setExpected(e.target.value as EvalOutcome)}>
                {outcomeChoices(ended).map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Label (what the case checks)
              <input data-testid="save-case-label" value={label} maxLength={200} onChange={(e) => setLabel(e.target.value)} />
            </label>
            <label>
              Correction (what the right run does)
              <input data-testid="save-case-correction" value={correction} maxLength={4000} onChange={(e) => setCorrection(e.target.value)} />
            </label>
          </div>
        )}
        {error && <p className="error">{error}</p>}
        <div className="actions">
          {!saved && (
            <button className="primary" data-testid="save-case-confirm" disabled={busy || (suite === NEW && !newName.trim())} onClick={() => void save()}>
              {busy ? 'Saving…' : 'Save case'}
            </button>
          )}
          <button data-testid="save-case-close" onClick={() => dialog.current?.close()}>
            {saved ? 'Close' : 'Cancel'}
          </button>
        </div>
      </dialog>
    </>
  )
}
