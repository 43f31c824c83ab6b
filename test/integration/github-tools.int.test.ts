/** The GitHub tools through the real @octokit/rest over HTTP against the scripted server on 127.0.0.1. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Clock } from '../../src/main/core/backpressure'
import { createGithubTools } from '../../src/main/core/tools/github'
import type { AnyTool, ToolContext, ToolResult } from '../../src/main/core/tools/tool'
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server'

const TOKEN = 'ghp_test5ecretT0kenABCDEF0123456789'
let server: ScriptedServer
let sleeps: number[]
let tools: Map<string, AnyTool>

const clock: Clock = {
  now: () => Date.now(),
  sleep: async (ms) => void sleeps.push(ms)
}

beforeAll(async () => {
  server = await startScriptedServer()
  server.github.token = TOKEN
})
afterAll(() => server.close())
beforeEach(() => {
  server.requests.length = 0
  server.github.repos.clear()
  sleeps = []
  const env = { GITHUB_API_URL: server.githubBaseUrl, GITHUB_REPOSITORY: 'octo/app' }
  tools = new Map(createGithubTools({ env, clock }).map((t) => [t.name, t]))
})

async function run(name: string, args: Record<string, unknown>, secrets: Record<string, string> = { GITHUB_TOKEN: TOKEN }) {
  const tool = tools.get(name)!
  const out: string[] = []
  const ctx: ToolContext = {
    loopId: 'l1',
    callId: 'c1',
    idempotencyKey: 'k1',
    workspace: '/nonexistent',
    signal: new AbortController().signal,
    emit: (_stream, chunk) => void out.push(chunk),
    secrets
  }
  const result: ToolResult = await tool.run(tool.input.parse(args), ctx)
  const everything = JSON.stringify([result, out])
  expect(everything).not.toContain(TOKEN)
  return { result, output: out.join('') }
}

const apiPaths = () => server.requests.map((r) => `${r.method} ${r.path.replace('/github/api/v3', '').replace(/\?.*/, '')}`)

describe('github tools over HTTP', () => {
  it('declare risk and idempotency', () => {
    expect([...tools.values()].map((t) => [t.name, t.risk, t.idempotent])).toEqual([
      ['github_ci_status', 'low', true],
      ['github_read_file', 'low', true],
      ['github_open_issue', 'medium', false],
      ['github_open_pr', 'high', false],
      ['github_comment', 'medium', false]
    ])
  })

  it('github_ci_status is green only when statuses and checks pass, on the default branch', async () => {
    server.github.repo('octo/app', {
      defaultBranch: 'trunk',
      statuses: { trunk: [{ context: 'ci/build', state: 'success' }] },
      checkRuns: { trunk: [{ name: 'lint', status: 'completed', conclusion: 'success' }] }
    })
    const { result } = await run('github_ci_status', {})
    expect(result).toMatchObject({ ok: true, exitCode: 0, summary: 'CI of octo/app@trunk is success: 0 failing, 0 pending, 2 passing' })
    expect(apiPaths()).toEqual(['GET /repos/octo/app', 'GET /repos/octo/app/commits/trunk/status', 'GET /repos/octo/app/commits/trunk/check-runs'])
    expect(server.requests[0].headers.authorization).toBe(`token ${TOKEN}`)
  })

  it('github_ci_status reports red and pending states with what failed', async () => {
    server.github.repo('octo/app', {
      statuses: { main: [{ context: 'ci/build', state: 'success' }], dev: [{ context: 'ci/build', state: 'pending' }] },
      checkRuns: { main: [{ name: 'unit tests', status: 'completed', conclusion: 'failure' }] }
    })
    const red = await run('github_ci_status', { ref: 'main' })
    expect(red.result).toMatchObject({ ok: false, exitCode: 1 })
    expect(red.result.excerpt).toMatch(/^state: failure\n/)
    expect(red.result.excerpt).toContain('check unit tests: completed/failure')
    expect(red.output).toContain('state: failure')
    const pending = await run('github_ci_status', { ref: 'dev' })
    expect(pending.result).toMatchObject({ ok: false, exitCode: 2 })
    const none = await run('github_ci_status', { ref: 'nothing' })
    expect(none.result.summary).toMatch(/not reporting/)
  })

  it('github_read_file decodes a file and says clearly when it is missing', async () => {
    server.github.repo('octo/app', { files: { 'README.md': '# App\nHello ✓\n' } })
    const ok = await run('github_read_file', { path: 'README.md', repo: 'octo/app' })
    expect(ok.result).toMatchObject({ ok: true, exitCode: 0, excerpt: '# App\nHello ✓\n' })
    expect(ok.output).toBe('# App\nHello ✓\n')
    const missing = await run('github_read_file', { path: 'nope.txt' })
    expect(missing.result).toMatchObject({ ok: false, exitCode: null })
    expect(missing.result.summary).toBe('not found: octo/app contents of nope.txt (404): it does not exist or the token cannot see it')
  })

  it('github_open_issue opens once: a second call finds the open issue and opens nothing', async () => {
    const repo = server.github.repo('octo/app')
    const first = await run('github_open_issue', { title: 'CI is red on main', body: 'see checks', labels: ['ci'] })
    expect(first.result).toMatchObject({ ok: true, summary: 'opened issue #1: https://github.test/octo/app/issues/1' })
    const second = await run('github_open_issue', { title: 'CI is red on main' })
    expect(second.result.summary).toMatch(/issue #1 is already open.*nothing opened/)
    expect(repo.issues).toHaveLength(1)
    expect(repo.issues[0]).toMatchObject({ title: 'CI is red on main', body: 'see checks', labels: ['ci'] })
    expect(apiPaths().filter((p) => p.startsWith('POST'))).toEqual(['POST /repos/octo/app/issues'])
  })

  it('github_open_issue explains 401 and 422', async () => {
    server.github.repo('octo/app')
    const bad = await run('github_open_issue', { title: 'x' }, { GITHUB_TOKEN: 'wrong' })
    expect(bad.result.summary).toBe('GitHub rejected the token (401: Bad credentials): check GITHUB_TOKEN')
    server.github.failNext({ method: 'POST', path: /\/issues$/, status: 422, message: 'Validation Failed', errors: [{ resource: 'Issue', field: 'labels', code: 'invalid' }] })
    const invalid = await run('github_open_issue', { title: 'y', labels: ['nope'], dedupe: false })
    expect(invalid.result.summary).toBe('GitHub refused the input for octo/app new issue (422: Validation Failed; labels invalid)')
  })

  it('github_open_pr targets the default branch and reports a duplicate clearly', async () => {
    server.github.repo('octo/app', { defaultBranch: 'main' })
    const { result } = await run('github_open_pr', { title: 'Fix the build', head: 'fix/build', body: 'fixes #1' })
    expect(result).toMatchObject({ ok: true, summary: 'opened pull request #1 (fix/build → main): https://github.test/octo/app/pull/1' })
    const dup = await run('github_open_pr', { title: 'Again', head: 'fix/build' })
    expect(dup.result.ok).toBe(false)
    expect(dup.result.summary).toMatch(/422: Validation Failed; A pull request already exists for fix\/build\./)
  })

  it('github_comment comments and names a missing issue', async () => {
    const repo = server.github.repo('octo/app')
    await run('github_open_issue', { title: 't' })
    const { result } = await run('github_comment', { number: 1, body: 'still red' })
    expect(result.summary).toBe('commented on #1: https://github.test/octo/app/issues/1#issuecomment-1')
    expect(repo.issues[0].comments).toEqual(['still red'])
    const missing = await run('github_comment', { number: 99, body: 'hello?' })
    expect(missing.result.summary).toMatch(/^not found: octo\/app issue #99 \(404\)/)
  })

  it('waits out a rate limit as long as GitHub asks, then succeeds', async () => {
    server.github.repo('octo/app', { statuses: { main: [{ context: 'ci', state: 'success' }] } })
    server.github.failNext({ method: 'GET', path: /\/status$/, status: 429, message: 'API rate limit exceeded', headers: { 'retry-after': '2' } })
    server.github.failNext({ method: 'GET', path: /\/check-runs$/, status: 403, message: 'API rate limit exceeded', headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 3) } })
    const { result, output } = await run('github_ci_status', { ref: 'main' })
    expect(result.ok).toBe(true)
    expect(sleeps).toHaveLength(2)
    expect(sleeps).toContain(2000)
    expect(sleeps.find((s) => s !== 2000)).toBeGreaterThan(1000)
    expect(output).toMatch(/GitHub rate limit reached .*retrying in \d+ s/)
  })

  it('waits a minute on a secondary rate limit that gives no retry-after', async () => {
    server.github.repo('octo/app', { files: { a: 'a' } })
    server.github.failNext({ method: 'GET', path: /\/contents\//, status: 403, message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' })
    const { result } = await run('github_read_file', { path: 'a' })
    expect(result.ok).toBe(true)
    expect(sleeps).toEqual([60_000])
  })

  it('gives up on a rate limit that resets too far ahead, saying when', async () => {
    server.github.repo('octo/app', { files: { a: 'a' } })
    server.github.failNext({ method: 'GET', path: /\/contents\//, status: 429, message: 'API rate limit exceeded', headers: { 'retry-after': '3600' } })
    const { result } = await run('github_read_file', { path: 'a' })
    expect(result.ok).toBe(false)
    expect(result.summary).toMatch(/GitHub rate limit reached \(429: API rate limit exceeded\); it resets at \d\d:\d\d:\d\d UTC .*retry budget/)
    expect(sleeps).toEqual([])
  })

  it('never sends the token anywhere but the configured API, and needs it for writes', async () => {
    const away = await run('github_read_file', { path: 'a', baseUrl: 'https://evil.example/api' })
    expect(away.result.summary).toMatch(/refusing to send the GitHub token to https:\/\/evil.example\/api/)
    const noToken = await run('github_comment', { number: 1, body: 'x' }, {})
    expect(noToken.result.summary).toMatch(/GITHUB_TOKEN is not available/)
    expect(server.requests).toHaveLength(0)
  })
})
