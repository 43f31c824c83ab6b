/**
 * The desktop app's shell bridge (`window.andonShell`) as a stand-in, for e2e tests of what the
 * renderer does with menu commands and view addresses: the real bridge is the Electron preload,
 * which cannot start here. The test plays the main process by sending menu actions and addresses.
 */
import type { Page } from '@playwright/test'
import { expect } from './fixtures'

/** Open the control room with a stand-in `window.andonShell` whose menu and navigate messages the test sends. */
export async function openWithShell(page: Page, url: string) {
  await page.addInitScript(() => {
    const w = window as unknown as Record<string, unknown>
    w.andonShell = {
      secretStatus: async () => [],
      setSecret: async () => [],
      clearSecret: async () => [],
      onMenu: (listener: unknown) => {
        w.__menu = listener
        return () => undefined
      },
      onNavigate: (listener: unknown) => {
        w.__navigate = listener
        return () => undefined
      }
    }
  })
  await page.goto(url)
  await expect(page.getByTestId('connection')).toHaveText('connected')
  return {
    menu: (action: string) => page.evaluate((a) => (window as unknown as { __menu(a: string): void }).__menu(a), action),
    navigate: (hash: string) => page.evaluate((h) => (window as unknown as { __navigate(h: string): void }).__navigate(h), hash)
  }
}
