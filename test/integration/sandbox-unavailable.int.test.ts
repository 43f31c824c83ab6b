/**
 * Where no sandbox can start, Andon says why and runs no command, unless the spec opts out with
 * `sandbox.allowUnsandboxed`. The missing sandbox is real: ANDON_BWRAP names a bubblewrap that is
 * not there (or one that fails to start, as where user namespaces are off), so the probe fails.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { probeSandbox, sandboxProblem, sandboxStatus } from '../../src/main/core/sandbox/status'
import { runCommandTool, verifyTool } from '../../src/main/core/tools/shell'
import type { ToolContext } from '../../src/main/core/tools/tool'
import { SandboxSpec, type LoopSpecInput } from '../../src/shared/spec'
import { spec } from '../support/specs'
import { tempAndon, tempDir } from '../support/temp-andon'
import { toolContext } from '../support/tool-context'

const root = tempDir('andon-no-sandbox-')
const missingBwrap = join(root, 'no-such-bwrap')
process.env.ANDON_BWRAP = missingBwrap
afterAll(() => {
  delete process.env.ANDON_BWRAP
  rmSync(root, { recursive: true, force: true })
})

const rules: LoopSpecInput['policy'] = { kind: 'rules', rules: [{ name: 'r', when: {}, then: { tool: 'run_command', args: { command: 'true' } } }] }

function ctx(workspace: string, sandbox: Partial<SandboxSpec>, emitted: string[]): ToolContext {
  return toolContext(workspace, emitted, { verifyCommand: 'echo verified > verified.txt', sandbox: SandboxSpec.parse(sandbox) })
}

describe.runIf(process.platform === 'linux')('with no sandbox to start', () => {
  it('the probe says why', async () => {
    expect(await sandboxStatus()).toEqual({ available: false, reason: `bubblewrap is not at ANDON_BWRAP=${missingBwrap}` })
  })

  it('a loop that may run commands is refused at launch, unless its spec opts out or it can run none', async () => {
    expect(await sandboxProblem(spec({ policy: rules }))).toMatch(/commands cannot run in a sandbox here: bubblewrap is not at ANDON_BWRAP=.*sandbox\.allowUnsandboxed: true/)
    expect(await sandboxProblem(spec({ policy: rules, tools: [{ name: 'write_file' }, { name: 'verify' }] }))).not.toBeNull()
    expect(await sandboxProblem(spec({ policy: rules, sandbox: { allowUnsandboxed: true } }))).toBeNull()
    expect(await sandboxProblem(spec({ policy: rules, tools: [{ name: 'read_file' }, { name: 'write_file' }] }))).toBeNull()
  })

  it('the launch itself is refused with the reason, and nothing is created', async () => {
    const andon = await tempAndon()
    try {
      await expect(andon.supervisor.launch(spec({ policy: rules }))).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/commands cannot run in a sandbox here/) })
      expect(andon.store.listLoops()).toEqual([])
      const opted = await andon.supervisor.launch(spec({ policy: rules, sandbox: { allowUnsandboxed: true } }), { start: false })
      expect(andon.store.listLoops().map((l) => l.loopId)).toEqual([opted])
    } finally {
      await andon.cleanup()
    }
  })

  it('a command is refused and never runs; with allowUnsandboxed it runs, and its output says it had no sandbox', async () => {
    const ws = tempDir('andon-ws-')
    const emitted: string[] = []
    const refused = await runCommandTool.run({ command: 'echo ran > ran.txt', timeoutMs: 5000 }, ctx(ws, {}, emitted))
    const verify = await verifyTool.run({}, ctx(ws, {}, emitted))
    expect(refused).toMatchObject({ ok: false, exitCode: null, summary: expect.stringMatching(/refused: commands cannot run in a sandbox here: bubblewrap is not at/) })
    expect(verify).toMatchObject({ ok: false, summary: expect.stringMatching(/refused/) })
    expect(existsSync(join(ws, 'ran.txt'))).toBe(false)
    expect(existsSync(join(ws, 'verified.txt'))).toBe(false)

    const ran = await runCommandTool.run({ command: 'echo ran > ran.txt', timeoutMs: 5000 }, ctx(ws, { allowUnsandboxed: true }, emitted))
    expect(ran).toMatchObject({ ok: true, exitCode: 0 })
    expect(readFileSync(join(ws, 'ran.txt'), 'utf8')).toBe('ran\n')
    expect(emitted.join('')).toMatch(/\[no sandbox: bubblewrap is not at ANDON_BWRAP=.*; running it unsandboxed, as the spec allows\]/)
    rmSync(ws, { recursive: true, force: true })
  })

  it('a bubblewrap that is there but cannot start its sandbox counts as none', async () => {
    process.env.ANDON_BWRAP = '/bin/false'
    try {
      const status = await probeSandbox()
      expect(status.available).toBe(false)
      expect(status.reason).toMatch(/a sandbox could not start here/)
    } finally {
      process.env.ANDON_BWRAP = missingBwrap
    }
  })
})
