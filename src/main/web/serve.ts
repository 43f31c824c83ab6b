/**
 * Runnable entry of the web shell, built to out/main/web-shell.js by `electron-vite build`:
 * `node out/main/web-shell.js [--data-dir DIR]` (`tsx src/main/web/serve.ts` runs the source, after
 * a build for the renderer). The data dir (--data-dir, else ANDON_DATA_DIR, else ~/.andon) holds the
 * database and the saved address; ANDON_PORT, when set, wins over the saved port.
 */
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createAndon } from '../core/create-andon'
import { startStableWebShell } from './stable-shell'

function parsePort(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`ANDON_PORT must be a port number, got "${value}"`)
  return port
}

/** The built renderer: ANDON_RENDERER_DIR, else beside this file in out/ (compiled), else out/ from the source tree. */
function findRendererDir(): string {
  if (process.env.ANDON_RENDERER_DIR) return resolve(process.env.ANDON_RENDERER_DIR)
  const besideBuild = resolve(__dirname, '../renderer')
  return existsSync(join(besideBuild, 'index.html')) ? besideBuild : resolve(__dirname, '../../../out/renderer')
}

async function main(): Promise<void> {
  const rendererDir = findRendererDir()
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`no built renderer in ${rendererDir}: run \`npx electron-vite build\` first`)
  }
  const { values } = parseArgs({ options: { 'data-dir': { type: 'string' } }, strict: true })
  const dataDir = resolve(values['data-dir'] ?? process.env.ANDON_DATA_DIR ?? join(homedir(), '.andon'))
  const port = parsePort(process.env.ANDON_PORT)
  const andon = await createAndon({ dataDir, hostLabel: 'web shell' })
  const shell = await startStableWebShell({ andon, rendererDir, dataDir, port }).catch(async (err: unknown) => {
    await andon.close()
    throw err
  })
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
  // Printed only once the handlers are in place: a Ctrl-C that follows the URL at once must still shut down cleanly.
  console.log(`Andon control room: ${shell.url}`)
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
