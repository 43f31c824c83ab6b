/**
 * Crash a real Andon process on purpose: run test/support/crash-child.ts on a data dir, watch
 * the events it commits, and SIGKILL it the moment a line matches. What it printed is returned,
 * so a test can check that every event committed before the kill is still there.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'

const children: ChildProcess[] = []

/** Kill whatever a test left running (call from afterEach). */
export function killCrashChildren(): void {
  for (const c of children.splice(0)) c.kill('SIGKILL')
}

export function runUntilKill(
  dataDir: string,
  specJson: string,
  killWhen: RegExp,
  env: Record<string, string> = {},
  /** After the line matched, wait until this holds (polled) before the kill. */
  ready: () => boolean = () => true
): Promise<{ loopId: string; lines: string[]; killedAt: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/crash-child.ts', dataDir, specJson], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, CRASH_CHILD_ENV: JSON.stringify(env) }
    })
    children.push(child)
    const lines: string[] = []
    let loopId = ''
    let killedAt = 0
    const timer = setTimeout(() => reject(new Error(`child never printed ${killWhen}: ${lines.join('\n')}`)), 20_000)
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line)
      if (line.startsWith('LOOP ')) loopId = line.slice(5)
      if (!killedAt && killWhen.test(line)) {
        killedAt = Date.now()
        const kill = () => {
          if (!ready() && Date.now() - killedAt < 10_000) return void setTimeout(kill, 20)
          killedAt = Date.now()
          child.kill('SIGKILL')
          clearTimeout(timer)
        }
        kill()
      }
    })
    child.on('exit', (_code, signal) => {
      clearTimeout(timer)
      if (signal !== 'SIGKILL') reject(new Error(`child exited before the kill point: ${lines.join('\n')}`))
      else resolve({ loopId, lines, killedAt })
    })
  })
}
