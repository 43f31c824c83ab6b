import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { StoredEventSchema, type StoredEvent } from '../../src/shared/events'
import { upcast } from '../../src/shared/upcast'
import { goldenOutcome } from './outcome'

// Recorded histories (scripts/record-golden.ts) must keep folding to the recorded outcome:
// a change to the event model or the fold that alters a past loop shows up here.
const dir = __dirname
const logs = readdirSync(dir).filter((f) => f.endsWith('.events.jsonl'))

describe('golden event logs replay to the same state', () => {
  it('there are golden logs', () => expect(logs.length).toBeGreaterThanOrEqual(2))
  for (const file of logs) {
    it(file, () => {
      const events = readFileSync(join(dir, file), 'utf8')
        .trim()
        .split('\n')
        .map((line) => {
          // Recorded before events carried schema versions: version 1, upcast like any stored event.
          const raw = JSON.parse(line) as { type: string; data: unknown; schema?: number }
          return StoredEventSchema.parse({ ...raw, data: upcast(raw.type, raw.schema ?? 1, raw.data) }) as StoredEvent
        })
      const expected = JSON.parse(readFileSync(join(dir, file.replace('.events.jsonl', '.expected.json')), 'utf8'))
      expect(goldenOutcome(events)).toEqual(expected)
    })
  }
})
