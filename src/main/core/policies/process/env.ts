/**
 * The agent's environment: a clean one (as for every command Andon starts) plus the spec's
 * `env`, where `${NAME}` is replaced by the loop's secret of that name. Secrets travel only here,
 * never in the lines the agent reads, which are recorded.
 */
import type { ProcessPolicySpec } from '../../../../shared/spec'
import { fillSecrets } from '../../secrets/secret-refs'
import { PolicyError } from '../policy'

export function agentEnv(
  spec: ProcessPolicySpec,
  loop: { workspace: string; secrets: readonly string[] },
  from: Record<string, string | undefined>
): Record<string, string> {
  const secrets = Object.fromEntries(loop.secrets.flatMap((name) => (from[name] ? [[name, from[name]]] : [])))
  try {
    return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: loop.workspace, LANG: 'C.UTF-8', ...fillSecrets(spec.env, secrets, 'policy.env') }
  } catch (err) {
    throw new PolicyError('config', (err as Error).message)
  }
}
