// `npm start`'s choice of shell, step by step, with each step stubbed: the real steps fetch
// Electron and build native code, which the integration tests cover where they can run here.
import { describe, expect, it, vi } from 'vitest'
import { sandboxHint } from '../../scripts/desktop/linux-sandbox.mjs'
import { chooseShell, hasDisplay, startShell, STARTUP_FAILURE_MS, type Exit, type ShellSteps } from '../../scripts/desktop/shell-plan.mjs'

const FETCH_FAILED = 'fetching Electron 45.4.1 for linux-x64 from github.com failed: github.com could not be resolved (offline?)'

function steps(over: Partial<ShellSteps> = {}): ShellSteps {
  return {
    webAsked: false,
    hasDisplay: vi.fn(() => true),
    ensureElectron: vi.fn(async () => ({ ok: true as const, exe: '/opt/electron/electron' })),
    ensureNative: vi.fn(async () => ({ ok: true as const, binding: '/cache/better_sqlite3.node' })),
    ...over
  }
}

/** Runs startShell with recording launchers; Electron exits as `electronExit` says. */
async function start(s: ShellSteps, electronExit: Exit = { code: 0, ms: 60_000 }, explainStartupFailure?: (exe: string) => string | null) {
  const lines: string[] = []
  const launchElectron = vi.fn(async () => electronExit)
  const launchWeb = vi.fn(async () => ({ code: 0, ms: 10 }))
  const code = await startShell({ steps: s, launchElectron, launchWeb, explainStartupFailure, log: (l) => lines.push(l) })
  return { code, lines, launchElectron, launchWeb }
}

describe("npm start's choice of shell", () => {
  it('launches Electron once the binary is fetched and better-sqlite3 is ready for it', async () => {
    const s = steps({ ensureElectron: vi.fn(async () => ({ ok: true as const, exe: '/fetched/electron', fetched: true })) })
    const run = await start(s)
    expect(run.launchElectron).toHaveBeenCalledWith({ shell: 'electron', exe: '/fetched/electron', binding: '/cache/better_sqlite3.node' })
    expect(run.launchWeb).not.toHaveBeenCalled()
    expect(run.lines).toEqual([])
    expect(run.code).toBe(0)
  })

  it('serves the web shell with the fetch failure as the one line of reason, and builds nothing after it', async () => {
    const s = steps({ ensureElectron: vi.fn(async () => ({ ok: false as const, reason: FETCH_FAILED })) })
    const run = await start(s)
    expect(s.ensureNative).not.toHaveBeenCalled()
    expect(run.launchElectron).not.toHaveBeenCalled()
    expect(run.launchWeb).toHaveBeenCalledOnce()
    expect(run.lines).toEqual([`Electron cannot start here: ${FETCH_FAILED}. Serving the control room in the browser instead.`])
  })

  it('does not fetch or launch without a display, even with the binary present', async () => {
    const s = steps({ hasDisplay: vi.fn(() => false) })
    const run = await start(s)
    expect(s.ensureElectron).not.toHaveBeenCalled()
    expect(run.launchElectron).not.toHaveBeenCalled()
    expect(run.lines).toEqual(['Electron cannot start here: there is no display (DISPLAY/WAYLAND_DISPLAY unset). Serving the control room in the browser instead.'])
  })

  it('says better-sqlite3 is the step that failed when only that fails', async () => {
    const s = steps({ ensureNative: vi.fn(async () => ({ ok: false as const, reason: 'no prebuilt binary could be fetched and compiling failed (node-gyp exit 1)' })) })
    const choice = await chooseShell(s)
    expect(choice).toEqual({ shell: 'web', reason: 'better-sqlite3 could not be prepared for Electron: no prebuilt binary could be fetched and compiling failed (node-gyp exit 1)' })
  })

  it('--web skips every Electron step and prints no reason', async () => {
    const s = steps({ webAsked: true })
    const run = await start(s)
    expect(s.hasDisplay).not.toHaveBeenCalled()
    expect(s.ensureElectron).not.toHaveBeenCalled()
    expect(run.launchWeb).toHaveBeenCalledOnce()
    expect(run.lines).toEqual([])
  })

  it('falls back to the web shell when Electron dies at startup, but not when it ran and then failed', async () => {
    const died = await start(steps(), { code: 127, ms: 200, error: 'libnss3.so: cannot open shared object file' })
    expect(died.launchWeb).toHaveBeenCalledOnce()
    expect(died.lines[0]).toBe('Electron exited at startup (code 127: libnss3.so: cannot open shared object file); serving the control room in the browser instead.')

    const explained = await start(steps(), { code: 133, ms: 300 }, (exe) => `${exe} needs its sandbox fixed`)
    expect(explained.lines[0]).toBe('Electron exited at startup (code 133): /opt/electron/electron needs its sandbox fixed; serving the control room in the browser instead.')

    const ranThenFailed = await start(steps(), { code: 3, ms: STARTUP_FAILURE_MS + 1 })
    expect(ranThenFailed.launchWeb).not.toHaveBeenCalled()
    expect(ranThenFailed.code).toBe(3)
  })
})

describe('hasDisplay', () => {
  it('needs DISPLAY or WAYLAND_DISPLAY on Linux only', () => {
    expect(hasDisplay('linux', {})).toBe(false)
    expect(hasDisplay('linux', { DISPLAY: ':0' })).toBe(true)
    expect(hasDisplay('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBe(true)
    expect(hasDisplay('darwin', {})).toBe(true)
    expect(hasDisplay('win32', {})).toBe(true)
  })
})

describe("the fix named when Linux stops Electron's sandbox", () => {
  const helper = '/p/node_modules/electron/dist/chrome-sandbox'
  const userOwned = { uid: 1000, mode: 0o100755 }
  const setuidRoot = { uid: 0, mode: 0o104755 }

  it('names chown and chmod for a user-owned helper where user namespaces are restricted', () => {
    expect(sandboxHint({ platform: 'linux', helper, helperStat: userOwned, usernsRestricted: true })).toBe(
      'this Linux restricts the user namespaces Chromium sandboxes with, and the fetched chrome-sandbox is not setuid root: ' +
        `run \`sudo chown root:root ${helper} && sudo chmod 4755 ${helper}\` once`
    )
  })

  it('names nothing when the sandbox cannot be the cause', () => {
    expect(sandboxHint({ platform: 'linux', helper, helperStat: setuidRoot, usernsRestricted: true })).toBeNull()
    expect(sandboxHint({ platform: 'linux', helper, helperStat: { uid: 0, mode: 0o100755 }, usernsRestricted: false })).toBeNull()
    expect(sandboxHint({ platform: 'linux', helper, helperStat: null, usernsRestricted: true })).toBeNull()
    expect(sandboxHint({ platform: 'darwin', helper, helperStat: userOwned, usernsRestricted: true })).toBeNull()
  })
})
