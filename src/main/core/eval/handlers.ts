/** The eval-suite and validation-gate commands of the contract. */
import type { EvalCommandName, Handlers } from '../../../shared/contract'
import type { TraceStore } from '../store/trace-store'
import type { Supervisor } from '../supervisor/supervisor'

export interface EvalHandlerDeps {
  store: TraceStore
  supervisor: Supervisor
  specDirs: string[]
  dataDir: string
}

export function evalHandlers(_deps: EvalHandlerDeps): Pick<Handlers, EvalCommandName> {
  return {}
}
