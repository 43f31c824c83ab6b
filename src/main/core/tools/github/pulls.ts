/** github_open_pr: open a pull request from an existing branch. High risk: it proposes a change to the code. */
import { z } from 'zod'
import type { ToolDefinition } from '../tool'
import { asToolResult, gitHubCall, type GitHubToolOptions } from './client'
import { RepoArgs } from './schemas'

const Input = z
  .object({
    ...RepoArgs,
    title: z.string().min(1).max(256),
    head: z.string().min(1).max(250).describe('The branch with the changes (or "owner:branch" from a fork).'),
    base: z.string().min(1).max(250).optional().describe('The branch to merge into (default: the default branch).'),
    body: z.string().max(65_000).default(''),
    draft: z.boolean().default(false)
  })
  .strict()

export function openPullRequestTool(opts: GitHubToolOptions = {}): ToolDefinition<z.input<typeof Input>> {
  return {
    name: 'github_open_pr',
    description: 'Open a pull request from an existing branch.',
    input: Input,
    risk: 'high',
    idempotent: false,
    run: (raw, ctx) =>
      asToolResult(ctx, async () => {
        const args = Input.parse(raw)
        const gh = await gitHubCall(args, ctx, opts, true)
        const { owner, repo, octokit } = gh
        const base = args.base ?? (await gh.run('repository', () => octokit.repos.get({ owner, repo }))).data.default_branch
        const { data } = await gh.run(`pull request ${args.head} → ${base}`, () =>
          octokit.pulls.create({ owner, repo, title: args.title, head: args.head, base, body: args.body, draft: args.draft })
        )
        const line = `opened pull request #${data.number} (${args.head} → ${base}): ${data.html_url}`
        ctx.emit('stdout', `${line}\n`)
        return { ok: true, exitCode: 0, summary: line, excerpt: line }
      })
  }
}
