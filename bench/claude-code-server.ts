/**
 * The scripted Messages server for the claude-code benchmark, in a process of its own: Andon's
 * synchronous commits on the benchmark's event loop must not delay the "model" (a real API is
 * remote). The script is K reads of small files (f0.txt…) in the workspace Claude Code names, then
 * an end of turn. The answer is chosen by the conversation's length (request n carries 2n+1
 * messages), so a retried request gets the same answer; the first arrival of each agent request
 * is stamped (epoch ms, sub-ms); anything else is answered with text and reported.
 *
 * Protocol (IPC): sends { type: 'ready', anthropicBaseUrl }; on { type: 'script', calls } answers
 * { type: 'scripted' }; on { type: 'stamps' } answers with the session's stamps and extras.
 */
import { join } from 'node:path'
import { workspaceIn } from '../test/support/claude-code'
import { agentToolUse, startScriptedServer, textOnly } from '../test/support/scripted-server'

export type ToServer = { type: 'script'; calls: number } | { type: 'stamps' }
export type FromServer =
  | { type: 'ready'; anthropicBaseUrl: string }
  | { type: 'scripted' }
  /** `agent[n]`: when agent request n first arrived (null: it never did); `extras`: requests outside the script. */
  | { type: 'stamps'; agent: (number | null)[]; extras: string[] }

const now = () => performance.timeOrigin + performance.now()

async function main(): Promise<void> {
  const server = await startScriptedServer()
  let calls = 0
  let agent: (number | null)[] = []
  let extras: string[] = []
  const send = (m: FromServer) => process.send!(m)
  server.anthropic.fallback = (body) => {
    const b = body as { tools?: unknown[]; messages?: unknown[] }
    if (!b?.tools?.length) return textOnly('ok')
    const count = b.messages?.length ?? 0
    const n = (count - 1) / 2
    if (Number.isInteger(n) && n >= 0 && n <= calls && agent[n] === null) agent[n] = now()
    else extras.push(`an agent request with ${count} messages${agent[n] != null ? ' (a repeat)' : ''}`)
    if (Number.isInteger(n) && n >= 0 && n < calls) return agentToolUse('Read', { file_path: join(workspaceIn(body), `f${n}.txt`) })
    return textOnly('All files read.')
  }
  process.on('message', (m: ToServer) => {
    if (m.type === 'script') {
      calls = m.calls
      agent = Array<number | null>(calls + 1).fill(null)
      extras = []
      server.requests.length = 0
      send({ type: 'scripted' })
    } else if (m.type === 'stamps') {
      send({ type: 'stamps', agent, extras })
    }
  })
  process.on('disconnect', () => void server.close().finally(() => process.exit(0)))
  send({ type: 'ready', anthropicBaseUrl: server.anthropicBaseUrl })
}

void main()
