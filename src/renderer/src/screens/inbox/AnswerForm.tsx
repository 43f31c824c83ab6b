/**
 * Answer a waiting call instead of running it: the text is recorded as the call's outcome (as
 * succeeded or failed) and the loop goes on from it, as if the call had returned that.
 */
import { useLayoutEffect, useState, type RefObject } from 'react'
import { SubmitForm } from '../../components/SubmitForm'
import { useCommand } from '../../lib/use-command'
import { refreshInboxSoon } from '../../store/sync'
import { andon } from '../../transport'

interface Props {
  loopId: string
  callId: string
  version: number | undefined
  tool: string
  field: RefObject<HTMLTextAreaElement | null>
  onCancel: () => void
}

export function AnswerForm({ loopId, callId, version, tool, field, onCancel }: Props) {
  const [answer, setAnswer] = useState('')
  const [ok, setOk] = useState(true)
  const { busy, error, run } = useCommand()
  const send = async () => {
    if (answer.trim() === '' || busy) return
    await run('answer', () => andon.answerCall({ loopId, callId, ok, answer: answer.trim(), expectedVersion: version }))
    refreshInboxSoon()
  }
  // Opened by a key (n) or a button: what is typed next is the answer, never a shortcut.
  useLayoutEffect(() => field.current?.focus(), [field])
  return (
    <SubmitForm className="answer-form" data-testid="answer-form" onSubmit={send}>
      <label>
        Your answer: the loop sees it as what {tool} returned (nothing runs)
        <textarea
          ref={field}
          data-testid="answer-text"
          rows={3}
          maxLength={20_000}
          value={answer}
          onChange={(e) => setAnswer(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault()
              void send()
            }
          }}
        />
      </label>
      <fieldset className="inline-choice">
        <legend>The call counts as</legend>
        <label>
          <input type="radio" name="answer-ok" data-testid="answer-ok" checked={ok} onChange={() => setOk(true)} /> succeeded
        </label>
        <label>
          <input type="radio" name="answer-ok" data-testid="answer-failed" checked={!ok} onChange={() => setOk(false)} /> failed
        </label>
      </fieldset>
      <div className="actions">
        <button type="submit" className="primary" data-testid="answer-send" disabled={busy || answer.trim() === ''}>
          Send answer
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <span className="hint">Ctrl+Enter sends.</span>
      </div>
      {error && <p className="error">{error}</p>}
    </SubmitForm>
  )
}
