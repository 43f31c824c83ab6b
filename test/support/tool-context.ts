import type { ToolContext } from '../../src/main/core/tools/tool'

/** The context a driver hands a tool, for calling one directly; output goes to `emitted`. */
export function toolContext(workspace: string, emitted: string[] = [], extra: Partial<ToolContext> = {}): ToolContext {
  return {
    loopId: 'loop-1',
    callId: 'call-1',
    idempotencyKey: 'key-1',
    workspace,
    signal: new AbortController().signal,
    emit: (_stream, chunk) => emitted.push(chunk),
    secrets: {},
    ...extra
  }
}
