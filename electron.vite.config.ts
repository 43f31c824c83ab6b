import { resolve } from 'node:path'
import { defineConfig, externalizeDepsPlugin } from 'electron-vite'
import react from '@vitejs/plugin-react'

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    // The bundle-import and CEL workers run in their own threads, from their own files beside the main bundle.
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          'bundle-import-worker': resolve(__dirname, 'src/main/core/bundles/import-worker.ts'),
          'cel-worker': resolve(__dirname, 'src/main/core/invariants/cel/worker.ts')
        }
      }
    }
  },
  preload: {
    // A sandboxed preload can only require('electron'): bundle everything else (zod, the contract).
    build: { externalizeDeps: false, rollupOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') } } }
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react()],
    build: { rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } } }
  }
})
