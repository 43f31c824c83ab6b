/**
 * The window reopens where the operator left it: bounds, maximized and full screen, kept in
 * `<userData>/window-state.json`. The file is read with zod and the bounds fitted to the displays
 * attached now, so a damaged file or a monitor unplugged since never opens the window off-screen.
 * No `electron` import: the shell passes in the displays' work areas, and the tests do too.
 */
import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { writeFileAtomically } from '../core/platform/write-file-atomically'

export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

const Dimension = z.number().int().min(1).max(100_000)
const Coordinate = z.number().int().min(-100_000).max(100_000)

const WindowStateSchema = z
  .object({
    bounds: z.object({ x: Coordinate, y: Coordinate, width: Dimension, height: Dimension }),
    maximized: z.boolean(),
    fullscreen: z.boolean()
  })
  .strip()

export type WindowState = z.infer<typeof WindowStateSchema>

/** Where and how the window opens: no x/y lets the system centre it. */
export interface WindowPlacement {
  width: number
  height: number
  x?: number
  y?: number
  maximized: boolean
  fullscreen: boolean
}

export interface WindowSize {
  width: number
  height: number
  minWidth: number
  minHeight: number
}

/** The saved state, or why it cannot be used. */
export function parseWindowState(text: string): { state: WindowState } | { error: string } {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { error: 'it is not JSON' }
  }
  const parsed = WindowStateSchema.safeParse(json)
  if (!parsed.success) return { error: parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ') }
  return { state: parsed.data }
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  return w > 0 && h > 0 ? w * h : 0
}

const clamp = (value: number, min: number, max: number) => Math.max(min, Math.min(value, max))

/** The default size, shrunk to the primary work area (`workAreas[0]`) on a small screen; centred. */
function defaultPlacement(size: WindowSize, primary: Rect | undefined): WindowPlacement {
  const width = primary ? Math.min(size.width, primary.width) : size.width
  const height = primary ? Math.min(size.height, primary.height) : size.height
  return { width, height, maximized: false, fullscreen: false }
}

/**
 * Fits the saved state to the displays' work areas (primary first). A window that no longer
 * overlaps any display opens at the default size; one that does is moved and shrunk onto the
 * display it overlaps most, so its whole frame (title bar included) can be reached.
 */
export function placeWindow(saved: WindowState | null, workAreas: readonly Rect[], size: WindowSize): WindowPlacement {
  if (!saved || workAreas.length === 0) return defaultPlacement(size, workAreas[0])
  let best: Rect | null = null
  let bestOverlap = 0
  for (const area of workAreas) {
    const o = overlap(saved.bounds, area)
    if (o > bestOverlap) [best, bestOverlap] = [area, o]
  }
  if (!best) return defaultPlacement(size, workAreas[0])
  const width = clamp(saved.bounds.width, Math.min(size.minWidth, best.width), best.width)
  const height = clamp(saved.bounds.height, Math.min(size.minHeight, best.height), best.height)
  return {
    width,
    height,
    x: clamp(saved.bounds.x, best.x, best.x + best.width - width),
    y: clamp(saved.bounds.y, best.y, best.y + best.height - height),
    maximized: saved.maximized,
    fullscreen: saved.fullscreen
  }
}

/** Reads the file; a missing one is the first launch, a damaged one is reported and ignored. */
export function loadWindowState(path: string, warn: (message: string) => void): WindowState | null {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') warn(`Andon could not read ${path}; the window opens at its default size.`)
    return null
  }
  const result = parseWindowState(text)
  if ('error' in result) {
    warn(`Andon ignored ${path} (${result.error}); the window opens at its default size.`)
    return null
  }
  return result.state
}

/** Writes the file through a temporary one, so a crash mid-write never leaves half a file. */
export function saveWindowState(path: string, state: WindowState): void {
  writeFileAtomically(path, `${JSON.stringify(state, null, 2)}\n`)
}
