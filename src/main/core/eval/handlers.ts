/** The eval-suite and validation-gate commands of the contract. */
import type { EvalCommandName, Handlers } from '../../../shared/contract'
import { CommandRefused } from '../commands/commands'
import { listSpecFiles } from '../specs/load-spec'
import type { TraceStore } from '../store/trace-store'
import type { Supervisor } from '../supervisor/supervisor'
import { GateJobs } from './gate-jobs'
import { saveEvalCase } from './save-case'
import { EvalInputError, loadSuite } from './suite'
import { listedSuite, listSuiteFiles, newSuitePath } from './suite-folders'
import { loadTarget } from './targets'

export interface EvalHandlerDeps {
  store: TraceStore
  supervisor: Supervisor
  specDirs: string[]
  dataDir: string
}

export function evalHandlers(deps: EvalHandlerDeps): Pick<Handlers, EvalCommandName> {
  const { store, supervisor, specDirs, dataDir } = deps
  const gates = new GateJobs({ store, supervisor })

  async function listedSpec(specId: string, side: string) {
    const entry = (await listSpecFiles(specDirs)).find((s) => s.id === specId)
    if (!entry) throw new CommandRefused(`no spec ${specId} among the listed specs (the ${side})`, 404)
    return { ...(await loadTarget({ store, supervisor }, entry.path)), specId }
  }

  async function usableSuite(id: string) {
    const entry = await listedSuite({ dataDir, specDirs }, id)
    if (entry.error) throw new EvalInputError(`the suite ${entry.path} cannot be used until it is fixed: ${entry.error}`)
    return entry
  }

  return {
    listEvalSuites: () => listSuiteFiles({ dataDir, specDirs }),

    async saveEvalCase({ suite, ...input }) {
      const target = 'id' in suite ? { suitePath: (await usableSuite(suite.id)).path } : { suitePath: newSuitePath(dataDir, suite.newName), suiteName: suite.newName, mustBeNew: true }
      const saved = await saveEvalCase(store, { ...input, ...target, by: 'operator' })
      return { ...saved, suiteId: saved.suitePath }
    },

    async startEvalGate({ suiteId, baselineSpecId, candidateSpecId, repetitions, seed }) {
      const suite = await loadSuite((await usableSuite(suiteId)).path)
      const baseline = await listedSpec(baselineSpecId, 'baseline')
      const candidate = await listedSpec(candidateSpecId, 'candidate')
      return gates.start({ suiteId, suite, baseline, candidate, repetitions, seed })
    },

    getEvalGate: ({ gateId }) => gates.get(gateId),
    listEvalGates: () => gates.list()
  }
}
