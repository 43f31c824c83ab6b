/**
 * `GET /api/events`: a WebSocket that pushes every PushMessage from the core, as JSON arrays:
 * what the core pushes within one turn of the event loop (a group commit of many loops' appends)
 * goes out as one frame, in order, so a busy core costs the page one message per tick, not per event.
 * Browsers cannot set headers on a WebSocket, so the token comes as `?token=`; Host and
 * Origin are checked on the upgrade like every other request.
 */
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocket, WebSocketServer } from 'ws'
import type { PushMessage } from '../../shared/contract'
import type { Andon } from '../core/andon'
import { checkOrigin, tokenMatches } from './guard'

/** A client this far behind is dropped; it reconnects and resyncs from the API. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024
/** A bulk append (an import, a fork) is split into frames the page parses a piece at a time. */
const MAX_FRAME_MESSAGES = 256

function refuse(socket: Duplex, status: number, text: string): void {
  socket.write(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
  socket.destroy()
}

export function attachEventSocket(andon: Andon, token: string, port: () => number) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 })
  let pending: PushMessage[] = []
  function send(): void {
    const batch = pending
    pending = []
    for (let i = 0; i < batch.length && wss.clients.size > 0; i += MAX_FRAME_MESSAGES) {
      const text = JSON.stringify(batch.slice(i, i + MAX_FRAME_MESSAGES))
      for (const client of wss.clients) {
        if (client.readyState !== WebSocket.OPEN) continue
        if (client.bufferedAmount > MAX_BUFFERED_BYTES) client.close(1013, 'too far behind; reconnect')
        else client.send(text)
      }
    }
  }
  const unsubscribe = andon.onPush((msg) => {
    if (wss.clients.size === 0) return
    if (pending.length === 0) setImmediate(send)
    pending.push(msg)
  })

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname !== '/api/events') return refuse(socket, 404, 'Not Found')
    const refusal = checkOrigin(req, port())
    if (refusal) return refuse(socket, refusal.status, 'Forbidden')
    if (!tokenMatches(url.searchParams.get('token'), token)) return refuse(socket, 401, 'Unauthorized')
    wss.handleUpgrade(req, socket, head, (ws) => {
      // Clients only listen; anything they send is ignored.
      ws.on('message', () => undefined)
      ws.on('error', () => ws.terminate())
    })
  }

  return {
    onUpgrade,
    close(): void {
      unsubscribe()
      for (const client of wss.clients) client.terminate()
      wss.close()
    }
  }
}
