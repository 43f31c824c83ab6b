/**
 * The view's address: what each fragment opens, the fragment each view writes, the token split
 * off a printed link, and addresses that are wrong saying what is wrong without showing a token
 * pasted into them.
 */
import { describe, expect, it } from 'vitest'
import { formatRoute, parseRoute, routeOf, splitToken, type Route } from './route'

describe('reading an address', () => {
  it('opens a loop at its tab and iteration', () => {
    expect(parseRoute('#/loop/l_01HX/patch/7')).toEqual({ view: 'loop', loopId: 'l_01HX', tab: 'patch', iteration: 7 })
    expect(parseRoute('#/loop/l_01HX/compare')).toEqual({ view: 'loop', loopId: 'l_01HX', tab: 'compare', iteration: null })
    expect(parseRoute('#/loop/l_01HX')).toEqual({ view: 'loop', loopId: 'l_01HX', tab: 'timeline', iteration: null })
    expect(parseRoute('#/loop/l_01HX/timeline/0')).toEqual({ view: 'loop', loopId: 'l_01HX', tab: 'timeline', iteration: 0 })
  })

  it('opens the inbox, with or without an item', () => {
    expect(parseRoute('#/inbox')).toEqual({ view: 'inbox', item: null })
    expect(parseRoute('#/inbox/l1%3Aapproval%3Acall-3')).toEqual({ view: 'inbox', item: 'l1:approval:call-3' })
  })

  it('opens the plain screens, and the launch form when there is no address', () => {
    expect(parseRoute('#/keys')).toEqual({ view: 'keys' })
    expect(parseRoute('#/settings')).toEqual({ view: 'settings' })
    expect(parseRoute('#/fleet')).toEqual({ view: 'fleet' })
    expect(parseRoute('#/launch/')).toEqual({ view: 'launch' })
    expect(parseRoute('')).toEqual({ view: 'launch' })
    expect(parseRoute('#')).toEqual({ view: 'launch' })
    expect(parseRoute('#/')).toEqual({ view: 'launch' })
  })

  it('decodes ids with slashes, percent signs, question marks and non-Latin letters', () => {
    expect(parseRoute('#/loop/a%2Fb%25c%3Fd%23%C3%A9%E8%A1%8C/travel')).toEqual({ view: 'loop', loopId: 'a/b%c?d#é行', tab: 'travel', iteration: null })
  })
})

describe('an address that is wrong says what is wrong', () => {
  it.each([
    ['#/fleets', /no screen "fleets"/],
    ['#/__proto__', /no screen "__proto__"/],
    ['#/constructor', /no screen "constructor"/],
    ['#/loop', /names no loop/],
    ['#/loop//timeline', /empty loop id/],
    ['#/loop/l1/history', /no tab "history"/],
    ['#/loop/l1/toString', /no tab "toString"/],
    ['#/loop/l1/timeline/-1', /no iteration "-1": an iteration is a whole number/],
    ['#/loop/l1/timeline/1e3', /no iteration "1e3"/],
    ['#/loop/l1/timeline/007', /no iteration "007"/],
    ['#/loop/l1/timeline/99999999999', /whole number/],
    ['#/loop/l1/timeline/3/extra', /more parts than a loop view/],
    ['#/loop/%E0%A4%A/timeline', /not valid URL encoding/],
    ['#/loop/a%00b', /control characters/],
    ['#/loop/' + 'x'.repeat(600), /longer than 512/],
    ['#/inbox/a/b', /more parts than an inbox item/],
    ['#/keys/1', /takes nothing after its name/],
    ['#loop/l1', /must start with "#\/"/]
  ])('%s', (hash, message) => {
    expect(() => parseRoute(hash)).toThrow(message)
  })
})

describe('an address that is wrong never repeats a token pasted into it', () => {
  const token = 'Zq8xKp3vLw9nRt5yHb2mJc7dFg4sAe6uXo1iNk0_-Ab'
  it.each([
    [`#${token}`, /must start with "#\/"/],
    [`#access_token=${token}`, /must start with "#\/"/],
    [`#/${token}`, /names no such screen/],
    [`#/loop/l1/${token}`, /no such tab/],
    [`#/loop/l1/timeline/${token}`, /names no such iteration/],
    [`#/loop/l1/timeline/3/${token}`, /more parts than a loop view/],
    [`#/loop/%E0%A4%A${token}`, /not valid URL encoding/],
    [`#/inbox/i1/${token}`, /more parts than an inbox item/],
    [`#/keys/${token}`, /takes nothing after its name/]
  ])('%s', (hash, message) => {
    expect(() => parseRoute(hash)).toThrow(message)
    expect(() => parseRoute(hash)).not.toThrow(token.slice(0, 8))
  })
})

describe('writing an address', () => {
  it('spells each view one way', () => {
    expect(formatRoute({ view: 'loop', loopId: 'l1', tab: 'timeline', iteration: 3 })).toBe('#/loop/l1/timeline/3')
    expect(formatRoute({ view: 'loop', loopId: 'l1', tab: 'patch', iteration: null })).toBe('#/loop/l1/patch')
    expect(formatRoute({ view: 'inbox', item: null })).toBe('#/inbox')
    expect(formatRoute({ view: 'launch' })).toBe('#/launch')
  })

  it('reads back every view it writes, whatever characters the ids hold', () => {
    const routes: Route[] = [
      { view: 'loop', loopId: 'a/b?token=x&y#z %2F', tab: 'travel', iteration: 12 },
      { view: 'loop', loopId: 'imported:l1', tab: 'compare', iteration: null },
      { view: 'inbox', item: 'l/1:escalation:pkt?=&#' },
      { view: 'keys' }
    ]
    for (const route of routes) {
      const hash = formatRoute(route)
      // Delimiters inside an id are encoded, so a token or a second fragment cannot be smuggled in.
      expect(hash.slice(1)).not.toMatch(/[?&#]/)
      expect(parseRoute(hash)).toEqual(route)
      // A token added to a deep link leaves the view as it was.
      const { token, hash: rest } = splitToken(`${hash}?token=t0k`)
      expect(token).toBe('t0k')
      expect(parseRoute(rest)).toEqual(route)
    }
  })

  it('takes the store view: a loop view with no loop falls back to the launch form', () => {
    const st = { view: 'loop' as const, selectedLoopId: 'l1', loopTab: 'patch' as const, selectedIteration: 2, openInboxKey: null }
    expect(routeOf(st)).toEqual({ view: 'loop', loopId: 'l1', tab: 'patch', iteration: 2 })
    expect(routeOf({ ...st, selectedLoopId: null })).toEqual({ view: 'launch' })
    expect(routeOf({ ...st, view: 'inbox', openInboxKey: 'l1:approval:c1' })).toEqual({ view: 'inbox', item: 'l1:approval:c1' })
  })
})

describe('the token in the fragment', () => {
  it('is taken from the URL the web shell prints, leaving no address: the launch form', () => {
    expect(splitToken('#token=abc_-DEF')).toEqual({ token: 'abc_-DEF', hash: '' })
    expect(parseRoute(splitToken('#token=abc_-DEF').hash)).toEqual({ view: 'launch' })
  })

  it('is taken from a deep link, leaving the view', () => {
    expect(splitToken('#/loop/l1/patch/4?token=abc')).toEqual({ token: 'abc', hash: '#/loop/l1/patch/4' })
    expect(splitToken('#/inbox?x=1&token=abc')).toEqual({ token: 'abc', hash: '#/inbox?x=1' })
  })

  it('is absent from an address without one', () => {
    expect(splitToken('#/loop/l1')).toEqual({ token: null, hash: '#/loop/l1' })
    expect(splitToken('')).toEqual({ token: null, hash: '' })
    expect(splitToken('#/loop/l1?token=')).toEqual({ token: null, hash: '#/loop/l1' })
  })
})
