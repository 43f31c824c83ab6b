import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { LoopSpecSchema, type LoopSpec, type LoopSpecInput } from '../../src/shared/spec'
import { validateSpecText } from '../../src/main/core/specs/load-spec'
import { findExamplesDir } from '../../src/main/core/create-andon'

export const examplesDir = findExamplesDir()

export function exampleSpec(name: string): { spec: LoopSpec; specPath: string } {
  const specPath = join(examplesDir, `${name}.yaml`)
  const v = validateSpecText(readFileSync(specPath, 'utf8'))
  if (!v.ok) throw new Error(JSON.stringify(v.errors))
  return { spec: { ...v.spec, policy: { ...v.spec.policy, delayMs: 0 } as LoopSpec['policy'] }, specPath }
}

export function spec(input: Partial<LoopSpecInput> & Pick<LoopSpecInput, 'policy'>): LoopSpec {
  return LoopSpecSchema.parse({ name: 'test-loop', task: 'a test task', ...input })
}
