/**
 * A Claude Code session is idle only once its end of turn was taken: an end of turn that arrived
 * before Andon asked for the next decision is that decision, and nothing may be said over it.
 */
import { describe, expect, it } from 'vitest'
import { ClaudeCodeSession } from '../../src/main/core/policies/claude-code/session'

type Query = ConstructorParameters<typeof ClaudeCodeSession>[0]

/** A query whose turn is already over: Claude Code answered and ended before anyone asked. */
const endedTurn = (async function* () {
  yield {
    type: 'result',
    subtype: 'success',
    is_error: false,
    result: 'Fixed add. Done.',
    usage: { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 }
  }
  // Claude Code stays up, waiting for the next message.
  await new Promise(() => {})
}) as unknown as Query

describe('Claude Code session', () => {
  it('is not idle while an end of turn waits to be taken, and is once next() returns it', async () => {
    const session = new ClaudeCodeSession(endedTurn, { cwd: '/tmp', model: 'claude-sonnet-4-5', env: {}, executable: null }, 'Fix the tests.')
    await new Promise((r) => setTimeout(r, 10))
    expect(session.idle).toBe(false)
    const ev = await session.next(new AbortController().signal)
    expect(ev).toMatchObject({ kind: 'turn-ended', ok: true, text: 'Fixed add. Done.' })
    expect(session.idle).toBe(true)
    session.close()
  })
})
