/** Run a contract command from a button: tracks busy state and reports failures in the status bar. */
import { useCallback, useState } from 'react'
import { useStore } from '../store'
import { errorMessage } from '../transport'

export function useCommand() {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const run = useCallback(async <T,>(what: string, fn: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true)
    setError(null)
    try {
      return await fn()
    } catch (err) {
      const text = `${what}: ${errorMessage(err)}`
      setError(text)
      useStore.getState().notify(text)
      return undefined
    } finally {
      setBusy(false)
    }
  }, [])
  return { busy, error, run, setError }
}
