// The Electron window and its guards checked against the Electron security checklist,
// without launching Electron: these are the exact values and predicates the shell applies.
import { describe, expect, it } from 'vitest'
import {
  APP_ENTRY_URL,
  auditWebPreferences,
  contentSecurityPolicy,
  entryUrl,
  isAllowedNavigation,
  isAllowedRequest,
  isPermissionGranted,
  isSafeExternalUrl,
  isTrustedSender,
  windowOptions
} from '../../src/main/electron/security'
import { resolveAppFile, mimeType } from '../../src/main/electron/app-files'
import { menuTemplate } from '../../src/main/electron/menu'

const built = { devServerUrl: null }
const dev = { devServerUrl: 'http://localhost:5173' }

describe('window options', () => {
  const prefs = windowOptions('/app/out/preload/index.js').webPreferences!

  it('isolate the renderer: context isolation, sandbox, no Node, web security on', () => {
    expect(prefs.contextIsolation).toBe(true)
    expect(prefs.sandbox).toBe(true)
    expect(prefs.nodeIntegration).toBe(false)
    expect(prefs.nodeIntegrationInWorker).toBe(false)
    expect(prefs.nodeIntegrationInSubFrames).toBe(false)
    expect(prefs.webSecurity).toBe(true)
    expect(prefs.allowRunningInsecureContent).toBe(false)
    expect(prefs.webviewTag).toBe(false)
    expect(prefs.enableBlinkFeatures).toBeUndefined()
    expect(prefs.disableBlinkFeatures).toBe('Auxclick')
    expect(prefs.preload).toBe('/app/out/preload/index.js')
  })

  it('pass the checklist audit, which does catch unsafe settings', () => {
    expect(auditWebPreferences(prefs)).toEqual([])
    expect(auditWebPreferences({ ...prefs, nodeIntegration: true })).toContain('nodeIntegration must be false')
    expect(auditWebPreferences({ ...prefs, contextIsolation: false })).toContain('contextIsolation must be true')
    expect(auditWebPreferences({ ...prefs, sandbox: undefined })).toContain('sandbox must be true')
    expect(auditWebPreferences({ ...prefs, webSecurity: false })).toContain('webSecurity must stay on')
    expect(auditWebPreferences({ ...prefs, webviewTag: true })).toContain('webviewTag must be off')
    expect(auditWebPreferences({ ...prefs, disableBlinkFeatures: undefined })).toContain('Auxclick must be disabled')
    expect(auditWebPreferences(undefined)).toHaveLength(1)
  })

  it('load only the app itself: built files over app://, never file:// or a remote page', () => {
    expect(entryUrl(built)).toBe(APP_ENTRY_URL)
    expect(APP_ENTRY_URL.startsWith('app://andon/')).toBe(true)
    expect(entryUrl(dev)).toBe('http://localhost:5173')
  })
})

describe('content security policy', () => {
  const directives = (csp: string) => new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]))

  it('allows no inline or eval script and no remote connections in the built app', () => {
    const csp = directives(contentSecurityPolicy(built))
    expect(csp.get('script-src')).toEqual(["'self'"])
    expect(csp.get('connect-src')).toEqual(["'self'"])
    expect(csp.get('default-src')).toEqual(["'self'"])
    expect(csp.get('object-src')).toEqual(["'none'"])
    expect(csp.get('frame-ancestors')).toEqual(["'none'"])
    expect(csp.get('base-uri')).toEqual(["'none'"])
    expect(contentSecurityPolicy(built)).not.toContain('unsafe-eval')
  })

  it('opens only what the dev server needs in development (inline preamble, local HMR socket)', () => {
    const csp = directives(contentSecurityPolicy(dev))
    expect(csp.get('script-src')).toContain("'unsafe-inline'")
    expect(csp.get('connect-src')!.every((s) => s === "'self'" || /^ws:\/\/(localhost|127\.0\.0\.1):\*$/.test(s))).toBe(true)
  })
})

describe('navigation, new windows and permissions', () => {
  it('will-navigate / will-redirect stay inside the app', () => {
    expect(isAllowedNavigation('app://andon/index.html#/loops/abc', built)).toBe(true)
    expect(isAllowedNavigation('app://evil/index.html', built)).toBe(false)
    expect(isAllowedNavigation('file:///etc/passwd', built)).toBe(false)
    expect(isAllowedNavigation('https://example.com/', built)).toBe(false)
    expect(isAllowedNavigation('app://user@andon/index.html', built)).toBe(false)
    expect(isAllowedNavigation('not a url', built)).toBe(false)
    expect(isAllowedNavigation('http://localhost:5173/#/x', dev)).toBe(true)
    expect(isAllowedNavigation('http://localhost:5174/', dev)).toBe(false)
    expect(isAllowedNavigation('app://andon/index.html', dev)).toBe(false)
  })

  it('lets the renderer request only the app itself (and the HMR socket in development)', () => {
    expect(isAllowedRequest('app://andon/assets/index.js', built)).toBe(true)
    expect(isAllowedRequest('data:image/png;base64,AAAA', built)).toBe(true)
    expect(isAllowedRequest('https://api.anthropic.com/v1/messages', built)).toBe(false)
    expect(isAllowedRequest('http://127.0.0.1:8080/', built)).toBe(false)
    expect(isAllowedRequest('ws://localhost:5173/', built)).toBe(false)
    expect(isAllowedRequest('ws://localhost:5173/', dev)).toBe(true)
    expect(isAllowedRequest('http://localhost:5173/@vite/client', dev)).toBe(true)
    expect(isAllowedRequest('ws://evil.example/', dev)).toBe(false)
  })

  it('opens only plain https links externally', () => {
    expect(isSafeExternalUrl('https://docs.anthropic.com/en/api')).toBe(true)
    for (const url of ['http://example.com', 'javascript:alert(1)', 'file:///etc/passwd', 'smb://host/share', 'https://user:pw@example.com', 'ms-msdt:/id', ''])
      expect(isSafeExternalUrl(url), url).toBe(false)
  })

  it('grants notifications and nothing else', () => {
    expect(isPermissionGranted('notifications')).toBe(true)
    for (const p of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen', 'hid', 'serial', 'unknown'])
      expect(isPermissionGranted(p), p).toBe(false)
  })
})

describe('IPC sender validation', () => {
  const ours = { frameUrl: 'app://andon/index.html#/inbox', isMainFrame: true, webContentsId: 7 }

  it('trusts only the main frame of our window showing our renderer', () => {
    expect(isTrustedSender(ours, 7, built)).toBe(true)
    expect(isTrustedSender({ ...ours, isMainFrame: false }, 7, built)).toBe(false)
    expect(isTrustedSender({ ...ours, webContentsId: 8 }, 7, built)).toBe(false)
    expect(isTrustedSender({ ...ours, frameUrl: 'https://evil.example/' }, 7, built)).toBe(false)
    expect(isTrustedSender({ ...ours, frameUrl: 'file:///tmp/index.html' }, 7, built)).toBe(false)
    expect(isTrustedSender({ ...ours, frameUrl: null }, 7, built)).toBe(false)
    expect(isTrustedSender(ours, null, built)).toBe(false)
    expect(isTrustedSender({ ...ours, frameUrl: 'http://localhost:5173/' }, 7, dev)).toBe(true)
    expect(isTrustedSender(ours, 7, dev)).toBe(false)
  })
})

describe('app:// file mapping', () => {
  const root = '/opt/andon/out/renderer'

  it('maps app URLs to files inside the renderer folder', () => {
    expect(resolveAppFile(root, 'app://andon/index.html')).toBe(`${root}/index.html`)
    expect(resolveAppFile(root, 'app://andon/')).toBe(`${root}/index.html`)
    expect(resolveAppFile(root, 'app://andon/assets/index-abc.js?v=1')).toBe(`${root}/assets/index-abc.js`)
    expect(mimeType('x/index-abc.js')).toContain('text/javascript')
    expect(mimeType('x/font.woff2')).toBe('font/woff2')
  })

  it('never escapes the renderer folder or serves another host', () => {
    expect(resolveAppFile(root, 'app://andon/..%2f..%2fpackage.json')).toBeNull()
    expect(resolveAppFile(root, 'app://andon/a%00.html')).toBeNull()
    expect(resolveAppFile(root, 'app://andon/%E0%A4%A')).toBeNull()
    expect(resolveAppFile(root, 'app://other/index.html')).toBeNull()
    expect(resolveAppFile(root, 'file:///opt/andon/out/renderer/index.html')).toBeNull()
    // The URL parser folds ../ and %2e%2e/ segments, so they stay inside the root.
    expect(resolveAppFile(root, 'app://andon/../../etc/passwd')).toBe(`${root}/etc/passwd`)
    expect(resolveAppFile(root, 'app://andon/%2e%2e/%2e%2e/main/index.js')).toBe(`${root}/main/index.js`)
  })
})

describe('menu', () => {
  const roles = (t: ReturnType<typeof menuTemplate>) => JSON.stringify(t)
  it('offers reload and devtools only in development', () => {
    expect(roles(menuTemplate({ dev: true, isMac: false }))).toContain('"reload"')
    expect(roles(menuTemplate({ dev: true, isMac: false }))).toContain('toggleDevTools')
    expect(roles(menuTemplate({ dev: false, isMac: false }))).not.toContain('"reload"')
    expect(roles(menuTemplate({ dev: false, isMac: false }))).not.toContain('toggleDevTools')
    expect(roles(menuTemplate({ dev: false, isMac: false }))).toContain('"quit"')
  })
  it('File offers Import Bundle… and Export Loop…, which hand their action to the shell', () => {
    const actions: string[] = []
    const file = menuTemplate({ dev: false, isMac: false, onAction: (a) => actions.push(a) })[0]
    const items = file.submenu as { label?: string; click?: () => void }[]
    for (const label of ['Import Bundle…', 'Export Loop…']) items.find((i) => i.label === label)!.click!()
    expect(actions).toEqual(['import-bundle', 'export-bundle'])
  })
})
