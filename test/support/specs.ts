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
  // No think time in tests, for the policies that have one (specs are strict: others must not get the field).
  const policy = 'delayMs' in v.spec.policy ? { ...v.spec.policy, delayMs: 0 } : v.spec.policy
  return { spec: { ...v.spec, policy }, specPath }
}

export function spec(input: Partial<LoopSpecInput> & Pick<LoopSpecInput, 'policy'>): LoopSpec {
  return LoopSpecSchema.parse({ name: 'test-loop', task: 'a test task', ...input })
}

/** Checks, then reads a.txt, or b.txt once the operator has added the fact "use b"; never converges. */
export const READER_SPEC = {
  name: 'reader',
  task: 'Check, then read a.txt, or b.txt when told to.',
  policy: {
    kind: 'rules',
    rules: [
      { name: 'check', when: { start: true }, then: { tool: 'verify' } },
      { name: 'hinted', when: { lastTool: 'verify', factMatches: 'use b' }, then: { tool: 'read_file', args: { path: 'b.txt' } } },
      { name: 'plain', when: { lastTool: 'verify' }, then: { tool: 'read_file', args: { path: 'a.txt' } } },
      { name: 'again', when: { lastTool: 'read_file' }, then: { tool: 'verify' } }
    ]
  },
  tools: [{ name: 'verify' }, { name: 'read_file' }],
  invariants: { maxIterations: 4, sameActionLimit: 10, progressEvery: 10 },
  termination: { successTool: 'verify', verifyCommand: 'false' }
} satisfies Partial<LoopSpecInput> & Pick<LoopSpecInput, 'policy'>

/** Rules that clean up first; after a rejection whose reason says "keep", they run `archive` instead. */
export function cleanupRules(archive: string) {
  return [
    { name: 'clean up', when: { start: true }, then: { tool: 'run_command', args: { command: 'rm -f notes.txt' } } },
    { name: 'archive instead', when: { rejectionMatches: 'keep' }, then: { tool: 'run_command', args: { command: archive } } },
    { name: 'check', when: { lastTool: 'run_command' }, then: { tool: 'verify' } }
  ]
}

/**
 * A call with a side effect that a killed host can cut off: `command` writes "made" to made.txt
 * (and may go on running); the loop then verifies made.txt holds exactly that one line.
 */
export function madeOnceSpec(command: string, extra: Partial<LoopSpecInput> = {}): LoopSpec {
  return spec({
    policy: {
      kind: 'rules',
      rules: [
        { name: 'make', when: { start: true }, then: { tool: 'run_command', args: { command } } },
        { name: 'check', when: {}, then: { tool: 'verify' } }
      ]
    },
    termination: { verifyCommand: 'test "$(cat made.txt)" = made' },
    ...extra
  })
}

/** A loop that keeps running (verify always fails, slowly, and no invariant stops it): for saving or stopping a loop mid-run. */
export const SLOW_SPEC = {
  name: 'slow',
  task: 'keep checking',
  autonomy: 'autonomous',
  policy: { kind: 'rules', delayMs: 300, rules: [{ name: 'check', when: {}, then: { tool: 'verify' } }] },
  tools: [{ name: 'verify' }],
  invariants: { maxIterations: 200, sameActionLimit: 1000, progressEvery: 1000, toolErrorStreak: 1000 },
  termination: { verifyCommand: 'false' }
} as const
