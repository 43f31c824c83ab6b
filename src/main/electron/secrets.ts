/**
 * API keys and tokens entered in the Electron app, encrypted with the OS keychain through
 * `safeStorage` and kept in one file in userData. Values only ever leave this module as the
 * core's `env`; they are never logged and never sent back to the renderer (only whether set).
 */
import { readFileSync, existsSync } from 'node:fs'
import { z } from 'zod'
import { writeFileAtomically } from '../core/platform/write-file-atomically'

export const SecretName = z.enum(['ANTHROPIC_API_KEY', 'GITHUB_TOKEN'])
export type SecretName = z.infer<typeof SecretName>

export const SetSecretInput = z
  .object({ name: SecretName, value: z.string().trim().min(1, 'empty value').max(4096) })
  .strict()
export const ClearSecretInput = z.object({ name: SecretName }).strict()

/** The part of Electron's safeStorage this module needs (a fake in tests). */
export interface Cipher {
  isEncryptionAvailable(): boolean
  encryptString(plain: string): Buffer
  decryptString(encrypted: Buffer): string
  /** Linux only: 'basic_text' means no keyring, i.e. a hard-coded key; we refuse it. */
  getSelectedStorageBackend?(): string
}

export interface SecretStatus {
  name: SecretName
  stored: boolean
  /** Set in the environment Andon was started with (the stored value wins when both exist). */
  fromEnvironment: boolean
}

const FileSchema = z.record(z.string(), z.string())

export class SecretStore {
  constructor(
    private readonly file: string,
    private readonly cipher: Cipher
  ) {}

  /** Why secrets cannot be stored here, or null when they can. */
  unavailableReason(): string | null {
    if (!this.cipher.isEncryptionAvailable()) return 'the OS keychain is not available'
    if (this.cipher.getSelectedStorageBackend?.() === 'basic_text')
      return 'no keyring (gnome-libsecret or kwallet) is running, so encryption would use a fixed key'
    return null
  }

  set(name: SecretName, value: string): void {
    const reason = this.unavailableReason()
    if (reason) throw new Error(`Cannot store ${name}: ${reason}. Set it in the environment instead.`)
    const all = this.readFile()
    all[name] = this.cipher.encryptString(value).toString('base64')
    this.writeFile(all)
  }

  clear(name: SecretName): void {
    const all = this.readFile()
    delete all[name]
    this.writeFile(all)
  }

  /** Decrypted values; an entry that no longer decrypts (keychain changed) is skipped, not fatal. */
  load(): Partial<Record<SecretName, string>> {
    const out: Partial<Record<SecretName, string>> = {}
    if (this.unavailableReason()) return out
    for (const [key, b64] of Object.entries(this.readFile())) {
      const name = SecretName.safeParse(key)
      if (!name.success) continue
      try {
        out[name.data] = this.cipher.decryptString(Buffer.from(b64, 'base64'))
      } catch {
        // unreadable entry: treat as not stored
      }
    }
    return out
  }

  status(baseEnv: Record<string, string | undefined>): SecretStatus[] {
    const stored = this.load()
    return SecretName.options.map((name) => ({
      name,
      stored: stored[name] !== undefined,
      fromEnvironment: typeof baseEnv[name] === 'string' && baseEnv[name] !== ''
    }))
  }

  private readFile(): Record<string, string> {
    if (!existsSync(this.file)) return {}
    try {
      const parsed = FileSchema.safeParse(JSON.parse(readFileSync(this.file, 'utf8')))
      return parsed.success ? parsed.data : {}
    } catch {
      return {}
    }
  }

  private writeFile(all: Record<string, string>): void {
    writeFileAtomically(this.file, JSON.stringify(all), 0o600)
  }
}

/**
 * The core's environment: the process environment with stored secrets on top. The object is
 * kept and updated in place when the operator sets or clears a secret.
 */
export function coreEnv(
  baseEnv: Record<string, string | undefined>,
  stored: Partial<Record<SecretName, string>>
): Record<string, string | undefined> {
  return { ...baseEnv, ...stored }
}
