// Andon takes andon:// links only while nothing else handles them, or when they are already its own.
import { describe, expect, it } from 'vitest'
import { claimAppLinks, type ProtocolClientApp } from '../../src/main/electron/link-handler'

/** The system's protocol table, with one handler (by name and launch) for andon:// at most. */
function system(opts: { holder: null | { name: string; ours: boolean }; canRegister?: boolean }) {
  const registered: { scheme: string; path?: string; args?: string[] }[] = []
  const app: ProtocolClientApp = {
    getApplicationNameForProtocol: (url) => (url === 'andon://' && opts.holder ? opts.holder.name : ''),
    isDefaultProtocolClient: (scheme) => scheme === 'andon' && opts.holder?.ours === true,
    setAsDefaultProtocolClient: (scheme, path, args) => {
      if (opts.canRegister === false) return false
      registered.push({ scheme, ...(path ? { path, args } : {}) })
      return true
    }
  }
  return { app, registered }
}

describe('claiming andon:// links', () => {
  it('registers when no application handles them yet', () => {
    const { app, registered } = system({ holder: null })
    expect(claimAppLinks(app)).toEqual({ claimed: true })
    expect(registered).toEqual([{ scheme: 'andon' }])
  })

  it('registers again when they are already Andon’s, a development build with its launch', () => {
    const { app, registered } = system({ holder: { name: 'Andon', ours: true } })
    expect(claimAppLinks(app, { execPath: '/src/node_modules/electron/dist/electron', args: ['/src/andon'] })).toEqual({ claimed: true })
    expect(registered).toEqual([{ scheme: 'andon', path: '/src/node_modules/electron/dist/electron', args: ['/src/andon'] }])
  })

  it('leaves them to the application the operator chose, and says which', () => {
    const { app, registered } = system({ holder: { name: 'Andon Nightly', ours: false } })
    const claim = claimAppLinks(app)
    expect(claim).toEqual({ claimed: false, reason: expect.stringContaining('andon:// links open in Andon Nightly') })
    expect(registered).toEqual([])
  })

  it('says what to do where the system cannot register them (an AppImage outside the menu)', () => {
    const { app } = system({ holder: null, canRegister: false })
    expect(claimAppLinks(app)).toEqual({ claimed: false, reason: expect.stringMatching(/install the \.deb, or integrate the AppImage into the menu/) })
  })
})
