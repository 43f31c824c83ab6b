/**
 * Evals: the validation gate from the control room. Pick a suite, a baseline and a candidate
 * spec and the runs per case; the gate runs in the core (as `andon eval --baseline --candidate`),
 * its progress shows live, then the same comparison the CLI prints, with the verdict.
 */
import { useCallback, useEffect, useState } from 'react'
import type { SpecEntry } from '../../../../shared/contract'
import type { EvalGateStatus, EvalSuiteEntry } from '../../../../shared/eval-contract'
import { useCommand } from '../../lib/use-command'
import { refreshLoops } from '../../store/sync'
import { andon, ApiError, errorMessage } from '../../transport'
import { GateReportView } from './GateReportView'

const POLL_MS = 400
const MAX_RETRY_MS = 10_000

/** Only "no such gate" ends the polling: any other failure (a dropped connection, a busy server) is retried. */
const gateIsGone = (err: unknown) => (err instanceof ApiError && err.status === 404) || /^no gate /.test(errorMessage(err))

function useGate(): { gate: EvalGateStatus | null; trouble: string | null; follow(gateId: string): void } {
  const [gate, setGate] = useState<EvalGateStatus | null>(null)
  const [gateId, setGateId] = useState<string | null>(null)
  const [trouble, setTrouble] = useState<string | null>(null)
  // The gate under way (or the last one) is shown again when the screen opens.
  useEffect(() => {
    void andon.listEvalGates({}).then((gates) => gates[0] && setGateId(gates[0].gateId), () => undefined)
  }, [])
  useEffect(() => {
    if (!gateId) return
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | undefined
    let failures = 0
    const poll = async () => {
      try {
        const g = await andon.getEvalGate({ gateId })
        if (stopped) return
        failures = 0
        setTrouble(null)
        setGate(g)
        if (g.state === 'running') timer = setTimeout(() => void poll(), POLL_MS)
        // The gate's runs are archived as they stop: take them out of the loop list.
        else void refreshLoops()
      } catch (err) {
        if (stopped) return
        if (gateIsGone(err)) {
          setTrouble(null)
          setGate((g) => (g ? { ...g, state: 'failed', error: errorMessage(err) } : g))
          return
        }
        // The gate runs on in the core whatever happens to this page's requests: ask again, less and less often.
        const wait = Math.min(MAX_RETRY_MS, POLL_MS * 2 ** ++failures)
        setTrouble(`cannot read the gate's progress (${errorMessage(err)}): trying again in ${Math.ceil(wait / 1000)} s`)
        timer = setTimeout(() => void poll(), wait)
      }
    }
    void poll()
    return () => {
      stopped = true
      clearTimeout(timer)
    }
  }, [gateId])
  return { gate, trouble, follow: useCallback((id: string) => setGateId(id), []) }
}

function Progress({ gate }: { gate: EvalGateStatus }) {
  const c = gate.current
  return (
    <div className="card gate-progress" data-testid="gate-progress" data-state={gate.state}>
      <p>
        {gate.baseline.name} → {gate.candidate.name} on {gate.suite.name} (version {gate.suite.version}):{' '}
        <span data-testid="gate-progress-count">
          {gate.done} of {gate.total} runs done
        </span>
        {c && (
          <span className="muted">
            {' '}
            — now {c.caseName} #{c.repetition} ({c.side})
          </span>
        )}
      </p>
      <progress value={gate.done} max={gate.total} aria-label="runs done" />
    </div>
  )
}

export function Evals() {
  const [suites, setSuites] = useState<EvalSuiteEntry[] | null>(null)
  const [specs, setSpecs] = useState<SpecEntry[]>([])
  const [suiteId, setSuiteId] = useState('')
  const [baseline, setBaseline] = useState('')
  const [candidate, setCandidate] = useState('')
  const [repetitions, setRepetitions] = useState(5)
  const { gate, trouble, follow } = useGate()
  const { busy, error, run } = useCommand()

  useEffect(() => {
    void run('list suites and specs', async () => {
      const [su, sp] = await Promise.all([andon.listEvalSuites({}), andon.listSpecs({})])
      const valid = sp.filter((s) => s.error === null)
      setSuites(su)
      setSpecs(valid)
      const first = su.find((s) => s.error === null)
      if (first) setSuiteId(first.id)
      // The suite's own spec is the natural baseline.
      setBaseline(valid.find((s) => s.path === first?.specPath)?.id ?? valid[0]?.id ?? '')
      setCandidate(valid[1]?.id ?? valid[0]?.id ?? '')
    })
  }, [run])

  async function start() {
    const res = await run('run the gate', () => andon.startEvalGate({ suiteId, baselineSpecId: baseline, candidateSpecId: candidate, repetitions }))
    if (res) follow(res.gateId)
  }

  const running = gate?.state === 'running'
  const specOptions = specs.map((s) => (
    <option key={s.id} value={s.id}>
      {s.name} — {s.path.split(/[\\/]/).pop()}
    </option>
  ))
  return (
    <section className="screen evals" data-testid="evals">
      <h2>Evals: the validation gate</h2>
      <p className="hint">
        Both specs run on every case of the suite, several times each, interleaved; the candidate is worse when it passes fewer runs by more than the suite allows and an exact
        test says that is not chance. Save runs as cases from a loop&apos;s view (Save as eval case…). The CLI: <code>andon eval --baseline A.yaml --candidate B.yaml SUITE</code>.
      </p>
      {suites !== null && suites.length === 0 && (
        <p className="muted" data-testid="evals-no-suites">
          No suites yet: save a finished run as a case, or put a suite in an evals/ folder beside your specs.
        </p>
      )}
      <div className="form-grid">
        <label>
          Suite
          <select data-testid="gate-suite" value={suiteId} onChange={(e) => setSuiteId(e.target.value)}>
            {(suites ?? []).map((s) => (
              <option key={s.id} value={s.id} disabled={s.error !== null}>
                {s.name}
                {s.error ? ' (invalid)' : ` (version ${s.version}, ${s.cases} case${s.cases === 1 ? '' : 's'})`}
              </option>
            ))}
          </select>
        </label>
        <label>
          Baseline spec
          <select data-testid="gate-baseline" value={baseline} onChange={(e) => setBaseline(e.target.value)}>
            {specOptions}
          </select>
        </label>
        <label>
          Candidate spec
          <select data-testid="gate-candidate" value={candidate} onChange={(e) => setCandidate(e.target.value)}>
            {specOptions}
          </select>
        </label>
        <label>
          Runs per case and spec
          <input data-testid="gate-repetitions" type="number" min={1} max={20} value={repetitions} onChange={(e) => setRepetitions(Math.max(1, Math.min(20, Number(e.target.value) || 1)))} />
        </label>
      </div>
      <div className="actions">
        <button className="primary" data-testid="gate-run" disabled={busy || running || !suiteId || !baseline || !candidate} onClick={() => void start()}>
          {running ? 'Gate running…' : 'Run the gate'}
        </button>
      </div>
      {error && <p className="error">{error}</p>}
      {gate && <Progress gate={gate} />}
      {trouble && (
        <p className="warn" role="status" data-testid="gate-poll-trouble">
          {trouble}
        </p>
      )}
      {gate?.state === 'failed' && (
        <p className="error" data-testid="gate-error">
          The gate stopped: {gate.error}
        </p>
      )}
      {gate?.report && <GateReportView report={gate.report} />}
    </section>
  )
}
