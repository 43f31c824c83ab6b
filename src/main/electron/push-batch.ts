/**
 * Pushes to the window in batches: what the core pushes within one turn of the event loop (a group
 * commit of many loops' appends) goes to the renderer as one IPC message, in order, as the web
 * shell's WebSocket sends one frame per tick. A bulk append (an import, a fork) is split so the
 * page takes it a piece at a time. No electron import: the sender is passed in.
 */
import type { PushMessage } from '../../shared/contract'

/** The most messages in one IPC message (the web shell splits its frames at the same size). */
export const MAX_BATCH_MESSAGES = 256

/** Returns the push listener; `send` gets each batch, `schedule` runs the flush after this turn. */
export function batchPushes(send: (batch: PushMessage[]) => void, schedule: (flush: () => void) => void = setImmediate): (msg: PushMessage) => void {
  let pending: PushMessage[] = []
  const flush = () => {
    const batch = pending
    pending = []
    for (let i = 0; i < batch.length; i += MAX_BATCH_MESSAGES) send(batch.slice(i, i + MAX_BATCH_MESSAGES))
  }
  return (msg) => {
    if (pending.length === 0) schedule(flush)
    pending.push(msg)
  }
}
