/**
 * An MCP stdio transport for a server started in the sandbox. Unlike the SDK's own, the server
 * starts in its own process group with only the environment it is given, so close() ends all
 * of it, and a watchdog ends it if Andon dies; what it last wrote to stderr is kept, for saying
 * why it stopped.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js'
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js'
import { tiedToThisProcess } from '../../platform/watchdog'
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js'

const STDERR_TAIL_CHARS = 2048
/** How long a server has to exit by itself once its stdin is closed, before it is killed. */
const CLOSE_GRACE_MS = 500

export interface SandboxedServer {
  /** For `/bin/sh -c` (from prepareProgram). */
  script: string
  cwd: string
  env: Record<string, string>
  /** Called once the server has ended (the sandbox's per-command cleanup). */
  release(): void
}

export class SandboxedStdioTransport implements Transport {
  onclose?: () => void
  onerror?: (error: Error) => void
  onmessage?: (message: JSONRPCMessage) => void

  private child: ChildProcess | null = null
  private readonly buffer = new ReadBuffer()
  private tail = ''
  private ended: Promise<void> | null = null
  /** How the server ended (`exit 3`, `killed by SIGKILL`), once it has. */
  exit: string | null = null

  constructor(private readonly server: SandboxedServer) {}

  /** The last ~2 KB the server wrote to stderr. */
  get stderrTail(): string {
    return this.tail
  }

  start(): Promise<void> {
    if (this.child) throw new Error('already started')
    return new Promise((resolve, reject) => {
      // Tied to Andon by a pipe: if Andon dies, however it dies, the server's group ends with it.
      const tied = tiedToThisProcess('/bin/sh', ['-c', this.server.script])
      const stdio: 'pipe'[] = tied.lifeline ? ['pipe', 'pipe', 'pipe', 'pipe'] : ['pipe', 'pipe', 'pipe']
      const child = spawn(tied.command, tied.args, { cwd: this.server.cwd, env: this.server.env, detached: true, stdio })
      this.child = child
      let finish: () => void = () => undefined
      this.ended = new Promise((done) => (finish = done))
      const end = (how: string) => {
        if (this.exit !== null) return
        this.exit = how
        this.server.release()
        finish()
        this.onclose?.()
      }
      child.on('close', (code, signal) => end(signal ? `killed by ${signal}` : `exit ${code}`))
      child.on('error', (err) => {
        // Never started (no /bin/sh, no such folder): no 'close' follows.
        if (child.pid === undefined) end(`not started: ${err.message}`)
        reject(err)
        this.onerror?.(err)
      })
      child.on('spawn', () => resolve())
      child.stdin!.on('error', (err) => this.onerror?.(err))
      child.stderr!.setEncoding('utf8')
      child.stderr!.on('data', (s: string) => (this.tail = (this.tail + s).slice(-STDERR_TAIL_CHARS)))
      child.stdout!.on('data', (chunk: Buffer) => this.received(chunk))
    })
  }

  private received(chunk: Buffer): void {
    try {
      this.buffer.append(chunk)
    } catch (err) {
      // One message over the buffer's 10 MB: the server cannot be followed any more.
      this.onerror?.(err as Error)
      void this.close()
      return
    }
    for (;;) {
      let message: JSONRPCMessage | null
      try {
        message = this.buffer.readMessage()
      } catch (err) {
        // A line that is not JSON-RPC (a stray log line on stdout): said, then skipped.
        this.onerror?.(err as Error)
        continue
      }
      if (message === null) return
      this.onmessage?.(message)
    }
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      const stdin = this.child?.stdin
      // Closing: its input is already ended, and a write would never be taken (nor said to fail).
      if (!stdin || this.exit !== null || !stdin.writable) return reject(new Error('the server has ended'))
      if (stdin.write(serializeMessage(message))) return resolve()
      const settle = (err?: Error) => {
        stdin.off('drain', settle).off('close', closed)
        if (err) reject(err)
        else resolve()
      }
      const closed = () => settle(new Error('the server has ended'))
      stdin.once('drain', settle).once('close', closed)
    })
  }

  /** Close stdin (a server ends when its input does), then kill the whole process group. */
  async close(): Promise<void> {
    const child = this.child
    if (!child || !this.ended) return
    if (this.exit === null) {
      child.stdin?.end()
      await Promise.race([this.ended, delay(CLOSE_GRACE_MS)])
      if (this.exit === null) killGroup(child)
      await this.ended
    }
    this.buffer.clear()
  }
}

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL')
  } catch {
    child.kill('SIGKILL')
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref())
}
