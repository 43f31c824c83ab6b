/**
 * Credentials a spec needs from the operator's environment, checked before launch: the GitHub
 * token and repository its GitHub tools use, and the secrets it declares or fills into the
 * programs it starts. What would make a call fail for sure is an error; what only limits the
 * loop (an anonymous GitHub read, a declared secret nothing requires) is a warning.
 */
import type { LoopSpec } from '../../../shared/spec'
import type { FieldProblem } from './spec-checks'

export interface CredentialProblems {
  errors: FieldProblem[]
  warnings: FieldProblem[]
}

type Env = Record<string, string | undefined>

/** GitHub tools that change something: GitHub refuses them without a token. */
const GITHUB_WRITES = new Set(['github_open_issue', 'github_open_pr', 'github_comment'])
/** GitHub tools that read: without a token they reach public repositories only. */
const GITHUB_READS = new Set(['github_ci_status', 'github_read_file'])

const SECRET_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g

const set = (env: Env, name: string): boolean => Boolean(env[name]?.trim())

/** Where the spec writes `${NAME}`: the values filled from its secrets when a program starts. */
function secretReferences(spec: LoopSpec): { path: string; name: string }[] {
  const maps: [string, Record<string, string>][] = spec.mcp.flatMap((m, i) => [
    [`mcp.${i}.env`, m.env],
    [`mcp.${i}.headers`, m.headers]
  ] as [string, Record<string, string>][])
  if (spec.policy.kind === 'process') maps.push(['policy.env', spec.policy.env])
  return maps.flatMap(([path, values]) =>
    Object.entries(values).flatMap(([key, value]) => [...value.matchAll(SECRET_REF)].map((m) => ({ path: `${path}.${key}`, name: m[1] })))
  )
}

function gitHubProblems(spec: LoopSpec, env: Env, out: CredentialProblems): Set<string> {
  const reported = new Set<string>()
  const declared = new Set(spec.secrets)
  spec.tools.forEach((t, i) => {
    const writes = GITHUB_WRITES.has(t.name)
    if (!writes && !GITHUB_READS.has(t.name)) return
    const path = `tools.${i}.name`
    const list = writes ? out.errors : out.warnings
    const anonymous = writes ? '' : ': without it, it reads public repositories only, at 60 requests an hour'
    if (!set(env, 'GITHUB_TOKEN')) list.push({ path, message: `${t.name} needs GITHUB_TOKEN in the environment${anonymous}` })
    else if (!declared.has('GITHUB_TOKEN')) list.push({ path: 'secrets', message: `${t.name} needs GITHUB_TOKEN in the spec's secrets: a loop's tools see only the secrets it declares${anonymous}` })
    reported.add('GITHUB_TOKEN')
  })
  if (set(env, 'GITHUB_REPOSITORY')) return reported
  // A rules policy's calls are known now: one that names no repository cannot succeed.
  if (spec.policy.kind === 'rules') {
    spec.policy.rules.forEach((r, i) => {
      if ((GITHUB_WRITES.has(r.then.tool) || GITHUB_READS.has(r.then.tool)) && r.then.args.repo === undefined) {
        out.errors.push({ path: `policy.rules.${i}.then.args`, message: `${r.then.tool} needs a repository: give args.repo ("owner/name") or set GITHUB_REPOSITORY in the environment` })
        reported.add('GITHUB_REPOSITORY')
      }
    })
  }
  return reported
}

export function credentialProblems(spec: LoopSpec, env: Env): CredentialProblems {
  const out: CredentialProblems = { errors: [], warnings: [] }
  const reported = gitHubProblems(spec, env, out)
  const declared = new Set(spec.secrets)
  const refs = secretReferences(spec)
  for (const ref of refs) {
    if (!declared.has(ref.name)) out.errors.push({ path: ref.path, message: `\${${ref.name}} is not one of the spec's secrets: add ${ref.name} to secrets` })
  }
  spec.secrets.forEach((name, i) => {
    if (set(env, name) || reported.has(name)) return
    const needed = refs.find((r) => r.name === name)
    if (needed) out.errors.push({ path: `secrets.${i}`, message: `${name} is not set in the environment, and ${needed.path} needs it` })
    else out.warnings.push({ path: `secrets.${i}`, message: `${name} is not set in the environment: the loop runs without it` })
  })
  if (spec.policy.kind === 'anthropic' && !set(env, 'ANTHROPIC_API_KEY')) {
    out.errors.push({ path: 'policy.kind', message: 'the anthropic policy needs ANTHROPIC_API_KEY in the environment, or a key saved in the app' })
  }
  return out
}
