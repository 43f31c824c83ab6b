/** Maps what the SDK throws onto PolicyError kinds, with messages that never contain the key. */
import { ProviderError } from '../../backpressure/errors'
import { parseRetryAfter } from '../../backpressure/retry-after'
import { PolicyError } from '../policy'
import type { AnthropicSdk } from './sdk'

export function redact(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join('[redacted]') : text
}

/** Deep copy with every occurrence of the secret replaced (the model may echo what it saw). */
export function redactValue<T>(value: T, secret: string): T {
  if (value === undefined) return value
  const json = JSON.stringify(value)
  return json.includes(secret) ? (JSON.parse(json.split(secret).join('[redacted]')) as T) : value
}

/** Removes the secret from an error's message, stack and recorded response, in place. */
export function redactError<E>(err: E, secret: string): E {
  if (err instanceof Error) {
    err.message = redact(err.message, secret)
    if (err.stack) err.stack = redact(err.stack, secret)
    if (err instanceof PolicyError && err.rawResponse !== undefined)
      (err as { rawResponse: unknown }).rawResponse = redactValue(err.rawResponse, secret)
  }
  return err
}

/** `sdk` is the loaded SDK whose client threw: its error classes are what `err` is checked against. */
export function toPolicyError(err: unknown, ctx: { baseUrl: string; timeoutMs: number; key: string; now: number }, sdk: AnthropicSdk): unknown {
  const { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } = sdk
  if (err instanceof PolicyError) return err
  if (err instanceof APIUserAbortError) return err
  const say = (m: string): string => redact(m, ctx.key)
  if (err instanceof APIConnectionTimeoutError)
    return new ProviderError('timeout', `no response from ${ctx.baseUrl} within ${ctx.timeoutMs} ms`)
  if (err instanceof APIConnectionError)
    return new ProviderError('server', say(`could not reach ${ctx.baseUrl}: ${(err.cause as Error | undefined)?.message ?? err.message}`))
  if (err instanceof APIError && typeof err.status === 'number') {
    const status = err.status
    const detail = say(`${status} ${err.type ?? ''}: ${err.apiMessage ?? err.message}`.replace(/ +/g, ' '))
    const retryAfter = parseRetryAfter(err.headers?.get('retry-after'), ctx.now)
    if (status === 429 || status === 529) return new ProviderError('rate-limited', `Anthropic API is ${status === 529 ? 'overloaded' : 'rate limiting'} (${detail})`, retryAfter)
    if (status === 408) return new ProviderError('timeout', `Anthropic API request timed out (${detail})`, retryAfter)
    if (status >= 500) return new ProviderError('server', `Anthropic API server error (${detail})`, retryAfter)
    if (status === 400 && /prompt is too long|context window|too many tokens/i.test(detail))
      return new ProviderError('max-tokens', `context budget exceeded: the prompt does not fit the model's context window (${detail}); trim working memory`)
    if (status === 401 || status === 403) return new PolicyError('config', `Anthropic API refused the key (${detail}); check ANTHROPIC_API_KEY`)
    return new PolicyError('config', `Anthropic API rejected the request (${detail})`)
  }
  if (err instanceof SyntaxError) return new ProviderError('malformed-response', say(`the response body is not valid JSON: ${err.message}`))
  const message = err instanceof Error ? err.message : String(err)
  return new ProviderError('server', say(`Anthropic call failed: ${message}`))
}
