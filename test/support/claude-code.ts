/**
 * Driving the real Claude Code (the Agent SDK's bundled binary) against the scripted server: its
 * environment (endpoint, key, a private config folder, no background traffic) and a script whose
 * steps may use the loop's workspace path, read from the request Claude Code sends.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { textOnly, type AnthropicStep, type ScriptedServer } from './scripted-server'
import type { RecordedRequest } from './scripted-server'

export const CLAUDE_KEY = 'sk-ant-claude-code-5ecret-0123456789abcdef'

/** What Andon's environment says so the loops' Claude Code talks to the scripted server only. */
export function claudeCodeEnv(server: ScriptedServer): Record<string, string> {
  const home = mkdtempSync(join(tmpdir(), 'andon-claude-home-'))
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    CLAUDE_CONFIG_DIR: join(home, '.claude'),
    ANTHROPIC_API_KEY: CLAUDE_KEY,
    ANTHROPIC_BASE_URL: server.anthropicBaseUrl,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1'
  }
}

/** The loop's workspace, as Claude Code describes its environment to the model. */
export function workspaceIn(body: unknown): string {
  const m = /Primary working directory: ([^\s\\"]+)/.exec(JSON.stringify(body))
  if (!m) throw new Error('no working directory in the request')
  return m[1]
}

export type ClaudeStep = AnthropicStep | ((workspace: string, body: unknown) => AnthropicStep)

/**
 * Answer Claude Code's agent requests (the ones that carry tools) from `steps` in order; anything
 * else it asks (a title, a summary) gets a short text. Returns the agent requests as they arrive.
 */
export function scriptClaudeCode(server: ScriptedServer, steps: ClaudeStep[]): { agentRequests: () => RecordedRequest[] } {
  const queue = [...steps]
  server.anthropic.fallback = (body) => {
    const b = body as { tools?: unknown[] }
    if (!b?.tools?.length) return textOnly('ok')
    const step = queue.shift()
    if (!step) return { type: 'error', status: 500, errorType: 'api_error', message: 'scripted server: the script has ended' }
    return typeof step === 'function' ? step(workspaceIn(body), body) : step
  }
  return { agentRequests: () => server.requests.filter((r) => r.path.startsWith('/anthropic/v1/messages') && ((r.body as { tools?: unknown[] })?.tools?.length ?? 0) > 0) }
}

/** What a request's last user turn says (tool results, hook context, text), as JSON text. */
export function lastUserTurn(req: RecordedRequest): string {
  const messages = (req.body as { messages: { role: string; content: unknown }[] }).messages
  return JSON.stringify(messages[messages.length - 1].content)
}
