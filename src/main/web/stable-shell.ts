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
  /** Where to say that the shell left its saved port (stderr by default). */
  warn?: (line: string) => void
}

function isPortTaken(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'EADDRINUSE'
}

export async function startStableWebShell(opts: StableShellOptions): Promise<WebShell> {
  const warn = opts.warn ?? ((line: string) => console.error(line))
  const saved = readAddress(opts.dataDir)
  const start = (port: number, token: string) => startWebShell({ andon: opts.andon, rendererDir: opts.rendererDir, port, token })

  // A shell that leaves the saved port gets a new token: tabs left open keep retrying the saved
  // port with the saved token, and whatever listens there next would receive it.
  let shell: WebShell
  if (opts.port !== undefined) {
    const port = opts.port
    const moving = Boolean(saved?.port) && saved?.port !== port
    shell = await start(port, saved && !moving ? saved.token : newToken()).catch((err: unknown) => {
      throw isPortTaken(err) ? new Error(`ANDON_PORT ${port} is taken by another program: pick another port, or unset ANDON_PORT to use the saved one`) : err
    })
    if (moving) {
      warn(`Serving on ANDON_PORT ${shell.port} instead of the saved port ${saved?.port}, with a new token: tabs open at the old address will not reconnect; open the URL printed below.`)
    }
  } else if (saved?.port) {
    const savedPort = saved.port
    shell = await start(savedPort, saved.token).catch(async (err: unknown) => {
      if (!isPortTaken(err)) throw err
      const moved = await start(0, newToken())
      warn(
        `Port ${savedPort} (saved in ${addressFile(opts.dataDir)}) is taken by another program; serving on ${moved.port} instead, with a new token so that the old one is never sent to that program. Tabs open at the old address will not reconnect: open the URL printed below.`
      )
      return moved
    })
  } else {
    shell = await start(0, saved?.token ?? newToken())
  }
  try {
    writeAddress(opts.dataDir, { port: shell.port, token: shell.token })
  } catch (err) {
    await shell.close()
    throw new Error(`could not save the web shell's address in ${addressFile(opts.dataDir)}: ${(err as Error).message}`)
  }
  return shell
}
