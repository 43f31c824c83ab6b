/**
 * `npm run screenshots`: the README's pictures, taken from the real core and web shell with
 * the built-in examples (same browser and fixtures as the e2e tests, not part of `npm test`).
 */
import { defineConfig } from '@playwright/test'
import base from './playwright.config'

export default defineConfig({
  ...base,
  testDir: 'test/screenshots',
  testMatch: '**/*.shots.ts',
  timeout: 120_000,
  use: { ...base.use, viewport: { width: 1440, height: 900 }, colorScheme: 'dark' }
})
