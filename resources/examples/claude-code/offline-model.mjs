#!/usr/bin/env node
// A stand-in for the Anthropic Messages API on 127.0.0.1, so the claude-code example runs with no
// key and no network: the real Claude Code talks to it and gets a fixed, sensible script for the
// fix-the-tests workspace (run the checks, read math.js, fix add, fix mul, say done).
// Usage: node resources/examples/claude-code/offline-model.mjs [port]   (prints the env to use)
import { createServer } from 'node:http'
import { pathToFileURL } from 'node:url'

let ids = 0

function plan(dir, turn) {
  const file = `${dir}/math.js`
  const steps = [
    ['Let me run the checks to see what fails.', { name: 'Bash', input: { command: 'node verify.js', description: 'Run the checks' } }],
    ['add() is wrong; let me read the code.', { name: 'Read', input: { file_path: file } }],
    ['add() subtracts. Fixing it.', { name: 'Edit', input: { file_path: file, old_string: 'a - b', new_string: 'a + b' } }],
    ['mul() adds. Fixing it too.', { name: 'Edit', input: { file_path: file, old_string: 'exports.mul = (a, b) => a + b', new_string: 'exports.mul = (a, b) => a * b' } }]
  ]
  return steps[turn] ?? ['Both functions are fixed: add() adds and mul() multiplies.', null]
}

function stream(res, model, text, tool) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
  const send = (type, data) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`)
  send('message_start', { message: { id: `msg_offline_${++ids}`, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 900, output_tokens: 1 } } })
  send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } })
  send('content_block_delta', { index: 0, delta: { type: 'text_delta', text } })
  send('content_block_stop', { index: 0 })
  if (tool) {
    send('content_block_start', { index: 1, content_block: { type: 'tool_use', id: `toolu_offline_${ids}`, name: tool.name, input: {} } })
    send('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: JSON.stringify(tool.input) } })
    send('content_block_stop', { index: 1 })
  }
  send('message_delta', { delta: { stop_reason: tool ? 'tool_use' : 'end_turn', stop_sequence: null }, usage: { output_tokens: 60 } })
  send('message_stop', {})
  res.end()
}

function handle(req, res) {
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    let body = {}
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')
    } catch {
      // answered below like any other request
    }
    if (req.url.startsWith('/v1/messages/count_tokens')) {
      res.writeHead(200, { 'content-type': 'application/json' })
      return res.end(JSON.stringify({ input_tokens: 900 }))
    }
    if (!req.url.startsWith('/v1/messages')) {
      res.writeHead(404, { 'content-type': 'application/json' })
      return res.end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: 'offline model: not here' } }))
    }
    const model = body.model ?? 'claude-sonnet-4-5'
    // Side requests (titles, summaries) carry no tools: a short answer does.
    if (!body.tools?.length) return stream(res, model, 'Fixing the tests.', null)
    const dir = /Primary working directory: ([^\s\\"]+)/.exec(JSON.stringify(body))?.[1] ?? '.'
    const turn = (body.messages ?? []).filter((m) => m.role === 'assistant').length
    const [text, tool] = plan(dir, turn)
    stream(res, model, text, tool)
  })
}

/** Start the offline model on 127.0.0.1 (port 0: any free port); resolves to its URL and a close(). */
export function startOfflineModel(port = 0) {
  const server = createServer(handle)
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((done) => { server.closeAllConnections(); server.close(() => done()) }) })
    })
  })
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { url } = await startOfflineModel(Number(process.argv[2] ?? process.env.ANDON_OFFLINE_MODEL_PORT ?? 8747))
  console.log(`offline model listening on ${url}`)
  console.log(`start Andon with: ANTHROPIC_BASE_URL=${url} ANTHROPIC_API_KEY=offline CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 npm start`)
}
