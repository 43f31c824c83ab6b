/**
 * The Electron security checklist as pure functions: window options, the content security
 * policy, which URLs a window may navigate to or open, which permissions are granted and
 * which IPC senders are trusted. Kept free of runtime `electron` imports so unit tests can
 * check them without launching Electron; window.ts and hardening.ts apply them.
 */
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron'

/** The renderer is served from this privileged custom scheme, never from file://. */
export const APP_SCHEME = 'app'
export const APP_HOST = 'andon'
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`

/** Where the renderer comes from: the built files (app://) or the electron-vite dev server. */
export interface AppOrigin {
  /** The dev server URL (ELECTRON_RENDERER_URL) in development; null when serving built files. */
  devServerUrl: string | null
}

export function entryUrl(origin: AppOrigin): string {
  return origin.devServerUrl ?? APP_ENTRY_URL
}

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1320,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    title: 'Andon',
    backgroundColor: '#111418',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      // Middle-click would otherwise open links outside setWindowOpenHandler's reach.
      disableBlinkFeatures: 'Auxclick'
    }
  }
}

/**
 * Checks web preferences against the checklist; returns what is wrong (empty when safe).
 * Used by the tests and, at runtime, to refuse any web contents created with unsafe settings.
 */
export function auditWebPreferences(prefs: WebPreferences | undefined): string[] {
  const problems: string[] = []
  if (!prefs) return ['no webPreferences: defaults must be stated explicitly']
  if (prefs.contextIsolation !== true) problems.push('contextIsolation must be true')
  if (prefs.sandbox !== true) problems.push('sandbox must be true')
  if (prefs.nodeIntegration !== false) problems.push('nodeIntegration must be false')
  if (prefs.nodeIntegrationInWorker === true) problems.push('nodeIntegrationInWorker must be off')
  if (prefs.nodeIntegrationInSubFrames === true) problems.push('nodeIntegrationInSubFrames must be off')
  if (prefs.webSecurity === false) problems.push('webSecurity must stay on')
  if (prefs.allowRunningInsecureContent === true) problems.push('allowRunningInsecureContent must be off')
  if (prefs.experimentalFeatures === true) problems.push('experimentalFeatures must be off')
  if (prefs.enableBlinkFeatures) problems.push('enableBlinkFeatures must not be set')
  if (prefs.webviewTag === true) problems.push('webviewTag must be off')
  if (!prefs.disableBlinkFeatures?.split(',').includes('Auxclick')) problems.push('Auxclick must be disabled')
  return problems
}

/** The content security policy for the renderer. Dev mode needs Vite's inline preamble and HMR socket. */
export function contentSecurityPolicy(origin: AppOrigin): string {
  const dev = origin.devServerUrl !== null
  return [
    "default-src 'self'",
    dev ? "script-src 'self' 'unsafe-inline'" : "script-src 'self'",
    // React style attributes and xterm's measured layout are inline styles.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    dev ? "connect-src 'self' ws://localhost:* ws://127.0.0.1:*" : "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'"
  ].join('; ')
}

function parse(url: string): URL | null {
  try {
    return new URL(url)
  } catch {
    return null
  }
}

/** Is this URL our own renderer document (any hash or query)? Nothing else is ever loaded. */
export function isAppUrl(url: string, origin: AppOrigin): boolean {
  const u = parse(url)
  if (!u) return false
  if (origin.devServerUrl !== null) {
    const dev = parse(origin.devServerUrl)
    return dev !== null && u.protocol === dev.protocol && u.host === dev.host
  }
  // Non-special schemes have an opaque `origin` in WHATWG URL, so compare the parts.
  return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && !u.username && !u.password
}

/** `will-navigate` / `will-redirect`: only within the app itself. */
export function isAllowedNavigation(url: string, origin: AppOrigin): boolean {
  return isAppUrl(url, origin)
}

/**
 * Requests the renderer may make at all (enforced with webRequest): the app itself, devtools and
 * inline data. In development also the dev server's HMR socket. Everything remote is cancelled.
 */
export function isAllowedRequest(url: string, origin: AppOrigin): boolean {
  if (isAppUrl(url, origin) || url.startsWith('devtools://') || url.startsWith('data:') || url.startsWith('blob:')) return true
  if (origin.devServerUrl === null) return false
  const u = parse(url)
  const dev = parse(origin.devServerUrl)
  return u !== null && dev !== null && (u.protocol === 'ws:' || u.protocol === 'wss:') && u.host === dev.host
}

/** Links the operator clicks open in the system browser, but only plain https ones. */
export function isSafeExternalUrl(url: string): boolean {
  const u = parse(url)
  return u !== null && u.protocol === 'https:' && !u.username && !u.password && u.hostname.length > 0
}

/** Only desktop notifications are granted; camera, clipboard, geolocation and the rest are denied. */
export function isPermissionGranted(permission: string): boolean {
  return permission === 'notifications'
}

/** What the IPC layer knows about who sent a message. */
export interface SenderInfo {
  /** URL of the frame that sent it; null when the frame is gone. */
  frameUrl: string | null
  /** True when the sending frame is the top frame of its page. */
  isMainFrame: boolean
  /** webContents id of the sender. */
  webContentsId: number
}

/**
 * An IPC message is trusted only if it comes from the main frame of our own window and that
 * frame shows our own renderer. Subframes, other windows and foreign pages are refused.
 */
export function isTrustedSender(sender: SenderInfo, windowContentsId: number | null, origin: AppOrigin): boolean {
  if (windowContentsId === null || sender.webContentsId !== windowContentsId) return false
  if (!sender.isMainFrame || sender.frameUrl === null) return false
  return isAppUrl(sender.frameUrl, origin)
}
