/**
 * `POST /api/<command>`: the contract over HTTP. The command must exist, the body is parsed
 * with that command's zod schema, then the core's handler runs. Replies are always JSON.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Andon } from '../core/andon'
import { contract, isCommandName } from '../../shared/contract'
import type { CommandName } from '../../shared/contract'
import { describeError, zodIssues } from './errors'
import type { ErrorBody } from './errors'
import { SECURITY_HEADERS } from './static-files'

export const MAX_BODY_BYTES = 2 * 1024 * 1024
/** Commands that carry files get more room; everything else stays small. */
const BODY_LIMITS: Partial<Record<CommandName, number>> = { importBundle: 64 * 1024 * 1024 }

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body ?? null)
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store'
  })
  res.end(text)
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0)
    if (declared > max) return reject(new BodyTooLarge())
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > max) {
        req.removeAllListeners('data')
        req.resume()
        reject(new BodyTooLarge())
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolvePromise(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

export async function handleApi(andon: Andon, name: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!isCommandName(name)) return sendJson(res, 404, { error: `unknown command: ${name}` } satisfies ErrorBody)
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST')
    return sendJson(res, 405, { error: 'use POST' })
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
  // Requiring JSON also forces a CORS preflight on any cross-site attempt.
  if (type !== 'application/json') return sendJson(res, 415, { error: 'send the body as application/json' })

  const max = BODY_LIMITS[name] ?? MAX_BODY_BYTES
  let raw: string
  try {
    raw = await readBody(req, max)
  } catch (err) {
    if (err instanceof BodyTooLarge) return sendJson(res, 413, { error: `request body over ${max} bytes` })
    throw err
  }
  let json: unknown
  try {
    json = raw.trim() === '' ? {} : JSON.parse(raw)
  } catch {
    return sendJson(res, 400, { error: 'the body is not valid JSON' })
  }
  const parsed = contract[name].input.safeParse(json)
  if (!parsed.success) {
    const issues = zodIssues(parsed.error)
    return sendJson(res, 400, {
      error: `invalid input for ${name}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`,
      issues
    } satisfies ErrorBody)
  }
  try {
    const handler = andon.handlers[name as CommandName] as (input: unknown) => unknown
    const result = await handler(parsed.data)
    sendJson(res, 200, result ?? null)
  } catch (err) {
    const { status, body } = describeError(err)
    if (status >= 500) console.error(`[web] ${name} failed:`, err)
    sendJson(res, status, body)
  }
}
