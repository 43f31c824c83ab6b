/**
 * `GET /api/events`: a WebSocket that pushes every PushMessage from the core as JSON.
 * Browsers cannot set headers on a WebSocket, so the token comes as `?token=`; Host and
 * Origin are checked on the upgrade like every other request.
 */
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocket, WebSocketServer } from 'ws'
import type { Andon } from '../core/andon'
import { checkOrigin, tokenMatches } from './guard'

/** A client this far behind is dropped; it reconnects and resyncs from the API. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024

function refuse(socket: Duplex, status: number, text: string): void {
  socket.write(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
  socket.destroy()
}

export function attachEventSocket(andon: Andon, token: string, port: () => number) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 })
  const unsubscribe = andon.onPush((msg) => {
    if (wss.clients.size === 0) return
    const text = JSON.stringify(msg)
    for (const client of wss.clients) {
      if (client.readyState !== WebSocket.OPEN) continue
      if (client.bufferedAmount > MAX_BUFFERED_BYTES) client.close(1013, 'too far behind; reconnect')
      else client.send(text)
    }
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
