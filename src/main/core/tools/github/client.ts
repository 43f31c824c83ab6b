/**
 * What every GitHub tool shares: where the API is (github.com or Enterprise), which repository,
 * the token from the spec's secrets, and calls that wait out rate limits within bounds.
 */
import type { Octokit } from '@octokit/rest'
import { systemClock, type Clock } from '../../backpressure/clock'
import { withRetries, type RetryPolicy } from '../../backpressure/retry'
import type { ToolContext, ToolResult } from '../tool'
import { describeGitHubError, GitHubError } from './errors'

export const DEFAULT_API_URL = 'https://api.github.com'

export interface GitHubToolOptions {
  /** Environment for GITHUB_API_URL and GITHUB_REPOSITORY defaults (not for the token). */
  env?: Record<string, string | undefined>
  clock?: Clock
  retry?: Partial<RetryPolicy>
}

const RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 10_000, maxTotalMs: 90_000 }

export interface GitHubCall {
  octokit: Octokit
  owner: string
  repo: string
  apiUrl: string
  /** Runs one API request, retrying rate limits and server errors; `what` names it in errors. */
  run<T>(what: string, fn: () => Promise<T>): Promise<T>
}

const trim = (u: string): string => u.replace(/\/+$/, '')

/** @octokit/rest is loaded with the first GitHub call, not at start: most loops never make one. */
let octokitClass: Promise<typeof Octokit> | undefined

export async function gitHubCall(
  args: { repo?: string; baseUrl?: string },
  ctx: ToolContext,
  opts: GitHubToolOptions,
  needsToken: boolean
): Promise<GitHubCall> {
  const env = opts.env ?? process.env
  const apiUrl = trim(ctx.secrets.GITHUB_API_URL ?? env.GITHUB_API_URL ?? DEFAULT_API_URL)
  // The token only ever goes to the configured API: a base URL in the arguments must match it.
  if (args.baseUrl !== undefined && trim(args.baseUrl) !== apiUrl)
    throw new GitHubError(`refusing to send the GitHub token to ${args.baseUrl}: the configured API is ${apiUrl} (set GITHUB_API_URL for GitHub Enterprise)`, null)
  const full = args.repo ?? ctx.secrets.GITHUB_REPOSITORY ?? env.GITHUB_REPOSITORY
  if (!full) throw new GitHubError('no repository: pass repo as "owner/name" or set GITHUB_REPOSITORY', null)
  const m = /^([\w.-]+)\/([\w.-]+)$/.exec(full)
  if (!m) throw new GitHubError(`repository must look like "owner/name", got "${full}"`, null)
  const token = ctx.secrets.GITHUB_TOKEN
  if (needsToken && !token) throw new GitHubError('GITHUB_TOKEN is not available: add it to the spec\'s secrets and to the environment', null)
  const clock = opts.clock ?? systemClock
  const quiet = (): void => {}
  octokitClass ??= import('@octokit/rest').then((m) => m.Octokit)
  const octokit = new (await octokitClass)({
    auth: token,
    baseUrl: apiUrl,
    userAgent: 'andon',
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    request: { signal: ctx.signal }
  })
  const [owner, repo] = [m[1], m[2]]
  return {
    octokit,
    owner,
    repo,
    apiUrl,
    run: (what, fn) =>
      withRetries(
        { ...RETRY, ...opts.retry },
        {
          clock,
          signal: ctx.signal,
          retryable: (e) => e instanceof GitHubError && e.transient,
          retryAfterMs: (e) => (e instanceof GitHubError ? e.retryAfterMs : null),
          onRetry: ({ delayMs, error }) => ctx.emit('info', `${(error as Error).message}; retrying in ${Math.ceil(delayMs / 1000)} s\n`)
        },
        async () => {
          try {
            return await fn()
          } catch (err) {
            throw describeGitHubError(err, { what: `${owner}/${repo} ${what}`, apiUrl, now: clock.now() })
          }
        }
      )
  }
}

/** Runs a tool body; any failure becomes a failed result with a clear summary, never a throw. */
export async function asToolResult(ctx: ToolContext, body: () => Promise<ToolResult>): Promise<ToolResult> {
  try {
    return scrub(await body(), ctx.secrets.GITHUB_TOKEN)
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    ctx.emit('stderr', `${message}\n`)
    return scrub({ ok: false, exitCode: null, summary: message, excerpt: message }, ctx.secrets.GITHUB_TOKEN)
  }
}

function scrub(r: ToolResult, token: string | undefined): ToolResult {
  if (!token) return r
  const s = (t: string): string => t.split(token).join('[redacted]')
  return { ...r, summary: s(r.summary), excerpt: s(r.excerpt) }
}
