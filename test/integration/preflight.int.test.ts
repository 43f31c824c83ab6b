/**
 * Preflight: the Launch form's check (validateSpec), the launch itself and `andon run` find what
 * would fail at launch, at the field it is about; warnings are said and the loop may still start.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { andon as andonCli } from '../fixtures/bundles/cli'
import type { LoopSpecInput } from '../../src/shared/spec'
import { examplesDir } from '../support/specs'
import { tempAndon, tempDir } from '../support/temp-andon'

let andon: Awaited<ReturnType<typeof tempAndon>> | null = null
afterEach(async () => {
  await andon?.cleanup()
  andon = null
})

const githubReconcile = readFileSync(join(examplesDir, 'github-reconcile.yaml'), 'utf8')
const rules = (tool: string, args: Record<string, unknown> = {}) => ({ kind: 'rules' as const, rules: [{ name: 'go', when: { start: true }, then: { tool, args } }] })
const unsandboxed = { allowUnsandboxed: true }
const yaml = (input: Partial<LoopSpecInput>) => stringify({ name: 'preflight', task: 't', termination: { successTool: 'read_file' }, ...input })

describe('preflight at launch', () => {
  it('github-reconcile without GITHUB_TOKEN is not valid: the write tool is an error at its field, the read tool a warning', async () => {
    andon = await tempAndon({ env: { GITHUB_REPOSITORY: 'octo/app' } })
    const v = await andon.handlers.validateSpec({ text: githubReconcile })
    expect(v.ok).toBe(false)
    expect(!v.ok && v.errors).toEqual([{ path: 'tools.1.name', message: 'github_open_issue needs GITHUB_TOKEN in the environment' }])
    expect(v.warnings).toContainEqual({ path: 'tools.0.name', message: expect.stringMatching(/^github_ci_status needs GITHUB_TOKEN in the environment: without it, it reads public repositories only/) })
    // The optional GitHub secrets it declares are not set either: said once each, not as errors.
    expect(v.warnings).toContainEqual({ path: 'secrets.2', message: 'GITHUB_API_URL is not set in the environment: the loop runs without it' })
  })

  it('with the token and repository, github-reconcile is valid; a rule without a repository and no GITHUB_REPOSITORY is refused at its args', async () => {
    andon = await tempAndon({ env: { GITHUB_TOKEN: 't0k', GITHUB_REPOSITORY: 'octo/app', GITHUB_API_URL: 'http://127.0.0.1:9' } })
    const v = await andon.handlers.validateSpec({ text: githubReconcile })
    expect(v).toMatchObject({ ok: true, warnings: [] })
    await andon.cleanup()

    andon = await tempAndon({ env: { GITHUB_TOKEN: 't0k' } })
    const noRepo = await andon.handlers.validateSpec({ text: yaml({ policy: rules('github_ci_status'), tools: [{ name: 'github_ci_status' }], termination: { successTool: 'github_ci_status' }, secrets: ['GITHUB_TOKEN'] }) })
    expect(!noRepo.ok && noRepo.errors).toEqual([
      { path: 'policy.rules.0.then.args', message: 'github_ci_status needs a repository: give args.repo ("owner/name") or set GITHUB_REPOSITORY in the environment' }
    ])
    const named = await andon.handlers.validateSpec({ text: yaml({ policy: rules('github_ci_status', { repo: 'octo/app' }), tools: [{ name: 'github_ci_status' }], termination: { successTool: 'github_ci_status' }, secrets: ['GITHUB_TOKEN'] }) })
    expect(named.ok).toBe(true)
  })

  it('a token in the environment that the spec does not declare never reaches its tools: an error at secrets', async () => {
    andon = await tempAndon({ env: { GITHUB_TOKEN: 't0k', GITHUB_REPOSITORY: 'octo/app' } })
    const v = await andon.handlers.validateSpec({ text: yaml({ policy: rules('github_comment'), tools: [{ name: 'github_comment' }], termination: { successTool: 'github_comment' } }) })
    expect(!v.ok && v.errors).toEqual([{ path: 'secrets', message: expect.stringMatching(/^github_comment needs GITHUB_TOKEN in the spec's secrets/) }])
  })

  it('an anthropic policy without a key is an error at policy.kind; with one it is valid', async () => {
    const text = yaml({ policy: { kind: 'anthropic', model: 'claude-sonnet-4-5' }, tools: [{ name: 'read_file' }] })
    andon = await tempAndon()
    const v = await andon.handlers.validateSpec({ text })
    expect(!v.ok && v.errors).toEqual([{ path: 'policy.kind', message: 'the anthropic policy needs ANTHROPIC_API_KEY in the environment, or a key saved in the app' }])
    await expect(andon.handlers.launchLoop({ specText: text, overrides: {} })).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/policy\.kind: the anthropic policy needs ANTHROPIC_API_KEY/) })
    expect(andon.store.listLoops()).toEqual([])
    await andon.cleanup()

    andon = await tempAndon({ env: { ANTHROPIC_API_KEY: 'sk-test' } })
    expect(await andon.handlers.validateSpec({ text })).toMatchObject({ ok: true })
  })

  it('an anthropic baseUrl the operator did not allow is an error at policy.baseUrl', async () => {
    andon = await tempAndon({ env: { ANTHROPIC_API_KEY: 'sk-test' } })
    const v = await andon.handlers.validateSpec({ text: yaml({ policy: { kind: 'anthropic', model: 'claude-sonnet-4-5', baseUrl: 'https://elsewhere.example' }, tools: [{ name: 'read_file' }] }) })
    expect(!v.ok && v.errors).toEqual([{ path: 'policy.baseUrl', message: expect.stringMatching(/refusing to send the Anthropic API key to elsewhere\.example/) }])
  })

  it('a declared secret that is unset is a warning; one an MCP server fills in is an error, and so is a reference to an undeclared one', async () => {
    andon = await tempAndon()
    const free = await andon.handlers.validateSpec({ text: yaml({ policy: rules('read_file'), tools: [{ name: 'read_file' }], secrets: ['DEPLOY_KEY'] }) })
    expect(free).toMatchObject({ ok: true, warnings: [{ path: 'secrets.0', message: 'DEPLOY_KEY is not set in the environment: the loop runs without it' }] })

    const mcp = [{ name: 'tickets', command: 'node', args: ['server.js'], env: { TOKEN: '${TICKETS_TOKEN}', OTHER: '${NOT_DECLARED}' } }]
    const needed = await andon.handlers.validateSpec({ text: yaml({ policy: rules('read_file'), tools: [{ name: 'read_file' }], mcp, secrets: ['TICKETS_TOKEN'], sandbox: unsandboxed }) })
    expect(!needed.ok && needed.errors).toEqual([
      { path: 'mcp.0.env.OTHER', message: "${NOT_DECLARED} is not one of the spec's secrets: add NOT_DECLARED to secrets" },
      { path: 'secrets.0', message: 'TICKETS_TOKEN is not set in the environment, and mcp.0.env.TOKEN needs it' }
    ])
  })

  it('a process policy whose program is missing, and a claude-code executable that is not there, are errors at their fields', async () => {
    andon = await tempAndon({ env: { PATH: '/usr/bin:/bin' } })
    const proc = await andon.handlers.validateSpec({ text: yaml({ policy: { kind: 'process', command: 'no-such-agent-program' }, sandbox: unsandboxed }) })
    expect(!proc.ok && proc.errors).toEqual([{ path: 'policy.command', message: 'the agent\'s program "no-such-agent-program" is not on PATH' }])
    const cc = await andon.handlers.validateSpec({
      text: yaml({ policy: { kind: 'claude-code', executable: '/no/such/claude' }, termination: { verifyCommand: 'true' }, sandbox: unsandboxed })
    })
    expect(!cc.ok && cc.errors).toEqual([{ path: expect.stringMatching(/^policy\.(executable|kind)$/), message: expect.stringMatching(/\/no\/such\/claude|Claude Code loops need/) }])
  })

  it('a relative workspace resolves from the chosen spec file: a template missing next to it is an error at workspace', async () => {
    const dir = tempDir('andon-specs-')
    writeFileSync(join(dir, 'here.yaml'), yaml({ policy: rules('read_file'), tools: [{ name: 'read_file' }], workspace: 'missing-template' }))
    andon = await tempAndon({ specDirs: [dir] })
    const entry = (await andon.handlers.listSpecs({})).find((s) => s.path === join(dir, 'here.yaml'))!
    const v = await andon.handlers.validateSpec({ text: entry.text, specId: entry.id })
    expect(!v.ok && v.errors).toEqual([{ path: 'workspace', message: `the workspace template ${join(dir, 'missing-template')} does not exist` }])
  })

  it('andon run says the same: errors by field refuse the launch, warnings are printed and the loop runs', { timeout: 120_000 }, async () => {
    const dir = tempDir('andon-run-preflight-')
    const refused = await andonCli(['run', join(examplesDir, 'github-reconcile.yaml'), '--data-dir', join(dir, 'data')], { env: { GITHUB_REPOSITORY: 'octo/app' } })
    expect(refused.stderr).toMatch(/cannot launch .*github-reconcile\.yaml:\n {2}tools\.1\.name: github_open_issue needs GITHUB_TOKEN in the environment/)
    expect(refused.code).not.toBe(0)

    const warned = join(dir, 'warned.yaml')
    writeFileSync(warned, yaml({ policy: rules('read_file', { path: 'x' }), tools: [{ name: 'read_file' }], secrets: ['DEPLOY_KEY'], invariants: { maxIterations: 1 } }))
    const ran = await andonCli(['run', warned, '--data-dir', join(dir, 'data')])
    expect(ran.stderr).toMatch(/warning: secrets\.0: DEPLOY_KEY is not set in the environment: the loop runs without it/)
    expect(ran.stderr).toMatch(/loop \S+ started: preflight/)
  })
})

describe('approval rules that match nothing', () => {
  it("warn at the rule's field when the pattern names a tool the loop does not have; the loop may still start", async () => {
    andon = await tempAndon()
    const v = await andon.handlers.validateSpec({
      text: yaml({
        policy: rules('read_file', { path: 'a' }),
        sandbox: unsandboxed,
        mcp: [{ name: 'github', command: 'node', args: ['server.mjs'] }],
        approvals: { allow: ['read_file', 'mcp__github', 'mcp__github__create_issue'], ask: ['mcp__gitlab'], deny: ['run_command(rm:*)', 'Bash(rm:*)'] }
      })
    })
    expect(v.ok).toBe(true)
    expect(v.warnings).toEqual([
      { path: 'approvals.ask.0', message: expect.stringMatching(/^approval rule "mcp__gitlab" matches nothing: this loop has no tool "mcp__gitlab" \(no MCP server in the spec is named "gitlab"\) \(its tools: .*read_file/) },
      { path: 'approvals.deny.1', message: expect.stringMatching(/^approval rule "Bash\(rm:\*\)" matches nothing: this loop has no tool "Bash"/) }
    ])
  })

  it("for a claude-code loop, Claude Code's tools are its tools; a tool named in the wrong case is named", async () => {
    andon = await tempAndon()
    const v = await andon.handlers.validateSpec({
      text: yaml({
        policy: { kind: 'claude-code' },
        termination: { successTool: 'verify', verifyCommand: 'true' },
        sandbox: unsandboxed,
        approvals: { allow: ['Read(src/**)', 'Grep'], ask: [], deny: ['bash'] }
      })
    })
    expect(v.warnings).toContainEqual({ path: 'approvals.deny.0', message: expect.stringMatching(/^approval rule "bash" matches nothing: this loop has no tool "bash"; did you mean Bash\?/) })
    expect((v.warnings ?? []).filter((w) => w.path.startsWith('approvals.'))).toHaveLength(1)
  })
})
