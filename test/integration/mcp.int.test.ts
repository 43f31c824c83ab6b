/**
 * MCP tool servers as loop tools, through McpToolset against real servers: the stdio server in
 * test/support/mcp-server.mjs started in this machine's sandbox, and a streamable HTTP server
 * in this process. Processes left behind are looked for in /proc, from outside the sandbox.
 */
import { randomUUID } from 'node:crypto'
import { getEventListeners } from 'node:events'
import { existsSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js'
import { afterEach, describe, expect, it } from 'vitest'
import { McpToolset } from '../../src/main/core/tools/mcp'
import type { AnyTool, ToolContext } from '../../src/main/core/tools/tool'
import type { StoredEvent } from '../../src/shared/events'
import { McpServerSpec, SandboxSpec, type LoopSpecInput, type McpServerSpec as ServerSpec } from '../../src/shared/spec'
import { toolUse } from '../support/scripted-server'
import { scriptedServerPerFile } from '../support/scripted-server/per-file'
import { spec } from '../support/specs'
import { tempAndon, until } from '../support/temp-andon'
import { tempDirsPerTest } from '../support/temp-per-test'
import { toolContext } from '../support/tool-context'
import { processesMentioning } from '../support/processes'
import { killCrashChildren, runUntilKill } from '../support/crash'

const fresh = tempDirsPerTest('andon-mcp-')
const KEY = 'sk-ant-mcp-5ecret-0123456789abcdef'
const scripted = scriptedServerPerFile(KEY)
const NOTES_SERVER = join(__dirname, '..', 'support', 'mcp-server.mjs')

const opened: McpToolset[] = []
afterEach(async () => {
  killCrashChildren()
  await Promise.all(opened.splice(0).map((s) => s.close()))
})

/** The notes server as a spec lists it; `marker` makes its processes findable in /proc. */
function notesServer(marker: string, over: Partial<ServerSpec> = {}): ServerSpec {
  return McpServerSpec.parse({ name: 'notes', command: process.execPath, args: [NOTES_SERVER, marker], ...over })
}

function toolset(servers: ServerSpec[], workspace: string, secrets: Record<string, string> = {}): McpToolset {
  const set = new McpToolset(servers, { workspace, secrets, sandbox: SandboxSpec.parse({}) })
  opened.push(set)
  return set
}

async function openNotes(over: Partial<ServerSpec> = {}) {
  const workspace = fresh()
  const marker = `mcp-test-${randomUUID()}`
  const set = toolset([notesServer(marker, over)], workspace)
  await set.open()
  const tool = (name: string): AnyTool => set.tools().find((t) => t.name === `mcp__notes__${name}`)!
  const emitted: string[] = []
  const call = (name: string, args: Record<string, unknown> = {}, extra: Partial<ToolContext> = {}) => tool(name).run(args, toolContext(workspace, emitted, extra))
  return { set, workspace, marker, tool, call, emitted }
}


describe.runIf(process.platform === 'linux')('MCP tool servers (stdio, in the sandbox)', () => {
  it("lists every tool (across the server's pages) as mcp__notes__<tool>, with risk and idempotence from its annotations", async () => {
    const { set } = await openNotes()
    const tools = Object.fromEntries(set.tools().map((t) => [t.name, { risk: t.risk, idempotent: t.idempotent }]))
    expect(tools).toEqual({
      mcp__notes__read_note: { risk: 'low', idempotent: true },
      mcp__notes__delete_note: { risk: 'high', idempotent: false },
      mcp__notes__tag_note: { risk: 'medium', idempotent: true },
      mcp__notes__plain: { risk: 'medium', idempotent: false },
      mcp__notes__fail: { risk: 'medium', idempotent: false },
      mcp__notes__crash: { risk: 'medium', idempotent: false },
      mcp__notes__hang: { risk: 'medium', idempotent: false }
    })
    const read = set.tools().find((t) => t.name === 'mcp__notes__read_note')!
    expect(read.description).toBe('Read a note.')
    expect(read.inputSchema).toEqual({ type: 'object', properties: { name: { type: 'string', pattern: '^[a-z0-9-]+\\.txt$' } }, required: ['name'], additionalProperties: false })
  })

  it("the spec's per-tool overrides win over the annotations", async () => {
    const { tool } = await openNotes({ tools: { read_note: { risk: 'high' }, plain: { idempotent: true } } })
    expect([tool('read_note').risk, tool('read_note').idempotent]).toEqual(['high', true])
    expect([tool('plain').risk, tool('plain').idempotent]).toEqual(['medium', true])
  })

  it("checks a call's input against the server's schema, and a good call reads the note in the workspace", async () => {
    const { tool, call, workspace, emitted } = await openNotes()
    const input = tool('read_note').input
    const missing = input.safeParse({})
    expect(missing.success).toBe(false)
    expect(missing.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['name', 'required']])
    expect(input.safeParse({ name: '../secret.txt' }).success).toBe(false)
    expect(input.safeParse({ name: 'a.txt', extra: 1 }).success).toBe(false)
    expect(input.safeParse({ name: 'a.txt' }).success).toBe(true)

    writeFileSync(join(workspace, 'a.txt'), 'first note\n')
    const r = await call('read_note', { name: 'a.txt' })
    expect(r).toEqual({ ok: true, exitCode: 0, summary: 'mcp__notes__read_note: ok', excerpt: 'first note\n', outputBytes: 11, truncated: false })
    expect(emitted).toEqual(['first note\n'])
  })

  it('a destructive tool does its work in the workspace (the sandbox lets the server write there)', async () => {
    const { call, workspace } = await openNotes()
    writeFileSync(join(workspace, 'b.txt'), 'doomed')
    expect((await call('delete_note', { name: 'b.txt' })).ok).toBe(true)
    expect(existsSync(join(workspace, 'b.txt'))).toBe(false)
  })

  it("a result the server marks isError is a failed call carrying the server's text", async () => {
    const { call } = await openNotes()
    const r = await call('fail')
    expect(r).toMatchObject({ ok: false, exitCode: 1, summary: 'mcp__notes__fail: error: the note store is locked', excerpt: 'the note store is locked' })
  })

  it('a call with no answer within timeoutMs fails within moments, and the server still answers the next one', async () => {
    const { call } = await openNotes({ timeoutMs: 500 })
    const started = Date.now()
    const r = await call('hang')
    expect(Date.now() - started).toBeLessThan(4000)
    expect(r).toEqual({ ok: false, exitCode: null, summary: 'mcp__notes__hang: no answer in 500 ms', excerpt: '' })
    expect(await call('plain')).toMatchObject({ ok: true, excerpt: 'hello from plain' })
  })

  it("a cancelled call ends at once (the call's signal reaches the request)", async () => {
    const { call } = await openNotes()
    const cancel = new AbortController()
    setTimeout(() => cancel.abort(), 200)
    const started = Date.now()
    const r = await call('hang', {}, { signal: cancel.signal })
    expect(Date.now() - started).toBeLessThan(4000)
    expect(r).toMatchObject({ ok: false, exitCode: null, summary: 'mcp__notes__hang: cancelled' })
  })

  it("calls leave nothing on the loop's signal: a cancel long after them reaches no finished call", async () => {
    const { call } = await openNotes()
    const loopSignal = new AbortController().signal
    for (let i = 0; i < 12; i++) expect(await call('plain', {}, { signal: loopSignal })).toMatchObject({ ok: true })
    expect(getEventListeners(loopSignal, 'abort')).toEqual([])
  })

  it('a server that dies mid-call fails the call naming the server and what it said; the next call starts it again', async () => {
    const { call, marker } = await openNotes()
    const before = processesMentioning(marker)
    const r = await call('crash')
    expect(r.ok).toBe(false)
    expect(r.exitCode).toBeNull()
    expect(r.summary).toMatch(/^mcp__notes__crash: MCP server "notes" \(mcp\.0\) ended during the call \(exit 3\); it said: [^]*notes server: crashing on purpose$/)
    expect(processesMentioning(marker).filter((p) => before.includes(p))).toEqual([])

    expect(await call('plain')).toMatchObject({ ok: true, exitCode: 0, excerpt: 'hello from plain' })
    expect(processesMentioning(marker).length).toBeGreaterThan(0)
  })

  it('a server that will not start again fails the next call saying so, and each later call tries again', async () => {
    const { call, workspace } = await openNotes()
    expect((await call('crash', { stay_down: true })).ok).toBe(false)
    const r = await call('plain')
    expect(r).toMatchObject({ ok: false, exitCode: null })
    expect(r.summary).toBe(
      'mcp__notes__plain: MCP server "notes" (mcp.0) ended earlier (exit 3) and did not start again: it ended (exit 1); it said: notes server: told to stay down'
    )
    rmSync(join(workspace, 'notes-server.down'))
    expect(await call('plain')).toMatchObject({ ok: true, excerpt: 'hello from plain' })
  })

  it('close() leaves no process of the server behind (the sandbox, its shell and the server itself)', async () => {
    const { set, marker, call } = await openNotes({ timeoutMs: 300 })
    // A server busy with a call that never ends still goes.
    await call('hang')
    expect(processesMentioning(marker).length).toBeGreaterThan(0)
    await set.close()
    expect(processesMentioning(marker)).toEqual([])
    expect(set.tools()).toEqual([])
  })

  it('close() while a server is still starting ends it too, and that open() rejects at once', async () => {
    const marker = `mcp-test-${randomUUID()}`
    const set = toolset([notesServer(marker)], fresh())
    // Settled into a value at once: it rejects while close() is awaited, before an assertion could attach to it.
    const opening = set.open().then(() => null, (err: Error) => err)
    // Its processes are there well before node has started: the server then reads the client's
    // hello and its input's end at once, and answers while it is being closed.
    await until(() => processesMentioning(marker).length > 0, 10_000, 'the server to start')
    const started = Date.now()
    await set.close()
    expect((await opening)?.message).toBe('MCP server "notes" (mcp.0) did not start: closed while starting')
    expect(Date.now() - started).toBeLessThan(5000)
    expect(processesMentioning(marker)).toEqual([])
    expect(set.tools()).toEqual([])
  })

  it("a server's env gets the loop's secrets where it names them", async () => {
    const workspace = fresh()
    const set = toolset([notesServer(`mcp-test-${randomUUID()}`, { env: { NOTES_GREETING: 'the ${VAULT} vault' } })], workspace, { VAULT: 'team' })
    await set.open()
    const plain = set.tools().find((t) => t.name === 'mcp__notes__plain')!
    expect(await plain.run({}, toolContext(workspace))).toMatchObject({ ok: true, excerpt: 'hello from the team vault' })
  })

  it('a server command that does not exist fails open() naming the server, and the servers that did start are closed', async () => {
    const workspace = fresh()
    const marker = `mcp-test-${randomUUID()}`
    const set = toolset([notesServer(marker), McpServerSpec.parse({ name: 'ghost', command: '/nonexistent/mcp-server' })], workspace)
    await expect(set.open()).rejects.toThrow(/^MCP server "ghost" \(mcp\.1\) did not start: it ended \(exit 127\); it said: .*\/nonexistent\/mcp-server: not found/)
    expect(processesMentioning(marker)).toEqual([])
    expect(set.tools()).toEqual([])
  })

  it('a server that does not answer within startTimeoutMs fails open() saying so, and is killed (it ignores its input ending)', async () => {
    const marker = `mcp-test-${randomUUID()}`
    const mute = McpServerSpec.parse({ name: 'mute', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)', marker], startTimeoutMs: 1000 })
    const set = toolset([mute], fresh())
    const started = Date.now()
    await expect(set.open()).rejects.toThrow('MCP server "mute" (mcp.0) did not start: no answer within 1000 ms')
    expect(Date.now() - started).toBeLessThan(5000)
    expect(processesMentioning(marker)).toEqual([])
  })

  it('an env value naming a secret the loop does not have fails open() naming the field, before any server starts', async () => {
    const workspace = fresh()
    const marker = `mcp-test-${randomUUID()}`
    const set = toolset([notesServer(marker), notesServer(marker, { name: 'other', env: { TOKEN: '${GITHUB_TOKEN}' } })], workspace, { OTHER: 'x' })
    await expect(set.open()).rejects.toThrow(/^mcp\.1\.env\.TOKEN: \$\{GITHUB_TOKEN\} is not a secret this loop has/)
    expect(processesMentioning(marker)).toEqual([])
  })

  it('an override naming a tool the server does not have fails open() saying which', async () => {
    const workspace = fresh()
    const set = toolset([notesServer(`mcp-test-${randomUUID()}`, { tools: { raed_note: { risk: 'low' } } })], workspace)
    await expect(set.open()).rejects.toThrow(/^mcp\.0\.tools\.raed_note: MCP server "notes" \(mcp\.0\) has no tool by that name/)
  })
})

/** A streamable HTTP MCP server with one tool, `whoami`, that only answers the right bearer token. */
async function httpServer(token: string): Promise<{ url: string; close(): Promise<void> }> {
  const mcp = new Server({ name: 'web', version: '1.0.0' }, { capabilities: { tools: {} } })
  mcp.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: [{ name: 'who.am-i', description: 'Who the caller is.', inputSchema: { type: 'object', properties: {} }, annotations: { readOnlyHint: true } }]
  }))
  mcp.setRequestHandler(CallToolRequestSchema, () => ({ content: [], structuredContent: { user: 'andon' } }))
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID() })
  await mcp.connect(transport)
  const http: HttpServer = createServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${token}`) return void res.writeHead(401).end()
    void transport.handleRequest(req, res)
  })
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`,
    close: async () => {
      await mcp.close()
      http.closeAllConnections()
      await new Promise((r) => http.close(r))
    }
  }
}

describe('MCP tool servers (streamable HTTP)', () => {
  it('reaches the server with the secret filled into its headers; structured content is the output when there is no text', async () => {
    const server = await httpServer('tok-123')
    try {
      const workspace = fresh()
      const set = toolset([McpServerSpec.parse({ name: 'web', url: server.url, headers: { Authorization: 'Bearer ${WEB_TOKEN}' } })], workspace, { WEB_TOKEN: 'tok-123' })
      await set.open()
      expect(set.tools().map((t) => [t.name, t.risk])).toEqual([['mcp__web__who_am-i', 'low']])
      const r = await set.tools()[0].run({}, toolContext(workspace))
      expect(r).toMatchObject({ ok: true, exitCode: 0, excerpt: '{\n  "user": "andon"\n}' })
      await set.close()
    } finally {
      await server.close()
    }
  })

  it('a server nothing listens for fails open() naming the server and why', async () => {
    // A port that was free a moment ago.
    const probe = createServer()
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r))
    const port = (probe.address() as AddressInfo).port
    await new Promise((r) => probe.close(r))
    const set = toolset([McpServerSpec.parse({ name: 'web', url: `http://127.0.0.1:${port}/mcp` })], fresh())
    await expect(set.open()).rejects.toThrow(`MCP server "web" (mcp.0) did not start: fetch failed (connect ECONNREFUSED 127.0.0.1:${port})`)
  })

  it('a wrong token fails open() naming the server', async () => {
    const server = await httpServer('tok-123')
    try {
      const set = toolset([McpServerSpec.parse({ name: 'web', url: server.url, headers: { Authorization: 'Bearer ${WEB_TOKEN}' } })], fresh(), { WEB_TOKEN: 'wrong' })
      await expect(set.open()).rejects.toThrow(/^MCP server "web" \(mcp\.0\) did not start: Streamable HTTP error: Error POSTing to endpoint \(HTTP 401\)$/)
    } finally {
      await server.close()
    }
  })
})

describe.runIf(process.platform === 'linux')('loops with MCP tools (through createAndon)', () => {
  let andon: Awaited<ReturnType<typeof tempAndon>> | null = null
  afterEach(async () => {
    await andon?.cleanup()
    andon = null
  })

  /** A loop over a workspace holding todo.txt, with the notes server (args end with a marker for /proc). */
  async function launch(input: Partial<LoopSpecInput> & Pick<LoopSpecInput, 'policy'>, server: Partial<ServerSpec> = {}) {
    andon ??= await tempAndon({ env: { ANTHROPIC_API_KEY: KEY, ...scripted.server.allowAnthropic } })
    const template = fresh()
    writeFileSync(join(template, 'todo.txt'), 'buy milk\n')
    const marker = `mcp-test-${randomUUID()}`
    const s = spec({ workspace: template, mcp: [{ name: 'notes', command: process.execPath, args: [NOTES_SERVER, marker], ...server }], ...input })
    const loopId = await andon.supervisor.launch(s)
    await andon.supervisor.settled(loopId)
    return { loopId, marker, a: andon, events: () => andon!.store.readStream(loopId) }
  }

  const proposals = (events: StoredEvent[]) =>
    events.flatMap((e) => (e.type === 'ActionProposed' ? [{ tool: e.data.action.tool, risk: e.data.risk, needsApproval: e.data.needsApproval }] : []))
  const observations = (events: StoredEvent[]) => events.flatMap((e) => (e.type === 'Observed' ? [e.data.observation] : []))

  it('a rules loop calls MCP tools: read_note (low) runs at once, delete_note (high) waits for approval, then verify passes', async () => {
    const { loopId, marker, a, events } = await launch({
      autonomy: 'approve-risky',
      policy: {
        kind: 'rules',
        rules: [
          { name: 'read', when: { start: true }, then: { tool: 'mcp__notes__read_note', args: { name: 'todo.txt' } } },
          { name: 'done with it', when: { lastTool: 'mcp__notes__read_note', outputMatches: 'buy milk' }, then: { tool: 'mcp__notes__delete_note', args: { name: 'todo.txt' } } },
          { name: 'check', when: { lastTool: 'mcp__notes__delete_note' }, then: { tool: 'verify' } }
        ]
      },
      termination: { verifyCommand: 'test ! -e todo.txt' }
    })
    let state = a.supervisor.liveState(loopId)
    expect(state.status).toBe('awaiting-approval')
    expect(state.pendingCall).toMatchObject({ risk: 'high', approved: null, action: { tool: 'mcp__notes__delete_note' } })
    expect(observations(events())[0]).toMatchObject({ tool: 'mcp__notes__read_note', ok: true, excerpt: 'buy milk\n' })

    await a.handlers.decideApproval({ loopId, callId: state.pendingCall!.callId, decision: 'approve', reason: '' })
    await a.supervisor.settled(loopId)
    state = a.supervisor.liveState(loopId)
    expect(state.termination?.reason).toBe('SUCCESS')
    expect(existsSync(join(state.workspace!, 'todo.txt'))).toBe(false)
    expect(proposals(events())).toEqual([
      { tool: 'mcp__notes__read_note', risk: 'low', needsApproval: false },
      { tool: 'mcp__notes__delete_note', risk: 'high', needsApproval: true },
      expect.objectContaining({ tool: 'verify', needsApproval: false })
    ])
    // The loop has ended: its server with it.
    await until(() => processesMentioning(marker).length === 0, 5000, 'the MCP server to end with the loop')
  })

  it("an anthropic loop is offered the server's tools with their JSON Schemas, and its call to one is carried out", async () => {
    scripted.server.anthropic.enqueue(toolUse('mcp__notes__read_note', { name: 'todo.txt' }), toolUse('verify', {}))
    const { loopId, a, events } = await launch({
      policy: { kind: 'anthropic', model: 'claude-sonnet-4-5', baseUrl: scripted.server.anthropicBaseUrl, maxTokens: 1024, timeoutMs: 5_000 },
      termination: { verifyCommand: 'true' }
    })
    expect(a.supervisor.liveState(loopId).termination?.reason).toBe('SUCCESS')
    const calls = scripted.server.requests.filter((r) => r.path === '/anthropic/v1/messages')
    const offered = (calls[0].body as { tools: { name: string; description: string; input_schema: Record<string, unknown> }[] }).tools
    const read = offered.find((t) => t.name === 'mcp__notes__read_note')
    expect(read).toMatchObject({
      description: 'Read a note. (risk: low)',
      input_schema: { type: 'object', properties: { name: { type: 'string', pattern: '^[a-z0-9-]+\\.txt$' } }, required: expect.arrayContaining(['name']), additionalProperties: false }
    })
    expect(offered.map((t) => t.name)).toEqual(expect.arrayContaining(['mcp__notes__delete_note', 'mcp__notes__hang', 'verify']))
    expect(observations(events())[0]).toMatchObject({ tool: 'mcp__notes__read_note', ok: true, excerpt: 'buy milk\n' })
    // The model saw what the tool returned.
    expect(JSON.stringify(calls[1].body)).toContain('buy milk')
  })

  it('a call to a server that never answers fails after timeoutMs and the loop goes on', async () => {
    const started = Date.now()
    const { loopId, a, events } = await launch(
      {
        policy: {
          kind: 'rules',
          rules: [
            { name: 'ask', when: { start: true }, then: { tool: 'mcp__notes__hang' } },
            { name: 'check', when: { lastTool: 'mcp__notes__hang' }, then: { tool: 'verify' } }
          ]
        },
        termination: { verifyCommand: 'true' }
      },
      { timeoutMs: 500 }
    )
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(a.supervisor.liveState(loopId).termination?.reason).toBe('SUCCESS')
    expect(observations(events()).map((o) => [o.tool, o.ok, o.summary])).toEqual([
      ['mcp__notes__hang', false, 'mcp__notes__hang: no answer in 500 ms'],
      ['verify', true, expect.any(String)]
    ])
  })

  it('a loop whose MCP server cannot start escalates saying which server and why', async () => {
    const { loopId, a, events } = await launch(
      { policy: { kind: 'rules', rules: [{ name: 'read', when: {}, then: { tool: 'mcp__notes__read_note', args: { name: 'todo.txt' } } }] } },
      { command: '/nonexistent/notes-server', args: [] }
    )
    const state = a.supervisor.liveState(loopId)
    expect(state.status).toBe('escalated')
    expect(state.escalation!.summary).toMatch(/MCP server "notes" \(mcp\.0\) did not start: it ended \(exit 127\); it said: .*\/nonexistent\/notes-server: not found/)
    expect(events().some((e) => e.type === 'ActionProposed')).toBe(false)
  })

  it('a cancel while the servers start ends the loop as cancelled, not escalated for its tools', async () => {
    andon ??= await tempAndon()
    const s = spec({
      mcp: [{ name: 'slow', command: 'sh', args: ['-c', `sleep 3; exec "${process.execPath}" "${NOTES_SERVER}"`] }],
      policy: { kind: 'rules', rules: [{ name: 'read', when: {}, then: { tool: 'mcp__slow__plain' } }] }
    })
    const loopId = await andon.supervisor.launch(s)
    await new Promise((r) => setTimeout(r, 500))
    await andon.supervisor.cancel(loopId)
    expect(andon.supervisor.liveState(loopId)).toMatchObject({ status: 'terminated', termination: { reason: 'CANCELLED' }, escalation: null })
  })

  it('a shutdown lets a running MCP call have its grace period, then leaves it open for recovery (not recorded as failed)', async () => {
    const a = (andon ??= await tempAndon())
    const marker = `mcp-test-${randomUUID()}`
    const s = spec({
      mcp: [{ name: 'notes', command: process.execPath, args: [NOTES_SERVER, marker], timeoutMs: 120_000 }],
      policy: { kind: 'rules', rules: [{ name: 'wait', when: {}, then: { tool: 'mcp__notes__hang' } }] }
    })
    const loopId = await a.supervisor.launch(s)
    await until(() => a.store.readStream(loopId).some((e) => e.type === 'ToolStarted'), 10_000, 'the call to start')
    const started = Date.now()
    await a.supervisor.stopAll()
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_000)
    const state = a.store.loadState(loopId)
    expect(state.openCall?.tool).toBe('mcp__notes__hang')
    expect(a.store.readStream(loopId).some((e) => e.type === 'ToolFinished')).toBe(false)
    expect(state.status).toBe('paused')
    await until(() => processesMentioning(marker).length === 0, 5_000, 'the server to end with the run')
  })

  it('a server does not outlive its host: killed mid-call, Andon takes the server with it', async () => {
    const dataDir = fresh('andon-mcp-host-')
    const marker = `mcp-orphan-${randomUUID()}`
    const s = spec({
      mcp: [{ name: 'notes', command: process.execPath, args: [NOTES_SERVER, marker, '--linger'] }],
      policy: { kind: 'rules', rules: [{ name: 'ask', when: {}, then: { tool: 'mcp__notes__hang' } }] },
      termination: { verifyCommand: 'true' }
    })
    await runUntilKill(dataDir, JSON.stringify(s), /ToolStarted/, {}, () => processesMentioning(marker).length > 0)
    // Its input has ended but it lingers: only the watchdog's pipe from its host can end it.
    await until(() => processesMentioning(marker).length === 0, 10_000, 'the orphaned server to end')
  })
})
