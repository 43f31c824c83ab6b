// What `npm run dist` asks electron-builder for: this platform's targets, built on the Electron it
// fetched (not a second download), with the caller's own arguments kept.
import { describe, expect, it } from 'vitest'
import { builderArgs } from '../../scripts/desktop/dist.mjs'

describe('npm run dist → electron-builder', () => {
  it.each([
    ['linux', '--linux'],
    ['darwin', '--mac'],
    ['win32', '--win']
  ])('on %s builds %s from node_modules/electron/dist', (platform, flag) => {
    expect(builderArgs(platform)).toEqual([flag, '-c.electronDist=node_modules/electron/dist'])
  })

  it('passes extra arguments through after its own, in order', () => {
    expect(builderArgs('linux', ['--dir', '--arm64'])).toEqual(['--linux', '-c.electronDist=node_modules/electron/dist', '--dir', '--arm64'])
  })

  it('refuses a platform electron-builder cannot build on, naming it', () => {
    expect(() => builderArgs('freebsd')).toThrow('npm run dist builds on Linux, macOS or Windows, not on freebsd')
  })
})
