/** POST an OTLP/JSON trace request to a receiver (collector, Langfuse, Phoenix …). */
import type { ExportTraceServiceRequest } from './otlp'

export interface SendResult {
  status: number
  /** Spans the receiver said it rejected (OTLP partial success), 0 when none. */
  rejectedSpans: number
  message: string
}

export class OtlpSendError extends Error {}

/** A base URL gets the standard `/v1/traces` path; a URL with a path is used as given. */
export function tracesUrl(endpoint: string): URL {
  let url: URL
  try {
    url = new URL(endpoint)
  } catch {
    throw new OtlpSendError(`not a URL: ${endpoint}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OtlpSendError(`OTLP endpoint must be http or https: ${endpoint}`)
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1/traces'
  return url
}

export async function sendOtlp(
  endpoint: string,
  body: ExportTraceServiceRequest,
  opts: { headers?: Record<string, string>; timeoutMs?: number } = {}
): Promise<SendResult> {
  const url = tracesUrl(endpoint)
  let res: Response
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...opts.headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000)
    })
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message
    throw new OtlpSendError(`could not reach ${url.origin}: ${cause ?? (err as Error).message}`)
  }
  const text = await res.text().catch(() => '')
  if (!res.ok) throw new OtlpSendError(`${url.href} answered ${res.status} ${res.statusText}: ${text.slice(0, 500)}`)
  let rejectedSpans = 0
  let message = ''
  try {
    const partial = (JSON.parse(text) as { partialSuccess?: { rejectedSpans?: string | number; errorMessage?: string } }).partialSuccess
    rejectedSpans = Number(partial?.rejectedSpans ?? 0)
    message = partial?.errorMessage ?? ''
  } catch {
    // Receivers may answer with an empty body.
  }
  return { status: res.status, rejectedSpans, message }
}
