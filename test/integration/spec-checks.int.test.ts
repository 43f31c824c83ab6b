/**
 * A spec this installation cannot run is refused before anything is created, with the field at
 * fault named: unknown tools, a missing workspace template, a bad name override, a typo'd field.
 */
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { validateSpecText } from '../../src/main/core/specs/load-spec'
import type { LoopSpec } from '../../src/shared/spec'
import { spec } from '../support/specs'
import { tempAndon } from '../support/temp-andon'

let andon: Awaited<ReturnType<typeof tempAndon>> | null = null
afterEach(async () => {
  await andon?.cleanup()
  andon = null
})

const rules = (tool: string) => ({ kind: 'rules' as const, rules: [{ name: 'go', when: { start: true }, then: { tool } }] })

function nothingCreated(a: NonNullable<typeof andon>): void {
  expect(a.store.listLoops()).toEqual([])
  const workspaces = join(a.dataDir, 'workspaces')
  expect(existsSync(workspaces) ? readdirSync(workspaces) : []).toEqual([])
}

describe('spec checks before launch', () => {
  it('an unknown tool, listed or used by a rule, is a field error at validation and at launch; nothing is created', async () => {
    andon = await tempAndon()
    const listed: LoopSpec = spec({ policy: rules('verify'), tools: [{ name: 'verify' }, { name: 'deploy_prod' }] })
    await expect(andon.supervisor.launch(listed)).rejects.toThrow(/tools\.1\.name: unknown tool "deploy_prod"/)
    const used = spec({ policy: rules('rm_rf') })
    await expect(andon.supervisor.launch(used)).rejects.toThrow(/policy\.rules\.0\.then\.tool: unknown tool "rm_rf"/)
    const notListed = spec({ policy: rules('run_command'), tools: [{ name: 'verify' }] })
    await expect(andon.supervisor.launch(notListed)).rejects.toThrow(/policy\.rules\.0\.then\.tool: tool "run_command" is not in the spec's tools list/)
    nothingCreated(andon)

    const v = await andon.handlers.validateSpec({ text: 'name: x\ntask: t\npolicy: { kind: rules, rules: [{ name: a, when: {}, then: { tool: nope } }] }\n' })
    expect(v).toEqual({ ok: false, errors: [{ path: 'policy.rules.0.then.tool', message: expect.stringMatching(/unknown tool "nope"/) }], warnings: [] })
  })

  it('a missing workspace template is a field error, not a raw ENOENT, and leaves no folder', async () => {
    andon = await tempAndon()
    const s = spec({ policy: rules('verify'), workspace: 'no/such/template' })
    const err = await andon.supervisor.launch(s, { specPath: join(andon.dataDir, 'spec.yaml') }).catch((e: Error) => e)
    expect(String(err)).toMatch(/workspace: the workspace template .*no\/such\/template does not exist/)
    expect(String(err)).not.toMatch(/ENOENT/)
    nothingCreated(andon)
  })

  it('a launch name override is checked like the spec: refused, and nothing is created', async () => {
    andon = await tempAndon()
    const specText = 'name: ok\ntask: t\npolicy: { kind: rules, rules: [{ name: a, when: { start: true }, then: { tool: verify } }] }\n'
    await expect(andon.handlers.launchLoop({ specText, overrides: { name: '../../etc/evil' } })).rejects.toThrow(/name: letters, digits/)
    nothingCreated(andon)
  })

  it('a typo in a nested field is an error naming it, never a silent default', () => {
    const v = validateSpecText('name: x\ntask: t\npolicy: { kind: anthropic, model: claude-sonnet-4-5, basUrl: "https://evil.example" }\n')
    expect(v.ok).toBe(false)
    expect(!v.ok && v.errors[0]).toMatchObject({ path: 'policy', message: expect.stringMatching(/basUrl/) })
    const tool = validateSpecText('name: x\ntask: t\npolicy: { kind: rules, rules: [{ name: a, when: {}, then: { tool: verify, arg: {} } }] }\ntools: [{ name: verify, risc: low }]\n')
    expect(!tool.ok && tool.errors.map((e) => e.path)).toEqual(['policy.rules.0.then', 'tools.0'])
  })

  it('restarts never append to an imported (read-only) loop, even one exported while running', async () => {
    andon = await tempAndon()
    const s = spec({ policy: rules('verify') })
    await andon.store.append('imported-1', [
      { type: 'LoopCreated', data: { spec: s, specPath: null, workspace: null, readOnly: true } },
      { type: 'Started', data: { by: 'operator' } }
    ], 0)
    const { dataDir } = andon
    for (let i = 0; i < 2; i++) {
      await andon.close()
      andon = { ...(await tempAndon({ dataDir })), cleanup: andon.cleanup }
    }
    expect(andon.store.readStream('imported-1').map((e) => e.type)).toEqual(['LoopCreated', 'Started'])
  })
})
