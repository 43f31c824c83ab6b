// electron-builder.yml is not exercised in CI (no Electron download here), so check it against
// electron-builder's own schema and against what the shell expects at runtime.
import Ajv from 'ajv'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

const root = resolve(__dirname, '../..')
const config = parse(readFileSync(resolve(root, 'electron-builder.yml'), 'utf8'))
const schema = JSON.parse(readFileSync(resolve(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8'))
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema)

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's schema", () => {
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true)
  })

  // One broken variant per family of keys, so a schema that accepted anything would fail here.
  it.each([
    ['a misspelled top-level key', { ...config, asarUnpak: ['typo'] }],
    ['a protocol without schemes', { ...config, protocols: [{ name: 'Andon link' }] }],
    ['an extra resource with an unknown key', { ...config, extraResources: [{ from: 'resources/icon.png', into: 'icon.png' }] }],
    ['an unknown fuse', { ...config, electronFuses: { ...config.electronFuses, runAsNodeJs: false } }],
    ['a deb dependency list that is not a list of names', { ...config, deb: { ...config.deb, depends: [42] } }],
    ['a dmg target with an unknown arch', { ...config, mac: { ...config.mac, target: [{ target: 'dmg', arch: ['m68k'] }] } }],
    ['nsis with a misspelled option', { ...config, nsis: { ...config.nsis, oneclick: false } }],
    ['a Linux option in the wrong type', { ...config, linux: { ...config.linux, executableName: ['andon'] } }],
    ['syncDesktopName that is not a flag', { ...config, linux: { ...config.linux, syncDesktopName: 'andon' } }]
  ])('rejects %s', (_what, broken) => {
    expect(validate(broken)).toBe(false)
  })

  it('packs what the shell loads: built output, unpacked sqlite, examples and the icon beside the archive', () => {
    expect(config.files).toContain('out/**')
    expect(config.asar).toBe(true)
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**')
    expect(config.npmRebuild).toBe(true)
    // shell.ts lists examples from process.resourcesPath/examples when packaged; the tray and window read icon.png there.
    expect(config.extraResources).toContainEqual({ from: 'resources/examples', to: 'examples' })
    expect(config.extraResources).toContainEqual({ from: 'resources/icon.png', to: 'icon.png' })
    // The Agent SDK's platform binary is left out (the packaged app runs the user's Claude Code); the SDK itself is not.
    expect(config.files).toContain('!node_modules/@anthropic-ai/claude-agent-sdk-*/**')
    expect(config.files.filter((f: string) => f.includes('claude-agent-sdk'))).toHaveLength(1)
  })

  it('registers andon:// links on every platform', () => {
    expect(config.protocols).toEqual([{ name: 'Andon link', schemes: ['andon'] }])
    for (const platform of ['linux', 'mac', 'win']) expect(config[platform].protocols).toBeUndefined()
  })

  it('builds an AppImage and a .deb named andon, a dmg for both Mac architectures and a per-user nsis installer', () => {
    expect(config.artifactName).toBe('${productName}-${version}-${arch}.${ext}')
    expect(config.linux.target).toEqual(['AppImage', 'deb'])
    expect(config.linux.executableName).toBe('andon')
    expect(config.linux.maintainer).toBeTruthy()
    // electron-builder refuses to make a .deb without the project's homepage, which it reads from package.json.
    const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { homepage?: string; desktopName?: string }
    expect(pkg.homepage).toMatch(/^https:\/\/\S+$/)
    // Electron's window app id (WM_CLASS) comes from desktopName; the launcher's file name and StartupWMClass
    // must be the same name, or a Linux dock shows the running window apart from Andon's launcher.
    expect(pkg.desktopName).toBe(`${config.linux.executableName}.desktop`)
    expect(config.linux.syncDesktopName).toBe(true)
    // Setting depends replaces electron-builder's defaults, so they must all still be there.
    expect(config.deb.depends).toEqual(expect.arrayContaining(['libgtk-3-0', 'libnotify4', 'libnss3', 'libxss1', 'libxtst6', 'xdg-utils', 'libatspi2.0-0', 'libuuid1', 'libsecret-1-0', 'libgbm1', 'libasound2']))
    expect(config.mac.target).toEqual([{ target: 'dmg', arch: ['x64', 'arm64'] }])
    expect(config.mac.hardenedRuntime).toBe(true)
    expect(config.win.target).toEqual(['nsis'])
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false })
    for (const platform of ['linux', 'mac', 'win']) expect(config[platform].icon).toBe('resources/icon.png')
  })

  it('sets every fuse Electron has, closing what local code could use to run as the app', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
      // Flipping fuses invalidates the arm64 ad-hoc signature; an unsigned Mac build must be re-signed to launch.
      resetAdHocDarwinSignature: true
    })
    // Every fuse electron-builder knows is set, so a new one shows up here on upgrade.
    expect(Object.keys(config.electronFuses).sort()).toEqual(Object.keys(schema.definitions.FuseOptionsV1.properties).sort())
  })
})
