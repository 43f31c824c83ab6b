/**
 * A loop's events as an OTLP/JSON ExportTraceServiceRequest, following the OpenTelemetry GenAI
 * semantic conventions: one root span per loop (invoke_agent), one span per iteration, and
 * under it a `chat` span for the model call and an `execute_tool` span for each tool call.
 * Ids are derived from loop id and event version, so exporting twice gives the same trace.
 */
import { createHash } from 'node:crypto'
import type { StoredEvent } from '../../../shared/events'
import type { LoopSpec } from '../../../shared/spec'
import { Redactor, type RedactionHit, type RedactionOptions } from '../bundles/redact'

// OTLP enums as the JSON encoding writes them (numbers).
const SPAN_KIND_INTERNAL = 1
const SPAN_KIND_CLIENT = 3
const STATUS_UNSET = 0
const STATUS_OK = 1
const STATUS_ERROR = 2

type AnyValue = { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean }
export interface KeyValue {
  key: string
  value: AnyValue
}
export interface OtlpSpanEvent {
  timeUnixNano: string
  name: string
  attributes: KeyValue[]
}
export interface OtlpSpan {
  traceId: string
  spanId: string
  parentSpanId?: string
  name: string
  kind: number
  startTimeUnixNano: string
  endTimeUnixNano: string
  attributes: KeyValue[]
  events: OtlpSpanEvent[]
  status: { code: number; message?: string }
}
export interface ExportTraceServiceRequest {
  resourceSpans: {
    resource: { attributes: KeyValue[] }
    scopeSpans: { scope: { name: string; version: string }; spans: OtlpSpan[] }[]
  }[]
}

export interface OtlpOptions {
  serviceName?: string
  serviceVersion: string
  redaction?: RedactionOptions
}

type Attr = string | number | boolean | null | undefined

/** Integers become intValue (as a string, the int64 JSON form); other numbers doubleValue. */
function attrs(record: Record<string, Attr>, doubles: string[] = []): KeyValue[] {
  const out: KeyValue[] = []
  for (const [key, v] of Object.entries(record)) {
    if (v === null || v === undefined) continue
    if (typeof v === 'string') out.push({ key, value: { stringValue: v } })
    else if (typeof v === 'boolean') out.push({ key, value: { boolValue: v } })
    else if (Number.isInteger(v) && !doubles.includes(key)) out.push({ key, value: { intValue: String(v) } })
    else out.push({ key, value: { doubleValue: v } })
  }
  return out
}

export function traceIdFor(loopId: string): string {
  return createHash('sha256').update(`andon-trace:${loopId}`).digest('hex').slice(0, 32)
}

export function spanIdFor(loopId: string, key: string): string {
  return createHash('sha256').update(`andon-span:${loopId}:${key}`).digest('hex').slice(0, 16)
}

function nanos(ms: number): string {
  return (BigInt(Math.max(0, Math.round(ms))) * 1_000_000n).toString()
}

function provider(policy: string): string {
  return policy === 'anthropic' || policy === 'claude-code' ? 'anthropic' : `andon.${policy}`
}

function requestModel(spec: LoopSpec | null, policy: string): string {
  const p = spec?.policy
  return (p?.kind === 'anthropic' || p?.kind === 'claude-code') && policy === p.kind ? p.model : policy
}

function responseId(raw: unknown): string | undefined {
  const id = (raw as { id?: unknown } | null | undefined)?.id
  return typeof id === 'string' ? id : undefined
}

interface OpenIteration {
  span: OtlpSpan
  iteration: number
}

/** Convert one loop's events (in version order) to an ExportTraceServiceRequest. */
export function loopToOtlp(events: Iterable<StoredEvent>, opts: OtlpOptions): ExportTraceServiceRequest {
  const redactor = new Redactor(opts.redaction)
  const hits: RedactionHit[] = []
  const spans: OtlpSpan[] = []
  let root: OtlpSpan | null = null
  let spec: LoopSpec | null = null
  let loopId = ''
  let traceId = ''
  let current: OpenIteration | null = null
  const tools = new Map<string, OtlpSpan>()
  let lastAt = 0
  let inputTokens = 0
  let outputTokens = 0

  const closeIteration = (at: number) => {
    if (current) current.span.endTimeUnixNano = nanos(at)
    current = null
  }
  const parentFor = () => (current ? current.span : root!)
  const rootEvent = (at: number, name: string, a: Record<string, Attr> = {}) =>
    root!.events.push({ timeUnixNano: nanos(at), name, attributes: attrs(a) })

  for (const raw of events) {
    const ev = { ...raw, data: redactor.redact(raw.data, 'data', hits) } as StoredEvent
    lastAt = Math.max(lastAt, ev.at)
    if (ev.type === 'LoopCreated') {
      spec = ev.data.spec
      loopId = ev.loopId
      traceId = traceIdFor(loopId)
      root = {
        traceId,
        spanId: spanIdFor(loopId, 'root'),
        name: `invoke_agent ${spec.name}`,
        kind: SPAN_KIND_INTERNAL,
        startTimeUnixNano: nanos(ev.at),
        endTimeUnixNano: nanos(ev.at),
        attributes: attrs({
          'gen_ai.operation.name': 'invoke_agent',
          'gen_ai.agent.name': spec.name,
          'gen_ai.agent.id': loopId,
          'gen_ai.conversation.id': loopId,
          'andon.loop.id': loopId,
          'andon.policy': spec.policy.kind,
          'andon.autonomy': spec.autonomy,
          'andon.parent_loop.id': ev.data.parentLoopId,
          'andon.forked_at_version': ev.data.forkedAtVersion
        }),
        events: [],
        status: { code: STATUS_UNSET }
      }
      spans.push(root)
      continue
    }
    if (!root) throw new Error(`loop ${ev.loopId}: the first event is ${ev.type}, not LoopCreated`)
    const id = (key: string) => spanIdFor(loopId, key)
    switch (ev.type) {
      case 'IterationStarted': {
        closeIteration(ev.at)
        const span: OtlpSpan = {
          traceId,
          spanId: id(`v${ev.version}`),
          parentSpanId: root.spanId,
          name: `iteration ${ev.data.iteration}`,
          kind: SPAN_KIND_INTERNAL,
          startTimeUnixNano: nanos(ev.at),
          endTimeUnixNano: nanos(ev.at),
          attributes: attrs({ 'andon.iteration': ev.data.iteration }),
          events: [],
          status: { code: STATUS_UNSET }
        }
        spans.push(span)
        current = { span, iteration: ev.data.iteration }
        break
      }
      case 'DecisionMade': {
        const d = ev.data
        const model = requestModel(spec, d.policy)
        inputTokens += d.usage.inputTokens
        outputTokens += d.usage.outputTokens
        spans.push({
          traceId,
          spanId: id(`v${ev.version}`),
          parentSpanId: parentFor().spanId,
          name: `chat ${model}`,
          kind: SPAN_KIND_CLIENT,
          startTimeUnixNano: nanos(ev.at - d.latencyMs),
          endTimeUnixNano: nanos(ev.at),
          attributes: attrs(
            {
              'gen_ai.operation.name': 'chat',
              'gen_ai.provider.name': provider(d.policy),
              'gen_ai.system': provider(d.policy),
              'gen_ai.request.model': model,
              'gen_ai.response.id': responseId(d.rawResponse),
              'gen_ai.usage.input_tokens': d.usage.inputTokens,
              'gen_ai.usage.output_tokens': d.usage.outputTokens,
              'andon.cost_usd': d.usage.costUsd,
              'andon.confidence': d.confidence,
              'andon.subgoal': d.subgoal,
              'andon.action.tool': d.action.tool
            },
            ['andon.cost_usd', 'andon.confidence']
          ),
          events: [],
          status: { code: STATUS_UNSET }
        })
        if (current) current.span.attributes.push(...attrs({ 'andon.action.tool': d.action.tool, 'andon.subgoal': d.subgoal }))
        break
      }
      case 'ToolStarted': {
        const d = ev.data
        const span: OtlpSpan = {
          traceId,
          spanId: id(`v${ev.version}`),
          parentSpanId: parentFor().spanId,
          name: `execute_tool ${d.tool}`,
          kind: SPAN_KIND_INTERNAL,
          startTimeUnixNano: nanos(ev.at),
          endTimeUnixNano: nanos(ev.at),
          attributes: attrs({
            'gen_ai.operation.name': 'execute_tool',
            'gen_ai.tool.name': d.tool,
            'gen_ai.tool.call.id': d.callId,
            'gen_ai.tool.type': 'function',
            'gen_ai.tool.call.arguments': JSON.stringify(d.args),
            'andon.tool.idempotent': d.idempotent
          }),
          events: [],
          status: { code: STATUS_UNSET }
        }
        spans.push(span)
        tools.set(d.callId, span)
        break
      }
      case 'ToolFinished': {
        const span = tools.get(ev.data.callId)
        if (!span) break
        const d = ev.data
        span.endTimeUnixNano = nanos(Math.max(ev.at, Number(BigInt(span.startTimeUnixNano) / 1_000_000n) + d.durationMs))
        span.attributes.push(...attrs({ 'andon.tool.exit_code': d.exitCode, 'andon.tool.output_bytes': d.outputBytes, 'error.type': d.ok ? null : 'tool_error' }))
        span.status = d.ok ? { code: STATUS_OK } : { code: STATUS_ERROR, message: d.error ?? `exit code ${d.exitCode}` }
        break
      }
      case 'ActionRejected':
        parentFor().events.push({ timeUnixNano: nanos(ev.at), name: 'action.rejected', attributes: attrs({ 'andon.by': ev.data.by, 'andon.reason': ev.data.reason }) })
        break
      case 'InvariantChecked':
        for (const r of ev.data.results.filter((x) => !x.ok)) {
          parentFor().events.push({
            timeUnixNano: nanos(ev.at),
            name: 'invariant.failed',
            attributes: attrs({ 'andon.invariant': r.name, 'andon.detail': r.detail, 'andon.remediation': r.remediation })
          })
        }
        if (current && current.iteration === ev.data.iteration) closeIteration(ev.at)
        break
      case 'Escalated':
        rootEvent(ev.at, 'escalated', { 'andon.escalation.kind': ev.data.packet.kind, 'andon.summary': ev.data.packet.summary })
        break
      case 'StatePatched':
        rootEvent(ev.at, 'state.patched', { 'andon.by': ev.data.by, 'andon.why': ev.data.why, 'andon.ops': ev.data.patch.ops.length })
        break
      case 'Paused':
      case 'Resumed':
      case 'Interrupted':
      case 'Forked':
        rootEvent(ev.at, ev.type.toLowerCase())
        break
      case 'Terminated': {
        closeIteration(ev.at)
        const ok = ev.data.reason === 'SUCCESS'
        root.status = ok ? { code: STATUS_OK } : { code: STATUS_ERROR, message: `${ev.data.reason}: ${ev.data.detail}` }
        root.attributes.push(...attrs({ 'andon.termination.reason': ev.data.reason, 'error.type': ok ? null : ev.data.reason }))
        break
      }
      default:
        break
    }
  }
  if (!root) throw new Error('no events: nothing to export')
  closeIteration(lastAt)
  root.endTimeUnixNano = nanos(lastAt)
  root.attributes.push(...attrs({ 'gen_ai.usage.input_tokens': inputTokens, 'gen_ai.usage.output_tokens': outputTokens }))
  return {
    resourceSpans: [
      {
        resource: { attributes: attrs({ 'service.name': opts.serviceName ?? 'andon', 'service.version': opts.serviceVersion }) },
        scopeSpans: [{ scope: { name: 'andon', version: opts.serviceVersion }, spans }]
      }
    ]
  }
}
