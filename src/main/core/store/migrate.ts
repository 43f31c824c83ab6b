import type { Database } from 'better-sqlite3'
import { migrations } from './migrations'

/** Apply every migration newer than the database's user_version, each in its own transaction. */
export function migrate(db: Database): number {
  const current = db.pragma('user_version', { simple: true }) as number
  const newest = migrations[migrations.length - 1]?.id ?? 0
  if (current > newest) {
    throw new Error(`database schema ${current} is newer than this Andon understands (${newest}); upgrade Andon`)
  }
  for (const m of migrations) {
    if (m.id <= current) continue
    db.transaction(() => {
      db.exec(m.sql)
      db.pragma(`user_version = ${m.id}`)
    })()
  }
  return newest
}
