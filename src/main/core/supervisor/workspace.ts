/**
 * Loop workspaces: each loop works in its own folder, copied from the spec's template.
 * A fork gets a fresh copy with the file edits recorded before the fork point re-applied,
 * so it sees the files as they were at that iteration.
 */
import { cp, mkdir, readdir, readlink, realpath, unlink } from 'node:fs/promises'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import type { StoredEvent } from '../../../shared/events'
import type { LoopSpec } from '../../../shared/spec'
import type { TraceStore } from '../store/trace-store'
import { replaceInFileTool, resolveInWorkspace, writeFileTool } from '../tools/files'
import type { AnyTool, ToolContext } from '../tools/tool'
import { AGENT_EDIT_TOOLS, replayAgentEdit } from './agent-edits'

const MAX_ANCESTRY = 64

/** The events a workspace replay reads (`replayFileEdits`): tool output, the bulk of a stream, is left out. */
const WORKSPACE_EVENTS = new Set<StoredEvent['type']>(['LoopCreated', 'ToolStarted', 'ToolFinished'])

/**
 * A loop's history as its workspace saw it: a fork starts from its parent's files at the fork
 * point, so its ancestors' events up to each fork point come first (a fork of a fork included).
 * The stream is read in pages and only the events a replay reads are kept.
 */
export function lineageEvents(store: TraceStore, loopId: string, toVersion: number, depth = 0): StoredEvent[] {
  const own: StoredEvent[] = []
  for (const e of store.iterateStream(loopId, { toVersion })) if (WORKSPACE_EVENTS.has(e.type)) own.push(e)
  const created = own[0]
  if (created?.type !== 'LoopCreated') return own
  const { parentLoopId, forkedAtVersion } = created.data
  if (!parentLoopId || forkedAtVersion === null || depth >= MAX_ANCESTRY || store.streamVersion(parentLoopId) === 0) return own
  return [...lineageEvents(store, parentLoopId, forkedAtVersion, depth + 1), ...own]
}

export function templateDir(spec: LoopSpec, specPath: string | null): string | null {
  if (!spec.workspace) return null
  if (isAbsolute(spec.workspace)) return spec.workspace
  return resolve(specPath ? dirname(specPath) : process.cwd(), spec.workspace)
}

/**
 * A new workspace holding a copy of the template. Symlinks are copied as they are (a relative
 * link stays relative, so it points into the copy, not back into the shared template), and a
 * link that leads outside the new workspace (into the template or anywhere else) is dropped:
 * returned as "link → target", for the loop's notes.
 */
export async function createWorkspace(dest: string, template: string | null): Promise<string[]> {
  await mkdir(dest, { recursive: true })
  if (!template) return []
  // The template itself may be a link to a folder (preflight accepts one): copy the folder it names.
  await cp(await realpath(template), dest, { recursive: true, errorOnExist: false, force: true, verbatimSymlinks: true })
  const dropped: string[] = []
  for (const link of await symlinksUnder(dest)) {
    const rel = relative(dest, link)
    try {
      await resolveInWorkspace(dest, rel)
    } catch {
      dropped.push(`${rel} → ${await readlink(link)}`)
      await unlink(link)
    }
  }
  return dropped
}

async function symlinksUnder(dir: string): Promise<string[]> {
  const found: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isSymbolicLink()) found.push(path)
    else if (entry.isDirectory()) found.push(...(await symlinksUnder(path)))
  }
  return found
}

const REPLAYABLE = new Map<string, AnyTool>([
  [writeFileTool.name, writeFileTool],
  [replaceInFileTool.name, replaceInFileTool]
])

/** Re-apply the successful file edits among `events` (in order) to a fresh workspace. */
export async function replayFileEdits(dest: string, events: StoredEvent[]): Promise<number> {
  const finishedOk = new Set(events.filter((e) => e.type === 'ToolFinished' && e.data.ok).map((e) => (e as { data: { callId: string } }).data.callId))
  // Claude Code's edits name absolute paths in the folder of the loop that made them.
  const agentLoops = new Map<string, string>()
  let applied = 0
  for (const e of events) {
    if (e.type === 'LoopCreated' && e.data.spec.policy.kind === 'claude-code' && e.data.workspace) agentLoops.set(e.loopId, e.data.workspace)
    if (e.type !== 'ToolStarted' || !finishedOk.has(e.data.callId)) continue
    const from = agentLoops.get(e.loopId)
    if (from !== undefined && AGENT_EDIT_TOOLS.has(e.data.tool)) {
      if (await replayAgentEdit(dest, from, e.data.tool, e.data.args)) applied++
      continue
    }
    const tool = REPLAYABLE.get(e.data.tool)
    if (!tool) continue
    const ctx: ToolContext = {
      loopId: e.loopId,
      callId: e.data.callId,
      idempotencyKey: e.data.idempotencyKey,
      workspace: dest,
      signal: new AbortController().signal,
      emit: () => undefined,
      secrets: {}
    }
    const r = await tool.run(tool.input.parse(e.data.args), ctx)
    if (r.ok) applied++
  }
  return applied
}
