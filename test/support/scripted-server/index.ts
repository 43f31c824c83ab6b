/**
 * A local HTTP server on 127.0.0.1 (random port) that speaks enough of the Anthropic Messages
 * API and the GitHub REST API to drive the real SDK and Octokit, scripted per test. Every
 * request is recorded (method, path, headers, body) so tests can assert on what was sent.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { AnthropicScript, send } from './anthropic'
import { FakeGitHub } from './github'

export * from './anthropic'
export * from './github'

export interface RecordedRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body: unknown
  at: number
}

export interface ScriptedServer {
  url: string
  /** Base URL for the Anthropic SDK (it appends /v1/messages). */
  anthropicBaseUrl: string
  /** What the operator's environment must say for a spec to send the key here (a spec alone cannot). */
  allowAnthropic: { ANDON_ANTHROPIC_HOSTS: string }
  /** Base URL for Octokit, shaped like GitHub Enterprise's /api/v3. */
  githubBaseUrl: string
  anthropic: AnthropicScript
  github: FakeGitHub
  requests: RecordedRequest[]
  close(): Promise<void>
}

export async function startScriptedServer(): Promise<ScriptedServer> {
  const anthropic = new AnthropicScript()
  const github = new FakeGitHub()
  const requests: RecordedRequest[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const text = Buffer.concat(chunks).toString('utf8')
      let body: unknown = text
      try {
        body = text ? JSON.parse(text) : undefined
      } catch {
        // recorded as text
      }
      requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, headers: req.headers, body, at: Date.now() })
      if (req.method === 'POST' && url.pathname === '/anthropic/v1/messages') return anthropic.handle(req, res, body)
      if (url.pathname.startsWith('/github/api/v3/'))
        return github.handle(req, res, url.pathname.slice('/github/api/v3'.length), url.searchParams, body)
      send(res, 404, { message: `scripted server: nothing at ${req.method} ${url.pathname}` })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}`
  return {
    url,
    anthropicBaseUrl: `${url}/anthropic`,
    allowAnthropic: { ANDON_ANTHROPIC_HOSTS: `127.0.0.1:${port}` },
    githubBaseUrl: `${url}/github/api/v3`,
    anthropic,
    github,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
