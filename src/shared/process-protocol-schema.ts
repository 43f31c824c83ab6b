/**
 * JSON Schemas of the process policy's two messages, written to resources/schema by
 * `npm run schema` and checked against the files on disk by a unit test.
 */
import { z } from 'zod'
import { ProcessAgentReply, ProcessDecideMessage } from './process-protocol'

function jsonSchema(schema: z.ZodType, io: 'input' | 'output', title: string, description: string): string {
  const s = z.toJSONSchema(schema, { io, target: 'draft-2020-12' }) as Record<string, unknown>
  const body = Object.fromEntries(Object.entries(s).filter(([k]) => k !== '$schema'))
  return JSON.stringify({ $schema: s.$schema, title, description, ...body }, null, 2) + '\n'
}

/** File name under resources/schema → its text. */
export function processProtocolSchemaFiles(): Record<string, string> {
  return {
    // What Andon writes: every field is always there.
    'process-policy.input.schema.json': jsonSchema(
      ProcessDecideMessage,
      'output',
      'Andon process policy: decide',
      'One line Andon writes to the agent’s stdin per decision.'
    ),
    // What the agent writes: fields with defaults may be left out.
    'process-policy.decision.schema.json': jsonSchema(
      ProcessAgentReply,
      'input',
      'Andon process policy: decision',
      'One line the agent writes to its stdout per decide line: a tool call, or { "error" } when it cannot decide. Logs go to stderr.'
    )
  }
}
