/**
 * Import one bundle file into a data dir in a process of its own, then print what it cost:
 * `{ loopIds, ms, peakRssMb }` as one JSON line (or `{ error }`). Run with `node --import tsx`.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { importBundleFile } from '../../src/main/core/bundles/import'
import { TraceStore } from '../../src/main/core/store/trace-store'

/** The process's peak resident set, all threads: VmHWM where /proc has it. */
function peakRssMb(): number {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))
    if (hwm) return Number(hwm[1]) / 1024
  } catch {
    // no /proc here
  }
  return process.resourceUsage().maxRSS / 1024
}

const [dataDir, bundle] = process.argv.slice(2)
const store = new TraceStore({ path: join(dataDir, 'andon.db') })
const started = Date.now()
importBundleFile(store, bundle)
  .then((r) => console.log(JSON.stringify({ loopIds: r.loopIds, ms: Date.now() - started, peakRssMb: peakRssMb() })))
  .catch((err: Error) => console.log(JSON.stringify({ error: err.message, ms: Date.now() - started, peakRssMb: peakRssMb() })))
  .finally(() => store.close())
