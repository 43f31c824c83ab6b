/**
 * Where Andon's own CLI is, so a command a loop runs can call it (`node "$ANDON_CLI" eval …`, the
 * validation gate as a verify command): ANDON_CLI from the environment Andon started in, else
 * bin/andon.mjs found by walking up from this file (the source tree, or a build beside it). A
 * package without the CLI (the desktop app) has none unless ANDON_CLI names one.
 */
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

function findCli(): string | null {
  const set = process.env.ANDON_CLI
  if (set) return resolve(set)
  let dir = typeof __dirname === 'string' ? __dirname : process.cwd()
  for (;;) {
    const candidate = join(dir, 'bin', 'andon.mjs')
    if (existsSync(candidate)) return candidate
    const up = dirname(dir)
    if (up === dir) return null
    dir = up
  }
}

let found: string | null | undefined

/** `{ ANDON_CLI: path }` for a command's environment, or nothing where there is no CLI. */
export function andonCliEnv(): Record<string, string> {
  if (found === undefined) found = findCli()
  return found ? { ANDON_CLI: found } : {}
}
