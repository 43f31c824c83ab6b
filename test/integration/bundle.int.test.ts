import { describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { unzipSync, zipSync, strToU8, strFromU8 } from 'fflate'
import { exportBundleBytes, exportBundleFile } from '../../src/main/core/bundles/export'
import { importBundle, validateBundle, BundleImportError } from '../../src/main/core/bundles/import'
import { DEFAULT_LIMITS } from '../../src/main/core/bundles/unzip'
import { BUNDLE_FORMAT_VERSION } from '../../src/shared/bundle'
import { sampleLoopEvents, sampleSpec, sampleSteps, type TempStore } from '../fixtures/bundles/sample-loop'
import { tempStoresPerTest } from '../support/temp-per-test'

const newStore = tempStoresPerTest()

const SECRET = 'hunter2-very-secret-value'

function seeded(): TempStore {
  const t = newStore()
  const steps = [
    { ...sampleSteps[0], args: { command: `curl -H "Authorization: Bearer abcdef123456789" https://x --token ${SECRET}` } },
    { ...sampleSteps[1], output: 'key sk-ant-api03-AAAABBBBCCCCDDDD and ghp_0123456789abcdefghij0123 ok' }
  ]
  t.store.appendSync('loop-a', sampleLoopEvents(sampleSpec, steps), 0)
  t.store.appendSync('loop-b', sampleLoopEvents({ ...sampleSpec, name: 'second' }), 0)
  return t
}

function exportOf(t: TempStore, loopIds = ['loop-a', 'loop-b']) {
  return exportBundleBytes(t.store, { loopIds, appVersion: '0.1.0', redaction: { secrets: { API_TOKEN: SECRET } } })
}

/** Rebuild a zip from (possibly edited) entries. */
function rezip(bytes: Uint8Array, edit: (files: Record<string, Uint8Array>) => void): Uint8Array {
  const files = unzipSync(bytes)
  edit(files)
  return zipSync(files)
}

function editManifest(bytes: Uint8Array, edit: (m: Record<string, unknown>) => void): Uint8Array {
  return rezip(bytes, (files) => {
    const m = JSON.parse(strFromU8(files['manifest.json']))
    edit(m)
    files['manifest.json'] = strToU8(JSON.stringify(m))
  })
}

function eventCount(t: TempStore): number {
  return (t.store.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n
}

describe('bundle export', () => {
  it('writes a manifest with specs, counts and checksums, and events as JSONL', () => {
    const t = seeded()
    const { bytes, manifest } = exportOf(t)
    const files = unzipSync(bytes)
    expect(Object.keys(files).sort()).toEqual(['events/loop-a.jsonl', 'events/loop-b.jsonl', 'manifest.json'])
    expect(manifest.formatVersion).toBe(BUNDLE_FORMAT_VERSION)
    expect(manifest.appVersion).toBe('0.1.0')
    expect(manifest.loops.map((l) => [l.loopId, l.name, l.eventCount])).toEqual([
      ['loop-a', 'fix-tests', t.store.streamVersion('loop-a')],
      ['loop-b', 'second', t.store.streamVersion('loop-b')]
    ])
    const lines = strFromU8(files['events/loop-b.jsonl']).trim().split('\n').map((l) => JSON.parse(l))
    expect(lines[0]).toMatchObject({ version: 1, type: 'LoopCreated' })
    expect(lines.map((l) => l.version)).toEqual(lines.map((_, i) => i + 1))
  })

  it('redacts secrets and token shapes and lists each redaction without its value', () => {
    const t = seeded()
    const { bytes, manifest } = exportOf(t)
    const text = Buffer.from(bytes).toString('latin1') + strFromU8(unzipSync(bytes)['events/loop-a.jsonl'])
    for (const leaked of [SECRET, 'abcdef123456789', 'sk-ant-api03', 'ghp_0123456789']) expect(text).not.toContain(leaked)
    const a = strFromU8(unzipSync(bytes)['events/loop-a.jsonl'])
    expect(a).toContain('[REDACTED:env:API_TOKEN]')
    expect(a).toContain('Bearer [REDACTED:bearer]')
    const rules = manifest.redactions.map((r) => `${r.loopId}@${r.version}:${r.path}:${r.rule}`)
    expect(rules).toContain('loop-a@6:data.args.command:env:API_TOKEN')
    expect(rules).toContain('loop-a@6:data.args.command:bearer')
    expect(rules.some((r) => r.includes(':anthropic-key'))).toBe(true)
    expect(rules.some((r) => r.includes(':github-token'))).toBe(true)
    expect(JSON.stringify(manifest)).not.toContain(SECRET)
  })

  it('reports progress and writes files atomically', () => {
    const t = seeded()
    const seen: number[] = []
    const path = join(t.dir, 'out.andon')
    exportBundleFile(t.store, path, { loopIds: ['loop-a'], appVersion: '0.1.0', onProgress: (p) => seen.push(p.done / p.total) })
    expect(seen.at(-1)).toBe(1)
    expect(validateBundle(readFileSync(path)).loops[0].loopId).toBe('loop-a')
  })

  it('refuses unknown loops', () => {
    const t = seeded()
    expect(() => exportOf(t, ['nope'])).toThrow(/no loop with id nope/)
  })
})

describe('bundle import', () => {
  it('round-trips into another store as read-only loops with the same events', async () => {
    const src = seeded()
    const { bytes } = exportOf(src)
    const dst = newStore()
    const result = await importBundle(dst.store, bytes)
    expect(result.loopIds).toEqual(['loop-a', 'loop-b'])
    const state = dst.store.loadState('loop-b')
    expect(state.readOnly).toBe(true)
    expect(state.termination?.reason).toBe('SUCCESS')
    expect(state.usage).toEqual(src.store.loadState('loop-b').usage)
    const types = (id: string, s: TempStore) => s.store.readStream(id).map((e) => e.type)
    expect(types('loop-b', dst)).toEqual(types('loop-b', src))
    expect(dst.store.listLoops().map((l) => l.readOnly)).toEqual([true, true])
  })

  it('imports under new ids when the ids exist already, keeping references inside the bundle', async () => {
    const t = seeded()
    t.store.appendSync('loop-c', [{ type: 'LoopCreated', data: { spec: { ...sampleSpec, policy: { kind: 'replay', sourceLoopId: 'loop-a' } } } }], 0)
    const { bytes } = exportOf(t, ['loop-a', 'loop-c'])
    const result = await importBundle(t.store, bytes)
    const [a, c] = result.loopIds
    expect(a).not.toBe('loop-a')
    expect(result.renamed).toEqual({ 'loop-a': a, 'loop-c': c })
    const spec = t.store.loadState(c).spec
    expect(spec.policy).toMatchObject({ kind: 'replay', sourceLoopId: a })
    expect(t.store.loadState('loop-a').readOnly).toBe(false)
  })

  describe('hostile input changes nothing', () => {
    async function rejects(bytes: Uint8Array, message: RegExp, limits = DEFAULT_LIMITS) {
      const dst = newStore()
      dst.store.appendSync('existing', sampleLoopEvents(), 0)
      const before = eventCount(dst)
      const err = await importBundle(dst.store, bytes, limits).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(BundleImportError)
      expect((err as Error).message).toMatch(message)
      expect(eventCount(dst)).toBe(before)
      expect(dst.store.loopIds()).toEqual(['existing'])
    }

    it('truncated file', async () => {
      const { bytes } = exportOf(seeded())
      await rejects(bytes.subarray(0, Math.floor(bytes.length * 0.6)), /damaged or truncated/)
    })

    it('corrupt bytes', async () => {
      const { bytes } = exportOf(seeded())
      const bad = Uint8Array.from(bytes)
      for (let i = 200; i < 260; i++) bad[i] ^= 0x5a
      await rejects(bad, /corrupt|checksum|damaged|header says|not valid/)
    })

    it('not a zip at all', async () => {
      await rejects(strToU8('hello, I am not a bundle'), /not a valid bundle file/)
    })

    it('wrong checksum', async () => {
      const { bytes } = exportOf(seeded())
      const bad = rezip(bytes, (f) => {
        const text = strFromU8(f['events/loop-b.jsonl']).replace('"confidence":0.8', '"confidence":0.9')
        f['events/loop-b.jsonl'] = strToU8(text)
      })
      await rejects(bad, /checksum mismatch for events\/loop-b.jsonl/)
    })

    it('unknown format version', async () => {
      const { bytes } = exportOf(seeded())
      await rejects(editManifest(bytes, (m) => (m.formatVersion = 99)), /unknown bundle format version 99/)
    })

    it('invalid manifest', async () => {
      const { bytes } = exportOf(seeded())
      await rejects(editManifest(bytes, (m) => ((m.loops as { eventCount: unknown }[])[0].eventCount = 'many')), /manifest.json is invalid: loops.0.eventCount/)
    })

    it.each(['../evil.jsonl', '/etc/passwd', 'events\\..\\x.jsonl', 'events/../../x.jsonl', 'notes.txt'])('entry name %s', async (name) => {
      const { bytes } = exportOf(seeded())
      await rejects(rezip(bytes, (f) => (f[name] = strToU8('x'))), /unsafe entry name|unexpected entry/)
    })

    it('oversized part', async () => {
      const { bytes } = exportOf(seeded())
      await rejects(bytes, /too large/, { ...DEFAULT_LIMITS, maxPartBytes: 1000 })
    })

    it('zip bomb: an entry that inflates past its declared size', async () => {
      const { bytes } = exportOf(seeded())
      // 8 MB of zeros deflates to a few kB; then lie about the size in both headers.
      const bomb = zipSync({ 'manifest.json': new Uint8Array(8 * 1024 * 1024) }, { level: 9 })
      const view = Buffer.from(bomb)
      const lie = (offset: number) => view.writeUInt32LE(1000, offset)
      lie(22) // local header: uncompressed size
      const cd = view.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]))
      lie(cd + 24) // central directory: uncompressed size
      await rejects(view, /inflates past its declared size/)
      expect(bytes.length).toBeGreaterThan(0)
    })

    it('zip bomb: a ratio no real trace has', async () => {
      const bomb = zipSync({ 'manifest.json': new Uint8Array(16 * 1024 * 1024) }, { level: 9 })
      await rejects(bomb, /expands more than 500x/)
    })

    it('events that do not validate', async () => {
      const { bytes, manifest } = exportOf(seeded())
      const bad = rezip(bytes, (f) => {
        const lines = strFromU8(f['events/loop-b.jsonl']).trim().split('\n').map((l) => JSON.parse(l))
        lines[3].data.confidence = 7
        f['events/loop-b.jsonl'] = strToU8(lines.map((l) => JSON.stringify(l)).join('\n') + '\n')
        fixChecksum(f, manifest, 'loop-b')
      })
      await rejects(bad, /loop loop-b, line 4 \(DecisionMade\): data.confidence/)
    })

    it('versions that are not contiguous', async () => {
      const { bytes, manifest } = exportOf(seeded())
      const bad = rezip(bytes, (f) => {
        const lines = strFromU8(f['events/loop-b.jsonl']).trim().split('\n').map((l) => JSON.parse(l))
        lines.splice(2, 1)
        f['events/loop-b.jsonl'] = strToU8(lines.map((l) => JSON.stringify(l)).join('\n') + '\n')
        fixChecksum(f, manifest, 'loop-b')
      })
      await rejects(bad, /version 4 where 3 was expected/)
    })

    it('events that do not fold', async () => {
      const { bytes, manifest } = exportOf(seeded())
      const bad = rezip(bytes, (f) => {
        const lines = strFromU8(f['events/loop-b.jsonl']).trim().split('\n').map((l) => JSON.parse(l))
        // A patch that breaks the editable-state schema: the state it folds to is invalid.
        lines.push({ version: lines.length + 1, at: 1, type: 'StatePatched', data: { by: 'x', why: '', patch: { ops: [{ op: 'setInvariant', name: 'maxIterations', value: -3 }] } } })
        f['events/loop-b.jsonl'] = strToU8(lines.map((l) => JSON.stringify(l)).join('\n') + '\n')
        fixChecksum(f, manifest, 'loop-b', 1)
      })
      await rejects(bad, /do not fold/)
    })

    it('duplicate loop ids', async () => {
      const { bytes } = exportOf(seeded())
      await rejects(editManifest(bytes, (m) => ((m.loops as { loopId: string }[])[1].loopId = 'loop-a')), /loop-a is listed twice|part must be named/)
    })

    it('a loop that does not start with LoopCreated', async () => {
      const { bytes, manifest } = exportOf(seeded())
      const bad = rezip(bytes, (f) => {
        const lines = strFromU8(f['events/loop-b.jsonl']).trim().split('\n').map((l) => JSON.parse(l))
        lines.shift()
        lines.forEach((l, i) => (l.version = i + 1))
        f['events/loop-b.jsonl'] = strToU8(lines.map((l) => JSON.stringify(l)).join('\n') + '\n')
        fixChecksum(f, manifest, 'loop-b', -1)
      })
      await rejects(bad, /starts with exactly one LoopCreated/)
    })
  })
})

function fixChecksum(files: Record<string, Uint8Array>, manifest: ReturnType<typeof exportOf>['manifest'], loopId: string, countDelta = 0) {
  // Hostile input with a consistent manifest: only the deeper checks can catch it.
  const part = files[`events/${loopId}.jsonl`]
  const m = structuredClone(manifest)
  const entry = m.loops.find((l) => l.loopId === loopId)!
  entry.sha256 = createHash('sha256').update(part).digest('hex')
  entry.bytes = part.length
  entry.eventCount += countDelta
  files['manifest.json'] = strToU8(JSON.stringify(m))
}
