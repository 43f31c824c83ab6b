/** The spec of the recorded track-record histories: reads src/a.txt, lists src, and again, for 10 iterations. */
import type { LoopSpec } from '../../../src/shared/spec'
import { spec } from '../../support/specs'

export function readerSpec(name: string, template: string): LoopSpec {
  return spec({
    name,
    autonomy: 'approve-every-action',
    workspace: template,
    policy: {
      kind: 'rules',
      rules: [
        { name: 'read', when: { start: true }, then: { tool: 'read_file', args: { path: 'src/a.txt' } } },
        { name: 'list', when: { lastTool: 'read_file' }, then: { tool: 'run_command', args: { command: 'ls src' } } },
        { name: 'read again', when: { lastTool: 'run_command' }, then: { tool: 'read_file', args: { path: 'src/a.txt' } } }
      ]
    },
    tools: [{ name: 'read_file' }, { name: 'run_command' }, { name: 'verify' }],
    termination: { verifyCommand: 'false' },
    invariants: { maxIterations: 10, sameActionLimit: 10, progressEvery: 100 }
  })
}
