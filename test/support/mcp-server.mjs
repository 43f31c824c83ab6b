#!/usr/bin/env node
/**
 * A real MCP server over stdio, for the tests: notes are files in its working folder (the loop's
 * workspace, the only place the sandbox lets it write). `node mcp-server.mjs [marker] [--linger]`:
 * the marker only makes its command line findable in /proc; with --linger it keeps running after
 * its input ends, as some servers do (only its host can end it then). NOTES_GREETING changes what `plain`
 * says. Tools are listed two per page, so a
 * client has to follow nextCursor to see them all.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js'

const note = { type: 'object', properties: { name: { type: 'string', pattern: '^[a-z0-9-]+\\.txt$' } }, required: ['name'], additionalProperties: false }
const none = { type: 'object', properties: {} }

const tools = [
  { name: 'read_note', description: 'Read a note.', inputSchema: note, annotations: { readOnlyHint: true } },
  { name: 'delete_note', description: 'Delete a note.', inputSchema: note, annotations: { readOnlyHint: false, destructiveHint: true } },
  {
    name: 'tag_note',
    description: 'Add a tag line to a note, once.',
    inputSchema: { ...note, properties: { ...note.properties, tag: { type: 'string' } }, required: ['name', 'tag'] },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true }
  },
  { name: 'plain', description: 'Say hello.', inputSchema: none },
  { name: 'fail', description: 'Always fails.', inputSchema: none },
  {
    name: 'crash',
    description: 'Ends the server mid-call; with stay_down, it will not start again in this folder.',
    inputSchema: { type: 'object', properties: { stay_down: { type: 'boolean' } } }
  },
  { name: 'hang', description: 'Never answers.', inputSchema: none }
]

const text = (t, isError = false) => ({ content: [{ type: 'text', text: t }], ...(isError ? { isError } : {}) })

const handlers = {
  read_note: ({ name }) => text(readFileSync(name, 'utf8')),
  delete_note: ({ name }) => {
    rmSync(name)
    return text(`deleted ${name}`)
  },
  tag_note: ({ name, tag }) => {
    const body = readFileSync(name, 'utf8')
    if (!body.split('\n').includes(`#${tag}`)) writeFileSync(name, `${body}\n#${tag}`)
    return text(`tagged ${name}`)
  },
  plain: () => text(`hello from ${process.env.NOTES_GREETING ?? 'plain'}`),
  fail: () => text('the note store is locked', true),
  crash: ({ stay_down }) => {
    if (stay_down) writeFileSync(STAY_DOWN, '')
    process.stderr.write('notes server: crashing on purpose\n')
    process.exit(3)
  },
  hang: () => new Promise(() => undefined)
}

const STAY_DOWN = 'notes-server.down'
if (existsSync(STAY_DOWN)) {
  process.stderr.write('notes server: told to stay down\n')
  process.exit(1)
}

const PAGE = 2
const server = new Server({ name: 'notes', version: '1.0.0' }, { capabilities: { tools: {} } })
server.setRequestHandler(ListToolsRequestSchema, (req) => {
  const from = Number(req.params?.cursor ?? 0)
  const next = from + PAGE
  return { tools: tools.slice(from, next), ...(next < tools.length ? { nextCursor: String(next) } : {}) }
})
server.setRequestHandler(CallToolRequestSchema, async (req) => {
  const handler = handlers[req.params.name]
  if (!handler) return text(`no tool ${req.params.name}`, true)
  try {
    return await handler(req.params.arguments ?? {})
  } catch (err) {
    return text(err.message, true)
  }
})
if (process.argv.includes('--linger')) setInterval(() => undefined, 60_000)
process.stderr.write(`notes server: started in ${process.cwd()}\n`)
await server.connect(new StdioServerTransport())
