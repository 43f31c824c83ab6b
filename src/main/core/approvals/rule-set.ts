/**
 * The operator's approval rules, kept in the store beside the loops (table `approval_rules`,
 * migration 0008). A rule applies to one spec by name or to every loop; it is never deleted,
 * only revoked (once, with who, when and why). The driver reads the live rules at each proposal.
 */
import type { Database, Statement } from 'better-sqlite3'
import type { ApprovalRule, RuleScope } from '../../../shared/approvals-contract'
import type { RuleEffect } from '../../../shared/approval-rules'
import { rulePatternProblem } from '../../../shared/approval-rules'
import { CommandRefused } from '../commands/commands'
import type { CandidateRule } from './match'

interface RuleRow {
  id: number
  effect: RuleEffect
  pattern: string
  spec_name: string | null
  by: string
  at: number
  why: string
  from_loop_id: string | null
  from_call_id: string | null
  revoked_by: string | null
  revoked_at: number | null
  revoked_why: string | null
}

const toRule = (r: RuleRow): ApprovalRule => ({
  id: r.id,
  effect: r.effect,
  pattern: r.pattern,
  scope: r.spec_name === null ? 'all' : { spec: r.spec_name },
  by: r.by,
  at: r.at,
  why: r.why,
  from: r.from_loop_id ? { loopId: r.from_loop_id, callId: r.from_call_id } : null,
  revoked: r.revoked_at !== null ? { by: r.revoked_by ?? '', at: r.revoked_at, why: r.revoked_why ?? '' } : null
})

export interface NewRule {
  effect: RuleEffect
  pattern: string
  scope: RuleScope
  by: string
  why: string
  at: number
  from?: { loopId: string; callId?: string | null }
}

const COLUMNS = 'id, effect, pattern, spec_name, by, at, why, from_loop_id, from_call_id, revoked_by, revoked_at, revoked_why'

export class ApprovalRuleSet {
  private readonly sql: Record<string, Statement>

  constructor(db: Database) {
    this.sql = {
      insert: db.prepare(
        'INSERT INTO approval_rules (effect, pattern, spec_name, by, at, why, from_loop_id, from_call_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING ' + COLUMNS
      ),
      get: db.prepare(`SELECT ${COLUMNS} FROM approval_rules WHERE id = ?`),
      revoke: db.prepare('UPDATE approval_rules SET revoked_by = ?, revoked_at = ?, revoked_why = ? WHERE id = ? AND revoked_at IS NULL'),
      live: db.prepare(`SELECT id, effect, pattern, spec_name FROM approval_rules WHERE revoked_at IS NULL AND (spec_name IS NULL OR spec_name = ?) ORDER BY id`),
      forSpec: db.prepare(`SELECT ${COLUMNS} FROM approval_rules WHERE (spec_name IS NULL OR spec_name = ?) AND (? OR revoked_at IS NULL) ORDER BY id DESC`),
      every: db.prepare(`SELECT ${COLUMNS} FROM approval_rules WHERE (? OR revoked_at IS NULL) ORDER BY id DESC`)
    }
  }

  /** Record a rule; a pattern that does not parse is refused (400) with what is wrong with it. */
  add(rule: NewRule): ApprovalRule {
    const problem = rulePatternProblem(rule.pattern)
    if (problem) throw new CommandRefused(problem, 400)
    const spec = rule.scope === 'all' ? null : rule.scope.spec
    const row = this.sql.insert.get(rule.effect, rule.pattern, spec, rule.by, rule.at, rule.why, rule.from?.loopId ?? null, rule.from?.callId ?? null) as RuleRow
    return toRule(row)
  }

  /** Revoke a live rule; a revoked or unknown rule is refused, saying which. */
  revoke(id: number, by: string, why: string, at: number): ApprovalRule {
    const before = this.get(id)
    if (!before) throw new CommandRefused(`no approval rule #${id}`, 404)
    if (before.revoked) throw new CommandRefused(`approval rule #${id} was already revoked by ${before.revoked.by} (${before.revoked.why || 'no reason given'})`)
    this.sql.revoke.run(by, at, why, id)
    return this.get(id)!
  }

  get(id: number): ApprovalRule | null {
    const r = this.sql.get.get(id) as RuleRow | undefined
    return r ? toRule(r) : null
  }

  /** The rules that apply to a spec's loops, newest first (with revoked ones when asked); no spec: all rules. */
  list(opts: { specName?: string; includeRevoked?: boolean } = {}): ApprovalRule[] {
    const revoked = opts.includeRevoked ? 1 : 0
    const rows = (opts.specName !== undefined ? this.sql.forSpec.all(opts.specName, revoked) : this.sql.every.all(revoked)) as RuleRow[]
    return rows.map(toRule)
  }

  /** The live rules for a spec's loops, as the gate matches them. */
  liveFor(specName: string): CandidateRule[] {
    return (this.sql.live.all(specName) as Pick<RuleRow, 'id' | 'effect' | 'pattern' | 'spec_name'>[]).map((r) => ({
      id: r.id,
      effect: r.effect,
      pattern: r.pattern,
      source: 'rule-set' as const,
      specScoped: r.spec_name !== null
    }))
  }
}
