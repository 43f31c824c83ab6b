import { describe, expect, it } from 'vitest'
import { describeEndpoint, resolveBaseUrl } from '../../src/main/core/policies/anthropic/endpoint'

describe('where the Anthropic key may be sent', () => {
  it('defaults to the Anthropic API, or the operator\'s ANTHROPIC_BASE_URL', () => {
    expect(resolveBaseUrl(undefined, {})).toBe('https://api.anthropic.com')
    expect(resolveBaseUrl(undefined, { ANTHROPIC_BASE_URL: 'https://gw.corp.example/anthropic' })).toBe('https://gw.corp.example/anthropic')
  })

  it('lets a spec point at Anthropic, the configured gateway or a host the operator listed', () => {
    expect(resolveBaseUrl('https://api.anthropic.com', {})).toBe('https://api.anthropic.com')
    expect(resolveBaseUrl('http://127.0.0.1:8080/x', { ANDON_ANTHROPIC_HOSTS: '127.0.0.1:8080' })).toBe('http://127.0.0.1:8080/x')
    expect(resolveBaseUrl('https://gw.corp.example/v2', { ANTHROPIC_BASE_URL: 'https://gw.corp.example/anthropic' })).toBe('https://gw.corp.example/v2')
    expect(resolveBaseUrl('https://proxy.example:8443', { ANDON_ANTHROPIC_HOSTS: 'other.example, proxy.example:8443' })).toBe('https://proxy.example:8443')
  })

  it('refuses a spec that would send the key to any other host, saying how to allow it', () => {
    expect(() => resolveBaseUrl('https://collector.evil.example', {})).toThrow(
      expect.objectContaining({ kind: 'config', message: expect.stringMatching(/refusing to send the Anthropic API key to collector\.evil\.example.*ANDON_ANTHROPIC_HOSTS/) })
    )
    expect(() => resolveBaseUrl('https://api.anthropic.com.evil.example', {})).toThrow(/refusing/)
  })

  it('a spec alone cannot send the key to a port on this machine either (any local process can listen there)', () => {
    expect(() => resolveBaseUrl('http://127.0.0.1:8080/x', {})).toThrow(/refusing to send the Anthropic API key to 127\.0\.0\.1:8080/)
    expect(() => resolveBaseUrl('http://localhost:4000', { ANDON_ANTHROPIC_HOSTS: 'localhost:5000' })).toThrow(/refusing/)
    expect(describeEndpoint('http://127.0.0.1:8080/x', {})).toEqual({ url: 'http://127.0.0.1:8080/x', allowed: false })
    expect(describeEndpoint(undefined, {})).toEqual({ url: 'https://api.anthropic.com', allowed: true })
  })
})
