/**
 * The anthropic policy through the real @anthropic-ai/sdk over HTTP against the scripted
 * server on 127.0.0.1: decisions, retries, the circuit breaker and every failure kind.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { Backpressure } from '../../src/main/core/backpressure'
import { createPolicy } from '../../src/main/core/policies'
import { anthropicGuardName } from '../../src/main/core/policies/anthropic'
import type { DecisionInput, Policy } from '../../src/main/core/policies/policy'
import { PolicyError } from '../../src/main/core/policies/policy'
import { describeTool, type AnyTool } from '../../src/main/core/tools/tool'
import { LoopSpecSchema, type LoopSpecInput } from '../../src/shared/spec'
import { initialState, type LoopState } from '../../src/shared/state'
import type { TraceStore } from '../../src/main/core/store/trace-store'
import {
  apiError,
  malformedJson,
  message,
  maxTokens,
  overloaded,
  rateLimited,
  serverError,
  stall,
  startScriptedServer,
  textOnly,
  toolUse,
  type ScriptedServer
} from '../support/scripted-server'

const KEY = 'sk-ant-test-5ecret-KEY-0123456789'

const tool = (name: string, input: z.ZodType): AnyTool => ({
  name,
  description: `the ${name} tool`,
  input,
  risk: name === 'shell' ? 'medium' : 'low',
  idempotent: true,
  run: async () => ({ ok: true, exitCode: 0, summary: '', excerpt: '' })
})
const tools = [
  tool('shell', z.object({ command: z.string().min(1), timeoutMs: z.number().int().positive().optional() }).strict()),
  tool('verify', z.object({}).strict())
].map(describeTool)

let server: ScriptedServer
beforeAll(async () => {
  server = await startScriptedServer()
  server.anthropic.apiKey = KEY
})
afterAll(() => server.close())
beforeEach(() => {
  server.requests.length = 0
  server.anthropic.reset()
})

function specFor(policy: Partial<LoopSpecInput['policy']> = {}): LoopSpecInput {
  return {
    name: 'fix-tests',
    task: 'Make the unit tests pass without deleting any test.',
    policy: { kind: 'anthropic', model: 'claude-sonnet-4-5', baseUrl: server.anthropicBaseUrl, timeoutMs: 5_000, ...policy } as LoopSpecInput['policy'],
    invariants: { maxIterations: 12, confidenceFloor: 0.3, budget: { usd: 2 } },
    termination: { successTool: 'verify', verifyCommand: 'npm test' }
  }
}

function make(opts: { policy?: Partial<LoopSpecInput['policy']>; bp?: Backpressure; env?: Record<string, string> } = {}) {
  const spec = LoopSpecSchema.parse(specFor(opts.policy))
  const bp = opts.bp ?? new Backpressure({ random: () => 0, retry: { baseDelayMs: 10 } })
  const policy = createPolicy(spec.policy, { store: {} as TraceStore, env: { ...server.allowAnthropic, ...(opts.env ?? { ANTHROPIC_API_KEY: KEY }) }, backpressure: bp })
  const state: LoopState = {
    ...initialState('loop-1'),
    spec,
    invariants: spec.invariants,
    iteration: 3,
    subgoal: 'find the failing test',
    facts: ['the test runner is vitest', 'src/sum.ts exports sum()'],
    memory: { failing: ['sum adds negatives'] },
    lastObservation: { tool: 'shell', ok: false, exitCode: 1, summary: 'exit 1', excerpt: 'FAIL test/sum.test.ts > sum adds negatives' },
    rejections: [{ iteration: 2, action: { tool: 'write_file', args: { path: 'package.json' } }, reason: 'do not touch package.json', by: 'operator' }]
  }
  const input = (): DecisionInput => ({ loopId: 'loop-1', iteration: 3, spec, state, tools, signal: new AbortController().signal })
  return { policy, input, bp }
}

async function failure(policy: Policy, input: DecisionInput): Promise<PolicyError> {
  const err = await policy.decide(input).then(
    () => null,
    (e: unknown) => e
  )
  expect(err).toBeInstanceOf(PolicyError)
  return err as PolicyError
}

describe('anthropic policy over HTTP', () => {
  it('turns one tool_use into a decision with subgoal, confidence, usage and cost', async () => {
    server.anthropic.enqueue(
      toolUse('shell', { command: 'npx vitest run test/sum.test.ts' }, { report: { subgoal: 'see the failure', confidence: 0.72, rationale: 'read before writing' }, inputTokens: 1000, outputTokens: 100 })
    )
    const { policy, input, bp } = make()
    const d = await policy.decide(input())
    expect(d.action).toEqual({ tool: 'shell', args: { command: 'npx vitest run test/sum.test.ts' } })
    expect(d.subgoal).toBe('see the failure')
    expect(d.confidence).toBe(0.72)
    expect(d.rationale).toBe('read before writing')
    // claude-sonnet-4-5: $3 in / $15 out per million tokens
    expect(d.usage).toEqual({ inputTokens: 1000, outputTokens: 100, costUsd: 0.0045 })
    expect(bp.ledger.spentToday()).toBeCloseTo(0.0045)

    const [req] = server.requests
    expect(req.path).toBe('/anthropic/v1/messages')
    const auth = String(req.headers['x-api-key'] ?? req.headers.authorization)
    expect(auth).toContain(KEY)
    const body = req.body as {
      model: string
      tool_choice: unknown
      tools: { name: string; input_schema: { required: string[] } }[]
      messages: { content: string }[]
    }
    expect(body.model).toBe('claude-sonnet-4-5')
    expect(body.tool_choice).toEqual({ type: 'any', disable_parallel_tool_use: true })
    expect(body.tools.map((t) => t.name)).toEqual(['shell', 'verify'])
    expect(body.tools[0].input_schema.required).toEqual(['command', '_report'])
    const text: string = body.messages[0].content
    for (const part of ['Make the unit tests pass', 'maxIterations: 12', 'confidenceFloor: 0.3', 'sameActionLimit: 3', 'USD 0.0000 of 2', 'find the failing test', '- the test runner is vitest', '"sum adds negatives"', 'FAIL test/sum.test.ts', 'do not touch package.json', '`verify`'])
      expect(text).toContain(part)
    // The recorded prompt is the exact request body that went over the wire.
    expect((d.prompt as { request: unknown }).request).toEqual(req.body)
    expect((d.rawResponse as { id: string }).id).toMatch(/^msg_scripted_/)
  })

  it('never records the API key: not in prompt, raw response or any error', async () => {
    server.anthropic.enqueue(toolUse('verify', {}), serverError(), textOnly(`echo ${KEY}`))
    const { policy, input } = make({ bp: new Backpressure({ retry: { maxAttempts: 1 } }) })
    const d = await policy.decide(input())
    const errs = [await failure(policy, input()), await failure(policy, input())]
    const recorded = JSON.stringify([d.prompt, d.rawResponse, d.rationale, ...errs.map((e) => [e.message, e.kind, e.stack, e.rawResponse])])
    expect(recorded).not.toContain(KEY)
    // The key did go over the wire, so the check above is not vacuous.
    expect(server.requests.every((r) => JSON.stringify(r.headers).includes(KEY))).toBe(true)
    expect(errs[1].message).toContain('[redacted]')
  })

  it('a missing key is a config error that says where to put it', () => {
    expect(() => make({ env: {} })).toThrow(expect.objectContaining({ kind: 'config', message: expect.stringMatching(/ANTHROPIC_API_KEY/) }))
  })

  it('waits out a 429 retry-after, then succeeds', async () => {
    server.anthropic.enqueue(rateLimited('1'), toolUse('verify', {}))
    const { policy, input } = make()
    const d = await policy.decide(input())
    expect(d.action.tool).toBe('verify')
    expect(server.requests).toHaveLength(2)
    expect(server.requests[1].at - server.requests[0].at).toBeGreaterThanOrEqual(950)
    expect((d.prompt as { retries: unknown }).retries).toEqual([{ afterMs: 1000, error: expect.stringMatching(/^Anthropic API is rate limiting \(429 rate_limit_error/) }])
  })

  it('529 overloaded counts as rate-limited', async () => {
    server.anthropic.enqueue(overloaded())
    const { policy, input } = make({ bp: new Backpressure({ retry: { maxAttempts: 1 } }) })
    const err = await failure(policy, input())
    expect(err.kind).toBe('rate-limited')
    expect(err.message).toMatch(/overloaded/)
  })

  it('repeated 500s open the circuit, which then fails fast without a request', async () => {
    server.anthropic.enqueue(serverError(), serverError(), serverError(), toolUse('verify', {}))
    const bp = new Backpressure({ random: () => 0, retry: { maxAttempts: 2, baseDelayMs: 1 }, circuit: { failureThreshold: 3, coolDownMs: 60_000 } })
    const { policy, input } = make({ bp })
    expect((await failure(policy, input())).kind).toBe('server')
    const second = await failure(policy, input())
    expect(second.kind).toBe('circuit-open')
    expect(server.requests).toHaveLength(3)
    const third = await failure(policy, input())
    expect(third.kind).toBe('circuit-open')
    expect(server.requests).toHaveLength(3)
    expect(bp.provider(anthropicGuardName(server.anthropicBaseUrl, KEY)).breaker.state).toBe('open')
  })

  it('keeps a breaker per endpoint and key: an open circuit on one leaves the others calling', async () => {
    server.anthropic.enqueue(serverError(), serverError(), toolUse('verify', {}), toolUse('verify', {}))
    const bp = new Backpressure({ random: () => 0, retry: { maxAttempts: 1 }, circuit: { failureThreshold: 2, coolDownMs: 60_000 } })
    const viaIp = make({ bp })
    for (let i = 0; i < 2; i++) expect((await failure(viaIp.policy, viaIp.input())).kind).toBe('server')
    expect((await failure(viaIp.policy, viaIp.input())).kind).toBe('circuit-open')
    // The same server under another origin (localhost) is another endpoint: its circuit is closed.
    const viaName = make({
      bp,
      policy: { baseUrl: server.anthropicBaseUrl.replace('127.0.0.1', 'localhost') },
      env: { ANTHROPIC_API_KEY: KEY, ANDON_ANTHROPIC_HOSTS: server.allowAnthropic.ANDON_ANTHROPIC_HOSTS.replace('127.0.0.1', 'localhost') }
    })
    expect((await viaName.policy.decide(viaName.input())).action.tool).toBe('verify')
    // Another key on the first endpoint is another account: its circuit is closed too.
    server.anthropic.apiKey = null
    const otherKey = make({ bp, env: { ANTHROPIC_API_KEY: `${KEY}-other` } })
    expect((await otherKey.policy.decide(otherKey.input())).action.tool).toBe('verify')
    server.anthropic.apiKey = KEY
    expect(server.requests).toHaveLength(4)
  })

  it.each([
    ['application/json', /not valid JSON/],
    ['text/plain', /answered with an empty body/]
  ])('an empty 200 body (%s) is a malformed response, not a server error to retry', async (contentType, message) => {
    server.anthropic.enqueue({ type: 'raw', status: 200, body: '', headers: { 'content-type': contentType } }, toolUse('verify', {}))
    const { policy, input } = make({ bp: new Backpressure({ random: () => 0, retry: { baseDelayMs: 1 } }) })
    const err = await failure(policy, input())
    expect(err.kind).toBe('malformed-response')
    expect(err.message).toMatch(message)
    expect(server.requests).toHaveLength(1)
    expect(server.anthropic.pending).toBe(1)
  })

  it('a response without usage is not free: its tokens are estimated and the rationale says so', async () => {
    const step = toolUse('verify', {})
    delete (step as { message: Record<string, unknown> }).message.usage
    server.anthropic.enqueue(step)
    const { policy, input } = make()
    const d = await policy.decide(input())
    expect(d.usage.inputTokens).toBeGreaterThan(100)
    expect(d.usage.outputTokens).toBeGreaterThan(0)
    expect(d.usage.costUsd).toBeCloseTo((d.usage.inputTokens * 3 + d.usage.outputTokens * 15) / 1e6, 10)
    expect(d.rationale).toMatch(/no usage; tokens estimated/)
  })

  it('a stalled response becomes a timeout', async () => {
    server.anthropic.enqueue(stall())
    const { policy, input } = make({ policy: { timeoutMs: 300 }, bp: new Backpressure({ retry: { maxAttempts: 1 } }) })
    const started = Date.now()
    const err = await failure(policy, input())
    expect(err.kind).toBe('timeout')
    expect(err.message).toMatch(/within 300 ms/)
    expect(Date.now() - started).toBeLessThan(3_000)
  })

  it.each([
    ['malformed JSON', malformedJson(), /not valid JSON/],
    ['no tool call', textOnly('I think we are done.'), /without a tool call.*I think we are done/],
    ['an unknown tool', toolUse('rm_rf', { path: '/' }), /unknown tool "rm_rf" \(known: shell, verify\)/],
    ['input failing the schema', toolUse('shell', { command: 42 }), /tool "shell" input fails its schema: command: .*expected string/],
    ['extra input fields', toolUse('verify', { force: true }), /tool "verify" input fails its schema/]
  ])('%s is a malformed-response that says what was wrong', async (_what, step, message) => {
    server.anthropic.enqueue(step)
    const { policy, input } = make()
    const err = await failure(policy, input())
    expect(err.kind).toBe('malformed-response')
    expect(err.message).toMatch(message)
    expect(server.requests).toHaveLength(1)
  })

  it('max_tokens is its own kind and its usage still counts', async () => {
    server.anthropic.enqueue(maxTokens())
    const { policy, input, bp } = make()
    const err = await failure(policy, input())
    expect(err.kind).toBe('max-tokens')
    expect(err.usage?.outputTokens).toBe(2048)
    expect(err.usage?.costUsd).toBeGreaterThan(0)
    expect(bp.ledger.spentToday()).toBeCloseTo(err.usage!.costUsd)
  })

  it.each([
    ['a 400 prompt too long', apiError(400, 'invalid_request_error', 'prompt is too long: 210000 tokens > 200000 maximum')],
    ['a context window stop', message([], { stopReason: 'model_context_window_exceeded' })]
  ])('%s is a context budget failure (max-tokens kind)', async (_what, step) => {
    server.anthropic.enqueue(step)
    const { policy, input } = make()
    const err = await failure(policy, input())
    expect(err.kind).toBe('max-tokens')
    expect(err.message).toMatch(/^context budget exceeded: .*trim working memory/)
  })

  it('a missing report keeps the action but records confidence 0; an unknown model is counted at the highest price, with a note', async () => {
    server.anthropic.enqueue(toolUse('verify', {}, { report: null, text: 'Running the tests.', inputTokens: 1000, outputTokens: 100 }))
    const { policy, input } = make({ policy: { model: 'claude-future-9' } })
    const d = await policy.decide(input())
    expect(d.action.tool).toBe('verify')
    expect(d.confidence).toBe(0)
    // Never $0: the dearest listed price is $15 in / $75 out per million tokens.
    expect(d.usage.costUsd).toBeCloseTo((1000 * 15 + 100 * 75) / 1e6, 10)
    expect(d.rationale).toMatch(/Running the tests\..*no price known for model "claude-future-9"; counted at the highest listed price.*no valid _report/)
  })

  it('a model priced in the spec is counted at that price', async () => {
    server.anthropic.enqueue(toolUse('verify', {}, { inputTokens: 1000, outputTokens: 100 }))
    const { policy, input } = make({ policy: { model: 'claude-future-9', pricing: { inputPerMTok: 2, outputPerMTok: 10 } } })
    const d = await policy.decide(input())
    expect(d.usage.costUsd).toBeCloseTo((1000 * 2 + 100 * 10) / 1e6, 10)
    expect(d.rationale).not.toMatch(/no price known/)
  })

  it('stops calling once the global daily budget is spent', async () => {
    server.anthropic.enqueue(toolUse('verify', {}, { inputTokens: 100_000, outputTokens: 10_000 }), toolUse('verify', {}))
    const { policy, input } = make({ bp: new Backpressure({ dailyBudgetUsd: 0.4 }) })
    await policy.decide(input())
    const err = await failure(policy, input())
    expect(err.kind).toBe('daily-budget')
    expect(server.requests).toHaveLength(1)
    expect(server.anthropic.pending).toBe(1)
  })
})
