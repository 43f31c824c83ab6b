/**
 * Operator settings that outlive a process (the daily budget), kept as an append-only log so
 * every change says who made it, when and why; the newest entry of a key is its value.
 */
import type { Database, Statement } from 'better-sqlite3'

export interface SettingEntry {
  key: string
  value: unknown
  by: string
  why: string
  at: number
}

interface SettingRow {
  key: string
  value: string
  by: string
  why: string
  at: number
}

const toEntry = (r: SettingRow): SettingEntry => ({ key: r.key, value: JSON.parse(r.value), by: r.by, why: r.why, at: r.at })

export class SettingsLog {
  private readonly sql: Record<string, Statement>

  constructor(db: Database) {
    this.sql = {
      insert: db.prepare('INSERT INTO settings_log (key, value, by, why, at) VALUES (?, ?, ?, ?, ?)'),
      latest: db.prepare('SELECT key, value, by, why, at FROM settings_log WHERE key = ? ORDER BY seq DESC LIMIT 1'),
      history: db.prepare('SELECT key, value, by, why, at FROM settings_log WHERE key = ? ORDER BY seq DESC LIMIT ?')
    }
  }

  record(entry: SettingEntry): void {
    this.sql.insert.run(entry.key, JSON.stringify(entry.value ?? null), entry.by, entry.why, entry.at)
  }

  latest(key: string): SettingEntry | null {
    const r = this.sql.latest.get(key) as SettingRow | undefined
    return r ? toEntry(r) : null
  }

  history(key: string, limit = 50): SettingEntry[] {
    return (this.sql.history.all(key, limit) as SettingRow[]).map(toEntry)
  }
}
