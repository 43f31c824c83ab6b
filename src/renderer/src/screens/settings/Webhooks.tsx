/**
 * Webhooks, one per kind of stop: the URL that receives Slack-compatible JSON for each escalation
 * and each approval, checked as you type (http or https only), saved with why, and the recent
 * deliveries with their outcome.
 */
import { useEffect, useState } from 'react'
import { WebhookUrl, type WebhookKind, type WebhookSettings } from '../../../../shared/webhooks'
import { fmtDateTime } from '../../lib/format'
import { useCommand } from '../../lib/use-command'
import { andon, errorMessage } from '../../transport'

const KINDS: { kind: WebhookKind; label: string; when: string }[] = [
  { kind: 'escalation', label: 'Escalations', when: 'a loop stops and asks for a human' },
  { kind: 'approval', label: 'Approvals', when: 'a call waits for the operator’s approval' }
]

/** The field's URL (empty: none), or what is wrong with it. */
function checkUrl(text: string): { url: string | null; error: string | null } {
  if (text.trim() === '') return { url: null, error: null }
  const r = WebhookUrl.safeParse(text)
  return r.success ? { url: r.data, error: null } : { url: null, error: r.error.issues[0]?.message ?? 'not a URL' }
}

export function Webhooks() {
  const [settings, setSettings] = useState<WebhookSettings | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [text, setText] = useState<Record<WebhookKind, string>>({ escalation: '', approval: '' })
  const [why, setWhy] = useState('')
  const [saved, setSaved] = useState(false)
  const { busy, error, run } = useCommand()

  const load = () =>
    andon.getWebhooks({}).then(
      (s) => {
        setSettings(s)
        return s
      },
      (err: unknown) => {
        setLoadError(errorMessage(err))
        return null
      }
    )
  useEffect(() => {
    void load().then((s) => s && setText({ escalation: s.urls.escalation ?? '', approval: s.urls.approval ?? '' }))
  }, [])

  const checked = { escalation: checkUrl(text.escalation), approval: checkUrl(text.approval) }
  const invalid = checked.escalation.error !== null || checked.approval.error !== null

  async function save() {
    setSaved(false)
    const s = await run('save webhooks', () => andon.setWebhooks({ escalation: checked.escalation.url, approval: checked.approval.url, why: why.trim() }))
    if (!s) return
    setSettings(s)
    setWhy('')
    setSaved(true)
  }

  return (
    <section className="card webhooks" data-testid="webhooks">
      <h3>Webhooks</h3>
      <p className="muted">
        Each stop is POSTed as Slack-compatible JSON (<code>{'{ text, blocks }'}</code>) with the loop, the reason and a link to the inbox item; a failed delivery is
        retried a few times, and never holds a loop up.
      </p>
      {loadError && <p className="error">{loadError}</p>}
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (!invalid) void save()
        }}
      >
        {KINDS.map(({ kind, label, when }) => (
          <label key={kind} className="webhook-field">
            {label}: when {when}
            <input
              data-testid={`webhook-${kind}`}
              type="url"
              value={text[kind]}
              aria-invalid={checked[kind].error !== null}
              onChange={(e) => {
                setSaved(false)
                setText({ ...text, [kind]: e.target.value })
              }}
              placeholder="https://hooks.slack.com/services/… (empty: none)"
            />
            {checked[kind].error && (
              <span className="error" data-testid={`webhook-${kind}-error`}>
                {checked[kind].error}
              </span>
            )}
          </label>
        ))}
        <label>
          Why
          <input data-testid="webhook-why" value={why} maxLength={2000} onChange={(e) => setWhy(e.target.value)} placeholder="recorded with the change" />
        </label>
        <div className="actions">
          <button type="submit" className="primary" data-testid="webhook-save" disabled={busy || invalid}>
            Save
          </button>
          {saved && (
            <span className="ok" data-testid="webhook-saved" role="status">
              Saved.
            </span>
          )}
        </div>
      </form>
      {error && <p className="error">{error}</p>}
      {settings?.setBy && settings.setAt !== null && (
        <p className="muted" data-testid="webhook-set-by">
          Set by {settings.setBy} on {fmtDateTime(settings.setAt)}
          {settings.why ? `: ${settings.why}` : ''}
        </p>
      )}
      <h4>
        Recent deliveries{' '}
        <button type="button" className="link" data-testid="webhook-refresh" onClick={() => void load()}>
          refresh
        </button>
      </h4>
      {settings && settings.deliveries.length === 0 ? (
        <p className="muted">None since Andon started.</p>
      ) : (
        <table className="inv-table" data-testid="webhook-deliveries">
          <tbody>
            {settings?.deliveries.map((d, n) => (
              <tr key={n} className={d.ok ? 'ok' : 'bad'}>
                <td>{fmtDateTime(d.at)}</td>
                <td>{d.kind}</td>
                <td>{d.loopName}</td>
                <td>{d.origin}</td>
                <td>
                  {d.ok ? 'delivered' : `failed: ${d.error}`} · {d.attempts} {d.attempts === 1 ? 'attempt' : 'attempts'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
