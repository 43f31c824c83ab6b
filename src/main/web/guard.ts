/**
 * Request guards of the web shell: loopback only, Host and Origin pinned to our own address
 * (DNS-rebinding and cross-site defence), and a constant-time bearer-token check.
 */
import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1'])

export interface Refusal {
  status: number
  error: string
}

export function isLoopback(address: string | undefined): boolean {
  return address !== undefined && LOOPBACK.has(address)
}

function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`]
}

/** Checks every request (page, API, WebSocket) must pass. null when it may proceed. */
export function checkOrigin(req: IncomingMessage, port: number): Refusal | null {
  if (!isLoopback(req.socket.remoteAddress)) return { status: 403, error: 'only loopback clients are served' }
  const host = (req.headers.host ?? '').toLowerCase()
  if (!allowedHosts(port).includes(host)) return { status: 421, error: 'unexpected Host header' }
  const origin = req.headers.origin
  if (origin !== undefined && !allowedHosts(port).some((h) => origin.toLowerCase() === `http://${h}`)) {
    return { status: 403, error: 'cross-origin request refused' }
  }
  return null
}

export function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

export function bearer(req: IncomingMessage): string | null {
  const header = req.headers.authorization ?? ''
  const m = /^Bearer\s+(\S+)$/i.exec(header)
  return m ? m[1] : null
}
