/**
 * The web shell in front of the real core (createAndon on a temp data dir): a loop launched over
 * HTTP streams its events over the WebSocket until it converges, and what was pushed matches
 * what the store returns afterwards.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import type { Andon } from '../../src/main/core/andon'
import { createAndon } from '../../src/main/core/create-andon'
import type { PushMessage } from '../../src/shared/contract'
import { startWebShell } from '../../src/main/web/server'
import type { WebShell } from '../../src/main/web/server'

let dir: string
let andon: Andon
let shell: WebShell

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'andon-web-core-'))
  mkdirSync(join(dir, 'renderer'))
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html>')
  andon = await createAndon({ dataDir: join(dir, 'data'), env: {} })
  shell = await startWebShell({ andon, rendererDir: join(dir, 'renderer') })
})

afterAll(async () => {
  await shell.close()
  await andon.close()
  rmSync(dir, { recursive: true, force: true })
})

async function call<T>(name: string, body: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`http://127.0.0.1:${shell.port}/api/${name}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${shell.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body)
  })
  return { status: res.status, json: (await res.json()) as T }
}

it('launches the example over HTTP and streams it to SUCCESS over the WebSocket', async () => {
  const ws = new WebSocket(`ws://127.0.0.1:${shell.port}/api/events?token=${shell.token}`)
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  const pushed: PushMessage[] = []
  const done = new Promise<void>((resolve) =>
    ws.on('message', (data) => {
      for (const msg of JSON.parse(String(data)) as PushMessage[]) {
        pushed.push(msg)
        if (msg.event.type === 'Terminated') resolve()
      }
    })
  )
  const specs = await call<{ id: string; name: string }[]>('listSpecs', {})
  const spec = specs.json.find((s) => s.name === 'fix-the-tests')
  expect(spec).toBeDefined()
  const launched = await call<{ loopId: string }>('launchLoop', { specId: spec!.id })
  expect(launched.status).toBe(200)
  await done
  ws.close()

  const mine = pushed.filter((m) => m.event.loopId === launched.json.loopId)
  expect(mine.at(-1)?.summary.terminationReason).toBe('SUCCESS')
  const versions = mine.map((m) => m.event.version)
  expect(versions).toEqual(versions.map((_, i) => i + 1))
  const stored = await call<{ events: { version: number }[]; next: number | null }>('getEvents', { loopId: launched.json.loopId })
  expect(stored.json.events.map((e) => e.version)).toEqual(versions)
  expect(stored.json.next).toBeNull()
})

it('refuses a malformed spec with the field named', async () => {
  const res = await call<{ error: string; issues?: { path: string }[] }>('launchLoop', { specText: 'name: x\ntask: t\npolicy: { kind: nope }' })
  expect(res.status).toBe(400)
  expect(res.json.issues?.map((i) => i.path)).toContain('policy.kind')
})
