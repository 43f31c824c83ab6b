/**
 * API keys in the Electron shell: stored encrypted with the OS keychain (safeStorage) and never
 * shown back; the page only learns whether a key is set. In the web shell keys come from the
 * server's environment, so this screen does not exist there.
 */
import { useEffect, useState } from 'react'
import { useCommand } from '../lib/use-command'
import { shell } from '../transport'
import type { SecretName, SecretStatus } from '../transport'

const NAMES: { name: SecretName; label: string }[] = [
  { name: 'ANTHROPIC_API_KEY', label: 'Anthropic API key (anthropic policy)' },
  { name: 'GITHUB_TOKEN', label: 'GitHub token (GitHub tools)' }
]

function KeyRow({ label, name, status, onChange }: { label: string; name: SecretName; status?: SecretStatus; onChange(s: SecretStatus[]): void }) {
  const [value, setValue] = useState('')
  const { busy, error, run } = useCommand()
  if (!shell) return null
  const api = shell
  return (
    <div className="card key-row" data-testid={`key-${name}`}>
      <h3>{label}</h3>
      <p data-testid="key-status">
        {status?.stored ? '✓ stored (encrypted)' : 'not stored'}
        {status?.fromEnvironment ? ' · also set in the environment' : ''}
      </p>
      <div className="actions">
        <input type="password" autoComplete="off" data-testid="key-input" value={value} onChange={(e) => setValue(e.target.value)} placeholder="paste to replace" />
        <button
          className="primary"
          data-testid="key-save"
          disabled={busy || value.trim() === ''}
          onClick={async () => {
            const next = await run('save key', () => api.setSecret(name, value.trim()))
            setValue('')
            if (next) onChange(next)
          }}
        >
          Save
        </button>
        <button
          data-testid="key-clear"
          disabled={busy || !status?.stored}
          onClick={async () => {
            const next = await run('clear key', () => api.clearSecret(name))
            if (next) onChange(next)
          }}
        >
          Forget
        </button>
      </div>
      {error && <p className="error">{error}</p>}
    </div>
  )
}

export function Keys() {
  const [statuses, setStatuses] = useState<SecretStatus[]>([])
  useEffect(() => {
    void shell?.secretStatus().then(setStatuses)
  }, [])
  return (
    <section className="screen keys" data-testid="keys">
      <h2>Keys</h2>
      <p className="hint">Keys are encrypted by the operating system and never leave this machine's main process: not in traces, logs or bundles.</p>
      {NAMES.map((n) => (
        <KeyRow key={n.name} label={n.label} name={n.name} status={statuses.find((s) => s.name === n.name)} onChange={setStatuses} />
      ))}
    </section>
  )
}
