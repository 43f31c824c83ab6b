/**
 * Which suite files the control room may read and write: only those it lists, in the data dir's
 * `suites/` folder and in the `evals/` folders of the spec folders it lists (inside each spec
 * folder, and beside it: `resources/evals` for the built-in examples). A client names a listed
 * suite by id or gives a plain name for a new one in `suites/`; it never gives a path.
 */
import { lstat, readFile, readdir } from 'node:fs/promises'
import { basename, dirname, extname, join, resolve, sep } from 'node:path'
import type { EvalSuiteEntry } from '../../../shared/eval-contract'
import { NewSuiteName } from '../../../shared/eval-contract'
import { CommandRefused } from '../commands/commands'
import { loadSpecFile } from '../specs/load-spec'
import { EvalInputError, parseSuite } from './suite'

/** The file endings a suite may have. */
export const SUITE_EXTENSIONS = ['.yaml', '.yml', '.json']
/** A suite file larger than this is not read (a suite is text a person writes or reviews). */
const MAX_SUITE_BYTES = 4 * 1024 * 1024

export interface SuiteFolderDeps {
  dataDir: string
  specDirs: string[]
}

/** Where new suites go. */
export const ownSuitesDir = (dataDir: string) => join(dataDir, 'suites')

export function suiteFolders({ dataDir, specDirs }: SuiteFolderDeps): string[] {
  const dirs = [ownSuitesDir(dataDir), ...specDirs.flatMap((d) => [join(d, 'evals'), join(dirname(d), 'evals')])]
  return [...new Set(dirs.map((d) => resolve(d)))]
}

async function readEntry(path: string): Promise<EvalSuiteEntry | null> {
  // Links are not listed: a listed suite is a file in the folder, so writing it writes there.
  const st = await lstat(path).catch(() => null)
  if (!st?.isFile()) return null
  const base: EvalSuiteEntry = { id: path, path, name: basename(path), version: null, cases: null, specPath: null, specName: null, error: null }
  if (st.size > MAX_SUITE_BYTES) return { ...base, error: `larger than ${MAX_SUITE_BYTES / 1024 / 1024} MB` }
  try {
    const suite = parseSuite(await readFile(path, 'utf8'), path)
    const specName = suite.specPath === null ? null : await loadSpecFile(suite.specPath).then((spec) => spec.name, () => null)
    return { ...base, name: suite.name ?? basename(path), version: suite.version, cases: suite.cases.length, specPath: suite.specPath, specName }
  } catch (err) {
    return { ...base, error: (err as Error).message }
  }
}

/** Suite files (top level of each folder), valid or not: the list shows the error. */
export async function listSuiteFiles(deps: SuiteFolderDeps): Promise<EvalSuiteEntry[]> {
  const out: EvalSuiteEntry[] = []
  for (const dir of suiteFolders(deps)) {
    let names: string[]
    try {
      names = (await readdir(dir)).filter((n) => SUITE_EXTENSIONS.includes(extname(n)) && !n.startsWith('.')).sort()
    } catch {
      continue
    }
    for (const name of names) {
      const entry = await readEntry(join(dir, name))
      if (entry) out.push(entry)
    }
  }
  return out
}

/** The listed suite with this id; anything else is refused. */
export async function listedSuite(deps: SuiteFolderDeps, id: string): Promise<EvalSuiteEntry> {
  const entry = (await listSuiteFiles(deps)).find((s) => s.id === id)
  if (!entry) throw new CommandRefused(`no suite ${id} among the listed suites (listEvalSuites)`, 404)
  return entry
}

/** The file of a new suite named `name`, in the data dir's `suites/` folder; a name that is a path is refused. */
export function newSuitePath(dataDir: string, name: string): string {
  const parsed = NewSuiteName.safeParse(name)
  if (!parsed.success) throw new EvalInputError(`not a suite name: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
  const dir = resolve(ownSuitesDir(dataDir))
  const file = SUITE_EXTENSIONS.includes(extname(name)) ? name : `${name}.eval.yaml`
  const path = resolve(dir, file)
  if (dirname(path) !== dir || !path.startsWith(dir + sep)) throw new EvalInputError(`not a suite name: ${name}`)
  return path
}
