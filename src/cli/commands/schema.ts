/** `andon schema [-o FILE]`: the JSON Schema of loop spec files, for editor autocompletion. */
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { z } from 'zod'
import { LoopSpecSchema } from '../../shared/spec'
import { parse } from '../args'
import { EXIT, type Io } from '../io'

export const usage = 'usage: andon schema [-o FILE]'

/** The schema of what a spec file may contain (defaults make fields optional: io 'input'). */
export function loopSpecJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(LoopSpecSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>
  return {
    $schema: schema.$schema,
    title: 'Andon loop spec',
    description: 'A loop Andon can launch: task, policy, tools, invariants, termination and autonomy.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema'))
  }
}

export function loopSpecJsonSchemaText(): string {
  return JSON.stringify(loopSpecJsonSchema(), null, 2) + '\n'
}

export async function schemaCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { output: { type: 'string', short: 'o' } }, usage)
  if (values.help) return io.out(usage), EXIT.ok
  const text = loopSpecJsonSchemaText()
  if (values.output) {
    const file = resolve(io.cwd, values.output)
    writeFileSync(file, text)
    io.err(`wrote ${file}`)
  } else io.out(text.trimEnd())
  return EXIT.ok
}
