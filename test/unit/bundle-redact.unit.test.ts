import { describe, expect, it } from 'vitest'
import { Redactor, type RedactionHit } from '../../src/main/core/bundles/redact'
import { secretsFromEnv } from '../../src/main/core/bundles/secrets'

function run(r: Redactor, value: unknown) {
  const hits: RedactionHit[] = []
  return { out: r.redact(value, 'data', hits), hits }
}

describe('redaction', () => {
  it('replaces known token shapes wherever they are, and reports path and rule', () => {
    const { out, hits } = run(new Redactor(), {
      headers: ['Authorization: Bearer eyJhbGciOi.abc.def'],
      env: { a: 'ANTHROPIC_API_KEY=sk-ant-api03-xyzxyzxyzxyz', b: 'ghp_abcdefghijklmnopqrstuvwx12', c: 'github_pat_11ABCDEFG0123456789_abcdefghij' },
      aws: 'AKIAIOSFODNN7EXAMPLE is the key',
      n: 42
    })
    expect(out).toEqual({
      headers: ['Authorization: Bearer [REDACTED:bearer]'],
      env: { a: 'ANTHROPIC_API_KEY=[REDACTED:anthropic-key]', b: '[REDACTED:github-token]', c: '[REDACTED:github-pat]' },
      aws: '[REDACTED:aws-access-key] is the key',
      n: 42
    })
    expect(hits).toEqual([
      { path: 'data.headers[0]', rule: 'bearer' },
      { path: 'data.env.a', rule: 'anthropic-key' },
      { path: 'data.env.b', rule: 'github-token' },
      { path: 'data.env.c', rule: 'github-pat' },
      { path: 'data.aws', rule: 'aws-access-key' }
    ])
  })

  it('replaces secret values from the environment, longest first, ignoring very short ones', () => {
    const r = new Redactor({ secrets: { DB_PASSWORD: 'correct-horse', DB_PASSWORD_OLD: 'correct-horse-battery', PIN: '1234' } })
    const { out, hits } = run(r, 'old correct-horse-battery new correct-horse pin 1234')
    expect(out).toBe('old [REDACTED:env:DB_PASSWORD_OLD] new [REDACTED:env:DB_PASSWORD] pin 1234')
    expect(hits.map((h) => h.rule)).toEqual(['env:DB_PASSWORD_OLD', 'env:DB_PASSWORD'])
  })

  it('applies configured patterns and refuses invalid ones with a clear error', () => {
    const { out } = run(new Redactor({ patterns: ['cust-\\d{6}'] }), 'customer cust-123456 paid')
    expect(out).toBe('customer [REDACTED:pattern:0] paid')
    expect(() => new Redactor({ patterns: ['(unclosed'] })).toThrow(/redaction pattern 0 \(\(unclosed\) is not a usable regular expression/)
  })

  it('writes the home folder as ~ but leaves look-alike paths alone', () => {
    const { out } = run(new Redactor({ homeDir: '/home/alice' }), ['/home/alice/work/spec.yaml', '/home/alice', '/home/alicexyz/x'])
    expect(out).toEqual(['~/work/spec.yaml', '~', '/home/alicexyz/x'])
  })

  it('takes secrets from variables named like secrets or declared by the spec, not PATH or HOME', () => {
    const env = { PATH: '/usr/bin', HOME: '/root', ANTHROPIC_API_KEY: 'k1', GH_TOKEN: 't', DEPLOY_URL: 'https://x', EMPTY_SECRET: '' }
    expect(secretsFromEnv(env, ['DEPLOY_URL'])).toEqual({ ANTHROPIC_API_KEY: 'k1', GH_TOKEN: 't', DEPLOY_URL: 'https://x' })
  })

  it('a known secret is redacted in the encoded forms the recording scrubber knows too', () => {
    const value = 'correct horse battery staple'
    const { out, hits } = run(new Redactor({ secrets: { DEPLOY_PASSWORD: value } }), [
      `b64 ${Buffer.from(value).toString('base64')}`,
      `hex ${Buffer.from(value).toString('hex')}`,
      `url ${encodeURIComponent(value)}`
    ])
    // Of base64, the characters that depend on the secret alone go; a last one mixed with padding may stay.
    expect(out).toEqual([expect.stringMatching(/^b64 \[REDACTED:env:DEPLOY_PASSWORD\].{0,3}$/), 'hex [REDACTED:env:DEPLOY_PASSWORD]', 'url [REDACTED:env:DEPLOY_PASSWORD]'])
    expect(hits.map((h) => h.rule)).toEqual(['env:DEPLOY_PASSWORD', 'env:DEPLOY_PASSWORD', 'env:DEPLOY_PASSWORD'])
  })
})
