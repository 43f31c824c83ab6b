/**
 * Everything that would make a launch fail, found before anything is created, each at the field
 * it is about: the spec's own checks, tools this installation has, the workspace template, the
 * credentials and programs the policy and tools need, prices for a USD budget, a sandbox. Errors
 * refuse the launch; warnings are shown and the loop may still start. The Launch form, the
 * launch itself and `andon run` all ask this one function.
 */
import type { LoopSpec } from '../../../shared/spec'
import { createPolicy, policyInstallProblem, pricingProblem, type PolicyDeps } from '../policies'
import { resolveBaseUrl } from '../policies/anthropic/endpoint'
import { sandboxProblem } from '../sandbox/status'
import { templateDir } from '../supervisor/workspace'
import type { ToolRegistry } from '../tools/tool'
import { approvalRuleWarnings } from '../approvals/rule-warnings'
import { credentialProblems } from './credentials'
import { specProblems } from './load-spec'
import { toolProblems, workspaceProblem, type FieldProblem } from './spec-checks'

export interface Preflight {
  errors: FieldProblem[]
  warnings: FieldProblem[]
}

export interface PreflightDeps {
  tools: ToolRegistry
  policyDeps: PolicyDeps
}

function policyProblems(spec: LoopSpec, deps: PolicyDeps): FieldProblem[] {
  const p = spec.policy
  const install = policyInstallProblem(spec, deps.env)
  if (install) return [{ path: p.kind === 'claude-code' && p.executable ? 'policy.executable' : 'policy.kind', message: install }]
  if (p.kind === 'anthropic') {
    try {
      resolveBaseUrl(p.baseUrl, deps.env)
    } catch (err) {
      return [{ path: p.baseUrl ? 'policy.baseUrl' : 'policy.kind', message: (err as Error).message }]
    }
    // Without a key the policy cannot be built; credentialProblems says so at its field.
    if (!deps.env.ANTHROPIC_API_KEY?.trim()) return []
  }
  try {
    createPolicy(p, deps)
  } catch (err) {
    return [{ path: p.kind === 'process' ? 'policy.command' : 'policy', message: (err as Error).message }]
  }
  const pricing = pricingProblem(spec, spec.invariants, deps)
  return pricing ? [{ path: 'policy.pricing', message: pricing }] : []
}

export async function preflight(spec: LoopSpec, specPath: string | null, deps: PreflightDeps): Promise<Preflight> {
  const credentials = credentialProblems(spec, deps.policyDeps.env)
  const workspace = workspaceProblem(templateDir(spec, specPath))
  const sandbox = await sandboxProblem(spec)
  const own = specProblems(spec)
  const errors = [
    ...own,
    ...toolProblems(spec, deps.tools),
    ...(workspace ? [workspace] : []),
    ...credentials.errors,
    // A policy is built only from a spec that passed its own checks (a bad pattern is said once, above).
    ...(own.length === 0 ? policyProblems(spec, deps.policyDeps) : []),
    ...(sandbox ? [{ path: 'sandbox', message: sandbox }] : [])
  ]
  return { errors, warnings: [...credentials.warnings, ...approvalRuleWarnings(spec, deps.tools)] }
}
