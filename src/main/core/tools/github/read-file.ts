/** github_read_file: a file (or a directory listing) from a repository at a ref. */
import { z } from 'zod'
import type { ToolDefinition } from '../tool'
import { asToolResult, gitHubCall, type GitHubToolOptions } from './client'
import { RepoArgs } from './schemas'

const Input = z
  .object({
    ...RepoArgs,
    path: z.string().min(1).max(1000).describe('Path in the repository, e.g. "package.json".'),
    ref: z.string().min(1).max(250).optional().describe('Branch, tag or SHA (default: the default branch).')
  })
  .strict()

const MAX_CHARS = 1024 * 1024
const EXCERPT = 4000

export function readFileTool(opts: GitHubToolOptions = {}): ToolDefinition<z.infer<typeof Input>> {
  return {
    name: 'github_read_file',
    description: 'Read a file (or list a directory) in a GitHub repository.',
    input: Input,
    risk: 'low',
    idempotent: true,
    run: (args, ctx) =>
      asToolResult(ctx, async () => {
        const gh = await gitHubCall(args, ctx, opts, false)
        const { owner, repo, octokit } = gh
        const path = args.path.replace(/^\/+/, '')
        const { data } = await gh.run(`contents of ${path}`, () => octokit.repos.getContent({ owner, repo, path, ref: args.ref }))
        if (Array.isArray(data)) {
          const listing = data.map((e) => `${e.type === 'dir' ? 'dir ' : 'file'} ${e.path}`).join('\n')
          ctx.emit('stdout', `${listing}\n`)
          return { ok: true, exitCode: 0, summary: `${path} is a directory with ${data.length} entries`, excerpt: listing.slice(-EXCERPT) }
        }
        if (data.type !== 'file' || !('content' in data))
          return { ok: false, exitCode: 1, summary: `${path} is a ${data.type}, not a file`, excerpt: '' }
        const text = Buffer.from(data.content, 'base64').toString('utf8')
        const shown = text.slice(0, MAX_CHARS)
        ctx.emit('stdout', shown)
        const cut = text.length > MAX_CHARS
        return {
          ok: true,
          exitCode: 0,
          summary: `read ${owner}/${repo}/${path}${args.ref ? `@${args.ref}` : ''} (${data.size} bytes)${cut ? `, first ${MAX_CHARS} characters shown` : ''}`,
          excerpt: shown.slice(-EXCERPT),
          outputBytes: data.size,
          truncated: cut
        }
      })
  }
}
