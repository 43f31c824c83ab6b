/**
 * One running agent of the `process` policy: a child process in its own process group, asked
 * one line at a time. Each failure rejects the question as the PolicyError the engine expects;
 * the caller then ends the process, so a late or extra answer is never read as the next one.
 */
import { spawn, type ChildProcess, type StdioPipe } from 'node:child_process'
import { tiedToThisProcess } from '../../platform/watchdog'
import { PolicyError } from '../policy'
import { LineReader, MAX_LINE_BYTES } from './line-reader'

/** How much of the agent's stderr is kept for error messages (its tail). */
const STDERR_TAIL = 2048

export interface AgentStart {
  /** The `/bin/sh -c` script that runs the agent (in the sandbox). */
  script: string
  cwd: string
  env: Record<string, string>
  /** Called once the process has ended (frees the sandbox's per-command state). */
  release(): void
}

interface Question {
  resolve(line: string): void
  reject(err: Error): void
}

export const startOfLine = (line: string): string => JSON.stringify(line.length > 200 ? `${line.slice(0, 200)}…` : line)

export class AgentProcess {
  private readonly child: ChildProcess
  private stderr = ''
  private question: Question | null = null
  /** What went wrong while no question was asked (a line printed out of turn, an overlong line). */
  private fault: PolicyError | null = null
  private ended: string | null = null

  constructor(start: AgentStart) {
    // Tied to Andon by a pipe, so the agent's group ends when Andon dies, however it dies (an agent need not stop at end of input).
    const tied = tiedToThisProcess('/bin/sh', ['-c', start.script])
    const stdio: StdioPipe[] = tied.lifeline ? ['pipe', 'pipe', 'pipe', 'pipe'] : ['pipe', 'pipe', 'pipe']
    this.child = spawn(tied.command, tied.args, { cwd: start.cwd, env: start.env, detached: true, stdio })
    // An agent that stops reading is reported by its exit or by the timeout, not by a write error.
    this.child.stdin!.on('error', () => undefined)
    const lines = new LineReader(
      (line) => this.onLine(line),
      (start) => this.fail(new PolicyError('malformed-response', `the agent wrote a line longer than ${MAX_LINE_BYTES} bytes on stdout; it starts ${JSON.stringify(`${start}…`)}`))
    )
    this.child.stdout!.on('data', (d: Buffer) => lines.push(d))
    this.child.stderr!.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString('utf8')).slice(-STDERR_TAIL)
    })
    // The agent itself ended: end whatever it left in its group, so the pipes close and 'close' follows.
    this.child.on('exit', () => this.killGroup())
    this.child.on('error', (err) => this.onEnd(`could not be started: ${err.message}`))
    this.child.on('close', (code, signal) => {
      start.release()
      this.onEnd(signal ? `was killed by ${signal}` : `exited with code ${code}`)
    })
  }

  get pid(): number | undefined {
    return this.child.pid
  }

  get running(): boolean {
    return this.ended === null
  }

  /** Write one line and wait for the one line that answers it. */
  ask(line: string, timeoutMs: number, signal: AbortSignal): Promise<string> {
    if (this.fault) return Promise.reject(this.fault)
    if (this.ended) return Promise.reject(this.exitError())
    return new Promise<string>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer)
        signal.removeEventListener('abort', onAbort)
        this.question = null
      }
      const timer = setTimeout(() => {
        done()
        reject(new PolicyError('timeout', `the agent gave no answer within ${timeoutMs} ms; it was stopped and starts again at the next decision${this.stderrNote()}`))
      }, timeoutMs)
      const onAbort = () => {
        done()
        reject(new Error('the decision was cancelled'))
      }
      signal.addEventListener('abort', onAbort, { once: true })
      this.question = {
        resolve: (l) => (done(), resolve(l)),
        reject: (e) => (done(), reject(e))
      }
      if (signal.aborted) return onAbort()
      this.child.stdin!.write(line + '\n')
    })
  }

  /** End the agent and everything it started (its process group; under the sandbox, its PID namespace). */
  kill(): void {
    this.killGroup()
  }

  private killGroup(): void {
    if (this.child.pid === undefined) return
    try {
      process.kill(-this.child.pid, 'SIGKILL')
    } catch {
      // Already gone.
    }
  }

  private onLine(line: string): void {
    if (line.trim() === '') return
    if (this.question) return this.question.resolve(line)
    this.fail(new PolicyError('malformed-response', `the agent wrote a line on stdout when no decision was asked: ${startOfLine(line)} (stdout carries only answers; logs go to stderr)`))
  }

  private fail(err: PolicyError): void {
    this.fault ??= err
    this.question?.reject(err)
  }

  private onEnd(how: string): void {
    this.ended ??= how
    this.question?.reject(this.exitError())
  }

  private exitError(): PolicyError {
    return new PolicyError('server', `the agent ${this.ended} before answering${this.stderrNote()}`)
  }

  private stderrNote(): string {
    const tail = this.stderr.trim()
    return tail ? `; its stderr ends: ${tail}` : '; it wrote nothing on stderr'
  }
}
