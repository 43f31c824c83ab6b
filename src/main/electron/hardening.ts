/**
 * App-wide guards, applied to every web contents and to the default session: no navigation
 * away from the app, no new windows, no webviews, no permissions but notifications, no
 * requests to anything but the app itself, and a CSP header on everything it serves.
 */
import { app, protocol, session, shell, type Session } from 'electron'
import { readFile } from 'node:fs/promises'
import { resolveAppFile, mimeType } from './app-files'
import {
  APP_SCHEME,
  type AppOrigin,
  auditWebPreferences,
  contentSecurityPolicy,
  isAllowedNavigation,
  isAllowedRequest,
  isPermissionGranted,
  isSafeExternalUrl
} from './security'

/** Must run before `app.whenReady()`: app:// behaves like https (secure origin, fetch, CORS). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } }
  ])
}

/** Serves the built renderer on app://andon/ with the CSP as a real response header. */
export function serveRenderer(rendererDir: string, origin: AppOrigin): void {
  const csp = contentSecurityPolicy(origin)
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(rendererDir, request.url)
    if (!file) return new Response('not found', { status: 404 })
    try {
      const body = await readFile(file)
      return new Response(body, {
        headers: { 'content-type': mimeType(file), 'content-security-policy': csp, 'x-content-type-options': 'nosniff' }
      })
    } catch {
      return new Response('not found', { status: 404 })
    }
  })
}

export function hardenSession(ses: Session, origin: AppOrigin): void {
  const csp = contentSecurityPolicy(origin)
  ses.setPermissionRequestHandler((_contents, permission, callback) => callback(isPermissionGranted(permission)))
  ses.setPermissionCheckHandler((_contents, permission) => isPermissionGranted(permission))
  // No remote content: the renderer talks only to the app (and the dev server in development).
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url, origin) }))
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } })
  })
}

/** Guards every web contents the app ever creates, including ones we did not expect. */
export function guardAllWebContents(origin: AppOrigin): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAllowedNavigation(url, origin)) event.preventDefault()
    })
    contents.on('will-redirect', (event, url) => {
      if (!isAllowedNavigation(url, origin)) event.preventDefault()
    })
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(({ url }) => {
      if (isSafeExternalUrl(url)) void shell.openExternal(url)
      return { action: 'deny' }
    })
  })
}

export function hardenApp(origin: AppOrigin): void {
  guardAllWebContents(origin)
  hardenSession(session.defaultSession, origin)
}

/** Refuses to go on with a window whose preferences fail the checklist (a guard against edits). */
export function assertSafePreferences(prefs: Parameters<typeof auditWebPreferences>[0]): void {
  const problems = auditWebPreferences(prefs)
  if (problems.length) throw new Error(`unsafe window configuration: ${problems.join(', ')}`)
}
