/**
 * The contract over the web shell: `POST /api/<command>` with the bearer token, and a
 * WebSocket for pushed events that reconnects with backoff.
 */
import { COMMAND_NAMES } from '../../../shared/command-names'
import type { AndonApi, CommandOutput, PushMessage } from '../../../shared/contract'
import { ApiError } from './api-error'
import type { AndonBridge, ConnectionStatus } from './bridge'

async function call(token: string, name: string, input: unknown): Promise<unknown> {
  const res = await fetch(`/api/${name}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(input ?? {})
  })
  return answer(name, res)
}

async function answer(name: string, res: Response): Promise<unknown> {
  const text = await res.text()
  let body: unknown = null
  try {
    body = text ? JSON.parse(text) : null
  } catch {
    throw new ApiError(`${name}: the server answered ${res.status} with a non-JSON body`, res.status)
  }
  if (!res.ok) {
    const err = (body ?? {}) as { error?: string; issues?: { path: string; message: string }[] }
    const hint = res.status === 401 ? ' (open the URL the server printed: it carries the token)' : ''
    throw new ApiError((err.error ?? `${name} failed with ${res.status}`) + hint, res.status, err.issues ?? [])
  }
  return body
}

/** Whether the server is up and answers this token with 401 (a cheap read; a network error is not a refusal). */
async function tokenRefused(token: string): Promise<boolean> {
  try {
    const res = await fetch('/api/getDailyBudget', { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: '{}' })
    return res.status === 401
  } catch {
    return false
  }
}

/** The web shell's raw upload route for bundles (BUNDLE_UPLOAD_PATH in src/main/web/api.ts). */
const BUNDLE_UPLOAD_PATH = '/api/bundles/import'
let uploadToken = ''

/**
 * Import a bundle by sending the file as it is: the browser streams it from disk, so a large
 * bundle is never base64-encoded in the page's memory nor parsed as JSON by the server.
 */
export async function uploadBundle(file: Blob): Promise<CommandOutput<'importBundle'>> {
  const res = await fetch(BUNDLE_UPLOAD_PATH, {
    method: 'POST',
    headers: { Authorization: `Bearer ${uploadToken}`, 'Content-Type': 'application/octet-stream' },
    body: file
  })
  return (await answer('importBundle', res)) as CommandOutput<'importBundle'>
}

export function createWebClient(token: string): AndonBridge {
  uploadToken = token
  const pushListeners = new Set<(msg: PushMessage) => void>()
  const statusListeners = new Set<(status: ConnectionStatus) => void>()
  let socket: WebSocket | null = null
  let delay = 250

  const setStatus = (s: ConnectionStatus) => statusListeners.forEach((l) => l(s))

  function connect(): void {
    setStatus('connecting')
    const proto = location.protocol === 'https:' ? 'wss' : 'ws'
    const ws = new WebSocket(`${proto}://${location.host}/api/events?token=${encodeURIComponent(token)}`)
    socket = ws
    ws.onopen = () => {
      delay = 250
      setStatus('connected')
    }
    // Each frame is an array: what the core pushed in one tick, in order.
    ws.onmessage = (e) => {
      let batch: PushMessage[]
      try {
        batch = JSON.parse(String(e.data)) as PushMessage[]
      } catch {
        return
      }
      if (!Array.isArray(batch)) return
      for (const msg of batch) pushListeners.forEach((l) => l(msg))
    }
    let opened = false
    ws.addEventListener('open', () => (opened = true))
    ws.onclose = () => {
      if (socket !== ws) return
      setStatus('disconnected')
      // A socket refused before it opened may be a rotated token: then no retry can succeed.
      void (opened ? Promise.resolve(false) : tokenRefused(token)).then((refused) => {
        if (refused) return setStatus('token-refused')
        setTimeout(connect, delay)
        delay = Math.min(delay * 2, 5000)
      })
    }
  }

  const api = Object.fromEntries(COMMAND_NAMES.map((name) => [name, (input: unknown) => call(token, name, input)])) as AndonApi
  let started = false
  return {
    ...api,
    onPush(listener) {
      pushListeners.add(listener)
      if (!started) {
        started = true
        connect()
      }
      return () => pushListeners.delete(listener)
    },
    onConnection(listener) {
      statusListeners.add(listener)
      return () => statusListeners.delete(listener)
    }
  }
}
