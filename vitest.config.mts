import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // Renderer unit tests live beside the renderer: its tsconfig (DOM, no node) typechecks them.
    include: ['test/**/*.{unit,int}.test.ts', 'src/renderer/**/*.unit.test.ts'],
    // Integration tests spawn processes and write SQLite files: a couple at a time on 2 cores.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
})
