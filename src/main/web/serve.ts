/**
 * Runnable entry of the web shell: `tsx src/main/web/serve.ts` (after `electron-vite build`).
 * ANDON_DATA_DIR (default ~/.andon) holds the database; ANDON_PORT (default 0: a free port).
 */
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { createAndon } from '../core/create-andon'
import { startWebShell } from './server'

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return 0
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`ANDON_PORT must be a port number, got "${value}"`)
  return port
}

async function main(): Promise<void> {
  const rendererDir = resolve(process.env.ANDON_RENDERER_DIR ?? join(__dirname, '../../../out/renderer'))
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`no built renderer in ${rendererDir}: run \`npx electron-vite build\` first`)
  }
  const dataDir = process.env.ANDON_DATA_DIR ?? join(homedir(), '.andon')
  const andon = await createAndon({ dataDir, hostLabel: 'web shell' })
  const shell = await startWebShell({ andon, rendererDir, port: parsePort(process.env.ANDON_PORT) })
  console.log(`Andon control room: ${shell.url}`)

  let closing = false
  const shutdown = (signal: string) => {
    if (closing) return
    closing = true
    console.log(`\n${signal}: shutting down`)
    shell
      .close()
      .then(() => andon.close())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          console.error(err)
          process.exit(1)
        }
      )
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
