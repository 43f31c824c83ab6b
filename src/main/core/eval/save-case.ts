/**
 * A real run becomes an eval case: a terminated or escalated loop's task, its start state (facts,
 * subgoal and memory before it first ran, a fork's inherited state included), a snapshot of the
 * folder it started from, the autonomy it replays under and the outcome it should have (how it
 * ended, unless the operator says otherwise), appended to a suite file whose version is bumped.
 * An imported loop is never saved (its folders are the bundle's choice), and a case that would
 * replay another spec than the run had waits for the operator to accept that. The suite is edited through
 * yaml's Document API, so its comments and layout stay, checked as a suite before it is written,
 * and written in one step; the snapshot is staged and moved into place, and removed again if the
 * suite cannot be written, so a failed save leaves nothing behind.
 */
import { randomBytes } from 'node:crypto'
import { lstat, mkdir, readFile, realpath, rename, rm, stat } from 'node:fs/promises'
import { dirname, extname, join, relative, sep } from 'node:path'
import type { Document, YAMLMap } from 'yaml'
import { yaml } from '../lazy-packages'
import type { EvalCaseInput, EvalOutcome } from '../../../shared/eval'
import type { SavedEvalCase, SnapshotSource } from '../../../shared/eval-contract'
import type { AutonomyMode } from '../../../shared/spec'
import type { LoopState } from '../../../shared/state'
import { CommandRefused } from '../commands/commands'
import { writeFileAtomically } from '../platform/write-file-atomically'
import type { TraceStore } from '../store/trace-store'
import { lineageEvents, replayFileEdits, templateDir } from '../supervisor/workspace'
import { checkSpec, expectedOutcome, replayPlan } from './save-case-spec'
import { EvalInputError, parseSuite } from './suite'
import { copyRegularFiles, SNAPSHOT_LIMITS, type SnapshotCopy, type SnapshotLimits } from './workspace-snapshot'

export interface SaveCaseRequest {
  loopId: string
  /** The suite file (absolute); created when missing. The caller decides which paths are allowed. */
  suitePath: string
  /** A name for a new suite (default: the loop's spec name). */
  suiteName?: string
  /** The suite must not exist yet (a new suite named in the control room). */
  mustBeNew?: boolean
  name?: string
  expect?: EvalOutcome
  /** Default: the autonomy the run ended with. */
  autonomy?: AutonomyMode
  /** Save even though the case would replay another spec than the run had (see save-case-spec). */
  acceptOtherSpec?: boolean
  label?: string
  correction?: string
  /** Who saved it, for the case's `from`. */
  by: string
  now?: () => Date
  limits?: SnapshotLimits
}

export type SaveCaseResult = Omit<SavedEvalCase, 'suiteId'>

const SAVABLE = new Set(['terminated', 'escalated'])

/** The state the loop started its first run with: everything recorded before its first `Started`. */
function startState(store: TraceStore, loopId: string, latest: LoopState): LoopState {
  for (let after = 0; after < latest.version; after += 500) {
    const page = store.readStream(loopId, { afterVersion: after, limit: 500 })
    const started = page.find((e) => e.type === 'Started' || e.type === 'IterationStarted')
    if (started) return store.loadState(loopId, started.version - 1)
    if (page.length < 500) break
  }
  return latest
}

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60) || 'case'

const exists = async (path: string) => (await lstat(path).catch(() => null)) !== null
const posix = (p: string) => p.split(sep).join('/')

/** A folder inside the suite's folder that is a real folder (a link there would send the snapshot elsewhere). */
async function realFolder(path: string): Promise<void> {
  const st = await lstat(path).catch(() => null)
  if (st === null) return void (await mkdir(path))
  if (!st.isDirectory()) throw new EvalInputError(`${path} is not a folder (a link or a file): the case's workspace cannot go there`)
}

async function unusedFolder(casesDir: string, name: string): Promise<string> {
  const base = slug(name)
  for (let n = 1; ; n++) {
    const dir = join(casesDir, n === 1 ? base : `${base}-${n}`)
    if (!(await exists(dir))) return dir
  }
}

/** The template folder, links on the way to it resolved as the launch resolved them (null: it is gone or not a folder). */
async function templateFolder(template: string): Promise<string | null> {
  const real = await realpath(template).catch(() => null)
  return real !== null && (await stat(real)).isDirectory() ? real : null
}

/** The folder the run started from, copied into `dest`; when its template is gone, the loop's folder as it is now. */
async function snapshot(store: TraceStore, s: LoopState, dest: string, limits: SnapshotLimits): Promise<SnapshotCopy & { source: SnapshotSource; note: string | null }> {
  const template = templateDir(s.spec, s.specPath)
  const folder = template === null ? null : await templateFolder(template)
  if (template === null || folder !== null) {
    if (folder === null) await mkdir(dest)
    // Only the root is resolved: inside it, links are left out (copyRegularFiles).
    const copy = folder === null ? { files: 0, bytes: 0, skipped: [] } : await copyRegularFiles(folder, dest, limits)
    // A fork started from its parent's files at the fork point: the edits it inherited, re-applied.
    if (s.parentLoopId) await replayFileEdits(dest, lineageEvents(store, s.loopId, 1))
    return { ...copy, source: 'start', note: null }
  }
  if (!s.workspace || !(await lstat(s.workspace).catch(() => null))?.isDirectory()) {
    throw new EvalInputError(`the folder loop ${s.loopId} started from is gone (${template}), and so is its own workspace (${s.workspace ?? 'none'})`)
  }
  const copy = await copyRegularFiles(s.workspace, dest, limits)
  return { ...copy, source: 'loop-now', note: `workspace: the loop's folder as it was after the run (the template ${template} it started from was gone when this case was saved)` }
}

function caseName(req: SaveCaseRequest, s: LoopState, taken: Set<string>): string {
  if (req.name !== undefined) {
    const name = req.name.trim()
    if (!name) throw new EvalInputError('a case name cannot be empty')
    if (taken.has(name)) throw new CommandRefused(`the suite already has a case named "${name}": choose another name`, 409)
    return name
  }
  const base = `${s.spec.name} ${s.loopId}`
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base} (${n})`
    if (!taken.has(name)) return name
  }
}

function setVersion(doc: Document, version: number): void {
  const map = doc.contents as YAMLMap
  if (map.has('version')) return void map.set('version', version)
  const { isScalar, Pair, Scalar } = yaml()
  const at = map.items.findIndex((p) => isScalar(p.key) && p.key.value === 'name')
  map.items.splice(at + 1, 0, new Pair(new Scalar('version'), new Scalar(version)))
}

async function readSuiteDoc(path: string): Promise<{ doc: Document; names: Set<string>; version: number; name: string; specPath: string | null } | null> {
  const st = await lstat(path).catch(() => null)
  if (st === null) return null
  if (!st.isFile()) throw new EvalInputError(`${path} is not a regular file`)
  const text = await readFile(path, 'utf8')
  const suite = parseSuite(text, path)
  const { isMap, isSeq, parseDocument } = yaml()
  const doc = parseDocument(text)
  if (!isMap(doc.contents) || !isSeq(doc.get('cases'))) throw new EvalInputError(`${path}: cannot add a case to this suite (its cases are not a list)`)
  return { doc, names: new Set(suite.cases.map((c) => c.name)), version: suite.version, name: suite.name ?? path, specPath: suite.specPath }
}

const saving = new Map<string, Promise<unknown>>()

/** One save per suite file at a time in this process, so two saves never both read the old version. */
function serialized<T>(path: string, fn: () => Promise<T>): Promise<T> {
  const prev = saving.get(path) ?? Promise.resolve()
  const next = prev.then(fn, fn)
  const settled = next.catch(() => undefined)
  saving.set(path, settled)
  void settled.then(() => saving.get(path) === settled && saving.delete(path))
  return next
}

export function saveEvalCase(store: TraceStore, req: SaveCaseRequest): Promise<SaveCaseResult> {
  return serialized(req.suitePath, () => save(store, req))
}

async function save(store: TraceStore, req: SaveCaseRequest): Promise<SaveCaseResult> {
  if (store.streamVersion(req.loopId) === 0) throw new CommandRefused(`no loop ${req.loopId}`, 404)
  const s = store.loadState(req.loopId)
  if (s.readOnly) {
    throw new CommandRefused(
      `loop ${req.loopId} was imported from a bundle: its spec, and the folders it names, were chosen by whoever made the bundle, so it is not saved as an eval case. Fork it (reviewing what the fork keeps), let the fork run, and save the fork`,
      409
    )
  }
  if (!SAVABLE.has(s.status)) {
    throw new CommandRefused(`loop ${req.loopId} is ${s.status}: only a terminated or escalated run can be saved as an eval case (let it stop, or cancel it, first)`, 409)
  }
  const start = startState(store, req.loopId, s)
  const outcome = expectedOutcome(req.expect, s)
  const existing = await readSuiteDoc(req.suitePath)
  if (existing && req.mustBeNew) throw new CommandRefused(`a suite named ${req.suiteName ?? req.suitePath} exists (${req.suitePath}): choose it in the list, or give another name`, 409)
  const plan = await replayPlan(store, s, start, req.autonomy)
  await checkSpec(plan, existing, req.acceptOtherSpec === true)
  const name = caseName(req, s, existing?.names ?? new Set())

  const suiteDir = dirname(req.suitePath)
  await mkdir(suiteDir, { recursive: true })
  const casesDir = join(suiteDir, 'cases')
  await realFolder(casesDir)
  const caseDir = await unusedFolder(casesDir, name)
  const staging = join(casesDir, `.staging-${randomBytes(6).toString('hex')}`)
  await mkdir(staging)
  try {
    const snap = await snapshot(store, s, join(staging, 'workspace'), req.limits ?? SNAPSHOT_LIMITS)
    const entry: EvalCaseInput = {
      name,
      task: s.spec.task,
      ...(start.facts.length ? { facts: start.facts } : {}),
      ...(start.subgoal ? { subgoal: start.subgoal } : {}),
      ...(Object.keys(start.memory).length ? { memory: start.memory } : {}),
      workspace: posix(relative(suiteDir, join(caseDir, 'workspace'))),
      ...(plan.maxIterations === undefined ? {} : { maxIterations: plan.maxIterations }),
      ...(plan.autonomy === undefined ? {} : { autonomy: plan.autonomy }),
      expect: { outcome },
      ...(req.label ? { label: req.label } : {}),
      ...(req.correction ? { correction: req.correction } : {}),
      from: { loopId: s.loopId, savedAt: (req.now?.() ?? new Date()).toISOString(), by: req.by }
    }
    const spec = plan.specFile ? posix(relative(suiteDir, plan.specFile)) : null
    const doc = existing?.doc ?? yaml().parseDocument('')
    const version = existing ? existing.version + 1 : 1
    if (existing) setVersion(doc, version)
    else doc.contents = doc.createNode({ name: req.suiteName ?? s.spec.name, version, ...(spec ? { spec } : {}), cases: [] }) as YAMLMap
    const node = doc.createNode(entry)
    if (snap.note) node.commentBefore = ` ${snap.note}`
    ;(doc.get('cases') as { add(n: unknown): void }).add(node)
    const text = extname(req.suitePath) === '.json' ? `${JSON.stringify(doc.toJS(), null, 2)}\n` : doc.toString({ lineWidth: 0 })
    // The suite as it would be written must read back as a suite (the runner's own check).
    parseSuite(text, req.suitePath)
    await rename(staging, caseDir)
    try {
      writeFileAtomically(req.suitePath, text)
    } catch (err) {
      await rm(caseDir, { recursive: true, force: true })
      throw err
    }
    return {
      suitePath: req.suitePath,
      created: existing === null,
      version,
      caseName: name,
      expect: outcome,
      autonomy: plan.replayAutonomy,
      workspace: { path: join(caseDir, 'workspace'), source: snap.source, files: snap.files, bytes: snap.bytes, skipped: snap.skipped },
      spec: existing ? ((existing.doc.get('spec') as string | undefined) ?? null) : spec
    }
  } finally {
    await rm(staging, { recursive: true, force: true })
  }
}
