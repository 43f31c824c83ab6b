/**
 * The fleet figures, fetched again as pushed events change the loops (at most once a second, so a
 * busy fleet does not turn every batch of events into a query).
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import type { FleetStats } from '../../../../shared/fleet'
import { useStore } from '../../store'
import { andon, errorMessage } from '../../transport'

const REFRESH_EVERY_MS = 1000

export function useFleetStats(days: number): { stats: FleetStats | null; error: string | null; reload(): Promise<void> } {
  const loops = useStore((st) => st.loops)
  const [stats, setStats] = useState<FleetStats | null>(null)
  const [error, setError] = useState<string | null>(null)
  // Only the newest request's answer is shown, whatever order the answers arrive in.
  const request = useRef(0)
  const lastLoad = useRef(0)
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)

  const reload = useCallback(async () => {
    const mine = ++request.current
    lastLoad.current = Date.now()
    try {
      const next = await andon.fleetStats({ days })
      if (mine !== request.current) return
      setStats(next)
      setError(null)
    } catch (err) {
      if (mine === request.current) setError(errorMessage(err))
    }
  }, [days])
  const latestReload = useRef(reload)
  latestReload.current = reload

  useEffect(() => {
    void reload()
  }, [reload])

  useEffect(() => {
    if (timer.current) return
    const wait = Math.max(0, lastLoad.current + REFRESH_EVERY_MS - Date.now())
    timer.current = setTimeout(() => {
      timer.current = null
      void latestReload.current()
    }, wait)
  }, [loops])

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current)
    },
    []
  )
  return { stats, error, reload }
}
