/**
 * A forked Claude Code conversation still remembers its parent's folder (the environment it was
 * told about at the start is part of the transcript). Its file paths under an ancestor's
 * workspace are moved to the fork's own, so a fork never edits the loop it was forked from.
 */
import { sep } from 'node:path'
import type { LoopState } from '../../../../shared/state'
import type { TraceStore } from '../../store/trace-store'

const PATH_KEYS = ['file_path', 'notebook_path', 'path']
const MAX_ANCESTRY = 64

/** The workspaces of the loop's ancestors, nearest first. */
export function ancestorWorkspaces(state: LoopState, store: TraceStore): string[] {
  const out: string[] = []
  let parent = state.parentLoopId
  for (let depth = 0; parent && depth < MAX_ANCESTRY; depth++) {
    const created = store.readStream(parent, { toVersion: 1 })[0]
    if (created?.type !== 'LoopCreated') break
    if (created.data.workspace) out.push(created.data.workspace)
    parent = created.data.parentLoopId ?? null
  }
  return out
}

export function relocatePaths(args: Record<string, unknown>, from: string[], to: string): Record<string, unknown> {
  if (from.length === 0) return args
  let out = args
  for (const key of PATH_KEYS) {
    const value = args[key]
    if (typeof value !== 'string') continue
    const old = from.find((dir) => value === dir || value.startsWith(dir + sep))
    if (old !== undefined) out = { ...out, [key]: to + value.slice(old.length) }
  }
  return out
}
