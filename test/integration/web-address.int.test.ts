/**
 * The web shell's stable address: a restart on the same data dir serves the same port and token
 * (so an open tab reconnects), the address file is the owner's alone and written without following
 * what lies in the folder, a taken port is replaced with a new token (the old one must not reach
 * whatever holds that port) and said so, ANDON_PORT wins, and `andon web-token --rotate` retires
 * the old token at the next start.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { main } from '../../src/cli/main'
import type { Io } from '../../src/cli/io'
import type { Andon } from '../../src/main/core/andon'
import { createAndon } from '../../src/main/core/create-andon'
import { writeAddress } from '../../src/main/web/address'
import type { WebShell } from '../../src/main/web/server'
import { startStableWebShell } from '../../src/main/web/stable-shell'
import { tempDir } from '../support/temp-andon'

let root: string
let dataDir: string
let rendererDir: string
let running: { andon: Andon; shell: WebShell } | null = null
let warnings: string[] = []

beforeEach(() => {
  root = tempDir('andon-address-')
  dataDir = join(root, 'data')
  rendererDir = join(root, 'renderer')
  mkdirSync(rendererDir)
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>')
  warnings = []
})

afterEach(async () => {
  await stop()
  rmSync(root, { recursive: true, force: true })
})

/** Start the core and the web shell as `npm start -- --web` does. */
async function start(port?: number): Promise<WebShell> {
  const andon = await createAndon({ dataDir, env: {} })
  try {
    const shell = await startStableWebShell({ andon, rendererDir, dataDir, port, warn: (line) => warnings.push(line) })
    running = { andon, shell }
    return shell
  } catch (err) {
    await andon.close()
    throw err
  }
}

async function stop(): Promise<void> {
  if (!running) return
  await running.shell.close()
  await running.andon.close()
  running = null
}

async function listLoops(port: number, token: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/api/listLoops`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}'
  })
  await res.text()
  return res.status
}

function socketOpens(port: number, token: string): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/events?token=${encodeURIComponent(token)}`)
    ws.once('open', () => {
      ws.close()
      resolve(true)
    })
    ws.once('error', () => resolve(false))
  })
}

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), status: () => undefined, isTTY: false, env: {}, cwd: root }
  const code = await main(args, io)
  return { code, out: out.join('\n'), err: err.join('\n') }
}

function takePort(port = 0): Promise<Server> {
  const server = createServer()
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve(server))
  })
}

const savedFile = () => join(dataDir, 'web-shell.json')

describe('a restart on the same data dir', () => {
  it('serves the same port and token, so a tab open at the old address carries on', async () => {
    const first = await start()
    expect(await listLoops(first.port, first.token)).toBe(200)
    await stop()

    const second = await start()
    expect(second.port).toBe(first.port)
    expect(second.token).toBe(first.token)
    expect(second.url).toBe(first.url)
    expect(await listLoops(first.port, first.token)).toBe(200)
    expect(await socketOpens(first.port, first.token)).toBe(true)
    expect(warnings).toEqual([])
  })

  it('keeps the address in a file only its owner can read', async () => {
    const shell = await start()
    expect(statSync(savedFile()).mode & 0o777).toBe(0o600)
    expect(JSON.parse(readFileSync(savedFile(), 'utf8'))).toEqual({ port: shell.port, token: shell.token })
  })

  it('moves to another port with a new token when the saved one is taken, and says so', async () => {
    const first = await start()
    await stop()
    const squatter = await takePort(first.port)
    try {
      const second = await start()
      expect(second.port).not.toBe(first.port)
      // Tabs still send the old token to the saved port, where another program now listens.
      expect(second.token).not.toBe(first.token)
      expect(await listLoops(second.port, first.token)).toBe(401)
      expect(await listLoops(second.port, second.token)).toBe(200)
      expect(warnings.join('\n')).toContain(`Port ${first.port} (saved in ${savedFile()}) is taken by another program; serving on ${second.port} instead, with a new token`)
      expect(JSON.parse(readFileSync(savedFile(), 'utf8'))).toEqual({ port: second.port, token: second.token })
    } finally {
      squatter.close()
    }
  })

  it('writes the address through neither a symlink nor a file left in the folder', async () => {
    mkdirSync(dataDir)
    const elsewhere = join(root, 'elsewhere.txt')
    writeFileSync(elsewhere, 'not yours\n', { mode: 0o644 })
    // The names a fixed temp file would take.
    symlinkSync(elsewhere, join(dataDir, 'web-shell.json.tmp'))
    writeFileSync(join(dataDir, 'web-shell.json.tmp.tmp'), '', { mode: 0o644 })
    const shell = await start()
    expect(readFileSync(elsewhere, 'utf8')).toBe('not yours\n')
    expect(statSync(elsewhere).mode & 0o777).toBe(0o644)
    expect(JSON.parse(readFileSync(savedFile(), 'utf8'))).toEqual({ port: shell.port, token: shell.token })
    expect(statSync(savedFile()).mode & 0o777).toBe(0o600)
    writeAddress(dataDir, { port: shell.port, token: shell.token })
    // No temp file of its own is left behind.
    expect(readdirSync(dataDir).filter((name) => name.startsWith('web-shell.json')).sort()).toEqual(['web-shell.json', 'web-shell.json.tmp', 'web-shell.json.tmp.tmp'])
  })
})

describe('ANDON_PORT', () => {
  it('wins over the saved port with a new token, says so, and the next start keeps both', async () => {
    const first = await start()
    await stop()
    const free = await takePort()
    const wanted = (free.address() as AddressInfo).port
    await new Promise((r) => free.close(r))
    const second = await start(wanted)
    expect(second.port).toBe(wanted)
    expect(second.token).not.toBe(first.token)
    expect(warnings.join('\n')).toContain(`Serving on ANDON_PORT ${wanted} instead of the saved port ${first.port}, with a new token`)
    await stop()
    const third = await start()
    expect({ port: third.port, token: third.token }).toEqual({ port: wanted, token: second.token })
  })

  it('that is the saved port keeps the token', async () => {
    const first = await start()
    await stop()
    const second = await start(first.port)
    expect({ port: second.port, token: second.token }).toEqual({ port: first.port, token: first.token })
    expect(warnings).toEqual([])
  })

  it('that is taken is an error naming it, not a silent move', async () => {
    const squatter = await takePort()
    const port = (squatter.address() as AddressInfo).port
    try {
      await expect(start(port)).rejects.toThrow(`ANDON_PORT ${port} is taken by another program`)
    } finally {
      squatter.close()
    }
  })
})

describe('andon web-token', () => {
  it('prints the URL the web shell serves', async () => {
    const shell = await start()
    const res = await cli('web-token', '--data-dir', dataDir)
    expect(res).toMatchObject({ code: 0, out: shell.url })
  })

  it('--rotate gives a new token; after the restart the old one is refused with 401', async () => {
    const first = await start()
    const rotated = await cli('web-token', '--rotate', '--data-dir', dataDir)
    expect(rotated.code).toBe(0)
    const token = /#token=(\S+)$/.exec(rotated.out)?.[1]
    expect(rotated.out).toBe(`http://127.0.0.1:${first.port}/#token=${token}`)
    expect(token).not.toBe(first.token)
    expect(rotated.err).toContain('takes it when it restarts')
    expect(statSync(savedFile()).mode & 0o777).toBe(0o600)
    // Until the restart the running shell still answers the old token, as the command said.
    expect(await listLoops(first.port, first.token)).toBe(200)
    await stop()

    const second = await start()
    expect(second.port).toBe(first.port)
    expect(second.token).toBe(token)
    expect(await listLoops(second.port, first.token)).toBe(401)
    expect(await socketOpens(second.port, first.token)).toBe(false)
    expect(await listLoops(second.port, token as string)).toBe(200)
  })

  it('--loop prints a link to that loop carrying the token, and refuses an unknown loop', async () => {
    const shell = await start()
    const specs = await running!.andon.handlers.listSpecs({})
    const spec = specs.find((s) => s.name === 'stuck-needs-a-hint')
    const { loopId } = await running!.andon.handlers.launchLoop({ specId: spec!.id, overrides: {} })
    const link = await cli('web-token', '--loop', loopId, '--data-dir', dataDir)
    expect(link).toMatchObject({ code: 0, out: `http://127.0.0.1:${shell.port}/#/loop/${encodeURIComponent(loopId)}/timeline?token=${shell.token}` })
    const unknown = await cli('web-token', '--loop', 'no-such-loop', '--data-dir', dataDir)
    expect(unknown.code).toBe(3)
    expect(unknown.err).toContain('no loop with id no-such-loop')
  })

  it('says where to start a web shell when none has served from the data dir', async () => {
    mkdirSync(dataDir)
    const res = await cli('web-token', '--data-dir', dataDir)
    expect(res.code).toBe(3)
    expect(res.err).toContain(`no web shell address in ${dataDir}`)
  })

  it('repairs a damaged address file that stops the web shell from starting', async () => {
    mkdirSync(dataDir)
    writeFileSync(savedFile(), '{"port": "eighty", "token": "short"}')
    await expect(start()).rejects.toThrow(/web-shell\.json is not a web shell address \(port: .*; token: a token is at least 32 URL-safe characters\): run `andon web-token --rotate/)
    const rotated = await cli('web-token', '--rotate', '--data-dir', dataDir)
    expect(rotated.code).toBe(0)
    expect(rotated.err).toContain('no web shell has served')
    const shell = await start()
    expect(shell.token).toBe(JSON.parse(readFileSync(savedFile(), 'utf8')).token)
  })

  it('says a file that is not JSON is damaged without quoting it, since it may hold the token', async () => {
    mkdirSync(dataDir)
    const secret = 'Zq8xKp3vLw9nRt5yHb2mJc7dFg4sAe6uXo1iNk0'
    writeFileSync(savedFile(), `${secret} {"port": 4242}`)
    const failure = start()
    await expect(failure).rejects.toThrow(`${savedFile()} is not JSON: run \`andon web-token --rotate`)
    await expect(failure).rejects.not.toThrow(secret.slice(0, 6))
  })
})
