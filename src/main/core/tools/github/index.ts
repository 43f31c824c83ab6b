/** GitHub tools through @octokit/rest; the token comes from the spec's secrets (GITHUB_TOKEN). */
import type { AnyTool } from '../tool'
import { ciStatusTool } from './ci-status'
import type { GitHubToolOptions } from './client'
import { commentTool, openIssueTool } from './issues'
import { openPullRequestTool } from './pulls'
import { readFileTool } from './read-file'

export { DEFAULT_API_URL, type GitHubToolOptions } from './client'
export { GitHubError } from './errors'

export function createGithubTools(opts: GitHubToolOptions = {}): AnyTool[] {
  return [ciStatusTool(opts), readFileTool(opts), openIssueTool(opts), openPullRequestTool(opts), commentTool(opts)]
}

export const githubTools: AnyTool[] = createGithubTools()
