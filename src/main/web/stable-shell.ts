/**
 * Starts the web shell at the address saved in the data dir (port and token), so an open tab
 * reconnects after a restart; saves the address it ended up with for the next start.
 */
import type { Andon } from '../core/andon'
import { addressFile, newToken, readAddress, writeAddress } from './address'
import { startWebShell, type WebShell } from './server'

export interface StableShellOptions {
  andon: Andon
  rendererDir: string
  dataDir: string
  /** ANDON_PORT: wins over the saved port, and a taken one is an error rather than replaced. */
  port?: number
  /** Where to say that the saved port was taken (stderr by default). */
  warn?: (line: string) => void
}

function isPortTaken(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'EADDRINUSE'
}

export async function startStableWebShell(opts: StableShellOptions): Promise<WebShell> {
  const warn = opts.warn ?? ((line: string) => console.error(line))
  const saved = readAddress(opts.dataDir)
  const token = saved?.token ?? newToken()
  const start = (port: number) => startWebShell({ andon: opts.andon, rendererDir: opts.rendererDir, port, token })

  let shell: WebShell
  if (opts.port !== undefined) {
    shell = await start(opts.port).catch((err: unknown) => {
      throw isPortTaken(err) ? new Error(`ANDON_PORT ${opts.port} is taken by another program: pick another port, or unset ANDON_PORT to use the saved one`) : err
    })
  } else if (saved?.port) {
    const savedPort = saved.port
    shell = await start(savedPort).catch(async (err: unknown) => {
      if (!isPortTaken(err)) throw err
      const moved = await start(0)
      warn(`Port ${savedPort} (saved in ${addressFile(opts.dataDir)}) is taken by another program; serving on ${moved.port} instead, so tabs open at the old address will not reconnect.`)
      return moved
    })
  } else {
    shell = await start(0)
  }
  try {
    writeAddress(opts.dataDir, { port: shell.port, token })
  } catch (err) {
    await shell.close()
    throw new Error(`could not save the web shell's address in ${addressFile(opts.dataDir)}: ${(err as Error).message}`)
  }
  return shell
}
