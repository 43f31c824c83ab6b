/**
 * The GitHub REST half of the scripted server: a small in-memory GitHub with repos, commit
 * statuses, check runs, files, issues, pulls and comments, plus injected failures.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { send } from './anthropic'

export interface FakeStatus {
  context: string
  state: 'success' | 'failure' | 'error' | 'pending'
  description?: string
}
export interface FakeCheckRun {
  name: string
  status: 'queued' | 'in_progress' | 'completed'
  conclusion?: 'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required' | null
}
export interface FakeIssue {
  number: number
  title: string
  body: string
  state: 'open' | 'closed'
  labels: string[]
  comments: string[]
  pull?: { head: string; base: string; draft: boolean }
}
export interface FakeRepo {
  fullName: string
  defaultBranch: string
  statuses: Record<string, FakeStatus[]>
  checkRuns: Record<string, FakeCheckRun[]>
  /** Files by path, on every ref. */
  files: Record<string, string>
  issues: FakeIssue[]
}

export interface InjectedFailure {
  method: string
  path: RegExp
  status: number
  message: string
  headers?: Record<string, string>
  errors?: unknown[]
}

export class FakeGitHub {
  readonly repos = new Map<string, FakeRepo>()
  /** When set, requests must carry this token. */
  token: string | null = null
  private readonly failures: InjectedFailure[] = []
  /** Called after each answered request, e.g. to turn CI green once an issue exists. */
  afterRequest: ((method: string, path: string) => void) | null = null

  repo(fullName: string, init: Partial<Omit<FakeRepo, 'fullName'>> = {}): FakeRepo {
    let r = this.repos.get(fullName)
    if (!r) {
      r = { fullName, defaultBranch: 'main', statuses: {}, checkRuns: {}, files: {}, issues: [], ...init }
      this.repos.set(fullName, r)
    }
    return r
  }

  /** The next request matching method and path fails with this status. */
  failNext(f: InjectedFailure): this {
    this.failures.push(f)
    return this
  }

  handle(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, body: unknown): void {
    this.answer(req, res, path, query, body)
    this.afterRequest?.(req.method ?? 'GET', path)
  }

  private answer(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, body: unknown): void {
    const method = req.method ?? 'GET'
    const i = this.failures.findIndex((f) => f.method === method && f.path.test(path))
    if (i >= 0) {
      const [f] = this.failures.splice(i, 1)
      return send(res, f.status, { message: f.message, errors: f.errors, documentation_url: 'https://docs.github.com/rest' }, f.headers)
    }
    if (this.token !== null) {
      const auth = String(req.headers.authorization ?? '').replace(/^(token|bearer) /i, '')
      if (auth !== this.token) return send(res, 401, { message: 'Bad credentials' })
    }
    const m = /^\/repos\/([^/]+\/[^/]+)(\/.*)?$/.exec(path)
    const repo = m ? this.repos.get(decodeURIComponent(m[1])) : undefined
    if (!m || !repo) return send(res, 404, { message: 'Not Found' })
    const rest = m[2] ?? ''
    const input = (body ?? {}) as Record<string, unknown>
    let r: RegExpExecArray | null
    if (method === 'GET' && rest === '') return send(res, 200, { full_name: repo.fullName, default_branch: repo.defaultBranch })
    if (method === 'GET' && (r = /^\/commits\/(.+)\/status$/.exec(rest))) return send(res, 200, combinedStatus(repo, decodeURIComponent(r[1])))
    if (method === 'GET' && (r = /^\/commits\/(.+)\/check-runs$/.exec(rest))) {
      const runs = (repo.checkRuns[decodeURIComponent(r[1])] ?? []).map((c, n) => ({ id: n + 1, conclusion: null, ...c }))
      return send(res, 200, { total_count: runs.length, check_runs: runs })
    }
    if (method === 'GET' && (r = /^\/contents\/(.+)$/.exec(rest))) {
      const file = repo.files[decodeURIComponent(r[1])]
      if (file === undefined) return send(res, 404, { message: 'Not Found' })
      const content = Buffer.from(file).toString('base64')
      return send(res, 200, { type: 'file', encoding: 'base64', path: r[1], size: Buffer.byteLength(file), sha: 'f00d', content })
    }
    if (method === 'GET' && rest === '/issues') {
      const state = query.get('state') ?? 'open'
      return send(res, 200, repo.issues.filter((x) => state === 'all' || x.state === state).map((x) => issueJson(repo, x)))
    }
    if (method === 'POST' && rest === '/issues') {
      if (typeof input.title !== 'string' || input.title === '')
        return send(res, 422, { message: 'Validation Failed', errors: [{ resource: 'Issue', field: 'title', code: 'missing_field' }] })
      const issue = newIssue(repo, input)
      return send(res, 201, issueJson(repo, issue))
    }
    if (method === 'POST' && rest === '/pulls') {
      const head = String(input.head ?? '')
      if (repo.issues.some((x) => x.pull?.head === head && x.state === 'open'))
        return send(res, 422, { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${head}.` }] })
      const pr = newIssue(repo, input)
      pr.pull = { head, base: String(input.base ?? repo.defaultBranch), draft: Boolean(input.draft) }
      return send(res, 201, { ...issueJson(repo, pr), html_url: `https://github.test/${repo.fullName}/pull/${pr.number}` })
    }
    if (method === 'POST' && (r = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      const issue = repo.issues.find((x) => x.number === Number(r![1]))
      if (!issue) return send(res, 404, { message: 'Not Found' })
      issue.comments.push(String(input.body ?? ''))
      const id = issue.comments.length
      return send(res, 201, { id, body: input.body, html_url: `https://github.test/${repo.fullName}/issues/${issue.number}#issuecomment-${id}` })
    }
    send(res, 404, { message: `Not Found (scripted server has no ${method} ${rest})` })
  }
}

function combinedStatus(repo: FakeRepo, ref: string): unknown {
  const statuses = repo.statuses[ref] ?? []
  const state = statuses.length === 0 ? 'pending'
    : statuses.some((s) => s.state === 'failure' || s.state === 'error') ? 'failure'
      : statuses.some((s) => s.state === 'pending') ? 'pending' : 'success'
  return { state, sha: 'c0ffee', total_count: statuses.length, statuses: statuses.map((s) => ({ description: null, ...s })) }
}

function newIssue(repo: FakeRepo, input: Record<string, unknown>): FakeIssue {
  const issue: FakeIssue = {
    number: repo.issues.length + 1,
    title: String(input.title),
    body: String(input.body ?? ''),
    state: 'open',
    labels: Array.isArray(input.labels) ? input.labels.map(String) : [],
    comments: []
  }
  repo.issues.push(issue)
  return issue
}

function issueJson(repo: FakeRepo, x: FakeIssue): Record<string, unknown> {
  return {
    number: x.number,
    title: x.title,
    body: x.body,
    state: x.state,
    labels: x.labels.map((name) => ({ name })),
    html_url: `https://github.test/${repo.fullName}/issues/${x.number}`,
    ...(x.pull ? { pull_request: { url: '' } } : {})
  }
}
