// Views asked for from outside the window, and menu commands chosen with none open, reach it once
// its renderer listens, and bring it forward (or open it).
import { describe, expect, it } from 'vitest'
import { ViewRequests, type RendererChannel } from '../../src/main/electron/view-requests'

function setup() {
  const warnings: string[] = []
  const shown: string[] = []
  const ran: string[] = []
  let broughtForward = 0
  const views = new ViewRequests((m) => warnings.push(m))
  views.onRequest(() => broughtForward++)
  const renderer: RendererChannel = { navigate: (h) => void shown.push(h), menu: (a) => void ran.push(a) }
  return { views, warnings, shown, ran, renderer, forwards: () => broughtForward }
}

describe('view requests', () => {
  it('hold the link that started the app until the renderer listens, keeping only the latest', () => {
    const { views, shown, renderer } = setup()
    views.openLink('andon://fleet')
    views.openLink('andon://inbox/l1:approval:c1')
    expect(shown).toEqual([])
    views.attach(renderer)
    expect(shown).toEqual(['#/inbox/l1%3Aapproval%3Ac1'])
    views.attach(renderer)
    expect(shown).toHaveLength(1)
  })

  it('go straight to a listening renderer, and wait again while the window reloads', () => {
    const { views, shown, renderer, forwards } = setup()
    views.attach(renderer)
    views.show('#/loop/l1')
    expect(shown).toEqual(['#/loop/l1'])
    views.detach()
    views.show('#/inbox')
    expect(shown).toEqual(['#/loop/l1'])
    views.attach(renderer)
    expect(shown).toEqual(['#/loop/l1', '#/inbox'])
    expect(forwards()).toBe(2)
  })

  it('open the link among a launch arguments, and leave the view alone without one', () => {
    const { views, shown, renderer, forwards } = setup()
    views.attach(renderer)
    views.openArgv(['/opt/Andon/andon', '--no-sandbox', 'andon://loop/l7/patch'])
    views.openArgv(['/opt/Andon/andon'])
    expect(shown).toEqual(['#/loop/l7/patch'])
    views.reveal()
    expect(forwards()).toBe(2)
    expect(shown).toEqual(['#/loop/l7/patch'])
  })

  it('run a menu command chosen with no window once one has opened and loaded, after the view that waited', () => {
    const { views, shown, ran, renderer, forwards } = setup()
    views.runMenu('launch')
    views.openLink('andon://inbox')
    views.runMenu('show-inbox')
    expect(ran).toEqual([])
    expect(forwards()).toBe(3)
    views.attach(renderer)
    expect(shown).toEqual(['#/inbox'])
    expect(ran).toEqual(['launch', 'show-inbox'])
    views.attach(renderer)
    expect(ran).toHaveLength(2)
  })

  it('send a menu command straight to a listening renderer without moving the window', () => {
    const { views, ran, renderer, forwards } = setup()
    views.attach(renderer)
    views.runMenu('next-item')
    expect(ran).toEqual(['next-item'])
    expect(forwards()).toBe(0)
    views.detach()
    views.runMenu('approve')
    expect(ran).toEqual(['next-item'])
    views.attach(renderer)
    expect(ran).toEqual(['next-item', 'approve'])
  })

  it('log a refused link and change nothing', () => {
    const { views, shown, renderer, warnings, forwards } = setup()
    views.attach(renderer)
    views.openLink('andon://approve/l1')
    expect(shown).toEqual([])
    expect(forwards()).toBe(0)
    expect(warnings).toEqual([expect.stringMatching(/^Andon ignored an andon:\/\/ link: the link names no known screen/)])
  })
})
