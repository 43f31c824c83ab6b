/**
 * How many approvals and escalations wait across loops, for the dock badge, the tray and the
 * window title: an operator working in another app sees that Andon needs them without looking.
 * Kept per loop from the summaries the core pushes, so each event costs one map update. Pure.
 */
import type { LoopSummary } from '../../shared/contract'

type Waiting = Pick<LoopSummary, 'loopId' | 'waiting' | 'archived'>

export class WaitingCount {
  private readonly perLoop = new Map<string, number>()
  private sum = 0

  get total(): number {
    return this.sum
  }

  /** Starts over from the listed loops (archived ones are not listed, so they count for nothing). */
  seed(loops: readonly Waiting[]): void {
    this.perLoop.clear()
    this.sum = 0
    for (const loop of loops) this.update(loop)
  }

  /** A pushed summary; returns whether the total changed. */
  update(loop: Waiting): boolean {
    const before = this.sum
    const next = loop.archived ? 0 : Math.max(0, loop.waiting)
    this.sum += next - (this.perLoop.get(loop.loopId) ?? 0)
    if (next === 0) this.perLoop.delete(loop.loopId)
    else this.perLoop.set(loop.loopId, next)
    return this.sum !== before
  }
}

export const windowTitle = (waiting: number): string => (waiting > 0 ? `Andon (${waiting} waiting)` : 'Andon')

export const trayTooltip = (waiting: number): string => `Andon — ${waiting > 0 ? `${waiting} waiting` : 'nothing waiting'}`

/** Ask for attention (Windows taskbar flash, macOS dock bounce, Linux urgency hint) when more wait and the operator looks elsewhere. */
export const shouldFlash = (before: number, after: number, focused: boolean): boolean => after > before && !focused
