/** Where the CLI writes: stdout for results, stderr for progress and errors. */
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

export interface Io {
  out(line: string): void
  err(line: string): void
  /** Rewrite the current stderr line (progress) when it is a terminal. */
  status(line: string): void
  isTTY: boolean
  env: Record<string, string | undefined>
  cwd: string
}

export function processIo(): Io {
  const isTTY = Boolean(process.stderr.isTTY)
  return {
    out: (line) => void process.stdout.write(line + '\n'),
    err: (line) => void process.stderr.write(line + '\n'),
    status: (line) => {
      if (isTTY) process.stderr.write(`\r\x1b[2K${line}`)
    },
    isTTY,
    env: process.env,
    cwd: process.cwd()
  }
}

export const EXIT = {
  ok: 0,
  /** The loop did not succeed, or the eval fell under its threshold. */
  failed: 1,
  usage: 2,
  /** Bad input or an environment problem: missing file, damaged bundle, unreachable receiver. */
  error: 3,
  interrupted: 130
} as const

/** A failure the user can act on: printed as is, without a stack. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.error
  ) {
    super(message)
  }
}

/** --data-dir, else ANDON_DATA_DIR, else ~/.andon (the same folder the web shell uses). */
export function dataDirOf(io: Io, flag: string | undefined): string {
  return resolve(io.cwd, flag ?? io.env.ANDON_DATA_DIR ?? join(homedir(), '.andon'))
}

export function dbPathOf(dataDir: string): string {
  return join(dataDir, 'andon.db')
}
