// The window reopens where it was left, and never off-screen whatever the file or the displays say.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadWindowState, parseWindowState, placeWindow, saveWindowState, type Rect, type WindowState } from '../../src/main/electron/window-state'

const size = { width: 1320, height: 860, minWidth: 900, minHeight: 600 }
const laptop: Rect = { x: 0, y: 0, width: 1440, height: 875 }
const monitorRight: Rect = { x: 1440, y: -200, width: 2560, height: 1415 }
const monitorLeft: Rect = { x: -1920, y: 0, width: 1920, height: 1050 }
const saved = (bounds: Rect, maximized = false, fullscreen = false): WindowState => ({ bounds, maximized, fullscreen })

/** Every corner of the window lies inside one work area. */
const inside = (p: { x?: number; y?: number; width: number; height: number }, area: Rect) =>
  p.x !== undefined && p.y !== undefined && p.x >= area.x && p.y >= area.y && p.x + p.width <= area.x + area.width && p.y + p.height <= area.y + area.height

describe('window placement', () => {
  it('reopens exactly where it was on a display still attached, maximized or full screen as it was', () => {
    const bounds = { x: 1600, y: 0, width: 1500, height: 1000 }
    expect(placeWindow(saved(bounds, true), [laptop, monitorRight], size)).toEqual({ ...bounds, maximized: true, fullscreen: false })
    const left = { x: -1800, y: 40, width: 1000, height: 700 }
    expect(placeWindow(saved(left, false, true), [laptop, monitorLeft], size)).toEqual({ ...left, maximized: false, fullscreen: true })
  })

  it('opens at the default size, centred, when its display was unplugged', () => {
    const onGoneMonitor = saved({ x: 1600, y: 100, width: 1500, height: 1000 }, true)
    expect(placeWindow(onGoneMonitor, [laptop], size)).toEqual({ width: 1320, height: 860, maximized: false, fullscreen: false })
  })

  it('is pulled fully onto the display it mostly overlaps when it hangs over an edge', () => {
    const hanging = placeWindow(saved({ x: 1000, y: 500, width: 1320, height: 860 }), [laptop, monitorLeft], size)
    expect(inside(hanging, laptop)).toBe(true)
    expect(hanging).toMatchObject({ width: 1320, height: 860, x: 120, y: 15 })
    // Mostly on the right monitor, which sits higher: moved onto it, not onto the laptop.
    const straddling = placeWindow(saved({ x: 1300, y: -150, width: 1400, height: 900 }), [laptop, monitorRight], size)
    expect(inside(straddling, monitorRight)).toBe(true)
  })

  it('shrinks to a smaller screen, but not below the minimum the screen allows', () => {
    const small: Rect = { x: 0, y: 25, width: 1024, height: 743 }
    const big = placeWindow(saved({ x: 0, y: 0, width: 2400, height: 1300 }), [small], size)
    expect(big).toMatchObject({ x: 0, y: 25, width: 1024, height: 743 })
    const tiny: Rect = { x: 0, y: 0, width: 800, height: 500 }
    expect(placeWindow(saved({ x: 0, y: 0, width: 1000, height: 700 }), [tiny], size)).toMatchObject({ width: 800, height: 500 })
    expect(placeWindow(null, [tiny], size)).toEqual({ width: 800, height: 500, maximized: false, fullscreen: false })
  })

  it('opens at the default size on first launch', () => {
    expect(placeWindow(null, [laptop, monitorRight], size)).toEqual({ width: 1320, height: 860, maximized: false, fullscreen: false })
  })
})

describe('the window-state file', () => {
  it('is read back as written, and written without a temporary file left over', () => {
    const dir = mkdtempSync(join(tmpdir(), 'andon-window-'))
    const path = join(dir, 'window-state.json')
    const state = saved({ x: 10, y: 20, width: 1200, height: 800 }, true)
    saveWindowState(path, state)
    expect(readdirSync(dir)).toEqual(['window-state.json'])
    expect(loadWindowState(path, () => {})).toEqual(state)
    saveWindowState(path, { ...state, maximized: false })
    expect(JSON.parse(readFileSync(path, 'utf8')).maximized).toBe(false)
  })

  it('falls back to defaults, saying why, when damaged; a missing file is simply the first launch', () => {
    const dir = mkdtempSync(join(tmpdir(), 'andon-window-'))
    const warnings: string[] = []
    expect(loadWindowState(join(dir, 'window-state.json'), (m) => warnings.push(m))).toBeNull()
    expect(warnings).toEqual([])
    const path = join(dir, 'window-state.json')
    writeFileSync(path, '{"bounds": {"x": 0, "y": 0, "width": 1200')
    expect(loadWindowState(path, (m) => warnings.push(m))).toBeNull()
    expect(warnings[0]).toMatch(/window-state\.json \(it is not JSON\); the window opens at its default size/)
  })

  it('refuses bounds that are not whole, positive sizes', () => {
    const bad = (bounds: unknown) => parseWindowState(JSON.stringify({ bounds, maximized: false, fullscreen: false }))
    expect(bad({ x: 0, y: 0, width: 0, height: 800 })).toEqual({ error: expect.stringContaining('bounds.width') })
    expect(bad({ x: 'left', y: 0, width: 900, height: 800 })).toEqual({ error: expect.stringContaining('bounds.x') })
    expect(bad({ x: 0, y: 1e9, width: 900, height: 800 })).toEqual({ error: expect.stringContaining('bounds.y') })
    expect(parseWindowState('{"maximized": true}')).toEqual({ error: expect.stringContaining('bounds') })
  })
})
