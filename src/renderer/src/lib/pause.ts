/** Why a loop is paused, as a sentence (an open circuit says which endpoint and counts down to its resume). */
import { fmtClock, fmtCountdown } from './format'

export function pauseSentence(pause: { by: string; reason: string }, resumeAt: number | null, now: number): string {
  if (pause.by === 'circuit-breaker') {
    const host = /https?:\/\/([^\s/]+)/.exec(pause.reason)?.[1] ?? 'its model provider'
    const when = resumeAt === null ? 'resumes when the circuit closes' : resumeAt > now ? `resumes in ${fmtCountdown(resumeAt - now)}` : `its next probe was due at ${fmtClock(resumeAt)}`
    return `paused: the circuit for ${host} is open; ${when}`
  }
  const reason = pause.reason.trim()
  // A reason that already reads as a sentence ("paused by operator") is not said twice.
  if (/^paused\b/i.test(reason)) return reason
  return `paused by ${pause.by}${reason ? `: ${reason}` : ''}`
}
