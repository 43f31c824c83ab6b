/** Regenerate resources/schema/loop-spec.schema.json from LoopSpecSchema (npm run schema). */
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { loopSpecJsonSchemaText } from '../src/cli/commands/schema'

const out = resolve(__dirname, '..', 'resources', 'schema', 'loop-spec.schema.json')
writeFileSync(out, loopSpecJsonSchemaText())
console.log(`wrote ${out}`)
