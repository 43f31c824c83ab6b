/**
 * Checks a spec needs this installation to answer: do the tools it names exist here, and does
 * its workspace template exist. Each problem names the field, like a schema error, so the Launch
 * form and `andon run` show it before anything is created.
 */
import { statSync } from 'node:fs'
import type { LoopSpec } from '../../../shared/spec'
import type { ToolRegistry } from '../tools/tool'

export interface FieldProblem {
  path: string
  message: string
}

export function toolProblems(spec: LoopSpec, tools: ToolRegistry): FieldProblem[] {
  const out: FieldProblem[] = []
  const known = tools.list().map((t) => t.name)
  spec.tools.forEach((t, i) => {
    if (!tools.get(t.name)) out.push({ path: `tools.${i}.name`, message: `unknown tool "${t.name}" (this Andon has: ${known.join(', ')})` })
  })
  const usable = (name: string) => tools.forSpec(name, spec.tools) !== undefined
  const why = (name: string) => (tools.get(name) ? `tool "${name}" is not in the spec's tools list` : `unknown tool "${name}"`)
  if (spec.policy.kind === 'rules') {
    spec.policy.rules.forEach((r, i) => {
      if (!usable(r.then.tool)) out.push({ path: `policy.rules.${i}.then.tool`, message: why(r.then.tool) })
    })
  }
  if (!usable(spec.termination.successTool)) out.push({ path: 'termination.successTool', message: why(spec.termination.successTool) })
  // Claude Code's "done" is checked, never taken on its word: the loop needs a command to check it with.
  if (spec.policy.kind === 'claude-code' && spec.termination.successTool === 'verify' && !spec.termination.verifyCommand) {
    out.push({ path: 'termination.verifyCommand', message: 'a claude-code loop needs a verify command: Andon runs it when Claude Code says it is done' })
  }
  return out
}

/** The template folder must exist and be a folder (null template: the loop starts empty). */
export function workspaceProblem(template: string | null): FieldProblem | null {
  if (template === null) return null
  try {
    if (statSync(template).isDirectory()) return null
    return { path: 'workspace', message: `the workspace template ${template} is not a folder` }
  } catch {
    return { path: 'workspace', message: `the workspace template ${template} does not exist` }
  }
}
