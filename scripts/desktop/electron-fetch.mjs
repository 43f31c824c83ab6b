/**
 * Makes sure the Electron binary is installed, fetching it the way Electron's own installer
 * (node_modules/electron/install.js) does: @electron/get downloads the release zip for this
 * platform, checks it against the checksums pinned in the electron package, and the zip is
 * extracted into node_modules/electron/dist with path.txt written last.
 *
 * Why not just run install.js: it prints nothing for the first 30 s of a 100 MB download and
 * cannot be given a time-out, so `npm start` would look hung where the network is slow and
 * hang where it drops packets. Here the download reports progress and gives up when no data
 * arrives within ANDON_ELECTRON_CONNECT_TIMEOUT seconds (default 2, so where nothing can be
 * fetched the web shell comes up at most about 2 s later), when it stalls for 20 s,
 * or when it takes longer than ANDON_ELECTRON_FETCH_TIMEOUT seconds (default 600).
 *
 * The standard variables keep working: ELECTRON_MIRROR (and the other ELECTRON_* / npm_config_electron_*
 * mirror settings), electron_config_cache, electron_use_remote_checksums, ELECTRON_GET_USE_PROXY;
 * ELECTRON_SKIP_BINARY_DOWNLOAD=1 means "do not fetch".
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { projectRoot } from './electron-native.mjs'

const STALL_SECONDS = 20

/** What install.js calls the executable inside the zip, per platform. */
export function platformPath(platform = process.platform) {
  if (platform === 'darwin' || platform === 'mas') return 'Electron.app/Contents/MacOS/Electron'
  if (platform === 'win32') return 'electron.exe'
  return 'electron'
}

/** The installed executable, or null; never requires `electron` (that could start a download). */
export function installedElectron(electronDir, env = process.env) {
  const pathFile = join(electronDir, 'path.txt')
  if (!existsSync(pathFile)) return null
  const exe = join(env.ELECTRON_OVERRIDE_DIST_PATH || join(electronDir, 'dist'), readFileSync(pathFile, 'utf8').trim())
  return existsSync(exe) ? exe : null
}

const seconds = (value, fallback) => {
  const n = Number(value)
  return Number.isFinite(n) && n > 0 ? n : fallback
}

/** Where the download comes from, for messages: the mirror's host, or github.com. */
function sourceHost(env) {
  const mirror = env.ELECTRON_MIRROR || env.npm_config_electron_mirror || env.NPM_CONFIG_ELECTRON_MIRROR
  if (!mirror) return 'github.com'
  try {
    return new URL(mirror).host
  } catch {
    return mirror
  }
}

/** One short clause for why a download failed, from fetch's error chain. */
export function describeFetchError(error, host) {
  const cause = error?.cause ?? {}
  const code = cause.code ?? error?.code
  if (error?.name === 'HTTPError') return `${host} answered HTTP ${error.response?.status ?? '?'}`
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `${host} could not be resolved (offline?)`
  if (code === 'ECONNREFUSED') return `${host} refused the connection`
  if (code === 'ECONNRESET') return `${host} reset the connection`
  if (/checksum|sha256/i.test(String(error?.message))) return "the download did not match Electron's published checksum"
  return String(cause.message ?? error?.message ?? error).split('\n')[0]
}

/**
 * Prints download progress: in place on a terminal, every 25% otherwise (logs stay short).
 * Returns the callback @electron/get calls with { transferred, total, percent }.
 */
function progressPrinter(label, stream) {
  let lastStep = -1
  const mb = (bytes) => `${Math.round(bytes / 1e6)} MB`
  return ({ transferred, total, percent }) => {
    const pct = Math.floor(percent * 100)
    const line = `${label}: ${total ? `${pct}% of ${mb(total)}` : mb(transferred)}`
    if (stream.isTTY) stream.write(`\r${line}   `)
    else if (Math.floor(pct / 25) > lastStep) {
      lastStep = Math.floor(pct / 25)
      stream.write(`${line}\n`)
    }
  }
}

/**
 * Aborts the download when nothing arrives in time, when it stalls, or when it runs too long.
 * `tick()` is called for every chunk received.
 */
function watchdog(env) {
  const controller = new AbortController()
  const connect = seconds(env.ANDON_ELECTRON_CONNECT_TIMEOUT, 2)
  const total = seconds(env.ANDON_ELECTRON_FETCH_TIMEOUT, 600)
  let why = null
  const abort = (reason) => {
    why = reason
    controller.abort()
  }
  let idle = setTimeout(() => abort(`no answer within ${connect} s (on a slow network, ANDON_ELECTRON_CONNECT_TIMEOUT=15 waits longer)`), connect * 1000)
  const overall = setTimeout(() => abort(`it took longer than ${total} s (ANDON_ELECTRON_FETCH_TIMEOUT)`), total * 1000)
  return {
    signal: controller.signal,
    tick() {
      clearTimeout(idle)
      idle = setTimeout(() => abort(`the download stalled for ${STALL_SECONDS} s`), STALL_SECONDS * 1000)
    },
    why: () => why,
    stop() {
      clearTimeout(idle)
      clearTimeout(overall)
    }
  }
}

function isRunning(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return error.code === 'EPERM'
  }
}

/** Extracts next to dist/ and swaps it in, so an interrupted extraction never looks installed. */
async function install(zipPath, electronDir, extract, platform) {
  const dist = join(electronDir, 'dist')
  // A start interrupted while extracting leaves its partial folder; the next one clears those whose
  // process is gone (another start or `npm run dist` may be extracting into its own right now).
  for (const entry of readdirSync(electronDir)) {
    const pid = /^dist\.partial-(\d+)$/.exec(entry)?.[1]
    if (pid && !isRunning(Number(pid))) rmSync(join(electronDir, entry), { recursive: true, force: true })
  }
  const partial = join(electronDir, `dist.partial-${process.pid}`)
  rmSync(partial, { recursive: true, force: true })
  await extract(zipPath, { dir: partial })
  // As install.js does: the type definitions in the zip move up beside package.json.
  const typeDefs = join(partial, 'electron.d.ts')
  if (existsSync(typeDefs)) renameSync(typeDefs, join(electronDir, 'electron.d.ts'))
  rmSync(dist, { recursive: true, force: true })
  renameSync(partial, dist)
  writeFileSync(join(electronDir, 'path.txt'), platformPath(platform))
}

/**
 * Returns { ok: true, exe, fetched } once the binary is there, or { ok: false, reason } with one
 * line saying which step failed and how to fix it. `electronDir` is the electron package to
 * install into (node_modules/electron); @electron/get and the extractor come from this project's.
 */
export async function ensureElectron({ electronDir = join(projectRoot, 'node_modules', 'electron'), out = process.stdout, platform = process.platform, arch = process.arch } = {}) {
  // @electron/get reads its mirror and cache settings from process.env itself, so everything here does too.
  const env = process.env
  const present = installedElectron(electronDir, env)
  if (present) return { ok: true, exe: present, fetched: false }
  const { version } = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8'))
  const what = `Electron ${version} for ${platform}-${arch}`
  if (/^(1|true)$/i.test(env.ELECTRON_SKIP_BINARY_DOWNLOAD ?? '')) {
    return { ok: false, reason: `the Electron binary is not installed and ELECTRON_SKIP_BINARY_DOWNLOAD is set (unset it, or run \`npx install-electron\`)` }
  }
  const host = sourceHost(env)
  const fix = 'set ELECTRON_MIRROR to a mirror you can reach, or run `npx install-electron` where github.com is reachable'
  const electronRequire = createRequire(join(projectRoot, 'node_modules', 'electron', 'package.json'))
  let get, extract
  try {
    // import() takes URLs: a bare C:\ path is refused on Windows.
    const load = (name) => import(pathToFileURL(electronRequire.resolve(name)).href)
    get = await load('@electron/get')
    ;({ extract } = await load('@electron-internal/extract-zip'))
  } catch (error) {
    return { ok: false, reason: `Electron's installer could not be loaded (${describeFetchError(error, host)}); run \`npm install\` again` }
  }

  out.write(`Fetching ${what} from ${host}…\n`)
  const guard = watchdog(env)
  const show = progressPrinter(`Fetching ${what}`, out)
  let zipPath
  try {
    const remoteSums = /^(1|true)$/i.test(env.electron_use_remote_checksums ?? env.npm_config_electron_use_remote_checksums ?? '')
    zipPath = await get.downloadArtifact({
      version,
      artifactName: 'electron',
      platform,
      arch,
      cacheRoot: env.electron_config_cache,
      checksums: remoteSums ? undefined : JSON.parse(readFileSync(join(electronDir, 'checksums.json'), 'utf8')),
      downloadOptions: {
        quiet: true,
        signal: guard.signal,
        getProgressCallback: (p) => {
          guard.tick()
          show(p)
        }
      }
    })
  } catch (error) {
    const why = guard.why() ?? describeFetchError(error, host)
    return { ok: false, reason: `fetching ${what} from ${host} failed: ${why}; ${fix}` }
  } finally {
    guard.stop()
    if (out.isTTY) out.write('\n')
  }
  try {
    await install(zipPath, electronDir, extract, platform)
  } catch (error) {
    return { ok: false, reason: `${what} was fetched but could not be unpacked into ${electronDir}: ${describeFetchError(error, host)}` }
  }
  const exe = installedElectron(electronDir, env)
  if (!exe) return { ok: false, reason: `${what} was unpacked but has no ${platformPath(platform)} inside` }
  out.write(`Installed ${what}.\n`)
  return { ok: true, exe, fetched: true }
}
