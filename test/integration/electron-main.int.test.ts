// The Electron main process wired to a real core (temp SQLite, real example loops), with only
// the `electron` module replaced by a recording stand-in: IPC registration from the contract,
// sender checks, pushes to the window, desktop notifications on escalation and the item they
// open, the waiting count on badge, tray and title, the remembered window, app-wide guards.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { protocol } from 'electron'
import { commandNames, type InboxItem, type PushMessage } from '../../src/shared/contract'
import { inboxKey } from '../../src/shared/inbox-key'

type Listener = (...args: unknown[]) => unknown

const fake = vi.hoisted(() => {
  const appListeners = new Map<string, Listener[]>()
  const ipcHandlers = new Map<string, Listener>()
  const windows: {
    options: Record<string, unknown>
    url: string
    title: string
    listeners: Map<string, Listener>
    webContents: { id: number; send: (channel: string, msg: unknown) => void; sent: { channel: string; msg: unknown }[]; listeners: Map<string, Listener> }
  }[] = []
  const notifications: { title: string; body: string; click?: Listener }[] = []
  const state = { userData: '', ready: () => {}, badge: 0 }
  const tray = { tooltip: '', menu: [] as { label?: string; click?: Listener }[] }
  const session = {
    permissionRequest: null as null | Listener,
    permissionCheck: null as null | Listener,
    beforeRequest: null as null | Listener,
    headersReceived: null as null | Listener
  }
  const opened: string[] = []
  return { appListeners, ipcHandlers, windows, notifications, state, session, opened, tray }
})

vi.mock('electron', () => {
  class BrowserWindow {
    webContents: (typeof fake.windows)[number]['webContents'] & { on: (name: string, l: Listener) => void }
    private readonly record: (typeof fake.windows)[number]
    constructor(options: Record<string, unknown>) {
      const sent: { channel: string; msg: unknown }[] = []
      const listeners = new Map<string, Listener>()
      this.webContents = { id: 41 + fake.windows.length, sent, listeners, send: (channel, msg) => void sent.push({ channel, msg }), on: (n, l) => void listeners.set(n, l) }
      this.record = { options, url: '', title: '', listeners: new Map(), webContents: this.webContents }
      fake.windows.push(this.record)
    }
    once() {}
    on(name: string, l: Listener) {
      this.record.listeners.set(name, l)
    }
    setTitle(title: string) {
      this.record.title = title
    }
    getNormalBounds() {
      return { x: 200, y: 100, width: 1000, height: 700 }
    }
    isMaximized() {
      return true
    }
    isFullScreen() {
      return false
    }
    isMinimized() {
      return false
    }
    flashFrame() {}
    show() {}
    isDestroyed() {
      return false
    }
    focus() {}
    isFocused() {
      return false
    }
    loadURL(url: string) {
      fake.windows.at(-1)!.url = url
      return Promise.resolve()
    }
  }
  class Notification {
    constructor(private readonly n: { title: string; body: string; click?: Listener }) {}
    static isSupported() {
      return true
    }
    on(name: string, l: Listener) {
      if (name === 'click') this.n.click = l
    }
    show() {
      fake.notifications.push(this.n)
    }
  }
  const on = (name: string, l: Listener) => void fake.appListeners.set(name, [...(fake.appListeners.get(name) ?? []), l])
  return {
    app: {
      whenReady: () => Promise.resolve(),
      isPackaged: false,
      getAppPath: () => resolve(__dirname, '../..'),
      getPath: () => fake.state.userData,
      on,
      setBadgeCount: (n: number) => (fake.state.badge = n),
      quit: vi.fn(),
      exit: vi.fn()
    },
    ipcMain: { handle: (c: string, l: Listener) => void fake.ipcHandlers.set(c, l), removeHandler: (c: string) => void fake.ipcHandlers.delete(c) },
    protocol: { handle: vi.fn(), registerSchemesAsPrivileged: vi.fn() },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (l: Listener) => (fake.session.permissionRequest = l),
        setPermissionCheckHandler: (l: Listener) => (fake.session.permissionCheck = l),
        webRequest: {
          onBeforeRequest: (l: Listener) => (fake.session.beforeRequest = l),
          onHeadersReceived: (l: Listener) => (fake.session.headersReceived = l)
        }
      }
    },
    shell: { openExternal: (url: string) => (fake.opened.push(url), Promise.resolve()) },
    Menu: { setApplicationMenu: vi.fn(), buildFromTemplate: (t: unknown) => t },
    Tray: class {
      private destroyed = false
      setToolTip(tooltip: string) {
        // As Electron does with any call on a destroyed tray.
        if (this.destroyed) throw new TypeError('Object has been destroyed')
        fake.tray.tooltip = tooltip
      }
      setContextMenu(menu: typeof fake.tray.menu) {
        fake.tray.menu = menu
      }
      on() {}
      destroy() {
        this.destroyed = true
      }
    },
    nativeImage: { createFromPath: () => ({ isEmpty: () => false, resize: () => ({}) }) },
    screen: {
      getPrimaryDisplay: () => ({ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1050 } }),
      getAllDisplays: () => [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1050 } }]
    },
    Notification,
    BrowserWindow,
    dialog: { showErrorBox: vi.fn() },
    safeStorage: { isEncryptionAvailable: () => false, encryptString: vi.fn(), decryptString: vi.fn() }
  }
})

const origin = { devServerUrl: null }
const trusted = { sender: { id: 41 }, senderFrame: { url: 'app://andon/index.html', parent: null } }
const call = (name: string, input?: unknown, event: unknown = trusted) => fake.ipcHandlers.get(`andon:${name}`)!(event, input)

let views: import('../../src/main/electron/view-requests').ViewRequests
const linkWarnings: string[] = []
const navigations = () => fake.windows[0].webContents.sent.filter((s) => s.channel === 'andon-shell:navigate').map((s) => s.msg)

async function until<T>(what: string, check: () => T | undefined, ms = 30_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = check()
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

beforeAll(async () => {
  fake.state.userData = mkdtempSync(join(tmpdir(), 'andon-electron-main-'))
  // The Node build of better-sqlite3 stands in for the Electron build here.
  process.env.ANDON_NATIVE_BINDING = resolve(__dirname, '../../node_modules/better-sqlite3/build/Release/better_sqlite3.node')
  // Left on a display that has since been unplugged: the window must come back on the one there is.
  writeFileSync(join(fake.state.userData, 'window-state.json'), JSON.stringify({ bounds: { x: 2400, y: 80, width: 1200, height: 800 }, maximized: true, fullscreen: false }))
  const { runElectronShell } = await import('../../src/main/electron/shell')
  const { ViewRequests } = await import('../../src/main/electron/view-requests')
  views = new ViewRequests((m) => linkWarnings.push(m))
  // The link the app was started with arrives before the window exists.
  views.openLink('andon://loop/l-first/patch')
  await runElectronShell(origin, views)
})

afterAll(async () => {
  delete process.env.ANDON_NATIVE_BINDING
  for (const quit of fake.appListeners.get('before-quit') ?? []) quit({ preventDefault() {} })
  await new Promise((r) => setTimeout(r, 300))
  rmSync(fake.state.userData, { recursive: true, force: true })
})

describe('Electron main process with a real core', () => {
  it('opens one hardened window on app://andon', () => {
    expect(fake.windows).toHaveLength(1)
    expect(fake.windows[0].url).toBe('app://andon/index.html')
    expect(fake.windows[0].options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false })
    expect(String((fake.windows[0].options.webPreferences as { preload: string }).preload)).toMatch(/preload[/\\]index\.js$/)
  })

  it('opens at the default size with the app icon when its saved place is on a display no longer attached', () => {
    expect(fake.windows[0].options).toMatchObject({ width: 1320, height: 860 })
    expect(fake.windows[0].options.x).toBeUndefined()
    expect(String(fake.windows[0].options.icon)).toMatch(/resources[/\\]icon\.png$/)
  })

  it('remembers where the window was when it closes', () => {
    fake.windows[0].listeners.get('close')!()
    const saved = JSON.parse(readFileSync(join(fake.state.userData, 'window-state.json'), 'utf8'))
    expect(saved).toEqual({ bounds: { x: 200, y: 100, width: 1000, height: 700 }, maximized: true, fullscreen: false })
  })

  it('shows the link it was started with once the page has loaded, then each link as it comes', () => {
    expect(navigations()).toEqual([])
    fake.windows[0].webContents.listeners.get('did-finish-load')!()
    expect(navigations()).toEqual(['#/loop/l-first/patch'])
    views.openLink('andon://inbox/l1:approval:c1')
    views.openLink('andon://approve/l1')
    expect(navigations()).toEqual(['#/loop/l-first/patch', '#/inbox/l1%3Aapproval%3Ac1'])
    expect(linkWarnings).toEqual([expect.stringContaining('names no known screen')])
    fake.tray.menu.find((item) => item.label === 'Open Inbox')!.click!()
    expect(navigations().at(-1)).toBe('#/inbox')
  })

  it('registers one handler per contract command plus the secrets bridge and bundle-file import, nothing else', () => {
    const channels = [...fake.ipcHandlers.keys()]
    expect(channels.filter((c) => c.startsWith('andon:')).sort()).toEqual(commandNames.map((n) => `andon:${n}`).sort())
    expect(channels.filter((c) => !c.startsWith('andon:')).sort()).toEqual(['andon-shell:import-bundle-file', 'andon-shell:secret-clear', 'andon-shell:secret-set', 'andon-shell:secret-status'])
  })

  it('refuses commands from a subframe, another window or a foreign page', async () => {
    const sub = { ...trusted, senderFrame: { url: 'app://andon/index.html', parent: {} } }
    const other = { ...trusted, sender: { id: 99 } }
    const foreign = { ...trusted, senderFrame: { url: 'https://evil.example/', parent: null } }
    for (const event of [sub, other, foreign, { sender: { id: 41 }, senderFrame: null }])
      await expect(call('listLoops', {}, event)).rejects.toThrow(/refused/)
  })

  it('runs the example loop through IPC and pushes every event to the window', async () => {
    const specs = (await call('listSpecs', {})) as { id: string; name: string }[]
    const spec = specs.find((s) => s.name === 'fix-the-tests')!
    const { loopId } = (await call('launchLoop', { specId: spec.id })) as { loopId: string }
    // One IPC message per tick of the core: a batch of pushes, in order.
    const batches = () => fake.windows[0].webContents.sent.filter((s) => s.channel === 'andon:push').map((s) => s.msg as PushMessage[])
    const pushes = () => batches().flat()
    const done = await until('Terminated push', () => pushes().find((m) => m.event.loopId === loopId && m.event.type === 'Terminated'))
    expect(done.summary.terminationReason).toBe('SUCCESS')
    const versions = pushes().filter((m) => m.event.loopId === loopId).map((m) => m.event.version)
    expect(versions).toEqual(versions.map((_, i) => i + 1))
    // An iteration's commit pushes several events at once: they arrive as one message, not one each.
    expect(batches().length).toBeLessThan(pushes().length)
  })

  it('shows a desktop notification when a loop escalates', async () => {
    const specs = (await call('listSpecs', {})) as { id: string; name: string }[]
    await call('launchLoop', { specId: specs.find((s) => s.name === 'stuck-needs-a-hint')!.id })
    const notice = await until('escalation notice', () => fake.notifications.find((n) => n.title.startsWith('stuck-needs-a-hint')))
    expect(notice.title).toBe('stuck-needs-a-hint needs you')
    expect(notice.body).toMatch(/^Escalated at iteration \d+/)
  })

  it('opens the escalation a notification is about, keyed as the inbox keys its items', async () => {
    const notice = fake.notifications.find((n) => n.title.startsWith('stuck-needs-a-hint'))!
    notice.click!()
    const [item] = (await call('listInbox', {})) as InboxItem[]
    expect(item.kind).toBe('escalation')
    expect(navigations().at(-1)).toBe(`#/inbox/${encodeURIComponent(inboxKey(item))}`)
  })

  it('counts the waiting escalation on the badge, the tray and the title, and stops once the loop is archived', async () => {
    await until('badge count', () => fake.state.badge === 1)
    expect(fake.windows[0].title).toBe('Andon (1 waiting)')
    expect(fake.tray.tooltip).toBe('Andon — 1 waiting')
    const [item] = (await call('listInbox', {})) as InboxItem[]
    await call('archiveLoop', { loopId: item.loopId, archived: true })
    expect(fake.state.badge).toBe(0)
    expect(fake.windows[0].title).toBe('Andon')
    expect(fake.tray.tooltip).toBe('Andon — nothing waiting')
  })

  it('takes the pushes a closing core still sends after the tray is gone, as when quitting', async () => {
    const { Presence, showWaiting } = await import('../../src/main/electron/presence')
    const presence = new Presence('icon.png', { openWindow() {}, openInbox() {}, quit() {} }, () => {})
    let push: (msg: PushMessage) => void = () => {}
    const core = { handlers: { listLoops: async () => [] }, onPush: (l: typeof push) => ((push = l), () => {}) }
    await showWaiting(core as unknown as Parameters<typeof showWaiting>[0], presence, () => null)
    presence.destroy()
    const escalated = { kind: 'event', summary: { loopId: 'l-quit', waiting: 1, archived: false } } as unknown as PushMessage
    expect(() => push(escalated)).not.toThrow()
    expect(fake.tray.tooltip).toBe('Andon — nothing waiting')
  })

  it('refuses to store a key without an OS keyring', async () => {
    const set = fake.ipcHandlers.get('andon-shell:secret-set')!
    await expect(Promise.resolve().then(() => set(trusted, { name: 'ANTHROPIC_API_KEY', value: 'sk-x' }))).rejects.toThrow(/keychain is not available/)
  })

  it('guards every web contents: navigation, redirects, new windows, webviews', () => {
    const handlers = new Map<string, Listener>()
    let openHandler: Listener = () => undefined
    const contents = { on: (n: string, l: Listener) => void handlers.set(n, l), setWindowOpenHandler: (l: Listener) => (openHandler = l) }
    fake.appListeners.get('web-contents-created')![0]({}, contents)
    const prevented = (name: string, url?: string) => {
      let p = false
      handlers.get(name)!({ preventDefault: () => (p = true) }, url)
      return p
    }
    expect(prevented('will-navigate', 'https://evil.example/')).toBe(true)
    expect(prevented('will-navigate', 'app://andon/index.html#/inbox')).toBe(false)
    expect(prevented('will-redirect', 'file:///etc/passwd')).toBe(true)
    expect(prevented('will-attach-webview')).toBe(true)
    expect(openHandler({ url: 'https://docs.anthropic.com/' })).toEqual({ action: 'deny' })
    expect(openHandler({ url: 'file:///bin/sh' })).toEqual({ action: 'deny' })
    expect(fake.opened).toEqual(['https://docs.anthropic.com/'])
  })

  it('denies permissions but notifications, cancels remote requests, adds the CSP header', () => {
    const granted: boolean[] = []
    fake.session.permissionRequest!(null, 'media', (ok: boolean) => granted.push(ok))
    fake.session.permissionRequest!(null, 'notifications', (ok: boolean) => granted.push(ok))
    expect(granted).toEqual([false, true])
    const verdict = (url: string) => {
      let cancel: boolean | undefined
      fake.session.beforeRequest!({ url }, (r: { cancel: boolean }) => (cancel = r.cancel))
      return cancel
    }
    expect(verdict('https://api.anthropic.com/v1/messages')).toBe(true)
    expect(verdict('app://andon/assets/index.js')).toBe(false)
    let headers: Record<string, string[]> = {}
    fake.session.headersReceived!({ responseHeaders: {} }, (r: { responseHeaders: Record<string, string[]> }) => (headers = r.responseHeaders))
    expect(headers['Content-Security-Policy'][0]).toContain("script-src 'self'")
  })
})

describe('the menu with no window open (macOS)', () => {
  it('opens a window for a menu command and runs it once the page has loaded', async () => {
    const { Menu } = await import('electron')
    const template = vi.mocked(Menu.setApplicationMenu).mock.calls[0][0] as unknown as { label?: string; submenu?: { label?: string; click?: () => void }[] }[]
    const newLoop = template.find((m) => m.label === 'File')!.submenu!.find((i) => i.label === 'New Loop…')!
    fake.windows[0].listeners.get('closed')!()
    newLoop.click!()
    expect(fake.windows).toHaveLength(2)
    const menuSent = () => fake.windows[1].webContents.sent.filter((s) => s.channel === 'andon-shell:menu').map((s) => s.msg)
    expect(menuSent()).toEqual([])
    fake.windows[1].webContents.listeners.get('did-finish-load')!()
    expect(menuSent()).toEqual(['launch'])
  })
})

describe('app:// protocol', () => {
  it('serves built renderer files with type and CSP headers, and nothing outside them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'andon-renderer-'))
    mkdirSync(join(dir, 'assets'))
    writeFileSync(join(dir, 'index.html'), '<div id="root"></div>')
    writeFileSync(join(dir, 'assets', 'index.js'), 'console.log(1)')
    writeFileSync(join(tmpdir(), 'andon-outside.txt'), 'secret')
    const { serveRenderer } = await import('../../src/main/electron/hardening')
    serveRenderer(dir, origin)
    const handler = vi.mocked(protocol.handle).mock.calls.at(-1)![1] as (r: { url: string }) => Promise<Response>
    const index = await handler({ url: 'app://andon/index.html' })
    expect(index.status).toBe(200)
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(await index.text()).toBe('<div id="root"></div>')
    expect((await handler({ url: 'app://andon/assets/index.js' })).headers.get('content-type')).toContain('text/javascript')
    expect((await handler({ url: 'app://andon/..%2fandon-outside.txt' })).status).toBe(404)
    expect((await handler({ url: 'app://andon/missing.js' })).status).toBe(404)
    expect((await handler({ url: 'app://other/index.html' })).status).toBe(404)
    rmSync(dir, { recursive: true, force: true })
    rmSync(join(tmpdir(), 'andon-outside.txt'), { force: true })
  })
})
