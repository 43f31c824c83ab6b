/**
 * `npm run bench [-- <section>…] [--quick]`: Andon's performance figures. Absolute times are noisy
 * (2-core machines, other work running); the ratios against a reference measured in the same run,
 * paired round by round, are the point. `--quick` (CI, `npm run test:bench`) runs every section with
 * fewer, smaller rounds and exits 1 when a checked ratio is below its floor or a section fails.
 */
import { existsSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { resolve } from 'node:path'
import { allChecks, fdatasyncMs, failedChecks, perSecond, QUICK, ROUNDS, sampled, section, skippedSections, skipSection, spreadRow, times } from './harness'

interface Section {
  name: string
  /** Needs the built renderer (out/, `npx electron-vite build`) and Chromium: skipped without them. */
  browser?: boolean
  run: () => Promise<void>
}

// Each section is loaded only when it runs: claude-code reaches for the optional Agent SDK,
// screen for Playwright. Loops first: their memory figure is then not inflated by the store's big reads.
const SECTIONS: Section[] = [
  { name: 'loops', run: async () => (await import('./loops.bench')).loopBenchmarks() },
  { name: 'store', run: async () => (await import('./store.bench')).storeBenchmarks() },
  { name: 'cpu', run: async () => (await import('./cpu.bench')).cpuBenchmarks() },
  { name: 'screen', browser: true, run: async () => (await import('./screen.bench')).screenBenchmarks() },
  { name: 'open', browser: true, run: async () => (await import('./open.bench')).openBenchmarks() },
  { name: 'start', browser: true, run: async () => (await import('./start.bench')).startBenchmarks() },
  { name: 'claude-code', run: async () => (await import('./claude-code.bench')).claudeCodeBenchmarks() },
  { name: 'spec-tools', run: async () => (await import('./spec-tools.bench')).specToolsBenchmarks() }
]

const CHROMIUM = process.env.ANDON_CHROMIUM ?? '/usr/bin/chromium'

/** Why a browser section cannot run here, or null when it can. */
function browserMissing(): string | null {
  if (!existsSync(resolve('out/renderer/index.html'))) return 'no built renderer in out/ (run `npx electron-vite build` first)'
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (set ANDON_CHROMIUM)`
  return null
}

/** The machine, and the disk's physical commit rate as the reference for every durable figure. */
async function describeMachine(): Promise<void> {
  const cpu = cpus()
  console.log(`Andon benchmarks${QUICK ? ' (--quick)' : ''}: ${cpu.length} cores (${cpu[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${ROUNDS} rounds per comparison`)
  console.log('Absolute times are noisy; the ratios are paired round by round (order alternating) in this one process.')
  const writes = QUICK ? 50 : 200
  const perRound = await sampled((dir) => fdatasyncMs(dir, writes))
  spreadRow(`disk: 1 KB write + fdatasync, ${writes} per round`, perRound.map((ms) => (writes / ms) * 1000), perSecond('commits'))
}

async function main(): Promise<void> {
  const names = process.argv.slice(2).filter((a) => !a.startsWith('--'))
  const unknown = names.filter((n) => !SECTIONS.some((s) => s.name === n))
  if (unknown.length) {
    console.error(`no bench section ${unknown.join(', ')}; the sections: ${SECTIONS.map((s) => s.name).join(', ')}`)
    process.exit(2)
  }
  const started = performance.now()
  await describeMachine()
  const ran: { name: string; seconds: number; outcome: string }[] = []
  for (const s of SECTIONS.filter((s) => names.length === 0 || names.includes(s.name))) {
    const t0 = performance.now()
    const skipsBefore = skippedSections().length
    const missing = s.browser ? browserMissing() : null
    let outcome = 'ran'
    if (missing) {
      section(s.name)
      skipSection(missing)
    } else {
      try {
        await s.run()
      } catch (err) {
        console.error(`\nthe ${s.name} section failed:`, err)
        outcome = 'FAILED'
      }
    }
    if (skippedSections().length > skipsBefore) outcome = `skipped: ${skippedSections().at(-1)}`
    ran.push({ name: s.name, seconds: (performance.now() - t0) / 1000, outcome })
  }

  section(`Summary: ${((performance.now() - started) / 1000).toFixed(0)} s in all`)
  for (const r of ran) console.log(`${r.name.padEnd(14)} ${`${r.seconds.toFixed(1)} s`.padStart(8)}  ${r.outcome}`)
  const checks = allChecks()
  const failed = failedChecks()
  if (checks.length) console.log(`\n${checks.length} checked ratio(s), median over rounds ≥ floor (the target ÷ a stated noise factor):`)
  for (const c of checks) console.log(`  ${c.median >= c.floor ? 'ok   ' : 'BELOW'} ${times(c.median).padStart(8)} ≥ ${times(c.floor).padEnd(7)} ${c.name}`)
  const broken = ran.filter((r) => r.outcome === 'FAILED')
  if (failed.length || broken.length) {
    console.error(`\n${failed.length} ratio(s) below their floor, ${broken.length} section(s) failed${broken.length ? `: ${broken.map((r) => r.name).join(', ')}` : ''}`)
    process.exit(1)
  }
  if (checks.length) console.log('\nEvery checked ratio is at or above its floor.')
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
