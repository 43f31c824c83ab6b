import { afterEach, describe, expect, it } from 'vitest'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { loopTrace, sendOtlp, OtlpSendError } from '../../src/main/core/otel'
import { otlpProblems } from '../fixtures/bundles/otlp-proto'
import { sampleLoopEvents, tempStore, type TempStore } from '../fixtures/bundles/sample-loop'

interface Received {
  method: string
  url: string
  contentType: string
  body: unknown
}

let server: Server | null = null
let store: TempStore | null = null
afterEach(async () => {
  store?.cleanup()
  store = null
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()))
  server = null
})

/** A minimal OTLP/HTTP receiver on 127.0.0.1 that records what it gets. */
async function receiver(status = 200, answer = '{"partialSuccess":{}}'): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = []
  server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, contentType: req.headers['content-type'] ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) })
      res.writeHead(status, { 'content-type': 'application/json' }).end(answer)
    })
  })
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()))
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, received }
}

describe('OTLP export from a real store to a receiver', () => {
  it('POSTs a valid trace of the loop to /v1/traces', async () => {
    store = tempStore()
    store.store.appendSync('loop-x', sampleLoopEvents(), 0)
    const trace = loopTrace(store.store, 'loop-x', { serviceVersion: '0.1.0' })
    const { url, received } = await receiver()
    const result = await sendOtlp(url, trace)
    expect(result).toEqual({ status: 200, rejectedSpans: 0, message: '' })
    expect(received).toHaveLength(1)
    expect(received[0]).toMatchObject({ method: 'POST', url: '/v1/traces', contentType: 'application/json' })
    expect(otlpProblems(received[0].body)).toEqual([])
    expect(received[0].body).toEqual(trace)
  })

  it('reports partial success and receiver errors clearly', async () => {
    store = tempStore()
    store.store.appendSync('loop-x', sampleLoopEvents(), 0)
    const trace = loopTrace(store.store, 'loop-x', { serviceVersion: '0.1.0' })
    const partial = await receiver(200, '{"partialSuccess":{"rejectedSpans":"2","errorMessage":"too old"}}')
    expect(await sendOtlp(partial.url, trace)).toEqual({ status: 200, rejectedSpans: 2, message: 'too old' })
    await new Promise<void>((r) => server!.close(() => r()))
    const failing = await receiver(400, 'bad span')
    const err = await sendOtlp(failing.url, trace).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(OtlpSendError)
    expect((err as Error).message).toMatch(/answered 400 .*bad span/)
  })

  it('says which loop does not exist', () => {
    store = tempStore()
    expect(() => loopTrace(store!.store, 'nope', { serviceVersion: '0.1.0' })).toThrow(/no loop with id nope/)
  })
})
