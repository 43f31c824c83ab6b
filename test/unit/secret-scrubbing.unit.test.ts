import { describe, expect, it } from 'vitest'
import { SecretScrubber } from '../../src/main/core/secrets/scrubber'
import { StreamScrubber, type OutputPiece } from '../../src/main/core/secrets/stream-scrubber'

const KEY = 'sk-ant-api03-Zq9xW3vL7pR2mN8k'
const scrubber = new SecretScrubber({ ANTHROPIC_API_KEY: KEY, SHORT: 'abc' })

function streamed(pieces: [string, string][]): OutputPiece[] {
  const s = new StreamScrubber(scrubber)
  return [...pieces.flatMap(([stream, chunk]) => s.push(stream, chunk)), ...s.end()]
}
const text = (out: OutputPiece[]) => out.map((p) => p.chunk).join('')

describe('secret scrubbing', () => {
  it('finds a secret in every form it is commonly printed in', () => {
    const b64 = Buffer.from(KEY).toString('base64')
    const inBlob = Buffer.from(`xy${KEY}z`).toString('base64')
    const forms = [KEY, b64, b64.replace(/=+$/, ''), inBlob, Buffer.from(KEY).toString('hex'), Buffer.from(KEY).toString('hex').toUpperCase(), encodeURIComponent(`k=${KEY}&`)]
    for (const form of forms) {
      const out = scrubber.scrubText(`before ${form} after`)
      expect(out, form).toContain('[redacted:ANTHROPIC_API_KEY]')
      expect(out, form).not.toContain(KEY.slice(8, 20))
    }
    // Values too short to tell from text are left alone.
    expect(scrubber.scrubText('abc abc')).toBe('abc abc')
  })

  it('a secret split across chunks, or across stdout and stderr, is scrubbed as one', () => {
    const split = streamed([
      ['stdout', `token: ${KEY.slice(0, 9)}`],
      ['stdout', KEY.slice(9, 20)],
      ['stdout', `${KEY.slice(20)} done\n`]
    ])
    expect(text(split)).toBe('token: [redacted:ANTHROPIC_API_KEY] done\n')
    const across = streamed([
      ['stdout', `half ${KEY.slice(0, 15)}`],
      ['stderr', `${KEY.slice(15)}!`]
    ])
    expect(text(across)).toBe('half [redacted:ANTHROPIC_API_KEY]!')
    expect(across.map((p) => p.stream)).toEqual(['stdout', 'stderr'])
    expect(across[1].chunk).toBe('!')
  })

  it('holds back only what could begin a secret: the rest streams at once', () => {
    const s = new StreamScrubber(scrubber)
    const first = s.push('stdout', `${'x'.repeat(500)}`)
    expect(text(first).length).toBeGreaterThan(500 - scrubber.longest)
    expect(text([...first, ...s.end()])).toBe('x'.repeat(500))
  })

  it('output cut inside a secret loses the piece it holds', () => {
    // The output cap or the excerpt's start can fall inside a key.
    expect(text(streamed([['stdout', `key=${KEY.slice(0, 16)}`]]))).toBe('key=[redacted:ANTHROPIC_API_KEY]')
    expect(scrubber.scrubEdges(`${KEY.slice(10)} was the key`, { start: true })).toBe('[redacted:ANTHROPIC_API_KEY] was the key')
    expect(scrubber.scrubEdges('plain text', { start: true, end: true })).toBe('plain text')
  })

  it('scrubs deep values and leaves clean ones untouched (same object)', () => {
    const clean = { a: ['x', { b: 'y' }] }
    expect(scrubber.scrubValue(clean)).toBe(clean)
    expect(scrubber.scrubValue({ a: [`${KEY}`, { b: `url ${encodeURIComponent(KEY)}` }] })).toEqual({ a: ['[redacted:ANTHROPIC_API_KEY]', { b: 'url [redacted:ANTHROPIC_API_KEY]' }] })
  })
})
