/**
 * How `npm start` picks its shell: the Electron window where it can open one, else the web shell
 * with one line saying which step failed. Each step is passed in, so the whole decision can be
 * exercised without Electron (scripts/start.mjs passes the real ones).
 */

/** Electron that dies this fast did not start (missing system libraries, no GPU or display access). */
export const STARTUP_FAILURE_MS = 5000

/**
 * Steps, in order, each skipped once one fails: the operator asked for the web shell; a display
 * exists (no point fetching 100 MB for a headless machine); the Electron binary is installed or
 * fetched; better-sqlite3 exists for Electron's ABI.
 * Returns { shell: 'electron', exe, binding } or { shell: 'web', reason }.
 */
export async function chooseShell({ webAsked, hasDisplay, ensureElectron, ensureNative }) {
  if (webAsked) return { shell: 'web', reason: null }
  if (!hasDisplay()) return { shell: 'web', reason: 'there is no display (DISPLAY/WAYLAND_DISPLAY unset)' }
  const electron = await ensureElectron()
  if (!electron.ok) return { shell: 'web', reason: electron.reason }
  const native = await ensureNative()
  if (!native.ok) return { shell: 'web', reason: `better-sqlite3 could not be prepared for Electron: ${native.reason}` }
  return { shell: 'electron', exe: electron.exe, binding: native.binding }
}

/**
 * Chooses, launches, and falls back to the web shell when Electron cannot start or dies at once.
 * `launchElectron` and `launchWeb` resolve with { code, ms, error? } when their process ends;
 * `explainStartupFailure(exe)` may name a known cause and its fix (or return null).
 * Resolves with the exit code for `npm start`.
 */
export async function startShell({ steps, launchElectron, launchWeb, explainStartupFailure = () => null, log }) {
  const choice = await chooseShell(steps)
  if (choice.shell === 'electron') {
    const result = await launchElectron(choice)
    if (result.code === 0 || result.ms >= STARTUP_FAILURE_MS) return result.code
    const cause = explainStartupFailure(choice.exe)
    log(`Electron exited at startup (code ${result.code}${result.error ? `: ${result.error}` : ''})${cause ? `: ${cause}` : ''}; serving the control room in the browser instead.`)
  } else if (choice.reason) {
    log(`Electron cannot start here: ${choice.reason}. Serving the control room in the browser instead.`)
  }
  return (await launchWeb()).code
}

/** Linux needs an X11 or Wayland display; macOS and Windows always have one for a desktop user. */
export function hasDisplay(platform = process.platform, env = process.env) {
  return platform !== 'linux' || Boolean(env.DISPLAY || env.WAYLAND_DISPLAY)
}
