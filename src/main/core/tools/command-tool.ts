/**
 * Command tools: a spec's own tools that run a program in the sandbox with the call's input,
 * as JSON on stdin and/or in the arguments. An argument `{{field}}` becomes that input field:
 * each stays exactly one argument, so no value can become shell syntax.
 */
import { isCommandTool, type CommandToolConfig } from '../../../shared/spec'

export { isCommandTool }
import { inputSchemaProblem, jsonSchemaInput } from './json-schema-input'
import { runProcess } from './process'
import type { AnyTool } from './tool'


export const DEFAULT_COMMAND_TIMEOUT_MS = 60_000
/** A command tool that declares no input takes none. */
const NO_INPUT = { type: 'object', properties: {}, additionalProperties: false }
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g


function field(input: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), input)
}

function asText(v: unknown): string {
  if (v === undefined || v === null) return ''
  return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v)
}

/** The arguments with each `{{field}}` replaced by the input's value (text as is, others as JSON). */
export function fillArgs(args: readonly string[], input: Record<string, unknown>): string[] {
  return args.map((a) => a.replace(PLACEHOLDER, (_m, path: string) => asText(field(input, path))))
}

export function commandTool(t: CommandToolConfig): AnyTool {
  const schema = t.input ?? NO_INPUT
  return {
    name: t.name,
    description: t.description ?? `Runs ${t.command} in the loop's workspace.`,
    input: jsonSchemaInput(schema),
    inputSchema: schema,
    risk: t.risk ?? 'high',
    idempotent: t.idempotent ?? false,
    run: (input: Record<string, unknown>, ctx) =>
      runProcess(
        {
          command: t.command,
          label: t.name,
          program: { command: t.command, args: fillArgs(t.args ?? [], input) },
          stdin: t.stdin === 'none' ? undefined : JSON.stringify(input),
          timeoutMs: t.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS
        },
        ctx
      )
  }
}

/** What is wrong with a command tool's declaration, by field (checked when the spec is validated). */
export function commandToolProblems(t: CommandToolConfig, index: number): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = []
  const schema = t.input ?? NO_INPUT
  const bad = inputSchemaProblem(schema)
  if (bad) out.push({ path: `tools.${index}.input`, message: `not a usable JSON Schema: ${bad}` })
  const properties = (schema.properties ?? {}) as Record<string, unknown>
  ;(t.args ?? []).forEach((a, j) => {
    for (const m of a.matchAll(PLACEHOLDER)) {
      const top = m[1].split('.')[0]
      if (!(top in properties)) out.push({ path: `tools.${index}.args.${j}`, message: `{{${m[1]}}} names no property of the tool's input` })
    }
  })
  return out
}
