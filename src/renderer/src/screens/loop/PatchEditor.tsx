/**
 * State patch editor: structured operations (add fact, override subgoal, relax or tighten an
 * invariant, edit working memory) or the raw editable state as JSON. Everything is validated
 * here with the same zod schemas the core uses; nothing is sent while there is an error.
 */
import { useEffect, useMemo, useState } from 'react'
import type { PatchOp, EditableState } from '../../../../shared/patch'
import { EditableStateSchema, InvariantName, PatchOpSchema } from '../../../../shared/patch'
import type { LoopState } from '../../../../shared/state'
import { patchEditable } from '../../../../shared/patch-apply'
import { editableState, PatchError } from '../../../../shared/state'
import { PatchResult } from '../../components/PatchResult'
import { json } from '../../lib/format'
import { useCommand } from '../../lib/use-command'
import { useStore } from '../../store'
import { andon } from '../../transport'

type Issue = { path: string; message: string }

const EDITABLE_STATUSES = new Set(['paused', 'escalated', 'interrupted', 'awaiting-approval'])

function Issues({ issues, testid }: { issues: Issue[]; testid?: string }) {
  if (issues.length === 0) return null
  return (
    <ul className="field-errors" data-testid={testid}>
      {issues.map((i, n) => (
        <li key={n} data-path={i.path}>
          <code>{i.path || '(state)'}</code> {i.message}
        </li>
      ))}
    </ul>
  )
}

/** Why this loop's state can never be patched in place (and what to do instead), or null when it can be. */
function whyNotPatchable(state: LoopState): string | null {
  if (state.readOnly) return 'This loop was imported from a bundle and is read-only: its state cannot be patched here. Fork it first (from Time travel), then patch the fork.'
  if (state.status === 'terminated') {
    const reason = state.termination ? ` (${state.termination.reason})` : ''
    return `This loop has terminated${reason}: its state can no longer be patched. Fork it from Time travel, at any event, with your patch.`
  }
  return null
}

/** Terminated and imported loops are patched through a fork: say so, and offer the way there instead of Apply. */
function NotPatchable({ why }: { why: string }) {
  const setTab = useStore((st) => st.setLoopTab)
  return (
    <section className="patch-editor" data-testid="patch-editor">
      <p className="hint" data-testid="patch-hint">
        {why}
      </p>
      <div className="actions">
        <button data-testid="patch-open-time-travel" onClick={() => setTab('travel')}>
          Open Time travel
        </button>
      </div>
    </section>
  )
}

function describeOp(op: PatchOp): string {
  switch (op.op) {
    case 'addFact':
      return `add fact “${op.fact}”`
    case 'removeFact':
      return `remove fact “${op.fact}”`
    case 'setSubgoal':
      return `subgoal → “${op.subgoal}”`
    case 'setInvariant':
      return `invariant ${op.name} → ${op.value}`
    case 'setBudget':
      return `budget → ${JSON.stringify(op.budget)}`
    case 'setSeverity':
      return `invariant ${op.name}: on failure ${op.severity}`
    case 'setMemory':
      return `memory.${op.key} → ${JSON.stringify(op.value)}`
    case 'deleteMemory':
      return `delete memory.${op.key}`
    case 'setAutonomy':
      return `autonomy → ${op.mode}`
    case 'replace':
      return 'replace the whole editable state'
  }
}

function checkOp(raw: unknown): { op: PatchOp | null; issues: Issue[] } {
  const r = PatchOpSchema.safeParse(raw)
  if (r.success) return { op: r.data, issues: [] }
  return { op: null, issues: r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) }
}

/** Preview a patch against the current state; PatchError names each bad field. */
function preview(current: EditableState, ops: PatchOp[]): { next: EditableState | null; issues: Issue[] } {
  if (ops.length === 0) return { next: null, issues: [] }
  try {
    return { next: patchEditable(current, { ops }), issues: [] }
  } catch (err) {
    if (err instanceof PatchError) return { next: null, issues: err.issues }
    return { next: null, issues: [{ path: '', message: String(err) }] }
  }
}

export function PatchEditor({ state }: { state: LoopState }) {
  const why = whyNotPatchable(state)
  return why ? <NotPatchable why={why} /> : <PatchForm state={state} />
}

function PatchForm({ state }: { state: LoopState }) {
  const current = useMemo(() => editableState(state), [state])
  const [mode, setMode] = useState<'structured' | 'raw'>('structured')
  const [ops, setOps] = useState<PatchOp[]>([])
  const [why, setWhy] = useState('')
  const [fact, setFact] = useState('')
  const [subgoal, setSubgoal] = useState('')
  const [invName, setInvName] = useState<string>(InvariantName.options[0])
  const [invValue, setInvValue] = useState('')
  const [memKey, setMemKey] = useState('')
  const [memValue, setMemValue] = useState('')
  const [raw, setRaw] = useState<string | null>(null)
  const [fieldIssues, setFieldIssues] = useState<Record<string, Issue[]>>({})
  const [done, setDone] = useState<{ before: EditableState; after: EditableState } | null>(null)
  const { busy, error, run } = useCommand()

  // A suggestion from an escalation packet arrives as a draft: text goes into the fields to complete.
  useEffect(() => {
    const draft = useStore.getState().patchDraft
    if (!draft || draft.loopId !== state.loopId) return
    useStore.setState({ patchDraft: null })
    const rest: PatchOp[] = []
    for (const op of draft.ops) {
      if (op.op === 'addFact') setFact(op.fact)
      else if (op.op === 'setSubgoal') setSubgoal(op.subgoal)
      else rest.push(op)
    }
    if (rest.length > 0) setOps((list) => [...list, ...rest])
  }, [state.loopId])

  const rawText = raw ?? json(current)
  const rawCheck = useMemo((): { ops: PatchOp[]; issues: Issue[] } => {
    if (mode !== 'raw') return { ops: [], issues: [] }
    let value: unknown
    try {
      value = JSON.parse(rawText)
    } catch (err) {
      return { ops: [], issues: [{ path: '', message: `not valid JSON: ${(err as Error).message}` }] }
    }
    const r = EditableStateSchema.safeParse(value)
    if (!r.success) return { ops: [], issues: r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) }
    return { ops: [{ op: 'replace', value: r.data }], issues: [] }
  }, [mode, rawText])

  const effectiveOps = mode === 'raw' ? rawCheck.ops : ops
  const check = useMemo(() => preview(current, effectiveOps), [current, effectiveOps])
  const issues = mode === 'raw' && rawCheck.issues.length > 0 ? rawCheck.issues : check.issues
  const editable = EDITABLE_STATUSES.has(state.status)

  function add(field: string, rawOp: unknown) {
    const { op, issues: bad } = checkOp(rawOp)
    setFieldIssues((f) => ({ ...f, [field]: bad }))
    if (op) setOps((list) => [...list, op])
    return op !== null
  }

  function addMemory() {
    let value: unknown
    try {
      value = memValue.trim() === '' ? null : JSON.parse(memValue)
    } catch {
      // A bare word is taken as a string, which is what an operator usually means.
      value = memValue
    }
    if (add('memory', { op: 'setMemory', key: memKey, value })) {
      setMemKey('')
      setMemValue('')
    }
  }

  async function apply() {
    if (effectiveOps.length === 0 || issues.length > 0 || !check.next) return
    const before = current
    const after = await run('patch', () => andon.patchState({ loopId: state.loopId, patch: { ops: effectiveOps }, why: why || 'operator patch' }))
    if (after) {
      setDone({ before, after: editableState(after) })
      setOps([])
      setRaw(null)
    }
  }

  if (done) return <PatchResult loopId={state.loopId} before={done.before} after={done.after} onResumed={() => setDone(null)} />

  return (
    <section className="patch-editor" data-testid="patch-editor">
      {!editable && (
        <p className="hint" data-testid="patch-hint">
          The loop is {state.status}: pause it (or wait for an escalation) to patch its state.
        </p>
      )}
      <div className="tabs small">
        <button className={mode === 'structured' ? 'active' : ''} data-testid="patch-mode-structured" onClick={() => setMode('structured')}>
          Structured
        </button>
        <button className={mode === 'raw' ? 'active' : ''} data-testid="patch-mode-raw" onClick={() => setMode('raw')}>
          Raw JSON
        </button>
      </div>
      {mode === 'structured' ? (
        <div className="patch-forms">
          <div className="patch-field">
            <label>Add a fact</label>
            <div className="row">
              <input data-testid="patch-fact" aria-label="Fact to add" value={fact} onChange={(e) => setFact(e.target.value)} placeholder="something the loop should know" />
              <button data-testid="patch-add-fact" onClick={() => add('fact', { op: 'addFact', fact }) && setFact('')}>
                Add
              </button>
            </div>
            <Issues issues={fieldIssues.fact ?? []} testid="patch-fact-errors" />
          </div>
          <div className="patch-field">
            <label>Override the subgoal</label>
            <div className="row">
              <input data-testid="patch-subgoal" aria-label="New subgoal" value={subgoal} onChange={(e) => setSubgoal(e.target.value)} placeholder={current.subgoal || 'new subgoal'} />
              <button data-testid="patch-set-subgoal" onClick={() => add('subgoal', { op: 'setSubgoal', subgoal }) && setSubgoal('')}>
                Set
              </button>
            </div>
            <Issues issues={fieldIssues.subgoal ?? []} />
          </div>
          <div className="patch-field">
            <label>Relax or tighten an invariant</label>
            <div className="row">
              <select data-testid="patch-invariant-name" aria-label="Invariant" value={invName} onChange={(e) => setInvName(e.target.value)}>
                {InvariantName.options.map((n) => (
                  <option key={n} value={n}>
                    {n} (now {String(current.invariants?.[n as keyof typeof current.invariants] ?? '—')})
                  </option>
                ))}
              </select>
              <input data-testid="patch-invariant-value" aria-label="New value of the invariant" inputMode="decimal" value={invValue} onChange={(e) => setInvValue(e.target.value)} placeholder="new value" />
              <button
                data-testid="patch-set-invariant"
                onClick={() => add('invariant', { op: 'setInvariant', name: invName, value: invValue.trim() === '' ? NaN : Number(invValue) }) && setInvValue('')}
              >
                Set
              </button>
            </div>
            <Issues issues={fieldIssues.invariant ?? []} testid="patch-invariant-errors" />
          </div>
          <div className="patch-field">
            <label>Working memory</label>
            <div className="row">
              <input data-testid="patch-memory-key" aria-label="Working memory key" value={memKey} onChange={(e) => setMemKey(e.target.value)} placeholder="key" />
              <input data-testid="patch-memory-value" aria-label="Working memory value" value={memValue} onChange={(e) => setMemValue(e.target.value)} placeholder='value (JSON or text)' />
              <button data-testid="patch-set-memory" onClick={addMemory}>
                Set
              </button>
            </div>
            <Issues issues={fieldIssues.memory ?? []} />
          </div>
          <div className="pending-ops" data-testid="pending-ops">
            <h4>Patch ({ops.length} change{ops.length === 1 ? '' : 's'})</h4>
            {ops.length === 0 && <p className="muted">Nothing yet.</p>}
            <ol>
              {ops.map((op, n) => (
                <li key={n}>
                  {describeOp(op)}{' '}
                  <button className="link" onClick={() => setOps((l) => l.filter((_, i) => i !== n))}>
                    remove
                  </button>
                </li>
              ))}
            </ol>
          </div>
        </div>
      ) : (
        <textarea data-testid="patch-raw" aria-label="Editable state as JSON" className="raw-json" spellCheck={false} rows={18} value={rawText} onChange={(e) => setRaw(e.target.value)} />
      )}
      <Issues issues={issues} testid="patch-errors" />
      <label>
        Why
        <input data-testid="patch-why" value={why} onChange={(e) => setWhy(e.target.value)} placeholder="recorded with the patch" />
      </label>
      <div className="actions">
        <button className="primary" data-testid="patch-apply" disabled={busy || effectiveOps.length === 0 || issues.length > 0} onClick={() => void apply()}>
          Apply patch
        </button>
        {error && <span className="error">{error}</span>}
      </div>
    </section>
  )
}
