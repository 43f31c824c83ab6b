/**
 * What Andon says to Claude Code, and how it reads what Claude Code did: plain functions of the
 * loop's state and the SDK's payloads, so each is tested on its own.
 */
import { describeVerify } from '../../../../shared/spec'
import type { LoopState } from '../../../../shared/state'
import { DEFAULT_STREAM_CAP as STREAM_CAP, EXCERPT_CHARS } from '../../tools/output'
import type { ToolResult } from '../../tools/tool'
import type { CallOutcome } from './session'

/** The first message of a new session: the task, and what the operator already said. */
export function taskMessage(state: LoopState): string {
  const parts = [state.spec.task]
  const verify = describeVerify(state.spec.termination)
  if (verify) parts.push(`You are done when ${verify} passes in this folder; Andon runs it when you end your turn.`)
  return parts.join('\n\n')
}

/** The convergence check failed after Claude said it was done: the failure is the next prompt. */
export function verifyFeedback(state: LoopState): string | null {
  const obs = state.lastObservation
  if (!obs || obs.tool !== state.spec.termination.successTool || obs.ok) return null
  const cmd = describeVerify(state.spec.termination) ?? `\`${obs.tool}\``
  const code = obs.exitCode === null ? '' : ` (exit code ${obs.exitCode})`
  // With stages, the summary names the one that failed.
  const said = state.spec.termination.verify ? [obs.summary, obs.excerpt.trim()] : [obs.excerpt.trim() || obs.summary]
  return [`Andon ran the check ${cmd} and it failed${code}: the task is not done yet.`, ...said, 'Keep working until it passes.']
    .filter(Boolean)
    .join('\n\n')
}

/**
 * Why a resumed session starts again, so Claude knows a held call did not run. The task is said
 * again: a host killed at once may have cut off the transcript's last entries, or all of them.
 */
export function resumeNote(kind: 'restart' | 'fork', state: LoopState, workspace: string): string {
  return kind === 'fork'
    ? `This conversation is a fork made by the operator at Andon's iteration ${state.iteration}: anything after this point did not happen in this copy. ` +
        `You now work in a copy of the files, in ${workspace}: use that folder, not the one named earlier. Continue the task from here.`
    : 'Andon, which supervises this session, restarted. A tool call you asked for just before did not run unless its result is shown above; ' +
        `ask for it again if you still need it. Continue the task:\n\n${taskMessage(state)}`
}

/** What the operator added since Claude last heard from Andon: new facts, a new subgoal. */
export interface Delivered {
  facts: Set<string>
  subgoal: string
}

export function operatorContext(state: LoopState, delivered: Delivered): string[] {
  const out: string[] = []
  const fresh = state.facts.filter((f) => !delivered.facts.has(f))
  if (fresh.length) out.push(`The operator supervising you (through Andon) adds these facts:\n${fresh.map((f) => `- ${f}`).join('\n')}`)
  if (state.subgoal && state.subgoal !== delivered.subgoal) out.push(`The operator set your current subgoal: ${state.subgoal}`)
  for (const f of fresh) delivered.facts.add(f)
  delivered.subgoal = state.subgoal
  return out
}

/** The subgoal Claude is working on: its in-progress todo, else the first line of what it said. */
export function subgoalFrom(tool: string, input: Record<string, unknown>, text: string, previous: string): string {
  if (tool === 'TodoWrite' && Array.isArray(input.todos)) {
    const doing = (input.todos as { status?: string; content?: string; activeForm?: string }[]).find((t) => t.status === 'in_progress')
    if (doing) return String(doing.activeForm ?? doing.content ?? previous).slice(0, 1000)
  }
  const line = text.split('\n').find((l) => l.trim())?.trim()
  return (line ?? (previous || `${tool}`)).slice(0, 1000)
}

function text(value: unknown): string {
  if (typeof value === 'string') return value
  if (value === null || value === undefined) return ''
  try {
    return JSON.stringify(value, null, 1)
  } catch {
    return String(value)
  }
}

/** A finished Claude Code call as Andon's observation; Bash output also streams to the terminal pane. */
export function toolResultOf(tool: string, args: Record<string, unknown>, outcome: CallOutcome, emit: (stream: 'stdout' | 'stderr' | 'info', chunk: string) => void): ToolResult {
  const r = (outcome.response ?? {}) as Record<string, unknown>
  let output: string
  if (tool === 'Bash' && outcome.ok) {
    const stdout = text(r.stdout)
    const stderr = text(r.stderr)
    if (stdout) emit('stdout', stdout.slice(0, STREAM_CAP))
    if (stderr) emit('stderr', stderr.slice(0, STREAM_CAP))
    output = [stdout, stderr].filter(Boolean).join('\n')
  } else {
    output = outcome.ok ? text(outcome.response) : (outcome.error ?? 'failed')
    emit(outcome.ok ? 'stdout' : 'stderr', output.slice(0, STREAM_CAP))
  }
  const code = outcome.ok ? 0 : Number(/exit code (\d+)/i.exec(outcome.error ?? '')?.[1] ?? NaN)
  const what = tool === 'Bash' ? String(args.command ?? '').split('\n')[0].slice(0, 200) : typeof args.file_path === 'string' ? args.file_path : ''
  const summary = `${tool}${what ? ` ${what}` : ''}: ${outcome.ok ? 'done' : (outcome.error ?? 'failed').split('\n')[0].slice(0, 500)}`
  return {
    ok: outcome.ok,
    exitCode: Number.isFinite(code) ? code : null,
    summary,
    excerpt: output.slice(-EXCERPT_CHARS),
    outputBytes: Buffer.byteLength(output),
    truncated: output.length > STREAM_CAP
  }
}
