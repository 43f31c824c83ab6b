/**
 * Loops started through the core itself, for e2e tests whose subject is a screen rather than the
 * launch form: launch a listed spec by name, wait for a status, a priced process agent, and a loop
 * that waits for approval at every call.
 */
import { stringify } from 'yaml'
import type { Andon } from '../../src/main/core/andon'
import { contract } from '../../src/shared/contract'
import { LoopSpecSchema } from '../../src/shared/spec'
import { expect } from './fixtures'

/** An agent for the process policy that always runs the checks and reports what each decision cost. */
export const PRICED_AGENT = `
import { createInterface } from 'node:readline'
const costUsd = Number(process.argv[2])
for await (const line of createInterface({ input: process.stdin })) {
  JSON.parse(line)
  process.stdout.write(JSON.stringify({ tool: 'verify', args: {}, subgoal: 'check', confidence: 0.9, usage: { inputTokens: 1000, outputTokens: 100, costUsd } }) + '\\n')
}
`

/** A spec run by PRICED_AGENT (put it at `agent/agent.mjs` beside the specs) that converges at once. */
export const pricedSpec = (name: string, costUsd: number, tags?: string[]) =>
  stringify({
    name,
    task: `Report a priced check for ${name}.`,
    ...(tags ? { tags } : {}),
    workspace: 'agent',
    policy: { kind: 'process', command: 'node', args: ['agent.mjs', String(costUsd)], timeoutMs: 10000 },
    tools: [{ name: 'verify' }],
    invariants: { maxIterations: 3 },
    termination: { successTool: 'verify', verifyCommand: 'true' }
  })

/** A loop whose every call waits for approval: it proposes `echo proposed`, then again after each decision. */
export const gatedSpec = (name: string) =>
  LoopSpecSchema.parse({
    name,
    task: 'say something',
    autonomy: 'approve-every-action',
    policy: { kind: 'rules', rules: [{ name: 'say', when: {}, then: { tool: 'run_command', args: { command: 'echo proposed' } } }] },
    tools: [{ name: 'run_command' }, { name: 'verify' }],
    invariants: { maxIterations: 20 },
    termination: { verifyCommand: 'true' }
  })

export async function launchByName(andon: Andon, name: string): Promise<string> {
  const spec = (await andon.handlers.listSpecs({})).find((s) => s.name === name)
  if (!spec) throw new Error(`no spec named ${name}`)
  return (await andon.handlers.launchLoop(contract.launchLoop.input.parse({ specId: spec.id }))).loopId
}

export async function untilStatus(andon: Andon, loopId: string, status: string): Promise<void> {
  await expect.poll(() => andon.supervisor.liveState(loopId).status, { timeout: 30_000 }).toBe(status)
}
