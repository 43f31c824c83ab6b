import { describe, expect, it } from 'vitest'
import { LoopEventSchema, type LoopEventInput, type StoredEvent } from '../../src/shared/events'
import { loopToOtlp, spanIdFor, traceIdFor, type OtlpSpan } from '../../src/main/core/otel/otlp'
import { tracesUrl } from '../../src/main/core/otel/send'
import { otlpProblems } from '../fixtures/bundles/otlp-proto'
import { sampleLoopEvents, sampleSpec, sampleSteps } from '../fixtures/bundles/sample-loop'

function stored(loopId: string, inputs: LoopEventInput[], t0 = 1_700_000_000_000): StoredEvent[] {
  return inputs.map((e, i) => ({ ...LoopEventSchema.parse(e), loopId, version: i + 1, seq: i + 1, at: t0 + i * 100 }) as StoredEvent)
}

function attr(span: OtlpSpan, key: string): unknown {
  const v = span.attributes.find((a) => a.key === key)?.value
  return v && Object.values(v)[0]
}

const events = stored('loop-1', sampleLoopEvents())
const request = loopToOtlp(events, { serviceVersion: '0.1.0' })
const spans = request.resourceSpans[0].scopeSpans[0].spans

describe('OTLP export', () => {
  it('is a valid ExportTraceServiceRequest by the official protobuf definitions', () => {
    expect(otlpProblems(request)).toEqual([])
  })

  it('the validator catches unknown fields, bad ids and wrong types', () => {
    const bad = structuredClone(request) as unknown as { resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[] }
    const span = bad.resourceSpans[0].scopeSpans[0].spans[1]
    span.colour = 'blue'
    span.spanId = 'xyz'
    span.kind = 'sideways'
    const problems = otlpProblems(bad).join('\n')
    expect(problems).toMatch(/spans\[1\]\.colour: unknown field/)
    expect(problems).toMatch(/spans\[1\]\.spanId: not a 16-digit/)
    expect(problems).toMatch(/kind/)
  })

  it('has a root span, a span per iteration and model and tool spans under each', () => {
    const [root, ...rest] = spans
    expect(root.name).toBe('invoke_agent fix-tests')
    expect(root.parentSpanId).toBeUndefined()
    expect(root.status).toEqual({ code: 1 })
    const iterations = rest.filter((s) => s.name.startsWith('iteration '))
    expect(iterations.map((s) => s.name)).toEqual(['iteration 1', 'iteration 2'])
    for (const it of iterations) {
      expect(it.parentSpanId).toBe(root.spanId)
      const children = spans.filter((s) => s.parentSpanId === it.spanId).map((s) => s.name)
      expect(children).toHaveLength(2)
      expect(children[0]).toBe('chat claude-sonnet-4-5')
    }
    expect(spans.filter((s) => s.name.startsWith('execute_tool')).map((s) => s.name)).toEqual(['execute_tool shell', 'execute_tool verify'])
  })

  it('carries the GenAI semantic convention attributes', () => {
    const chat = spans.find((s) => s.name.startsWith('chat'))!
    expect(chat.kind).toBe(3)
    expect(attr(chat, 'gen_ai.operation.name')).toBe('chat')
    expect(attr(chat, 'gen_ai.provider.name')).toBe('anthropic')
    expect(attr(chat, 'gen_ai.system')).toBe('anthropic')
    expect(attr(chat, 'gen_ai.request.model')).toBe('claude-sonnet-4-5')
    expect(attr(chat, 'gen_ai.usage.input_tokens')).toBe('100')
    expect(attr(chat, 'gen_ai.usage.output_tokens')).toBe('20')
    expect(attr(chat, 'gen_ai.response.id')).toBe('msg_1')
    const tool = spans.find((s) => s.name === 'execute_tool shell')!
    expect(attr(tool, 'gen_ai.operation.name')).toBe('execute_tool')
    expect(attr(tool, 'gen_ai.tool.name')).toBe('shell')
    expect(attr(tool, 'gen_ai.tool.call.id')).toBe('c1')
    expect(attr(spans[0], 'gen_ai.usage.input_tokens')).toBe(String(100 * sampleSteps.length))
  })

  it('derives ids from loop id and version and writes times in unix nanoseconds', () => {
    expect(spans.every((s) => s.traceId === traceIdFor('loop-1'))).toBe(true)
    const iteration1 = events.find((e) => e.type === 'IterationStarted')!
    expect(spans[1].spanId).toBe(spanIdFor('loop-1', `v${iteration1.version}`))
    expect(spans[1].startTimeUnixNano).toBe(`${iteration1.at}000000`)
    expect(loopToOtlp(events, { serviceVersion: '0.1.0' })).toEqual(request)
    for (const s of spans) expect(BigInt(s.endTimeUnixNano) >= BigInt(s.startTimeUnixNano)).toBe(true)
  })

  it('marks failed tools and failed loops as errors and redacts secrets', () => {
    const failing = stored('loop-2', [
      { type: 'LoopCreated', data: { spec: sampleSpec } },
      ...sampleLoopEvents(sampleSpec, [{ ...sampleSteps[0], ok: false, exitCode: 2, args: { command: 'echo sk-ant-api03-SECRETSECRET' } }]).slice(1, -1),
      { type: 'Terminated', data: { reason: 'STALLED', detail: 'no progress', iteration: 1 } }
    ])
    const out = loopToOtlp(failing, { serviceVersion: '0.1.0' })
    const all = out.resourceSpans[0].scopeSpans[0].spans
    expect(all[0].status).toEqual({ code: 2, message: 'STALLED: no progress' })
    expect(all.find((s) => s.name === 'execute_tool shell')!.status.code).toBe(2)
    expect(JSON.stringify(out)).not.toContain('SECRETSECRET')
    expect(otlpProblems(out)).toEqual([])
  })

  it('sends to /v1/traces when given a base URL', () => {
    expect(tracesUrl('http://127.0.0.1:4318').href).toBe('http://127.0.0.1:4318/v1/traces')
    expect(tracesUrl('http://127.0.0.1:3000/api/public/otel/v1/traces').pathname).toBe('/api/public/otel/v1/traces')
    expect(() => tracesUrl('file:///etc/passwd')).toThrow(/http or https/)
  })
})
