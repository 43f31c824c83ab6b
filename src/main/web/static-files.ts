/**
 * Serves the built renderer. Paths are resolved inside the renderer folder only; anything
 * else (traversal, dotfiles, folders) is a 404. Every response carries the strict CSP.
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { extname, join, resolve, sep } from 'node:path'

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; font-src 'self' data:; frame-ancestors 'none'; object-src 'none'; base-uri 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin'
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8'
}

/** The file a URL path maps to, or null when it would leave the root or is hidden. */
export function resolveStatic(root: string, urlPath: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return null
  }
  if (decoded.includes('\0')) return null
  const rel = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '')
  if (rel.split(/[\\/]/).some((part) => part === '..' || part.startsWith('.'))) return null
  const base = resolve(root)
  const file = resolve(join(base, rel))
  return file.startsWith(base + sep) ? file : null
}

export async function serveStatic(root: string, urlPath: string, res: ServerResponse, headOnly: boolean): Promise<void> {
  const file = resolveStatic(root, urlPath)
  const info = file ? await stat(file).catch(() => null) : null
  if (!file || !info?.isFile()) {
    res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' })
    res.end('not found')
    return
  }
  const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': type,
    'Content-Length': String(info.size),
    // Built assets carry a content hash in their name; the page itself must always be fresh.
    'Cache-Control': type.startsWith('text/html') ? 'no-store' : 'public, max-age=3600'
  })
  if (headOnly) {
    res.end()
    return
  }
  createReadStream(file).pipe(res)
}
