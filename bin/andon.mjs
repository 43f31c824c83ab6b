#!/usr/bin/env node
// The `andon` command: runs the TypeScript CLI through tsx, so no build step is needed.
import { tsImport } from 'tsx/esm/api'

const { main } = await tsImport('../src/cli/main.ts', import.meta.url)
const code = await main(process.argv.slice(2))
// Loops, stores and timers are closed by now; exit explicitly so a stray handle cannot hang CI.
process.exit(code)
