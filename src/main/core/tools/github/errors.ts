/**
 * GitHub failures in words an operator can act on, and which of them are worth waiting for:
 * rate limits (honouring retry-after and x-ratelimit-reset) and server errors.
 */
import { parseRetryAfter } from '../../backpressure/retry-after'

export class GitHubError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    /** How long GitHub asked us to wait, when it did. */
    readonly retryAfterMs: number | null = null,
    readonly transient = false
  ) {
    super(message)
  }
}

interface OctokitErrorLike {
  status?: number
  message?: string
  response?: { headers?: Record<string, string | undefined>; data?: unknown }
}

function detailOf(data: unknown): string {
  if (!data || typeof data !== 'object') return ''
  const d = data as { message?: string; errors?: Array<{ message?: string; field?: string; code?: string } | string> }
  const errors = (d.errors ?? []).map((e) => (typeof e === 'string' ? e : (e.message ?? [e.field, e.code].filter(Boolean).join(' '))))
  return [d.message, ...errors].filter(Boolean).join('; ')
}

/** `what` names the thing asked for, e.g. "octo/app contents of README.md". */
export function describeGitHubError(err: unknown, ctx: { what: string; apiUrl: string; now: number }): GitHubError {
  const e = err as OctokitErrorLike
  const headers = e.response?.headers ?? {}
  if (typeof e.status !== 'number' || !e.response) {
    const cause = (err as { cause?: Error }).cause?.message
    return new GitHubError(`could not reach GitHub at ${ctx.apiUrl}: ${cause ?? e.message ?? String(err)}`, null, null, true)
  }
  const status = e.status
  const detail = detailOf(e.response.data) || e.message || ''
  const retryAfter = parseRetryAfter(headers['retry-after'], ctx.now)
  const reset = Number(headers['x-ratelimit-reset'])
  // A secondary rate limit without retry-after asks for at least a minute's wait (GitHub's docs).
  const secondary = status === 403 && /secondary rate limit/i.test(detail)
  const limited = status === 429 || secondary || (status === 403 && (headers['x-ratelimit-remaining'] === '0' || retryAfter !== null))
  if (limited) {
    const waitMs = retryAfter ?? (Number.isFinite(reset) && !secondary ? Math.max(0, reset * 1000 - ctx.now) : secondary ? 60_000 : null)
    const until = waitMs !== null ? `; it resets at ${new Date(ctx.now + waitMs).toISOString().slice(11, 19)} UTC` : ''
    return new GitHubError(`GitHub rate limit reached (${status}: ${detail})${until}`, status, waitMs, true)
  }
  if (status === 401) return new GitHubError(`GitHub rejected the token (401: ${detail}): check GITHUB_TOKEN`, status)
  if (status === 403) return new GitHubError(`GitHub refused access to ${ctx.what} (403: ${detail}): the token lacks the permission`, status)
  if (status === 404) return new GitHubError(`not found: ${ctx.what} (404): it does not exist or the token cannot see it`, status)
  if (status === 422) return new GitHubError(`GitHub refused the input for ${ctx.what} (422: ${detail})`, status)
  return new GitHubError(`GitHub answered ${status} for ${ctx.what}: ${detail}`, status, retryAfter, status >= 500)
}
