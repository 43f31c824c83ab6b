/**
 * The agent's environment: a clean one (as for every command Andon starts) plus the spec's
 * `env`, where `${NAME}` is replaced by the loop's secret of that name. Secrets travel only here,
 * never in the lines the agent reads, which are recorded.
 */
import type { ProcessPolicySpec } from '../../../../shared/spec'
import { PolicyError } from '../policy'

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g

export function agentEnv(
  spec: ProcessPolicySpec,
  loop: { workspace: string; secrets: readonly string[] },
  from: Record<string, string | undefined>
): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: loop.workspace, LANG: 'C.UTF-8' }
  for (const [key, value] of Object.entries(spec.env)) {
    env[key] = value.replace(PLACEHOLDER, (_m, name: string) => {
      if (!loop.secrets.includes(name)) throw new PolicyError('config', `policy.env.${key}: \${${name}} is not one of the spec's secrets (list it under secrets)`)
      const secret = from[name]
      if (!secret) throw new PolicyError('config', `policy.env.${key}: the secret ${name} is not set in Andon's environment`)
      return secret
    })
  }
  return env
}
