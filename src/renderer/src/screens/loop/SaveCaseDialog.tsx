/**
 * "Save as eval case…" on a terminated or escalated loop: the run becomes a case of a suite (a
 * listed one, each with the spec it replays, or a new one named after the spec), with the outcome
 * it should have had and the autonomy it replays under. An eval has no operator, so a mode that
 * gates calls is flagged; a case that would replay another spec than the run had is saved only
 * once the operator says so. The answer says where the case was written and the suite's new version.
 */
import { useRef, useState } from 'react'
import type { EvalSuiteEntry, SavedEvalCase } from '../../../../shared/eval-contract'
import type { EvalOutcome } from '../../../../shared/eval'
import type { AutonomyMode } from '../../../../shared/spec'
import type { LoopState } from '../../../../shared/state'
import { AutonomySelect } from '../../components/AutonomySelect'
import { useCommand } from '../../lib/use-command'
import { andon } from '../../transport'

const NEW = '__new__'
// Never CANCELLED: a replay is cancelled only when its time is up, so that case would pass when the run hangs.
const OTHER_OUTCOMES: EvalOutcome[] = ['MAX_ITERATIONS', 'BUDGET_EXHAUSTED', 'STALLED', 'FATAL_ERROR']

/** A new suite's default name: the spec's name, in the characters a suite name may hold. */
const suiteNameFor = (specName: string) => specName.replace(/[^\w .-]+/g, '-').replace(/\.\.+/g, '.').replace(/^[^\w]+/, '').slice(0, 80) || 'suite'

function outcomeChoices(ended: EvalOutcome): { value: EvalOutcome; label: string }[] {
  const said: Partial<Record<EvalOutcome, string>> = { SUCCESS: 'it should have succeeded', escalated: 'it should have stopped for a human' }
  const order: EvalOutcome[] = [...(ended === 'CANCELLED' ? [] : [ended]), 'SUCCESS', 'escalated', ...OTHER_OUTCOMES]
  return [...new Set(order)].map((o) => ({ value: o, label: o === ended ? `${o} — as it ended` : `${o}${said[o] ? ` — ${said[o]}` : ''}` }))
}

/** What the operator must accept before the server saves a case that replays another spec (it says acceptOtherSpec). */
const asksToAccept = (error: string | null) => error?.includes('acceptOtherSpec') === true

export function SaveCaseDialog({ state }: { state: LoopState }) {
  const dialog = useRef<HTMLDialogElement>(null)
  const ended: EvalOutcome = state.termination?.reason ?? 'escalated'
  // A cancelled run has no default: the operator says what it should have done.
  const defaultExpect = ended === 'CANCELLED' ? '' : ended
  const [suites, setSuites] = useState<EvalSuiteEntry[]>([])
  const [suite, setSuite] = useState(NEW)
  const [newName, setNewName] = useState('')
  const [name, setName] = useState('')
  const [expected, setExpected] = useState<EvalOutcome | ''>(defaultExpect)
  const [autonomy, setAutonomy] = useState<AutonomyMode>(state.autonomy)
  const [acceptOtherSpec, setAcceptOtherSpec] = useState(false)
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
    setExpected(defaultExpect)
    setAutonomy(state.autonomy)
    setAcceptOtherSpec(false)
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
        ...(expected ? { expect: expected } : {}),
        autonomy,
        ...(acceptOtherSpec ? { acceptOtherSpec } : {}),
        ...(label.trim() ? { label: label.trim() } : {}),
        ...(correction.trim() ? { correction: correction.trim() } : {})
      })
    )
    if (res) setSaved(res)
  }

  const chosen = suites.find((s) => s.id === suite)
  const otherSuiteSpec = chosen?.specName != null && chosen.specName !== state.spec.name
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
              Saved case <strong>{saved.caseName}</strong> (expects {saved.expect}, replays under {saved.autonomy}) to <code data-testid="save-case-path">{saved.suitePath}</code>:{' '}
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
                    {s.name} (version {s.version}, {s.cases} case{s.cases === 1 ? '' : 's'}; {s.specName ? `spec ${s.specName}` : 'no spec of its own'})
                  </option>
                ))}
              </select>
            </label>
            {otherSuiteSpec && (
              <p className="warn" data-testid="save-case-other-suite-spec">
                This suite replays its cases under spec {chosen.specName}; this run ran {state.spec.name}.
              </p>
            )}
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
                {expected === '' && <option value="">— this run was cancelled: what should it have done? —</option>}
                {outcomeChoices(ended).map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Replays under autonomy
              <AutonomySelect testid="save-case-autonomy" value={autonomy} onChange={(m) => setAutonomy(m as AutonomyMode)} />
            </label>
            {autonomy !== 'autonomous' && (
              <p className="warn" data-testid="save-case-autonomy-warning">
                An eval has no operator: under {autonomy}, the first call this mode holds for approval stops the replay, and the run counts as escalated.
              </p>
            )}
            {(otherSuiteSpec || asksToAccept(error)) && (
              <label className="check">
                <input data-testid="save-case-accept-other-spec" type="checkbox" checked={acceptOtherSpec} onChange={(e) => setAcceptOtherSpec(e.target.checked)} />
                Save it anyway: the case replays under the suite&apos;s spec, not the spec this run had
              </label>
            )}
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
            <button className="primary" data-testid="save-case-confirm" disabled={busy || (suite === NEW && !newName.trim()) || expected === '' || (otherSuiteSpec && !acceptOtherSpec)} onClick={() => void save()}>
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
