/**
 * The `process` policy: any agent, in any language, as a child process speaking JSON lines
 * (src/shared/process-protocol.ts). It starts at the loop's first decision, in the sandbox and
 * the loop's workspace, and is kept for the decisions that follow; one that died, timed out or
 * broke the protocol is ended and started afresh at the next decision.
 */
import { isAbsolute, resolve } from 'node:path'
import type { ProcessAgentReply } from '../../../../shared/process-protocol'
import type { ProcessPolicySpec } from '../../../../shared/spec'
import { backpressureOf, type Backpressure } from '../../backpressure'
import { findOnPath, isExecutableFile } from '../../platform/executables'
import { prepareProgram } from '../../sandbox/launch'
import { PolicyError, type Decision, type DecisionInput, type Policy } from '../policy'
import { AgentProcess } from './agent-process'
import { agentEnv } from './env'
import { decideMessage, parseReply } from './messages'

/** Why the program cannot start, or null; a relative path is checked once the workspace exists. */
function programProblem(command: string, workspace: string | null): string | null {
  if (!command.includes('/')) return findOnPath(command) ? null : `the agent's program "${command}" is not on PATH`
  if (!isAbsolute(command) && workspace === null) return null
  if (isExecutableFile(resolve(workspace ?? '/', command))) return null
  return `the agent's program ${command} is not an executable file${isAbsolute(command) ? '' : ' in the loop workspace'}`
}

async function startAgent(spec: ProcessPolicySpec, input: DecisionInput, env: Record<string, string | undefined>): Promise<AgentProcess> {
  const workspace = input.state.workspace
  if (!workspace) throw new PolicyError('config', 'the loop has no workspace for its agent to run in')
  const problem = programProblem(spec.command, workspace)
  if (problem) throw new PolicyError('config', problem)
  const agentEnvironment = agentEnv(spec, { workspace, secrets: input.spec.secrets }, env)
  const launch = await prepareProgram(spec.command, spec.args, workspace, input.spec.sandbox)
  if ('refused' in launch) throw new PolicyError('config', `the agent cannot start: ${launch.refused}`)
  return new AgentProcess({ script: launch.script, cwd: workspace, env: agentEnvironment, release: launch.release })
}

export function createProcessPolicy(spec: ProcessPolicySpec, deps: { env: Record<string, string | undefined>; backpressure?: Backpressure }): Policy {
  const problem = programProblem(spec.command, null)
  if (problem) throw new PolicyError('config', problem)
  // What the agent says it spent counts toward today's spend across all loops, as a provider's calls do.
  const ledger = backpressureOf(deps).ledger
  let agent: AgentProcess | null = null
  // Bumped by close(), so an agent that finishes starting after it is ended at once.
  let generation = 0
  const stop = () => {
    agent?.kill()
    agent = null
  }

  return {
    kind: 'process',
    async decide(input): Promise<Decision> {
      ledger.check()
      const message = decideMessage(input, Date.now())
      if (!agent?.running) {
        const started = generation
        const fresh = await startAgent(spec, input, deps.env)
        if (started !== generation) {
          fresh.kill()
          throw new Error('the policy was closed while its agent started')
        }
        agent = fresh
      }
      let reply: ProcessAgentReply
      try {
        reply = parseReply(await agent.ask(JSON.stringify(message), spec.timeoutMs, input.signal))
      } catch (err) {
        // Whatever it was (a timeout, a cancel, a broken answer), its next line cannot be trusted to answer the next question.
        stop()
        throw err
      }
      ledger.record(reply.usage?.costUsd ?? 0)
      if ('error' in reply) throw new PolicyError('no-action', `the agent could not decide: ${reply.error}`, reply.usage, reply)
      return {
        action: { tool: reply.tool, args: reply.args },
        subgoal: reply.subgoal,
        confidence: reply.confidence,
        rationale: reply.rationale,
        prompt: message,
        rawResponse: reply,
        usage: reply.usage ?? { inputTokens: 0, outputTokens: 0, costUsd: 0 }
      }
    },
    close() {
      generation++
      stop()
    }
  }
}
