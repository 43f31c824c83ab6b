/**
 * The web shell's address (port and token) kept in the data dir, so a restart serves the same
 * URL and open tabs reconnect by themselves. Only the owner may read the file: the token is the
 * whole of the web shell's access control.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { writeFileAtomically } from '../core/platform/write-file-atomically'

export const ADDRESS_FILE = 'web-shell.json'

const AddressSchema = z
  .object({
    /** null until a web shell has served on this data dir (a token rotated before any start). */
    port: z.number().int().min(1).max(65_535).nullable(),
    token: z.string().regex(/^[A-Za-z0-9_-]{32,}$/, 'a token is at least 32 URL-safe characters')
  })
  .strict()

export type SavedAddress = z.infer<typeof AddressSchema>

export function addressFile(dataDir: string): string {
  return join(dataDir, ADDRESS_FILE)
}

export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

/** The URL that opens the control room, token in the fragment (never sent to a server). */
export function shellUrl(port: number, token: string): string {
  return `http://127.0.0.1:${port}/#token=${token}`
}

/** The saved address, or null when none was saved. A damaged file is an error that says how to replace it. */
export function readAddress(dataDir: string): SavedAddress | null {
  const file = addressFile(dataDir)
  if (!existsSync(file)) return null
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    // The parser's message quotes the file, which holds the token: say only what is wrong.
    throw new Error(`${file} is not JSON: run \`andon web-token --rotate --data-dir ${dataDir}\` to write a new one`)
  }
  const parsed = AddressSchema.safeParse(raw)
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; ')
    throw new Error(`${file} is not a web shell address (${why}): run \`andon web-token --rotate --data-dir ${dataDir}\` to write a new one`)
  }
  return parsed.data
}

/** Replaces the file in one step, readable by its owner only (see writeFileAtomically). */
export function writeAddress(dataDir: string, address: SavedAddress): void {
  writeFileAtomically(addressFile(dataDir), JSON.stringify(address, null, 2) + '\n', 0o600)
}

/** A new token under the saved port; a running web shell keeps the old one until it restarts. */
export function rotateToken(dataDir: string): SavedAddress {
  let port: number | null = null
  try {
    port = readAddress(dataDir)?.port ?? null
  } catch {
    // A damaged file is what rotating replaces.
  }
  const address = { port, token: newToken() }
  writeAddress(dataDir, address)
  return address
}
