/** `andon web-token`: print the web shell's URL with its token, or replace the token with --rotate. */
import { addressFile, readAddress, rotateToken, shellUrl } from '../../main/web/address'
import { parse } from '../args'
import { CliError, dataDirOf, EXIT, type Io } from '../io'
import { requireLoop, withStore } from '../store'

export const usage =
  'usage: andon web-token [--rotate] [--loop LOOP_ID] [--data-dir DIR] [--json]\n' +
  '  prints the URL that opens the web shell of this data dir, token included\n' +
  '  --rotate     write a new token; a running web shell takes it when it restarts, and refuses the old one from then on\n' +
  '  --loop ID    print a link that opens that loop instead'

export async function webTokenCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { rotate: { type: 'boolean' }, loop: { type: 'string' } }, usage)
  if (values.help) return io.out(usage), EXIT.ok
  if (positionals.length > 0) throw new CliError(`unexpected argument ${positionals[0]}\n\n${usage}`, EXIT.usage)
  if (values.loop === '') throw new CliError(`--loop needs a loop id\n\n${usage}`, EXIT.usage)
  const dataDir = dataDirOf(io, values['data-dir'])
  if (values.loop !== undefined) withStore(dataDir, {}, (store) => requireLoop(store, values.loop as string))
  const address = values.rotate ? rotateToken(dataDir) : readOrExplain(dataDir)
  if (values.rotate) io.err(`new token saved in ${addressFile(dataDir)}; a running web shell takes it when it restarts and refuses the old one from then on`)

  const url = address.port === null ? null : linkTo(shellUrl(address.port, address.token), values.loop)
  if (values.json) io.out(JSON.stringify({ url, port: address.port, token: address.token }))
  else if (url) io.out(url)
  else io.err(`no web shell has served from ${dataDir} yet, so it has no port: the next one to start (npm start -- --web --data-dir ${dataDir}) prints the URL with this token`)
  return EXIT.ok
}

function readOrExplain(dataDir: string) {
  let address
  try {
    address = readAddress(dataDir)
  } catch (err) {
    throw new CliError((err as Error).message)
  }
  if (!address) throw new CliError(`no web shell address in ${dataDir}: start the web shell on it (npm start -- --web --data-dir ${dataDir}), or create a token with --rotate`)
  return address
}

/** The loop's address in the control room, with the token after it (see the renderer's route). */
function linkTo(url: string, loopId: string | undefined): string {
  if (loopId === undefined) return url
  const { origin, hash } = new URL(url)
  return `${origin}/#/loop/${encodeURIComponent(loopId)}/timeline?${hash.slice(1)}`
}
