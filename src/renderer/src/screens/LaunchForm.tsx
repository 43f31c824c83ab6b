/**
 * Launch a loop: pick a spec, read or edit its YAML, override name / autonomy / iterations; see
 * the spec's own approval rules and its track record.
 * The text is checked by the core as you type, as a launch would check it (tools, workspace,
 * keys and secrets in the environment): errors refuse the launch, warnings only inform, and
 * both name the field they are about.
 */
import { useEffect, useMemo, useState } from 'react'
import type { SpecEntry, ValidationResult } from '../../../shared/contract'
import { LaunchOverrides } from '../../../shared/contract'
import { AutonomySelect } from '../components/AutonomySelect'
import { useCommand } from '../lib/use-command'
import { selectLoop } from '../store/sync'
import { andon, errorMessage } from '../transport'
import { SpecRules, SpecTrackRecord } from './SpecTrackRecord'

type Issue = { path: string; message: string }

function FieldErrors({ issues, testid, warning = false }: { issues: Issue[]; testid: string; warning?: boolean }) {
  if (issues.length === 0) return null
  return (
    <ul className={warning ? 'field-errors field-warnings' : 'field-errors'} data-testid={testid} aria-label={warning ? 'Warnings' : 'Errors'}>
      {issues.map((i, n) => (
        <li key={n} data-path={i.path}>
          <code>{i.path || '(spec)'}</code> {i.message}
        </li>
      ))}
    </ul>
  )
}

export function LaunchForm() {
  const [specs, setSpecs] = useState<SpecEntry[] | null>(null)
  const [listError, setListError] = useState<string | null>(null)
  const [specId, setSpecId] = useState<string>('')
  const [text, setText] = useState('')
  const [name, setName] = useState('')
  const [autonomy, setAutonomy] = useState('')
  const [maxIterations, setMaxIterations] = useState('')
  const [validation, setValidation] = useState<ValidationResult | null>(null)
  const { busy, error, run } = useCommand()

  useEffect(() => {
    andon.listSpecs({}).then(
      (list) => {
        setSpecs(list)
        if (list.length > 0) {
          setSpecId(list[0].id)
          setText(list[0].text)
        }
      },
      (err: unknown) => setListError(errorMessage(err))
    )
  }, [])

  // Validate as the operator types, a moment after they stop.
  useEffect(() => {
    if (!text.trim()) {
      setValidation({ ok: false, errors: [{ path: '', message: 'the spec is empty' }] })
      return
    }
    let stale = false
    const timer = setTimeout(() => {
      // The chosen file's folder is where a relative workspace is found, as at launch.
      andon.validateSpec({ text, ...(specId ? { specId } : {}) }).then(
        (v) => !stale && setValidation(v),
        (err: unknown) => !stale && setValidation({ ok: false, errors: [{ path: '', message: errorMessage(err) }] })
      )
    }, 250)
    return () => {
      stale = true
      clearTimeout(timer)
    }
  }, [text, specId])

  const chosen = specs?.find((s) => s.id === specId) ?? null
  const edited = chosen !== null && chosen.text !== text

  const overrides = useMemo(() => {
    const raw: Record<string, unknown> = {}
    if (name.trim()) raw.name = name.trim()
    if (autonomy) raw.autonomy = autonomy
    if (maxIterations.trim()) raw.maxIterations = Number(maxIterations)
    return LaunchOverrides.safeParse(raw)
  }, [name, autonomy, maxIterations])
  const overrideIssues = (field: string): Issue[] =>
    overrides.success ? [] : overrides.error.issues.filter((i) => i.path[0] === field).map((i) => ({ path: field, message: i.message }))
  const specIssues = validation && !validation.ok ? validation.errors : []
  const specWarnings = validation?.warnings ?? []
  const canLaunch = overrides.success && validation?.ok === true && !busy

  async function launch() {
    if (!overrides.success) return
    // Edited text still names its file, so relative paths (the workspace) resolve from there.
    const input = edited || !chosen
      ? { specText: text, ...(chosen ? { specId: chosen.id } : {}), overrides: overrides.data }
      : { specId: chosen.id, overrides: overrides.data }
    const res = await run('launch', () => andon.launchLoop(input))
    if (res) selectLoop(res.loopId)
  }

  return (
    <section className="screen launch" data-testid="launch-form">
      <h2>Launch a loop</h2>
      {listError && <p className="error">Could not list specs: {listError}</p>}
      <div className="form-grid">
        <label>
          Spec
          <select
            data-testid="spec-select"
            value={specId}
            onChange={(e) => {
              const s = specs?.find((x) => x.id === e.target.value)
              setSpecId(e.target.value)
              if (s) setText(s.text)
            }}
          >
            {specs?.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
                {s.error ? ' (invalid)' : ''}
              </option>
            ))}
          </select>
        </label>
        <label>
          Name
          <input data-testid="override-name" value={name} placeholder={validation?.ok ? validation.spec.name : 'from the spec'} onChange={(e) => setName(e.target.value)} />
          <FieldErrors issues={overrideIssues('name')} testid="override-name-errors" />
        </label>
        <label>
          Autonomy
          <AutonomySelect testid="override-autonomy" value={autonomy} onChange={setAutonomy} unset={`from the spec${validation?.ok ? ` (${validation.spec.autonomy})` : ''}`} />
        </label>
        <label>
          Max iterations
          <input
            data-testid="override-max-iterations"
            inputMode="numeric"
            value={maxIterations}
            placeholder={validation?.ok ? String(validation.spec.invariants.maxIterations) : 'from the spec'}
            onChange={(e) => setMaxIterations(e.target.value)}
          />
          <FieldErrors issues={overrideIssues('maxIterations')} testid="override-max-iterations-errors" />
        </label>
      </div>
      {chosen && <p className="hint">{chosen.description}</p>}
      {chosen?.error && <p className="error">This file does not parse: {chosen.error}</p>}
      <label className="spec-text">
        Spec (YAML or JSON){edited && <span className="hint"> — edited</span>}
        <textarea
          data-testid="spec-text"
          spellCheck={false}
          value={text}
          onChange={(e) => setText(e.target.value)}
          rows={22}
          aria-invalid={specIssues.length > 0}
          aria-describedby="spec-problems"
        />
      </label>
      <div id="spec-problems" aria-live="polite">
        <FieldErrors issues={specIssues} testid="spec-errors" />
        <FieldErrors issues={specWarnings} testid="spec-warnings" warning />
        {validation?.ok && (
          <p className="ok-line" data-testid="spec-valid">
            ✓ spec is valid: {validation.spec.name}
            {specWarnings.length > 0 && <span className="warn"> (launches with {specWarnings.length === 1 ? 'a warning' : `${specWarnings.length} warnings`})</span>}
          </p>
        )}
      </div>
      <div className="actions">
        <button className="primary" data-testid="launch-button" disabled={!canLaunch} onClick={() => void launch()}>
          {busy ? 'Launching…' : 'Launch'}
        </button>
        {error && <span className="error">{error}</span>}
      </div>
      {validation?.ok && (
        <div className="spec-earned">
          <SpecRules approvals={validation.spec.approvals} />
          <SpecTrackRecord specName={validation.spec.name} />
        </div>
      )}
    </section>
  )
}
