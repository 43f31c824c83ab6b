/**
 * The validation gate through the real `andon` binary (child processes, temp data dirs) on the
 * shipped example: fix-the-tests v1 knows no fix for mul(), v2 does. The gate must call v1 worse
 * than v2 with confidence (exit 1), v2 better than v1, and two identical specs no different.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { createAndon } from '../../src/main/core/create-andon'
import type { GateReport } from '../../src/shared/eval'
import { andon, root } from '../fixtures/bundles/cli'

const v1 = join(root, 'resources/examples/gate/fix-the-tests-v1.yaml')
const v2 = join(root, 'resources/examples/gate/fix-the-tests-v2.yaml')
const suite = join(root, 'resources/evals/fix-the-tests.gate.yaml')

let tmp: string
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'andon-gate-'))
})
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const dataDir = (name: string) => join(tmp, name)

describe('andon eval --baseline --candidate (the validation gate)', { timeout: 180_000 }, () => {
  it('a candidate that lost a fix is worse with 95% confidence: one line per case, a verdict line, exit 1', async () => {
    const r = await andon(['eval', '--baseline', v2, '--candidate', v1, suite, '--data-dir', dataDir('worse')])
    expect(r.code, r.stderr).toBe(1)
    expect(r.stdout).toMatch(/^gate: fix-the-tests gate \(suite version 1\), 4 case\(s\) × 5 run\(s\) per spec/m)
    expect(r.stdout).toMatch(/^baseline: +v2 +\S+fix-the-tests-v2\.yaml$/m)
    expect(r.stdout).toMatch(/^WORSE +both broken: passed 5\/5 → 0\/5 \(p = 0\.00397, p = 0\.00794 corrected for 2 cases\)/m)
    expect(r.stdout).toMatch(/^WORSE +mul broken \[the mul\(\) fix\]: passed 5\/5 → 0\/5/m)
    expect(r.stdout).toMatch(/^same +add broken: passed 5\/5 → 5\/5/m)
    expect(r.stdout).toMatch(/^pass rate +100\.0% → 50\.0% +−50\.0 points \(95% interval −100\.0 to \+0\.0; exact test: worse p < 0\.0001, better p = 1\)$/m)
    expect(r.stdout).toMatch(/^bootstrap: 2000 resamples of cases, then runs; seed 1$/m)
    expect(r.stdout).toMatch(/^tests: worse if pass rate p < 0\.025 or a case's corrected p < 0\.025; better if pass rate p < 0\.05$/m)
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^verdict: WORSE at 95% confidence \(candidate v1 vs baseline v2\): pass rate 100\.0% → 50\.0%/)

    // Every run is tagged as a gate run and archived: the operator's list stays empty.
    expect(JSON.parse((await andon(['ls', '--json', '--data-dir', dataDir('worse')])).stdout)).toEqual([])
    const archived = JSON.parse((await andon(['ls', '--archived', '--json', '--data-dir', dataDir('worse')])).stdout) as { loopId: string; tags: string[] }[]
    expect(archived).toHaveLength(40)
    expect(archived.filter((l) => l.tags.includes('eval:candidate'))).toHaveLength(20)
    expect(archived.every((l) => l.tags.includes('eval') && l.tags.includes('gate:fix-the-tests-gate'))).toBe(true)
    // Each run recorded the version label of the spec it ran.
    const core = await createAndon({ dataDir: dataDir('worse'), env: {}, reconcileOnStart: false })
    try {
      const versions = archived.map((l) => {
        const created = core.store.readStream(l.loopId)[0]
        return `${l.tags.find((t) => t.startsWith('eval:'))}=${created.type === 'LoopCreated' ? created.data.spec.version : '?'}`
      })
      expect(new Set(versions)).toEqual(new Set(['eval:baseline=v2', 'eval:candidate=v1']))
    } finally {
      await core.close()
    }
  })

  it('the fix, the other way round, is better; --require-better --quiet prints only the verdict and exits 0', async () => {
    const r = await andon(['eval', '--baseline', v1, '--candidate', v2, suite, '--repeat', '3', '--require-better', '--quiet', '--data-dir', dataDir('better')])
    expect(r.stdout.trim().split('\n')).toHaveLength(1)
    expect(r.stdout).toMatch(/^verdict: BETTER at 95% confidence \(candidate v2 vs baseline v1\): pass rate 50\.0% → 100\.0% .* p = 0\.0025 < 0\.05$/m)
    expect(r.code, r.stderr).toBe(0)
  })

  it('two identical specs in different files: no difference, exit 0; the report names them apart', async () => {
    const copy = join(tmp, 'copy-of-v2.yaml')
    copyFileSync(v2, copy)
    const r = await andon(['eval', '--candidate', copy, suite, '--repeat', '2', '--json', '--data-dir', dataDir('same')])
    expect(r.code, r.stderr).toBe(0)
    const report = JSON.parse(r.stdout) as GateReport
    expect(report.verdict).toBe('no difference')
    expect(report.baseline.name).toBe('v2 (fix-the-tests-v2.yaml)')
    expect(report.candidate.name).toBe('v2 (copy-of-v2.yaml)')
    expect(report.passRate).toMatchObject({ baseline: 1, candidate: 1, difference: 0, interval: [0, 0], pWorse: 1, pBetter: 1 })
    expect(report.cases.map((c) => `${c.name}: ${c.baseline.passes}/${c.baseline.runs} ${c.candidate.passes}/${c.candidate.runs}`)).toEqual([
      'both broken: 2/2 2/2',
      'add broken: 2/2 2/2',
      'mul broken: 2/2 2/2',
      'already green: 2/2 2/2'
    ])
    expect(report.runs.map((x) => x.side).slice(0, 4)).toEqual(['baseline', 'candidate', 'baseline', 'candidate'])
    expect(report.settings).toMatchObject({ confidence: 0.95, seed: 1, resamples: 2000 })

    // --require-better turns "no difference" into a failure.
    const strict = await andon(['eval', '--candidate', copy, suite, '--repeat', '1', '--require-better', '--seed', '7', '--data-dir', dataDir('same')])
    expect(strict.stdout).toMatch(/^verdict: NO DIFFERENCE at 95% confidence/m)
    expect(strict.stdout).toMatch(/seed 7$/m)
    expect(strict.code).toBe(1)
  })
})

describe('andon eval: bad input is a clear error and runs nothing', { timeout: 60_000 }, () => {
  const run = (args: string[]) => andon(['eval', ...args, '--data-dir', dataDir('bad')])

  it('usage errors exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['--baseline', v1, suite], /--baseline needs --candidate/],
      [['--candidate', v2, suite, '--repeat', '0'], /--repeat must be a positive whole number, not 0/],
      [['--candidate', v2, suite, '--seed', 'abc'], /--seed must be a whole number from 0 to 4294967295, not abc/],
      [[suite, '--require-better'], /--require-better is for the gate/],
      [['--candidate', v2, suite, '--frobnicate'], /Unknown option '--frobnicate'/],
      [['--candidate', v2], /give exactly one suite file/]
    ]
    for (const [args, message] of cases) {
      const r = await run(args)
      expect(r.stderr, args.join(' ')).toMatch(message)
      expect(r.code, args.join(' ')).toBe(2)
    }
  })

  it('a missing or invalid spec, and a malformed suite, exit 3 and name the problem', async () => {
    const invalidSpec = join(tmp, 'invalid.yaml')
    writeFileSync(invalidSpec, stringify({ name: 'bad', task: 'x', policy: { kind: 'rules', rules: [] } }))
    const badYaml = join(tmp, 'broken.eval.yaml')
    writeFileSync(badYaml, 'cases: [ { name: a\n')
    const badField = join(tmp, 'field.eval.yaml')
    writeFileSync(badField, stringify({ spec: v2, cases: [{ name: 'a', expect: { outcome: 'DONE' } }] }))
    const noSpec = join(tmp, 'nospec.eval.yaml')
    writeFileSync(noSpec, stringify({ cases: [{ name: 'a' }] }))

    const missing = await run(['--candidate', join(tmp, 'missing.yaml'), suite])
    expect(missing.stderr).toMatch(/andon eval: cannot read .*missing\.yaml: ENOENT/)
    expect(missing.code).toBe(3)
    const invalid = await run(['--candidate', invalidSpec, suite])
    expect(invalid.stderr).toMatch(/andon eval: invalid loop spec .*invalid\.yaml: policy\.rules: /)
    expect(invalid.code).toBe(3)
    const yaml = await run(['--candidate', v2, badYaml])
    expect(yaml.stderr).toMatch(/broken\.eval\.yaml is not valid YAML/)
    expect(yaml.code).toBe(3)
    const field = await run([badField])
    expect(field.stderr).toMatch(/invalid eval suite .*field\.eval\.yaml: cases\.0\.expect\.outcome: /)
    expect(field.code).toBe(3)
    const unnamed = await run([noSpec])
    expect(unnamed.stderr).toMatch(/nospec\.eval\.yaml names no spec: add `spec:` to it, or compare two with --baseline and --candidate/)
    expect(unnamed.code).toBe(2)

    // Nothing ran: no loop, listed or archived.
    for (const flag of [[], ['--archived']]) {
      const ls = await andon(['ls', '--json', ...flag, '--data-dir', dataDir('bad')])
      expect(JSON.parse(ls.stdout)).toEqual([])
    }
  })
})
