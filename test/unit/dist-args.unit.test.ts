// What `npm run dist` asks electron-builder for: this platform's targets with the caller's own
// arguments kept, and no electronDist, so electron-builder fetches Electron for each arch it builds
// (node_modules/electron/dist holds this host's arch only, and would be shipped as it is).
import { describe, expect, it } from 'vitest'
import { builderArgs } from '../../scripts/desktop/dist.mjs'

describe('npm run dist → electron-builder', () => {
  it.each([
    ['linux', '--linux'],
    ['darwin', '--mac'],
    ['win32', '--win']
  ])('on %s builds %s, leaving Electron to electron-builder', (platform, flag) => {
    expect(builderArgs(platform)).toEqual([flag])
  })

  it('passes extra arguments through after its own, in order (an --arm64 build gets arm64 Electron)', () => {
    expect(builderArgs('linux', ['--dir', '--arm64'])).toEqual(['--linux', '--dir', '--arm64'])
  })

  it('refuses a platform electron-builder cannot build on, naming it', () => {
    expect(() => builderArgs('freebsd')).toThrow('npm run dist builds on Linux, macOS or Windows, not on freebsd')
  })
})
