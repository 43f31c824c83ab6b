/**
 * Commands a loop runs (run_command, verify) cannot reach past the sandbox: every test here is an
 * escape attempt a hostile command could make, run through the real tool on this machine's
 * bubblewrap, and asserted from outside.
 */
import { existsSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { sandboxStatus, whyNoSandbox } from '../../src/main/core/sandbox/status'
import { stopSandboxNetwork } from '../../src/main/core/sandbox/runtime'
import { runCommandTool, verifyTool } from '../../src/main/core/tools/shell'
import type { ToolResult } from '../../src/main/core/tools/tool'
import { SandboxSpec, type SandboxSpec as Sandbox } from '../../src/shared/spec'
import { TraceStore } from '../../src/main/core/store/trace-store'
import { killCrashChildren, runUntilKill } from '../support/crash'
import { spec } from '../support/specs'
import { tempDirsPerTest } from '../support/temp-per-test'
import { toolContext } from '../support/tool-context'
import { processesMentioning } from '../support/processes'

const fresh = tempDirsPerTest()
afterEach(() => killCrashChildren())

interface Run extends ToolResult {
  output: string
}

async function run(command: string, workspace: string, opts: { sandbox?: Partial<Sandbox>; timeoutMs?: number; signal?: AbortSignal; secrets?: Record<string, string> } = {}): Promise<Run> {
  const emitted: string[] = []
  const ctx = toolContext(workspace, emitted, {
    signal: opts.signal ?? new AbortController().signal,
    secrets: opts.secrets ?? {},
    sandbox: SandboxSpec.parse(opts.sandbox ?? {})
  })
  const r = await runCommandTool.run({ command, timeoutMs: opts.timeoutMs ?? 20_000 }, ctx)
  return { ...r, output: emitted.join('') }
}


async function goneWithin(marker: string, ms: number): Promise<number[]> {
  const end = Date.now() + ms
  while (processesMentioning(marker).length > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50))
  return processesMentioning(marker)
}

describe.runIf(process.platform === 'linux')('the command sandbox', () => {
  let server: Server
  let port = 0
  let hits = 0
  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits++
      res.end('hello-from-the-host')
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    port = (server.address() as AddressInfo).port
  })
  afterAll(async () => {
    await stopSandboxNetwork()
    await new Promise((r) => server.close(r))
  })

  it('starts on this machine (bubblewrap is installed and can make its namespaces)', async () => {
    expect(await sandboxStatus()).toEqual({ available: true, reason: null })
  })

  it('writes only inside the workspace and the paths the spec opens, never through a symlink out', async () => {
    const ws = fresh('andon-ws-')
    const outside = fresh('andon-outside-')
    const opened = fresh('andon-opened-')
    symlinkSync(outside, join(ws, 'out-link'))
    const stray = join(tmpdir(), `andon-stray-${process.pid}-${Date.now()}.txt`)
    try {
      const r = await run(
        `echo x > ${outside}/direct.txt; echo x > out-link/through-link.txt; echo x > ${stray}; echo x > ${opened}/opened.txt; echo x > inside.txt`,
        ws,
        { sandbox: { allowWrite: [opened] } }
      )
      expect(readdirSync(outside)).toEqual([])
      expect(existsSync(stray)).toBe(false)
      expect(r.output).toMatch(/Read-only file system/)
      expect(readFileSync(join(ws, 'inside.txt'), 'utf8')).toBe('x\n')
      expect(readFileSync(join(opened, 'opened.txt'), 'utf8')).toBe('x\n')
    } finally {
      rmSync(stray, { force: true })
    }
  })

  it("sees its own clean environment, never the control room's (not through /proc/$PPID/environ, any /proc/*/environ, nor encoded)", async () => {
    // A real control room whose own environment (fixed when it started) holds a key.
    const dataDir = fresh('andon-data-')
    const marker = `andon-marker-${process.pid}-${Date.now()}`
    process.env.ANDON_TEST_CONTROL_ROOM_KEY = marker
    let loopId: string
    try {
      // Each environment the command can find, base64 on one line, as a key would be smuggled out.
      const leak = 'for f in /proc/$PPID/environ /proc/[0-9]*/environ; do base64 -w0 "$f" 2>/dev/null; echo; done; env | base64 -w0; echo'
      const s = spec({
        policy: { kind: 'rules', rules: [{ name: 'leak', when: { start: true }, then: { tool: 'run_command', args: { command: leak } } }] },
        secrets: ['DECLARED_TOKEN']
      })
      ;({ loopId } = await runUntilKill(dataDir, JSON.stringify(s), /ToolFinished/, { DECLARED_TOKEN: 'declared-value' }))
    } finally {
      delete process.env.ANDON_TEST_CONTROL_ROOM_KEY
    }
    const store = new TraceStore({ path: join(dataDir, 'andon.db') })
    const events = store.readStream(loopId)
    store.close()
    const output = events.flatMap((e) => (e.type === 'ToolOutput' && e.data.stream === 'stdout' ? [e.data.chunk] : [])).join('')
    expect(events.find((e) => e.type === 'ToolFinished')).toMatchObject({ data: { ok: true } })
    const seen = output
      .split('\n')
      .filter(Boolean)
      .map((line) => Buffer.from(line, 'base64').toString('utf8'))
      .join('\n')
    // What the command should see: its HOME, the secret the spec declared.
    expect(seen).toMatch(/HOME=\S*workspaces/)
    expect(seen).toContain('DECLARED_TOKEN=')
    // Nothing of the control room's own environment: not the key, not even a variable's name.
    expect(seen).not.toContain(marker)
    expect(seen).not.toContain('ANDON_TEST_CONTROL_ROOM_KEY')
    expect(seen).not.toContain('CRASH_CHILD_ENV')
    expect(output).not.toContain(marker)
  })

  it('reaches no network: a server on 127.0.0.1 is not reached, and neither is the verify command', async () => {
    const ws = fresh('andon-ws-')
    const get = `node -e "require('http').get('http://127.0.0.1:${port}/', (r) => r.pipe(process.stdout)).on('error', (e) => { console.log('failed: ' + e.code); process.exit(3) })"`
    const before = hits
    const r = await run(get, ws)
    const emitted: string[] = []
    const v = await verifyTool.run({}, toolContext(ws, emitted, { verifyCommand: get }))
    const output = emitted.join('')
    expect(r).toMatchObject({ ok: false, exitCode: 3 })
    expect(r.output).toMatch(/failed: E/)
    expect(v).toMatchObject({ ok: false, exitCode: 3 })
    expect(output).not.toContain('hello-from-the-host')
    expect(hits).toBe(before)
  })

  it("reaches the spec's allowDomains, and only those, through the sandbox's proxy", async () => {
    const ws = fresh('andon-ws-')
    const sandbox = { allowDomains: ['localhost'] }
    const missing = await whyNoSandbox(SandboxSpec.parse(sandbox))
    if (missing) {
      // Without the proxy's bridge (socat) the spec cannot have its domains: its commands are refused.
      const r = await run('echo ran > ran.txt', ws, { sandbox })
      expect(r.summary).toMatch(/refused: .*socat/)
      expect(readdirSync(ws)).toEqual([])
      return
    }
    writeFileSync(
      join(ws, 'fetch.js'),
      `const http = require('http')
const proxy = new URL(process.env.HTTP_PROXY)
const auth = Buffer.from(decodeURIComponent(proxy.username) + ':' + decodeURIComponent(proxy.password)).toString('base64')
const get = (url) => new Promise((resolve) => {
  const req = http.request({ host: proxy.hostname, port: proxy.port, path: url, headers: { host: new URL(url).host, 'proxy-authorization': 'Basic ' + auth } }, (res) => {
    let body = ''
    res.on('data', (d) => (body += d))
    res.on('end', () => resolve(res.statusCode + ' ' + body))
  })
  req.on('error', (e) => resolve('error ' + e.code))
  req.end()
})
;(async () => {
  console.log('named: ' + (await get('http://localhost:${port}/')))
  console.log('other: ' + (await get('http://127.0.0.1:${port}/')))
})()
`
    )
    const before = hits
    const r = await run('node fetch.js', ws, { sandbox })
    expect(r.output).toContain('named: 200 hello-from-the-host')
    expect(r.output).toMatch(/other: 403/)
    expect(hits).toBe(before + 1)
  })

  it('ends everything a command started, a setsid child too, on timeout and on cancel', async () => {
    const ws = fresh('andon-ws-')
    const survivor = (marker: string) => `setsid sleep ${marker} </dev/null >/dev/null 2>&1 & sleep 30`
    const timedOut = await run(survivor('54.3211'), ws, { timeoutMs: 800 })
    expect(timedOut.summary).toMatch(/timed out after 800 ms/)
    const abort = new AbortController()
    const cancelled = run(survivor('54.3212'), ws, { signal: abort.signal })
    setTimeout(() => abort.abort(), 800)
    expect((await cancelled).summary).toMatch(/cancelled/)
    const left = [...(await goneWithin('54.3211', 2000)), ...(await goneWithin('54.3212', 2000))]
    for (const pid of left) process.kill(pid, 'SIGKILL')
    expect(left).toEqual([])
  })
})
