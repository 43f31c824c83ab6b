/**
 * github_ci_status: the combined commit status and the check runs of a ref (default branch by
 * default), folded into one state. Like `verify`, it succeeds only when CI is green.
 */
import { z } from 'zod'
import type { ToolDefinition } from '../tool'
import { asToolResult, gitHubCall, type GitHubToolOptions } from './client'
import { RepoArgs } from './schemas'

const Input = z.object({ ...RepoArgs, ref: z.string().min(1).max(250).optional().describe('Branch, tag or SHA (default: the default branch).') }).strict()

const FAILED = new Set(['failure', 'error', 'timed_out', 'cancelled', 'action_required', 'startup_failure'])
const PASSED = new Set(['success', 'neutral', 'skipped'])
const EXIT = { success: 0, failure: 1, pending: 2, none: 3 } as const

export function ciStatusTool(opts: GitHubToolOptions = {}): ToolDefinition<z.infer<typeof Input>> {
  return {
    name: 'github_ci_status',
    description: 'Read the CI state of a ref: combined commit status plus check runs. Succeeds only when CI is green.',
    input: Input,
    risk: 'low',
    idempotent: true,
    run: (args, ctx) =>
      asToolResult(ctx, async () => {
        const gh = await gitHubCall(args, ctx, opts, false)
        const { owner, repo, octokit } = gh
        const ref = args.ref ?? (await gh.run('repository', () => octokit.repos.get({ owner, repo }))).data.default_branch
        const [combined, checks] = await Promise.all([
          gh.run(`commit status of ${ref}`, () => octokit.repos.getCombinedStatusForRef({ owner, repo, ref, per_page: 100 })),
          gh.run(`check runs of ${ref}`, () => octokit.checks.listForRef({ owner, repo, ref, per_page: 100 }))
        ])
        const lines: string[] = []
        let failing = 0
        let pending = 0
        let passing = 0
        for (const s of combined.data.statuses) {
          if (FAILED.has(s.state)) failing++
          else if (s.state === 'pending') pending++
          else passing++
          lines.push(`status ${s.context}: ${s.state}${s.description ? ` (${s.description})` : ''}`)
        }
        for (const c of checks.data.check_runs) {
          if (c.status !== 'completed') pending++
          else if (c.conclusion && FAILED.has(c.conclusion)) failing++
          else if (c.conclusion && PASSED.has(c.conclusion)) passing++
          else pending++
          lines.push(`check ${c.name}: ${c.status}${c.conclusion ? `/${c.conclusion}` : ''}`)
        }
        const state = failing > 0 ? 'failure' : pending > 0 ? 'pending' : passing > 0 ? 'success' : 'none'
        const excerpt = [`state: ${state}`, `ref: ${ref} (${combined.data.sha})`, ...lines].join('\n')
        ctx.emit('stdout', `${excerpt}\n`)
        return {
          ok: state === 'success',
          exitCode: EXIT[state],
          summary: `CI of ${owner}/${repo}@${ref} is ${state === 'none' ? 'not reporting (no statuses or checks)' : state}: ${failing} failing, ${pending} pending, ${passing} passing`,
          excerpt
        }
      })
  }
}
