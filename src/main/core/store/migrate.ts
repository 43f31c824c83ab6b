import type { Database } from 'better-sqlite3'
import { migrations, type Migration } from './migrations'

/**
 * The list is numbered 1, 2, 3… in order: a gap or a duplicate (a migration dropped or registered
 * twice when two branches meet) would skip a schema change silently on some databases.
 */
export function checkMigrationList(list: readonly Migration[]): void {
  list.forEach((m, i) => {
    if (m.id !== i + 1) {
      throw new Error(`migration list is broken: position ${i + 1} holds migration ${m.id} (${m.name}); ids must run 1, 2, 3… in order, each registered once`)
    }
  })
}

/** Apply every migration newer than the database's user_version, each in its own transaction. */
export function migrate(db: Database, list: readonly Migration[] = migrations): number {
  checkMigrationList(list)
  const current = db.pragma('user_version', { simple: true }) as number
  const newest = list[list.length - 1]?.id ?? 0
  if (current > newest) {
    throw new Error(`database schema ${current} is newer than this Andon understands (${newest}); upgrade Andon`)
  }
  for (const m of list) {
    if (m.id <= current) continue
    db.transaction(() => {
      db.exec(m.sql)
      db.pragma(`user_version = ${m.id}`)
    })()
  }
  return newest
}
