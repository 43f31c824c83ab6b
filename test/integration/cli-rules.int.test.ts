/** `andon rules` through the real binary on a temp data dir: add, list, revoke, and the refusals. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApprovalRuleSet } from '../../src/main/core/approvals/rule-set'
import { TraceStore } from '../../src/main/core/store/trace-store'
import { andon } from '../fixtures/bundles/cli'

let tmp: string
let dataDir: string
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'andon-cli-rules-'))
  dataDir = join(tmp, 'data')
})
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe('andon rules (real child processes)', { timeout: 120_000 }, () => {
  it('adds, lists, revokes; refuses a bad pattern, a missing reason and a second revocation', async () => {
    const bad = await andon(['rules', 'add', 'allow', 'run_command(npm test', '--why', 'x', '--data-dir', dataDir])
    expect(bad.code).toBe(3)
    expect(bad.stderr).toContain('approval rule "run_command(npm test": an argument pattern ends with ")"')
    expect((await andon(['rules', 'add', 'allow', 'run_command', '--data-dir', dataDir])).stderr).toMatch(/say why with --why/)

    const added = await andon(['rules', 'add', 'allow', 'run_command(npm test:*)', '--spec', 'fix-the-tests', '--why', 'tests are safe', '--data-dir', dataDir])
    expect(added.code).toBe(0)
    expect(added.stdout).toMatch(/^#1\tallow\trun_command\(npm test:\*\)\tspec fix-the-tests\tby andon rules .*: tests are safe$/m)
    expect((await andon(['rules', 'add', 'deny', 'run_command(rm:*)', '--why', 'never', '--data-dir', dataDir])).code).toBe(0)

    const forSpec = await andon(['rules', 'ls', '--spec', 'fix-the-tests', '--json', '--data-dir', dataDir])
    expect(JSON.parse(forSpec.stdout)).toMatchObject([
      { id: 2, effect: 'deny', scope: 'all' },
      { id: 1, effect: 'allow', scope: { spec: 'fix-the-tests' } }
    ])
    expect(JSON.parse((await andon(['rules', 'ls', '--spec', 'other', '--json', '--data-dir', dataDir])).stdout)).toMatchObject([{ id: 2 }])

    const revoked = await andon(['rules', 'revoke', '1', '--why', 'too broad', '--data-dir', dataDir])
    expect(revoked.code).toBe(0)
    expect(revoked.stdout).toMatch(/\[revoked by andon rules .*: too broad\]/)
    const twice = await andon(['rules', 'revoke', '1', '--why', 'again', '--data-dir', dataDir])
    expect(twice.code).toBe(3)
    expect(twice.stderr).toContain('approval rule #1 was already revoked by andon rules (too broad)')

    expect((await andon(['rules', 'ls', '--data-dir', dataDir])).stdout.trim().split('\n')).toHaveLength(1)
    expect((await andon(['rules', 'ls', '--all', '--data-dir', dataDir])).stdout.trim().split('\n')).toHaveLength(2)

    // What the gate reads in any process on this data dir: only the live rules for the spec.
    const store = new TraceStore({ path: join(dataDir, 'andon.db') })
    try {
      expect(new ApprovalRuleSet(store.db).liveFor('fix-the-tests')).toEqual([{ id: 2, effect: 'deny', pattern: 'run_command(rm:*)', source: 'rule-set', specScoped: false }])
    } finally {
      store.close()
    }
  })
})
