import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { checkOrigin, tokenMatches } from '../../src/main/web/guard'

const req = (remoteAddress: string, headers: Record<string, string>) => ({ socket: { remoteAddress }, headers }) as unknown as IncomingMessage

describe('web shell request guard', () => {
  it('serves loopback peers with our own Host and Origin', () => {
    expect(checkOrigin(req('127.0.0.1', { host: '127.0.0.1:4000', origin: 'http://127.0.0.1:4000' }), 4000)).toBeNull()
    expect(checkOrigin(req('::ffff:127.0.0.1', { host: 'localhost:4000' }), 4000)).toBeNull()
  })
  it('refuses peers from any other address, even with the right Host', () => {
    for (const peer of ['10.0.0.5', '192.168.1.20', '172.17.0.1', '::ffff:10.0.0.5', '8.8.8.8']) {
      expect(checkOrigin(req(peer, { host: '127.0.0.1:4000' }), 4000)).toMatchObject({ status: 403 })
    }
  })
  it('refuses a rebound Host and a foreign Origin', () => {
    expect(checkOrigin(req('127.0.0.1', { host: 'evil.example:4000' }), 4000)).toMatchObject({ status: 421 })
    expect(checkOrigin(req('127.0.0.1', { host: '127.0.0.1:4001' }), 4000)).toMatchObject({ status: 421 })
    expect(checkOrigin(req('127.0.0.1', { host: '127.0.0.1:4000', origin: 'http://evil.example' }), 4000)).toMatchObject({ status: 403 })
  })
  it('compares tokens exactly', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true)
    expect(tokenMatches('abd', 'abc')).toBe(false)
    expect(tokenMatches('ab', 'abc')).toBe(false)
    expect(tokenMatches(null, 'abc')).toBe(false)
  })
})
