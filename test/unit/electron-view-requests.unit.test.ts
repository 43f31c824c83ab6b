// Views asked for from outside the window reach it once its renderer listens, and bring it forward.
import { describe, expect, it } from 'vitest'
import { ViewRequests } from '../../src/main/electron/view-requests'

function setup() {
  const warnings: string[] = []
  const shown: string[] = []
  let broughtForward = 0
  const views = new ViewRequests((m) => warnings.push(m))
  views.onRequest(() => broughtForward++)
  return { views, warnings, shown, navigate: (h: string) => shown.push(h), forwards: () => broughtForward }
}

describe('view requests', () => {
  it('hold the link that started the app until the renderer listens, keeping only the latest', () => {
    const { views, shown, navigate } = setup()
    views.openLink('andon://fleet')
    views.openLink('andon://inbox/l1:approval:c1')
    expect(shown).toEqual([])
    views.attach(navigate)
    expect(shown).toEqual(['#/inbox/l1%3Aapproval%3Ac1'])
    views.attach(navigate)
    expect(shown).toHaveLength(1)
  })

  it('go straight to a listening renderer, and wait again while the window reloads', () => {
    const { views, shown, navigate, forwards } = setup()
    views.attach(navigate)
    views.show('#/loop/l1')
    expect(shown).toEqual(['#/loop/l1'])
    views.detach()
    views.show('#/inbox')
    expect(shown).toEqual(['#/loop/l1'])
    views.attach(navigate)
    expect(shown).toEqual(['#/loop/l1', '#/inbox'])
    expect(forwards()).toBe(2)
  })

  it('open the link among a launch arguments, and leave the view alone without one', () => {
    const { views, shown, navigate, forwards } = setup()
    views.attach(navigate)
    views.openArgv(['/opt/Andon/andon', '--no-sandbox', 'andon://loop/l7/patch'])
    views.openArgv(['/opt/Andon/andon'])
    expect(shown).toEqual(['#/loop/l7/patch'])
    views.reveal()
    expect(forwards()).toBe(2)
    expect(shown).toEqual(['#/loop/l7/patch'])
  })

  it('log a refused link and change nothing', () => {
    const { views, shown, navigate, warnings, forwards } = setup()
    views.attach(navigate)
    views.openLink('andon://approve/l1')
    expect(shown).toEqual([])
    expect(forwards()).toBe(0)
    expect(warnings).toEqual([expect.stringMatching(/^Andon ignored an andon:\/\/ link: the link names no known screen/)])
  })
})
