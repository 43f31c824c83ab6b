/**
 * The process policy's protocol: the JSON Schemas on disk are the ones the zod schemas give, an
 * answer that breaks the protocol is refused naming what is wrong, and the agent's stdout is read
 * a line at a time with a cap.
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PolicyError } from '../../src/main/core/policies/policy'
import { AgentProcess } from '../../src/main/core/policies/process/agent-process'
import { LineReader, MAX_LINE_BYTES } from '../../src/main/core/policies/process/line-reader'
import { parseReply } from '../../src/main/core/policies/process/messages'
import { processProtocolSchemaFiles } from '../../src/shared/process-protocol-schema'

const root = resolve(__dirname, '../..')

function refusal(line: string): PolicyError {
  try {
    parseReply(line)
  } catch (err) {
    return err as PolicyError
  }
  throw new Error('accepted')
}

/** An agent run without the sandbox (this tests the line exchange, not the launch). */
function plainAgent(code: string): AgentProcess {
  return new AgentProcess({ script: `exec node -e '${code}'`, cwd: root, env: { PATH: process.env.PATH ?? '' }, release: () => undefined })
}

describe('process policy protocol', () => {
  it('the committed JSON Schemas are up to date with the zod schemas (run `npm run schema`)', () => {
    const files = processProtocolSchemaFiles()
    expect(Object.keys(files)).toEqual(['process-policy.input.schema.json', 'process-policy.decision.schema.json'])
    for (const [name, text] of Object.entries(files)) expect(readFileSync(join(root, 'resources/schema', name), 'utf8')).toBe(text)
  })

  it('reads a decision with its defaults, and an error', () => {
    expect(parseReply('{"tool":"verify","subgoal":"check","confidence":0.5}')).toEqual({ tool: 'verify', args: {}, subgoal: 'check', confidence: 0.5, rationale: '' })
    expect(parseReply('{"error":"no idea"}')).toEqual({ error: 'no idea' })
  })

  it('refuses an answer that breaks the protocol, naming the field and quoting the line', () => {
    expect(refusal('Thinking...')).toMatchObject({ kind: 'malformed-response', message: expect.stringMatching(/^the agent's answer is not JSON: "Thinking\.\.\." \(stdout carries only answers; logs go to stderr\)$/) })
    expect(refusal('{"tool":"verify","subgoal":"s","confidence":2}').message).toMatch(/^the agent's answer does not match the decision schema: confidence: .*<=1; it starts "\{\\"tool/)
    expect(refusal('{"tool":"verify","subgoal":"s"}').message).toMatch(/confidence: /)
    expect(refusal('{"tool":"verify","subgoal":"s","confidence":1,"argz":{}}').message).toMatch(/\(the answer\): Unrecognized key: "argz"/)
    expect(refusal('{"tool":"verify","subgoal":"s","confidence":1,"usage":{"input_tokens":5}}').message).toMatch(/usage: Unrecognized key: "input_tokens"/)
    expect(refusal('{"error":""}').message).toMatch(/error: /)
  })

  it('splits lines across chunks and reports a line over the cap once, with its start', () => {
    const lines: string[] = []
    const overflows: string[] = []
    const reader = new LineReader((l) => lines.push(l), (s) => overflows.push(s), 10)
    reader.push(Buffer.from('ab'))
    reader.push(Buffer.from('c\nd\n12345'))
    reader.push(Buffer.from('678901\nnot read\n'))
    expect(lines).toEqual(['abc', 'd'])
    expect(overflows).toEqual(['12345678901'])
  })

  it('an agent that writes a line over 1 MB fails the decision as malformed, and is not read further', async () => {
    const agent = plainAgent(`process.stdout.write("x".repeat(${MAX_LINE_BYTES + 10}) + "\\n"); setInterval(() => {}, 1000)`)
    try {
      await expect(agent.ask('{}', 10_000, new AbortController().signal)).rejects.toMatchObject({
        kind: 'malformed-response',
        message: expect.stringMatching(/^the agent wrote a line longer than 1048576 bytes on stdout; it starts "x{200}…"$/)
      })
    } finally {
      agent.kill()
    }
  })

  it('a line printed when no decision was asked fails the next one, naming it', async () => {
    // It prints and exits: once it has ended, all it printed has been read.
    const agent = plainAgent(`console.log("ready!")`)
    try {
      while (agent.running) await new Promise((r) => setTimeout(r, 10))
      await expect(agent.ask('{}', 10_000, new AbortController().signal)).rejects.toMatchObject({ kind: 'malformed-response', message: expect.stringContaining('when no decision was asked: "ready!"') })
    } finally {
      agent.kill()
    }
  })

  it('a cancelled decision rejects at once', async () => {
    const agent = plainAgent(`setInterval(() => {}, 1000)`)
    const abort = new AbortController()
    try {
      const asked = agent.ask('{}', 60_000, abort.signal)
      setTimeout(() => abort.abort(), 50)
      const started = Date.now()
      await expect(asked).rejects.toThrow('the decision was cancelled')
      expect(Date.now() - started).toBeLessThan(1000)
    } finally {
      agent.kill()
    }
  })
})
