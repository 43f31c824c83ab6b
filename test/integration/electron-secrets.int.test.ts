// Secrets entered in the Electron app: stored only encrypted (a stand-in for safeStorage that
// really transforms the bytes), never returned to the renderer, refused without a keyring.
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { IpcMainInvokeEvent } from 'electron'
import { coreEnv, SecretStore, type Cipher } from '../../src/main/electron/secrets'
import { registerSecrets } from '../../src/main/electron/secrets-ipc'
import { SECRET_CHANNELS } from '../../src/main/electron/channels'
import { chooseNativeBinding, cachedBindingPath } from '../../src/main/electron/native'
import { tempDirsPerTest } from '../support/temp-per-test'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a))
const cipher = (backend = 'gnome_libsecret', available = true): Cipher => ({
  isEncryptionAvailable: () => available,
  encryptString: (s) => xor(Buffer.from(`v1:${s}`)),
  decryptString: (b) => {
    const s = xor(b).toString()
    if (!s.startsWith('v1:')) throw new Error('bad ciphertext')
    return s.slice(3)
  },
  getSelectedStorageBackend: () => backend
})

const tempDir = tempDirsPerTest('andon-secrets-')

describe('secret store', () => {
  it('keeps only ciphertext on disk, owner-readable, and decrypts it on the next start', () => {
    const file = join(tempDir(), 'secrets.json')
    new SecretStore(file, cipher()).set('ANTHROPIC_API_KEY', 'sk-ant-very-secret')
    const onDisk = readFileSync(file, 'utf8')
    expect(onDisk).not.toContain('sk-ant-very-secret')
    expect(statSync(file).mode & 0o077).toBe(0)
    expect(new SecretStore(file, cipher()).load()).toEqual({ ANTHROPIC_API_KEY: 'sk-ant-very-secret' })
  })

  it('refuses to store without a real keyring, with a reason, and writes nothing', () => {
    const dir = tempDir()
    const file = join(dir, 'secrets.json')
    expect(() => new SecretStore(file, cipher('basic_text')).set('GITHUB_TOKEN', 'ghp_x')).toThrow(/Cannot store GITHUB_TOKEN: no keyring/)
    expect(() => new SecretStore(file, cipher('unknown', false)).set('GITHUB_TOKEN', 'ghp_x')).toThrow(/keychain is not available/)
    expect(() => readFileSync(file)).toThrow()
  })

  it('survives a corrupt file or an entry that no longer decrypts', () => {
    const file = join(tempDir(), 'secrets.json')
    writeFileSync(file, '{not json')
    expect(new SecretStore(file, cipher()).load()).toEqual({})
    writeFileSync(file, JSON.stringify({ GITHUB_TOKEN: 'AAAA', BOGUS: 'x' }))
    expect(new SecretStore(file, cipher()).load()).toEqual({})
  })

  it('over IPC: set and clear update the core env in place; status never includes a value', async () => {
    const file = join(tempDir(), 'secrets.json')
    const store = new SecretStore(file, cipher())
    const baseEnv = { GITHUB_TOKEN: 'from-env', PATH: '/usr/bin' }
    const env = coreEnv(baseEnv, store.load())
    const listeners = new Map<string, (e: IpcMainInvokeEvent, ...a: unknown[]) => unknown>()
    let trusted = true
    registerSecrets({ handle: (c, l) => void listeners.set(c, l), removeHandler: () => {} }, store, env, baseEnv, () => trusted)
    const call = async (ch: string, arg?: unknown) => listeners.get(ch)!({} as IpcMainInvokeEvent, arg)

    const status = await call(SECRET_CHANNELS.set, { name: 'ANTHROPIC_API_KEY', value: '  sk-ant-123  ' })
    expect(env.ANTHROPIC_API_KEY).toBe('sk-ant-123')
    expect(JSON.stringify(status)).not.toContain('sk-ant-123')
    expect(status).toContainEqual({ name: 'ANTHROPIC_API_KEY', stored: true, fromEnvironment: false })
    expect(status).toContainEqual({ name: 'GITHUB_TOKEN', stored: false, fromEnvironment: true })

    await call(SECRET_CHANNELS.set, { name: 'GITHUB_TOKEN', value: 'ghp_app' })
    expect(env.GITHUB_TOKEN).toBe('ghp_app')
    await call(SECRET_CHANNELS.clear, { name: 'GITHUB_TOKEN' })
    expect(env.GITHUB_TOKEN).toBe('from-env')

    await expect(call(SECRET_CHANNELS.set, { name: 'PATH', value: '/evil' })).rejects.toThrow(/setSecret: invalid input — name/)
    await expect(call(SECRET_CHANNELS.set, { name: 'GITHUB_TOKEN', value: '   ' })).rejects.toThrow(/value: empty value/)
    trusted = false
    await expect(call(SECRET_CHANNELS.status)).rejects.toThrow(/refused/)
    expect(env.PATH).toBe('/usr/bin')
  })
})

describe('native binding choice', () => {
  it('uses the Electron build from the cache, explains how to make it when missing', () => {
    const root = tempDir()
    const missing = chooseNativeBinding({ isPackaged: false, appPath: root, electronVersion: '45.4.1', envPath: undefined })
    expect('error' in missing && missing.error).toMatch(/node scripts\/desktop\/electron-native\.mjs/)
    const built = cachedBindingPath(root, '45.4.1')
    mkdirSync(dirname(built), { recursive: true })
    writeFileSync(built, '')
    expect(chooseNativeBinding({ isPackaged: false, appPath: root, electronVersion: '45.4.1', envPath: undefined })).toEqual({ path: built })
    expect(chooseNativeBinding({ isPackaged: true, appPath: root, electronVersion: '45.4.1', envPath: undefined })).toEqual({ path: undefined })
    expect(chooseNativeBinding({ isPackaged: false, appPath: root, electronVersion: '45.4.1', envPath: join(root, 'nope.node') })).toHaveProperty('error')
  })

  it('a packaged app ignores ANDON_NATIVE_BINDING: only the binary it ships is loaded', () => {
    const root = tempDir()
    const planted = join(root, 'planted.node')
    writeFileSync(planted, '')
    expect(chooseNativeBinding({ isPackaged: true, appPath: root, electronVersion: '45.4.1', envPath: planted })).toEqual({ path: undefined })
    expect(chooseNativeBinding({ isPackaged: false, appPath: root, electronVersion: '45.4.1', envPath: planted })).toEqual({ path: planted })
  })
})
