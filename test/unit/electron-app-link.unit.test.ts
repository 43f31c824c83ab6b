// andon:// links open the same views as the web shell's addresses, and nothing else gets through.
import { describe, expect, it } from 'vitest'
import { linkInArgv, parseAppLink } from '../../src/main/electron/app-link'

const hashOf = (link: string) => {
  const result = parseAppLink(link)
  if (!result.ok) throw new Error(`refused: ${result.reason}`)
  return result.hash
}
const reasonOf = (link: string) => {
  const result = parseAppLink(link)
  if (result.ok) throw new Error(`accepted as ${result.hash}`)
  return result.reason
}

describe('andon:// links', () => {
  it('open every screen the web shell addresses', () => {
    expect(hashOf('andon://loop/l-42')).toBe('#/loop/l-42')
    expect(hashOf('andon://loop/l-42/patch')).toBe('#/loop/l-42/patch')
    expect(hashOf('andon://loop/l-42/travel/7')).toBe('#/loop/l-42/travel/7')
    expect(hashOf('andon://inbox')).toBe('#/inbox')
    expect(hashOf('andon://inbox/l-42:approval:call_9')).toBe('#/inbox/l-42%3Aapproval%3Acall_9')
    for (const screen of ['launch', 'fleet', 'keys', 'settings']) expect(hashOf(`andon://${screen}`)).toBe(`#/${screen}`)
  })

  it('read the scheme in any case, and only the scheme', () => {
    expect(hashOf('ANDON://fleet')).toBe('#/fleet')
    expect(hashOf('Andon://loop/L-42/patch')).toBe('#/loop/L-42/patch')
    expect(reasonOf('andon://FLEET')).toMatch(/^the link names no known screen/)
  })

  it('encode each part once, as the renderer writes its own addresses', () => {
    expect(hashOf('andon://loop/a%2Fb%20c/compare/3')).toBe('#/loop/a%2Fb%20c/compare/3')
    expect(hashOf('andon://inbox/l1:approval:c1')).toBe('#/inbox/l1%3Aapproval%3Ac1')
    expect(hashOf('andon://inbox/l1%3Aapproval%3Ac1')).toBe('#/inbox/l1%3Aapproval%3Ac1')
    expect(hashOf('andon://loop/caf%C3%A9')).toBe('#/loop/caf%C3%A9')
  })

  it('drop a query, a fragment and any token riding along, and a trailing slash', () => {
    expect(hashOf('andon://loop/l1/patch?token=secret&x=1')).toBe('#/loop/l1/patch')
    expect(hashOf('andon://inbox#token=secret')).toBe('#/inbox')
    expect(hashOf('andon://fleet/')).toBe('#/fleet')
  })

  it('refuse other schemes, unknown screens and tabs, credentials and malformed parts, without quoting the link', () => {
    expect(reasonOf('https://loop/l1')).toBe('the link does not start with andon://')
    expect(reasonOf('andon:loop/l1')).toBe('the link does not start with andon://')
    expect(reasonOf('andon://approve/l1')).toMatch(/^the link names no known screen/)
    expect(reasonOf('andon://user:pw@loop/l1')).toBe('the link carries credentials')
    expect(reasonOf('andon://loop/l1/run')).toMatch(/^a loop has no such tab/)
    expect(reasonOf('andon://loop/l1/patch/two')).toBe('an iteration is a whole number')
    expect(reasonOf('andon://loop/l1/patch/2/approve')).toMatch(/more parts than a loop view/)
    expect(reasonOf('andon://loop')).toMatch(/names no loop/)
    expect(reasonOf('andon://loop//patch')).toBe('the link has an empty part')
    expect(reasonOf('andon://loop/..')).toBe('the link has no loop id')
    expect(reasonOf('andon://loop/%E0%A4%A')).toBe('the loop id is not valid URL encoding')
    expect(reasonOf('andon://loop/a%0Ab')).toBe('the loop id contains control characters')
    expect(reasonOf('andon://loop/a b')).toMatch(/spaces/)
    expect(reasonOf('andon://inbox/a/b')).toMatch(/more parts than an inbox item/)
    expect(reasonOf('andon://settings/webhooks')).toBe('the settings screen takes nothing after its name')
    expect(reasonOf(`andon://loop/${'x'.repeat(513)}`)).toBe('the loop id is longer than 512 characters')
    expect(reasonOf(`andon://inbox/${'y'.repeat(2100)}`)).toBe('the link is longer than 2048 characters')
    expect(reasonOf('andon://approve/tok_5ecret')).not.toContain('tok_5ecret')
  })

  it('are found among a launch arguments, after Chromium flags, and opened whatever the case of their scheme', () => {
    expect(linkInArgv(['/opt/Andon/andon', '--no-sandbox', 'andon://inbox/k1'])).toBe('andon://inbox/k1')
    expect(linkInArgv(['C:\\Andon\\Andon.exe', '--allow-file-access-from-files', 'ANDON://fleet'])).toBe('ANDON://fleet')
    expect(linkInArgv(['/opt/Andon/andon', '--data-dir', '/tmp/x'])).toBeNull()
    expect(hashOf(linkInArgv(['C:\\Andon\\Andon.exe', 'ANDON://inbox/k1'])!)).toBe('#/inbox/k1')
  })
})
