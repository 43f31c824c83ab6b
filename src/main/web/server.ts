/**
 * The web shell: the contract over HTTP + WebSocket on 127.0.0.1, and the built renderer as
 * static files. For headless machines, supervision over an SSH tunnel, and the e2e tests.
 */
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Andon } from '../core/andon'
import { BUNDLE_UPLOAD_PATH, handleApi, handleBundleUpload, sendJson } from './api'
import { attachEventSocket } from './events-socket'
import { bearer, checkOrigin, tokenMatches } from './guard'
import { SECURITY_HEADERS, serveStatic } from './static-files'

export interface WebShellOptions {
  andon: Andon
  /** The built renderer (out/renderer). */
  rendererDir: string
  /** 0 (default) picks a free port. */
  port?: number
  host?: string
  /** A fixed token (tests); a random 32-byte one otherwise. */
  token?: string
}

export interface WebShell {
  /** Open this in a browser: the token travels in the fragment, which is never sent to a server. */
  url: string
  port: number
  token: string
  close(): Promise<void>
}

export async function startWebShell(opts: WebShellOptions): Promise<WebShell> {
  const host = opts.host ?? '127.0.0.1'
  // The Host check and the printed URL both assume the IPv4 loopback address.
  if (host !== '127.0.0.1') throw new Error(`the web shell binds to 127.0.0.1 only, not ${host}`)
  const token = opts.token ?? randomBytes(32).toString('base64url')
  let port = opts.port ?? 0

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refusal = checkOrigin(req, port)
    if (refusal) return sendJson(res, refusal.status, { error: refusal.error })
    const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (pathname === '/api' || pathname.startsWith('/api/')) {
      if (!tokenMatches(bearer(req), token)) {
        res.setHeader('WWW-Authenticate', 'Bearer')
        return sendJson(res, 401, { error: 'missing or wrong token: open the URL the server printed' })
      }
      if (pathname === BUNDLE_UPLOAD_PATH) return handleBundleUpload(opts.andon, req, res)
      return handleApi(opts.andon, pathname.slice('/api/'.length), req, res)
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD')
      return sendJson(res, 405, { error: 'method not allowed' })
    }
    return serveStatic(opts.rendererDir, pathname, res, req.method === 'HEAD')
  }

  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      console.error('[web] request failed:', err)
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' })
      else res.destroy()
    })
  })
  server.headersTimeout = 20_000
  server.requestTimeout = 60_000

  const events = attachEventSocket(opts.andon, token, () => port)
  server.on('upgrade', events.onUpgrade)

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolvePromise()
    })
  })
  port = (server.address() as AddressInfo).port
  // Webhook notices link to the item here; the token stays out of them (a link opens in a browser that has it).
  opts.andon.webhooks?.setLinkBase(`http://127.0.0.1:${port}/`)

  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolvePromise) => {
        events.close()
        server.close(() => resolvePromise())
        server.closeAllConnections()
      })
  }
}

export { SECURITY_HEADERS }
