/**
 * `npm run bench`: Andon's performance figures. Absolute times are noisy (2-core machines,
 * other work running); the ratios against a reference measured in the same run are the point.
 */
import { cpus, totalmem } from 'node:os'
import { loopBenchmarks } from './loops.bench'
import { storeBenchmarks } from './store.bench'
import { failedChecks, QUICK } from './harness'

async function main(): Promise<void> {
  console.log(`Andon benchmarks — ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`)
  console.log('Absolute times are noisy; compare the ratios, measured against a reference in this same run.')
  const only = process.argv.slice(2).find((a) => !a.startsWith('--'))
  // Loops first: their memory figure is then not inflated by the store benchmarks' big reads.
  if (!only || only === 'loops') await loopBenchmarks()
  if (!only || only === 'store') await storeBenchmarks()
  if (!only || only === 'screen') {
    const { screenBenchmarks } = await import('./screen.bench')
    await screenBenchmarks()
  }
  if (!only || only === 'claude-code') {
    // Loaded only here: it reaches for the optional Claude Agent SDK.
    const { claudeCodeBenchmarks } = await import('./claude-code.bench')
    await claudeCodeBenchmarks()
  }
  if (!only || only === 'spec-tools') {
    // Loaded only here, like claude-code: it starts sandboxed processes and an MCP server.
    const { specToolsBenchmarks } = await import('./spec-tools.bench')
    await specToolsBenchmarks()
  }
  const failed = failedChecks()
  if (failed.length > 0) {
    console.error(`\n${failed.length} ratio(s) below their floor:`)
    for (const c of failed) console.error(`  ${c.name}: ${c.median.toFixed(2)}× < ${c.floor.toFixed(2)}×`)
    process.exit(1)
  }
  if (QUICK) console.log('\nEvery checked ratio is at or above its floor.')
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
