/** OpenTelemetry export of loops from the trace store. */
import type { TraceStore } from '../store/trace-store'
import { loopToOtlp, type ExportTraceServiceRequest, type OtlpOptions } from './otlp'

export { loopToOtlp, type ExportTraceServiceRequest, type OtlpOptions } from './otlp'
export { sendOtlp, tracesUrl, OtlpSendError, type SendResult } from './send'

export function loopTrace(store: TraceStore, loopId: string, opts: OtlpOptions): ExportTraceServiceRequest {
  if (store.streamVersion(loopId) === 0) throw new Error(`no loop with id ${loopId}`)
  return loopToOtlp(store.iterateStream(loopId), opts)
}
