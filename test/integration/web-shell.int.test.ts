/**
 * The web shell's security boundary, over real HTTP on 127.0.0.1 with a fake core:
 * token, Host and Origin checks, input validation, static file confinement, the event socket.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import type { Andon } from '../../src/main/core/andon'
import type { PushMessage } from '../../src/shared/contract'
import { startWebShell } from '../../src/main/web/server'
import type { WebShell } from '../../src/main/web/server'

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

function send(port: number, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: { host: `127.0.0.1:${port}`, ...opts.headers } },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
      }
    )
    req.on('error', reject)
    req.end(opts.body)
  })
}

const pushListeners = new Set<(msg: PushMessage) => void>()
const calls: { name: string; input: unknown }[] = []
const fakeAndon = {
  handlers: {
    listLoops: () => [],
    getLoop: ({ loopId }: { loopId: string }) => {
      throw new Error(`unknown loop ${loopId}`)
    },
    resumeLoop: () => {
      throw new Error('loop is terminated and cannot resume')
    },
    cancelLoop: () => {
      const secret = new TypeError('x is undefined')
      secret.stack = 'SECRET-STACK at /home/op/andon/engine.ts:42'
      throw secret
    },
    validateSpec: () => {
      throw Object.assign(new Error('invalid loop spec text: name: required'), { errors: [{ path: 'name', message: 'required' }] })
    },
    forkLoop: () => {
      throw Object.assign(new Error('no loop l9'), { status: 404 })
    },
    pauseLoop: (input: unknown) => {
      calls.push({ name: 'pauseLoop', input })
      return { ok: true }
    }
  },
  onPush(listener: (msg: PushMessage) => void) {
    pushListeners.add(listener)
    return () => pushListeners.delete(listener)
  },
  close: async () => undefined
} as unknown as Andon

let shell: WebShell
let dir: string
const TOKEN = 'test-token-0123456789abcdef'
const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'andon-web-'))
  const renderer = join(dir, 'renderer')
  mkdirSync(join(renderer, 'assets'), { recursive: true })
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Andon</title>')
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(dir, 'secret.txt'), 'do not serve')
  shell = await startWebShell({ andon: fakeAndon, rendererDir: renderer, token: TOKEN })
})

afterAll(async () => {
  await shell.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('web shell', () => {
  it('prints a loopback URL carrying the token in the fragment only', () => {
    expect(shell.url).toBe(`http://127.0.0.1:${shell.port}/#token=${TOKEN}`)
  })

  it('generates a long random token when none is given', async () => {
    const other = await startWebShell({ andon: fakeAndon, rendererDir: dir })
    try {
      expect(other.token).toMatch(/^[\w-]{43}$/)
      expect(other.token).not.toBe(TOKEN)
    } finally {
      await other.close()
    }
  })

  it('refuses to bind anywhere but loopback', async () => {
    await expect(startWebShell({ andon: fakeAndon, rendererDir: dir, host: '0.0.0.0' })).rejects.toThrow(/127\.0\.0\.1 only/)
  })

  it('serves the page with a strict CSP and no-sniff', async () => {
    const res = await send(shell.port, { path: '/' })
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toContain('text/html')
    expect(res.headers['content-security-policy']).toContain("script-src 'self'")
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'")
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['referrer-policy']).toBe('no-referrer')
    const js = await send(shell.port, { path: '/assets/app.js' })
    expect(js.headers['content-type']).toContain('text/javascript')
  })

  it('never serves files outside the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt', '/../package.json']) {
      const res = await send(shell.port, { path })
      expect(res.status, path).toBe(404)
      expect(res.body).not.toContain('do not serve')
    }
  })

  it('answers 401 without the token or with a wrong one', async () => {
    const none = await send(shell.port, { method: 'POST', path: '/api/listLoops', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(none.status).toBe(401)
    const wrong = await send(shell.port, {
      method: 'POST',
      path: '/api/listLoops',
      headers: { authorization: `Bearer ${TOKEN}x`, 'content-type': 'application/json' },
      body: '{}'
    })
    expect(wrong.status).toBe(401)
  })

  it('runs a command with the token', async () => {
    const res = await send(shell.port, { method: 'POST', path: '/api/listLoops', headers: auth, body: '{}' })
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body)).toEqual([])
  })

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const res = await send(shell.port, { method: 'POST', path: '/api/listLoops', headers: { ...auth, host: `evil.example:${shell.port}` }, body: '{}' })
    expect(res.status).toBe(421)
    const page = await send(shell.port, { path: '/', headers: { host: 'evil.example' } })
    expect(page.status).toBe(421)
  })

  it('refuses a foreign Origin even with the token', async () => {
    const res = await send(shell.port, { method: 'POST', path: '/api/listLoops', headers: { ...auth, origin: 'http://evil.example' }, body: '{}' })
    expect(res.status).toBe(403)
    const ok = await send(shell.port, { method: 'POST', path: '/api/listLoops', headers: { ...auth, origin: `http://localhost:${shell.port}` }, body: '{}' })
    expect(ok.status).toBe(200)
  })

  it('answers 404 for an unknown command', async () => {
    const res = await send(shell.port, { method: 'POST', path: '/api/dropTables', headers: auth, body: '{}' })
    expect(res.status).toBe(404)
    expect(JSON.parse(res.body).error).toContain('dropTables')
  })

  it('answers 400 naming the field for bad input, and never calls the handler', async () => {
    const res = await send(shell.port, { method: 'POST', path: '/api/pauseLoop', headers: auth, body: JSON.stringify({ loopId: 'a b/../c' }) })
    expect(res.status).toBe(400)
    const body = JSON.parse(res.body)
    expect(body.issues).toEqual([expect.objectContaining({ path: 'loopId' })])
    expect(body.error).toContain('loopId')
    const extra = await send(shell.port, { method: 'POST', path: '/api/pauseLoop', headers: auth, body: JSON.stringify({ loopId: 'l1', evil: 1 }) })
    expect(extra.status).toBe(400)
    expect(calls).toEqual([])
  })

  it('passes parsed input (with defaults) to the handler', async () => {
    const res = await send(shell.port, { method: 'POST', path: '/api/pauseLoop', headers: auth, body: JSON.stringify({ loopId: 'l1' }) })
    expect(res.status).toBe(200)
    expect(calls).toEqual([{ name: 'pauseLoop', input: { loopId: 'l1', reason: '' } }])
  })

  it('rejects a body that is not JSON, or is too large', async () => {
    const bad = await send(shell.port, { method: 'POST', path: '/api/listLoops', headers: auth, body: '{nope' })
    expect(bad.status).toBe(400)
    const form = await send(shell.port, { method: 'POST', path: '/api/listLoops', headers: { ...auth, 'content-type': 'text/plain' }, body: '{}' })
    expect(form.status).toBe(415)
    const huge = await send(shell.port, { method: 'POST', path: '/api/validateSpec', headers: auth, body: JSON.stringify({ text: 'x'.repeat(3 * 1024 * 1024) }) })
    expect(huge.status).toBe(413)
  })

  it('maps handler errors to clear statuses without leaking stacks', async () => {
    const missing = await send(shell.port, { method: 'POST', path: '/api/getLoop', headers: auth, body: JSON.stringify({ loopId: 'nope' }) })
    expect(missing.status).toBe(404)
    expect(JSON.parse(missing.body).error).toBe('unknown loop nope')
    const conflict = await send(shell.port, { method: 'POST', path: '/api/resumeLoop', headers: auth, body: JSON.stringify({ loopId: 'l1' }) })
    expect(conflict.status).toBe(409)
    expect(JSON.parse(conflict.body).error).toContain('cannot resume')
    const spec = await send(shell.port, { method: 'POST', path: '/api/validateSpec', headers: auth, body: JSON.stringify({ text: 'x' }) })
    expect(spec.status).toBe(400)
    expect(JSON.parse(spec.body).issues).toEqual([{ path: 'name', message: 'required' }])
    const explicit = await send(shell.port, { method: 'POST', path: '/api/forkLoop', headers: auth, body: JSON.stringify({ loopId: 'l9', atVersion: 1 }) })
    expect(explicit.status).toBe(404)
    const bug = await send(shell.port, { method: 'POST', path: '/api/cancelLoop', headers: auth, body: JSON.stringify({ loopId: 'l1' }) })
    expect(bug.status).toBe(500)
    expect(bug.body).not.toContain('SECRET-STACK')
  })

  it('refuses the event socket without the token or from a foreign origin', async () => {
    const attempt = (url: string, headers: Record<string, string> = {}) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(url, { headers })
        ws.on('open', () => {
          ws.close()
          resolve('open')
        })
        ws.on('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`))
        ws.on('error', () => resolve('error'))
      })
    const base = `ws://127.0.0.1:${shell.port}/api/events`
    expect(await attempt(base)).toBe('refused 401')
    expect(await attempt(`${base}?token=wrong`)).toBe('refused 401')
    expect(await attempt(`${base}?token=${TOKEN}`, { origin: 'http://evil.example' })).toBe('refused 403')
  })

  async function openSocket(): Promise<{ ws: WebSocket; frames: unknown[] }> {
    const ws = new WebSocket(`ws://127.0.0.1:${shell.port}/api/events?token=${TOKEN}`, { headers: { origin: `http://127.0.0.1:${shell.port}` } })
    const frames: unknown[] = []
    ws.on('message', (data) => frames.push(JSON.parse(String(data))))
    await new Promise((resolve, reject) => {
      ws.once('open', resolve)
      ws.once('error', reject)
    })
    return { ws, frames }
  }
  const pushed = (loopId: string, version: number) => ({ kind: 'event', event: { type: 'Paused', loopId, version }, summary: { loopId } }) as unknown as PushMessage
  const push = (msg: PushMessage) => pushListeners.forEach((listener) => listener(msg))
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10))
  }

  it('pushes every core event to connected sockets', async () => {
    const { ws, frames } = await openSocket()
    push(pushed('l1', 3))
    await until(() => frames.length > 0)
    expect(frames).toEqual([[pushed('l1', 3)]])
    ws.close()
  })

  it('sends what the core pushes in one tick as one frame, every event in order; later pushes in later frames', async () => {
    const { ws, frames } = await openSocket()
    const burst = Array.from({ length: 600 }, (_, i) => pushed(`l${i % 20}`, i + 1))
    burst.forEach(push)
    await until(() => frames.flat().length >= burst.length)
    // A burst bigger than a frame's share is split, never reordered or dropped.
    expect(frames.length).toBe(3)
    expect(frames.flat()).toEqual(burst)
    push(pushed('l1', 601))
    await until(() => frames.length > 3)
    expect(frames.at(-1)).toEqual([pushed('l1', 601)])
    ws.close()
  })
})
