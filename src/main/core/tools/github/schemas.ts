import { z } from 'zod'

/** Arguments every GitHub tool takes: which repository, and optionally which API. */
export const RepoArgs = {
  repo: z
    .string()
    .regex(/^[\w.-]+\/[\w.-]+$/, 'owner/name')
    .optional()
    .describe('Repository as "owner/name" (default: GITHUB_REPOSITORY).'),
  baseUrl: z.string().url().optional().describe('GitHub API base URL; must equal the configured GITHUB_API_URL (GitHub Enterprise).')
}
