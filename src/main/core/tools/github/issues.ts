/**
 * github_open_issue and github_comment. Opening an issue first looks for an open issue with the
 * same title (unless told not to): a reconciler asks for the issue to exist, not for one more.
 */
import { z } from 'zod'
import type { ToolDefinition } from '../tool'
import { asToolResult, gitHubCall, type GitHubToolOptions } from './client'
import { RepoArgs } from './schemas'

const OpenInput = z
  .object({
    ...RepoArgs,
    title: z.string().min(1).max(256),
    body: z.string().max(65_000).default(''),
    labels: z.array(z.string().min(1)).max(20).optional(),
    dedupe: z.boolean().default(true).describe('Do nothing when an open issue with the same title exists.')
  })
  .strict()

const MAX_PAGES = 10

export function openIssueTool(opts: GitHubToolOptions = {}): ToolDefinition<z.input<typeof OpenInput>> {
  return {
    name: 'github_open_issue',
    description: 'Open an issue in a GitHub repository (by default only if no open issue has the same title).',
    input: OpenInput,
    risk: 'medium',
    idempotent: false,
    run: (raw, ctx) =>
      asToolResult(ctx, async () => {
        const args = OpenInput.parse(raw)
        const gh = await gitHubCall(args, ctx, opts, true)
        const { owner, repo, octokit } = gh
        if (args.dedupe) {
          for (let page = 1; page <= MAX_PAGES; page++) {
            const { data } = await gh.run('open issues', () => octokit.issues.listForRepo({ owner, repo, state: 'open', per_page: 100, page }))
            const same = data.find((i) => !i.pull_request && i.title.trim() === args.title.trim())
            if (same) {
              const line = `issue #${same.number} is already open: ${same.html_url}`
              ctx.emit('stdout', `${line}\n`)
              return { ok: true, exitCode: 0, summary: `${line} (nothing opened)`, excerpt: line }
            }
            if (data.length < 100) break
          }
        }
        const { data } = await gh.run('new issue', () =>
          octokit.issues.create({ owner, repo, title: args.title, body: args.body, labels: args.labels })
        )
        const line = `opened issue #${data.number}: ${data.html_url}`
        ctx.emit('stdout', `${line}\n`)
        return { ok: true, exitCode: 0, summary: line, excerpt: line }
      })
  }
}

const CommentInput = z
  .object({
    ...RepoArgs,
    number: z.number().int().positive().describe('Issue or pull request number.'),
    body: z.string().min(1).max(65_000)
  })
  .strict()

export function commentTool(opts: GitHubToolOptions = {}): ToolDefinition<z.infer<typeof CommentInput>> {
  return {
    name: 'github_comment',
    description: 'Comment on an issue or pull request.',
    input: CommentInput,
    risk: 'medium',
    idempotent: false,
    run: (args, ctx) =>
      asToolResult(ctx, async () => {
        const gh = await gitHubCall(args, ctx, opts, true)
        const { owner, repo, octokit } = gh
        const { data } = await gh.run(`issue #${args.number}`, () =>
          octokit.issues.createComment({ owner, repo, issue_number: args.number, body: args.body })
        )
        const line = `commented on #${args.number}: ${data.html_url}`
        ctx.emit('stdout', `${line}\n`)
        return { ok: true, exitCode: 0, summary: line, excerpt: line }
      })
  }
}
