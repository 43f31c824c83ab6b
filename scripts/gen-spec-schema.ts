/**
 * Regenerate the JSON Schemas in resources/schema (npm run schema): loop spec files from
 * LoopSpecSchema, and the process policy's two messages from their zod schemas.
 */
import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { loopSpecJsonSchemaText } from '../src/cli/commands/schema'
import { processProtocolSchemaFiles } from '../src/shared/process-protocol-schema'

const dir = resolve(__dirname, '..', 'resources', 'schema')
const files: Record<string, string> = { 'loop-spec.schema.json': loopSpecJsonSchemaText(), ...processProtocolSchemaFiles() }
for (const [name, text] of Object.entries(files)) {
  writeFileSync(join(dir, name), text)
  console.log(`wrote ${join(dir, name)}`)
}
