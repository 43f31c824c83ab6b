import { resolve } from 'node:path'
import { defineConfig, externalizeDepsPlugin } from 'electron-vite'
import react from '@vitejs/plugin-react'

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    // The bundle-import and CEL workers run in their own threads, from their own files beside the main bundle.
    // The web shell's entry is built here too, so `npm start` runs plain JavaScript instead of transpiling at each start.
    // Shared chunks sit beside the entries, not in chunks/: code that finds the workers by __dirname runs from a chunk.
    build: {
      rollupOptions: {
        output: { chunkFileNames: '[name]-[hash].js' },
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          'web-shell': resolve(__dirname, 'src/main/web/serve.ts'),
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
    // electron-vite leaves the renderer unminified by default (it loads from disk in Electron); the web
    // shell sends it over the network to a browser, where a smaller bundle parses and arrives sooner.
    build: { minify: true, rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } } }
  }
})
