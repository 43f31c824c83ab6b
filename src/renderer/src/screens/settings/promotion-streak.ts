/**
 * How many unedited approvals in a row make the track record suggest allowing a tool: the operator's
 * setting (Settings → Approval rules), kept in this browser and read by the inbox and the Launch form.
 */
import { useSyncExternalStore } from 'react'
import { DEFAULT_PROMOTION_SETTINGS, MIN_PROMOTION_STREAK } from '../../../../shared/track-record'

const KEY = 'andon.promotionStreak'
export const MAX_PROMOTION_STREAK = 1000
const listeners = new Set<() => void>()

function read(): number {
  const n = Number(globalThis.localStorage?.getItem(KEY))
  return Number.isInteger(n) && n >= MIN_PROMOTION_STREAK && n <= MAX_PROMOTION_STREAK ? n : DEFAULT_PROMOTION_SETTINGS.streak
}

export function setPromotionStreak(n: number): void {
  localStorage.setItem(KEY, String(n))
  listeners.forEach((l) => l())
}

export function usePromotionStreak(): number {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l)
      return () => listeners.delete(l)
    },
    read
  )
}
