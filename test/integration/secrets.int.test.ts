/**
 * After a run that used secrets (a provider key, a GitHub token, a spec secret a tool printed),
 * none of them is in the database files, the exported bundle, or anything the process logged.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { Backpressure, setSharedBackpressure } from '../../src/main/core/backpressure'
import { exportBundleBytes } from '../../src/main/core/bundles/export'
import { startScriptedServer, toolUse, type ScriptedServer } from '../support/scripted-server'
import { spec } from '../support/specs'
import { tempAndon } from '../support/temp-andon'

const SECRETS = {
  ANTHROPIC_API_KEY: 'sk-ant-api03-test-9f8e7d6c5b4a39281706',
  GITHUB_TOKEN: 'ghp_TestToken0123456789abcdefABCDEF0123',
  DEPLOY_PASSWORD: 'correct horse battery staple 42'
}

let server: ScriptedServer
beforeAll(async () => {
  server = await startScriptedServer()
  server.anthropic.apiKey = SECRETS.ANTHROPIC_API_KEY
  setSharedBackpressure(new Backpressure({ random: () => 0, retry: { maxAttempts: 2, baseDelayMs: 5 } }))
})
afterAll(async () => {
  setSharedBackpressure(null)
  await server.close()
})

function leaks(text: string): string[] {
  return Object.entries(SECRETS).flatMap(([name, value]) => (text.includes(value) ? [name] : []))
}

describe('secrets never reach traces, bundles or logs', () => {
  it('scrubs what tools print and what a model echoes; the key only travels in the request header', async () => {
    const logged: string[] = []
    const capture = (...args: unknown[]) => void logged.push(args.map(String).join(' '))
    const spies = [vi.spyOn(console, 'log').mockImplementation(capture), vi.spyOn(console, 'error').mockImplementation(capture), vi.spyOn(console, 'warn').mockImplementation(capture)]
    const andon = await tempAndon({ env: { ...SECRETS, ...server.allowAnthropic } })
    try {
      server.anthropic.enqueue(
        // A tool that prints every secret it can see…
        toolUse('run_command', { command: 'echo "pw=$DEPLOY_PASSWORD gh=$GITHUB_TOKEN key=${ANTHROPIC_API_KEY:-none}"' }),
        // …and a model that echoes a secret back in its own tool call.
        toolUse('write_file', { path: 'notes.txt', content: `token ${SECRETS.GITHUB_TOKEN}` }),
        toolUse('verify', {})
      )
      const s = spec({
        policy: { kind: 'anthropic', model: 'claude-sonnet-4-5', baseUrl: server.anthropicBaseUrl, maxTokens: 512, timeoutMs: 5_000 },
        secrets: ['DEPLOY_PASSWORD', 'GITHUB_TOKEN'],
        termination: { verifyCommand: 'true' }
      })
      const loopId = await andon.supervisor.launch(s)
      await andon.supervisor.settled(loopId)
      const events = andon.store.readStream(loopId)
      expect(andon.supervisor.liveState(loopId).termination?.reason).toBe('SUCCESS')

      // The tool really saw the spec's secrets (so the scrubbing is what kept them out).
      const output = events.flatMap((e) => (e.type === 'ToolOutput' ? [e.data.chunk] : [])).join('')
      expect(output).toContain('pw=[redacted:DEPLOY_PASSWORD] gh=[redacted:GITHUB_TOKEN] key=none')
      // The key reached the provider, in the header only.
      const calls = server.requests.filter((r) => r.path.includes('/v1/messages'))
      expect(calls.length).toBeGreaterThan(0)
      for (const r of calls) {
        expect(String(r.headers['x-api-key'] ?? r.headers.authorization)).toContain(SECRETS.ANTHROPIC_API_KEY)
        expect(leaks(JSON.stringify(r.body))).toEqual([])
      }

      andon.store.flush()
      andon.store.db.pragma('wal_checkpoint(PASSIVE)')
      for (const f of readdirSync(andon.dataDir).filter((n) => n.startsWith('andon.db'))) {
        expect(leaks(readFileSync(join(andon.dataDir, f)).toString('latin1')), f).toEqual([])
      }
      const { bytes } = exportBundleBytes(andon.store, { loopIds: [loopId], appVersion: 'test' })
      const parts = unzipSync(bytes)
      for (const [name, part] of Object.entries(parts)) expect(leaks(Buffer.from(part).toString('utf8')), name).toEqual([])
      expect(leaks(logged.join('\n'))).toEqual([])
    } finally {
      spies.forEach((s) => s.mockRestore())
      await andon.cleanup()
    }
  })

  it('a secret printed in pieces, across streams or encoded, or written into the spec, is never stored or exported', async () => {
    const password = SECRETS.DEPLOY_PASSWORD
    const forms = [password, Buffer.from(password).toString('base64'), Buffer.from(password).toString('hex'), encodeURIComponent(password)]
    const anyForm = (text: string) => forms.filter((f) => text.includes(f))
    const andon = await tempAndon({ env: { ...SECRETS, ...server.allowAnthropic } })
    try {
      const printers = [
        // Half now, half later (two chunks), and half on stdout, half on stderr.
        `printf '%s' "$DEPLOY_PASSWORD" | head -c 9; sleep 0.3; printf '%s' "$DEPLOY_PASSWORD" | tail -c +10`,
        `printf 'x%s' "$DEPLOY_PASSWORD" | head -c 12; printf '%s\n' "$DEPLOY_PASSWORD" | tail -c +12 >&2`,
        `printf '%s' "$DEPLOY_PASSWORD" | base64; printf '%s' "$DEPLOY_PASSWORD" | od -An -tx1 -v | tr -d ' \n'`,
        `node -e 'process.stdout.write(encodeURIComponent(process.env.DEPLOY_PASSWORD))'`
      ]
      const s = spec({
        // The operator pasted the secret into the task by mistake.
        task: `deploy with password ${password}`,
        policy: {
          kind: 'rules',
          rules: [
            ...printers.map((command, i) => ({ name: `print ${i}`, when: i === 0 ? { start: true } : { factMatches: `^never$` }, then: { tool: 'run_command', args: { command } } })),
            { name: 'done', when: { lastTool: 'run_command' }, then: { tool: 'verify' } }
          ]
        },
        secrets: ['DEPLOY_PASSWORD'],
        termination: { verifyCommand: printers.slice(1).join('; ') }
      })
      const loopId = await andon.supervisor.launch(s)
      await andon.supervisor.settled(loopId)
      const events = andon.store.readStream(loopId)
      const output = events.flatMap((e) => (e.type === 'ToolOutput' ? [e.data.chunk] : [])).join('')
      // The commands really printed it (the placeholders show where).
      expect(output.match(/\[redacted:DEPLOY_PASSWORD\]/g)?.length).toBeGreaterThanOrEqual(5)
      expect(anyForm(JSON.stringify(events))).toEqual([])
      const created = events[0]
      expect(created.type === 'LoopCreated' && created.data.spec.task).toBe('deploy with password [redacted:DEPLOY_PASSWORD]')

      andon.store.flush()
      andon.store.db.pragma('wal_checkpoint(PASSIVE)')
      for (const f of readdirSync(andon.dataDir).filter((n) => n.startsWith('andon.db'))) {
        expect(anyForm(readFileSync(join(andon.dataDir, f)).toString('latin1')), f).toEqual([])
      }
      const { bytes } = exportBundleBytes(andon.store, { loopIds: [loopId], appVersion: 'test' })
      for (const [name, part] of Object.entries(unzipSync(bytes))) expect(anyForm(Buffer.from(part).toString('utf8')), name).toEqual([])
    } finally {
      await andon.cleanup()
    }
  })
})
