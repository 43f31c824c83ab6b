/**
 * Loop workspaces: each loop works in its own folder, copied from the spec's template.
 * A fork gets a fresh copy with the file edits recorded before the fork point re-applied,
 * so it sees the files as they were at that iteration.
 */
import { cp, mkdir } from 'node:fs/promises'
import { dirname, isAbsolute, resolve } from 'node:path'
import type { StoredEvent } from '../../../shared/events'
import type { LoopSpec } from '../../../shared/spec'
import type { TraceStore } from '../store/trace-store'
import { replaceInFileTool, writeFileTool } from '../tools/files'
import type { AnyTool, ToolContext } from '../tools/tool'

const MAX_ANCESTRY = 64

/**
 * A loop's history as its workspace saw it: a fork starts from its parent's files at the fork
 * point, so its ancestors' events up to each fork point come first (a fork of a fork included).
 */
export function lineageEvents(store: TraceStore, loopId: string, toVersion: number, depth = 0): StoredEvent[] {
  const own = store.readStream(loopId, { toVersion })
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

export async function createWorkspace(dest: string, template: string | null): Promise<void> {
  await mkdir(dest, { recursive: true })
  if (template) await cp(template, dest, { recursive: true, errorOnExist: false, force: true })
}

const REPLAYABLE = new Map<string, AnyTool>([
  [writeFileTool.name, writeFileTool],
  [replaceInFileTool.name, replaceInFileTool]
])

/** Re-apply the successful file edits among `events` (in order) to a fresh workspace. */
export async function replayFileEdits(dest: string, events: StoredEvent[]): Promise<number> {
  const finishedOk = new Set(events.filter((e) => e.type === 'ToolFinished' && e.data.ok).map((e) => (e as { data: { callId: string } }).data.callId))
  let applied = 0
  for (const e of events) {
    if (e.type !== 'ToolStarted' || !finishedOk.has(e.data.callId)) continue
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
