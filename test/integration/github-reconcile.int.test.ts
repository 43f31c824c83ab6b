/**
 * The github-reconcile example spec run through createAndon against the scripted GitHub:
 * red CI → one tracking issue → CI turns green → SUCCESS; the token is never recorded.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { exampleSpec } from '../support/specs'
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server'
import { tempAndon } from '../support/temp-andon'

const TOKEN = 'ghp_reconcile5ecret0123456789'
let server: ScriptedServer
let andon: Awaited<ReturnType<typeof tempAndon>>

beforeAll(async () => {
  server = await startScriptedServer()
  server.github.token = TOKEN
})
afterAll(() => server.close())
afterEach(() => andon?.cleanup())

describe('github-reconcile example', () => {
  it('opens one tracking issue while CI is red and succeeds once it is green', async () => {
    const repo = server.github.repo('octo/app', {
      statuses: { main: [{ context: 'ci/build', state: 'failure', description: '2 tests failed' }] },
      checkRuns: { main: [{ name: 'lint', status: 'completed', conclusion: 'success' }] }
    })
    // Someone fixes the build after the loop has seen it still red once with the issue open.
    let ciChecksAfterIssue = 0
    server.github.afterRequest = (method, path) => {
      if (repo.issues.length > 0 && method === 'GET' && path.endsWith('/status') && ++ciChecksAfterIssue === 1) repo.statuses.main = [{ context: 'ci/build', state: 'success' }]
    }
    andon = await tempAndon({ env: { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: 'octo/app', GITHUB_API_URL: server.githubBaseUrl } })
    const { spec, specPath } = exampleSpec('github-reconcile')
    const loopId = await andon.supervisor.launch(spec, { specPath })
    await andon.supervisor.settled(loopId)
    const { state, iterations } = await andon.handlers.getLoop({ loopId })
    expect(state.termination?.reason).toBe('SUCCESS')
    expect(iterations.map((r) => r.action?.tool)).toEqual(['github_ci_status', 'github_open_issue', 'github_ci_status', 'github_open_issue', 'github_ci_status'])
    expect(repo.issues).toHaveLength(1)
    expect(repo.issues[0]).toMatchObject({ title: 'CI is red on the default branch', labels: ['ci'] })
    const events = andon.store.readStream(loopId)
    const output = events.flatMap((e) => (e.type === 'ToolOutput' ? [e.data.chunk] : [])).join('')
    expect(output).toContain('state: failure')
    expect(output).toContain('issue #1 is already open')
    expect(JSON.stringify(events)).not.toContain(TOKEN)
  })
})
