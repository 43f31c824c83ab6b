/**
 * `andon rules`: list, add and revoke the operator's approval rules (the rule set every loop's
 * gate reads at each proposed call, running loops included).
 */
import type { ApprovalRule } from '../../shared/approvals-contract'
import { RuleEffectSchema } from '../../shared/approvals-contract'
import { ApprovalRuleSet } from '../../main/core/approvals/rule-set'
import { CommandRefused } from '../../main/core/commands/commands'
import { parse } from '../args'
import { CliError, dataDirOf, EXIT, type Io } from '../io'
import { withStore } from '../store'

export const usage = [
  'usage: andon rules ls [--spec NAME] [--all] [--json] [--data-dir DIR]',
  '       andon rules add allow|ask|deny PATTERN [--spec NAME] --why TEXT [--data-dir DIR]',
  '       andon rules revoke ID --why TEXT [--data-dir DIR]',
  '  PATTERN is a tool (run_command) or a tool and an argument pattern: run_command(npm test:*),',
  '  write_file(src/**), mcp__db__query(sql=SELECT *). Without --spec a rule applies to every loop;',
  '  ls --all lists revoked rules too.'
].join('\n')

const BY = 'andon rules'

export async function rulesCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { spec: { type: 'string' }, all: { type: 'boolean' }, why: { type: 'string' } }, usage)
  if (values.help) return io.out(usage), EXIT.ok
  const [sub, ...rest] = positionals
  const dataDir = dataDirOf(io, values['data-dir'])
  const why = values.why?.trim() ?? ''
  switch (sub) {
    case 'ls': {
      const rules = withStore(dataDir, {}, (store) => new ApprovalRuleSet(store.db).list({ specName: values.spec, includeRevoked: values.all === true }))
      if (values.json) io.out(JSON.stringify(rules, null, 2))
      else if (rules.length === 0) io.err(values.all ? 'no approval rules' : 'no live approval rules (--all lists revoked ones too)')
      else for (const r of rules) io.out(line(r))
      return EXIT.ok
    }
    case 'add': {
      const [effectText, pattern, ...extra] = rest
      const effect = RuleEffectSchema.safeParse(effectText)
      if (!effect.success || !pattern || extra.length) throw new CliError(`give allow, ask or deny and one PATTERN (quote it)\n\n${usage}`, EXIT.usage)
      if (!why) throw new CliError('say why with --why TEXT: it is kept with the rule', EXIT.usage)
      const rule = refusedAsCliError(() =>
        withStore(dataDir, { create: true }, (store) =>
          new ApprovalRuleSet(store.db).add({ effect: effect.data, pattern, scope: values.spec ? { spec: values.spec } : 'all', by: BY, why, at: Date.now() })
        )
      )
      io.out(line(rule))
      return EXIT.ok
    }
    case 'revoke': {
      const id = Number(rest[0])
      if (rest.length !== 1 || !Number.isInteger(id) || id <= 0) throw new CliError(`give the id of one rule (andon rules ls shows them)\n\n${usage}`, EXIT.usage)
      if (!why) throw new CliError('say why with --why TEXT: it is kept with the revocation', EXIT.usage)
      const rule = refusedAsCliError(() => withStore(dataDir, {}, (store) => new ApprovalRuleSet(store.db).revoke(id, BY, why, Date.now())))
      io.out(line(rule))
      return EXIT.ok
    }
    default:
      throw new CliError(`${sub ? `unknown subcommand ${JSON.stringify(sub)}` : 'give a subcommand'}\n\n${usage}`, EXIT.usage)
  }
}

function refusedAsCliError<T>(fn: () => T): T {
  try {
    return fn()
  } catch (err) {
    if (err instanceof CommandRefused) throw new CliError(err.message, EXIT.error)
    throw err
  }
}

/** `#3  allow  run_command(npm test:*)  spec fix-the-tests  by operator 2025-01-02 10:00  why …  [revoked …]` */
function line(r: ApprovalRule): string {
  const when = (at: number) => new Date(at).toISOString().slice(0, 16).replace('T', ' ')
  const scope = r.scope === 'all' ? 'every loop' : `spec ${r.scope.spec}`
  const revoked = r.revoked ? `  [revoked by ${r.revoked.by} ${when(r.revoked.at)}: ${r.revoked.why}]` : ''
  return `#${r.id}\t${r.effect}\t${r.pattern}\t${scope}\tby ${r.by} ${when(r.at)}: ${r.why}${revoked}`
}
