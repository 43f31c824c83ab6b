/**
 * Migrations: every file in the migrations folder is registered, under the id and name its file
 * name says, and migrate() refuses a list with a gap or a duplicate before touching a database.
 */
import Database from 'better-sqlite3'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../src/main/core/store/migrate'
import { migrations, type Migration } from '../../src/main/core/store/migrations'

const folder = join(__dirname, '../../src/main/core/store/migrations')

describe('the migration list', () => {
  it('registers every file of the migrations folder, in order, with the id and name of its file name', async () => {
    const files = readdirSync(folder).filter((f) => /^\d{4}-.+\.ts$/.test(f)).sort()
    expect(files.length).toBeGreaterThan(0)
    const fromFiles = await Promise.all(files.map(async (f) => ((await import(join(folder, f))) as { default: Migration }).default))
    expect(migrations).toEqual(fromFiles)
    files.forEach((f, i) => expect(`${String(fromFiles[i].id).padStart(4, '0')}-${fromFiles[i].name}.ts`).toBe(f))
    // Nothing but numbered migrations and the index beside them.
    expect(readdirSync(folder).filter((f) => !files.includes(f))).toEqual(['index.ts'])
  })

  it('migrate() refuses a gap or a duplicate, naming it, and leaves the database untouched', () => {
    const m = (id: number, name = `m${id}`): Migration => ({ id, name, sql: `CREATE TABLE ${name} (x)` })
    for (const [list, message] of [
      [[m(1), m(3)], /position 2 holds migration 3 \(m3\)/],
      [[m(1), m(2), m(2, 'again')], /position 3 holds migration 2 \(again\)/],
      [[m(2)], /position 1 holds migration 2/]
    ] as const) {
      const db = new Database(':memory:')
      expect(() => migrate(db, list)).toThrow(message)
      expect(db.pragma('user_version', { simple: true })).toBe(0)
      expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get()).toEqual({ n: 0 })
      db.close()
    }
    const db = new Database(':memory:')
    expect(migrate(db, [m(1), m(2)])).toBe(2)
    expect(db.pragma('user_version', { simple: true })).toBe(2)
    db.close()
  })
})
