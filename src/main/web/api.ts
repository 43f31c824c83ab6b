/**
 * `POST /api/<command>`: the contract over HTTP. The command must exist, the body is parsed
 * with that command's zod schema, then the core's handler runs. Replies are always JSON.
 */
import { createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { dirname, join } from 'node:path'
import type { Andon } from '../core/andon'
import { importBundleFile, maxBundleBytes } from '../core/bundles/import'
import { contract, isCommandName } from '../../shared/contract'
import type { CommandName } from '../../shared/contract'
import { describeError, zodIssues } from './errors'
import type { ErrorBody } from './errors'
import { SECURITY_HEADERS } from './static-files'

export const MAX_BODY_BYTES = 2 * 1024 * 1024
/** Commands that carry files get more room; everything else stays small. */
const BODY_LIMITS: Partial<Record<CommandName, number>> = { importBundle: 8 * 1024 * 1024 }
/** What to do instead when a body is over its limit. */
/** A bundle file as the raw request body: streamed to disk, then imported from there. */
export const BUNDLE_UPLOAD_PATH = '/api/bundles/import'
const BODY_HINTS: Partial<Record<CommandName, string>> = {
  importBundle: `; upload a large bundle to ${BUNDLE_UPLOAD_PATH} as application/octet-stream`
}

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
    if (err instanceof BodyTooLarge) return sendJson(res, 413, { error: `request body over ${max} bytes${BODY_HINTS[name] ?? ''}` })
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

/** Write the request body to `path`; refused past `max` bytes, declared or counted. */
function receiveFile(req: IncomingMessage, path: string, max: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > max) return reject(new BodyTooLarge())
    const out = createWriteStream(path, { flags: 'wx' })
    let size = 0
    let stopped = false
    const stop = (err: Error) => {
      if (stopped) return
      stopped = true
      req.unpipe(out)
      out.destroy()
      req.resume()
      reject(err)
    }
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > max) stop(new BodyTooLarge())
    })
    req.on('close', () => {
      if (!req.complete) stop(new Error('the upload was cut off'))
    })
    req.on('error', stop)
    out.on('error', stop)
    out.on('finish', () => resolvePromise())
    req.pipe(out)
  })
}

/**
 * `POST /api/bundles/import` with the bundle as an application/octet-stream body. The body goes
 * to a file beside the database (not into memory, not onto a RAM-backed /tmp), and the import
 * reads it from there, off the thread that answers requests.
 */
export async function handleBundleUpload(andon: Andon, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST')
    return sendJson(res, 405, { error: 'use POST' })
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
  // Not a type a plain cross-site form can send: a browser asks first.
  if (type !== 'application/octet-stream') return sendJson(res, 415, { error: 'send the bundle file as application/octet-stream' })
  const max = maxBundleBytes()
  const dir = await mkdtemp(join(dirname(andon.store.db.name), '.upload-'))
  let reply: { status: number; body: unknown }
  try {
    await receiveFile(req, join(dir, 'bundle.andon'), max)
    reply = { status: 200, body: await importBundleFile(andon.store, join(dir, 'bundle.andon')) }
  } catch (err) {
    reply = err instanceof BodyTooLarge ? { status: 413, body: { error: `the bundle is over ${max} bytes, the largest accepted` } } : describeError(err)
    if (reply.status >= 500) console.error('[web] bundle upload failed:', err)
  } finally {
    // Gone before the answer: whoever reads it finds no upload left behind.
    await rm(dir, { recursive: true, force: true })
  }
  sendJson(res, reply.status, reply.body)
}
