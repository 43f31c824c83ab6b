/**
 * Archived loops leave the lists (loop list, inbox, `andon ls`) but keep every event. Archiving
 * is an operator's recorded act (who, when, why) in the settings log, not an event of the loop:
 * a loop whose own events cannot be read can still be archived.
 */
import type { Database } from 'better-sqlite3'
import { SettingsLog } from './settings'

const PREFIX = 'archived:'

export class LoopArchive {
  private readonly log: SettingsLog

  constructor(private readonly db: Database) {
    this.log = new SettingsLog(db)
  }

  set(loopId: string, archived: boolean, who: { by: string; why: string; at: number }): void {
    this.log.record({ key: PREFIX + loopId, value: archived, ...who })
  }

  /** Ids whose newest archive entry says archived. */
  archivedIds(): Set<string> {
    const rows = this.db
      .prepare(
        `SELECT key, value FROM settings_log s WHERE key LIKE 'archived:%'
         AND seq = (SELECT MAX(seq) FROM settings_log WHERE key = s.key)`
      )
      .all() as { key: string; value: string }[]
    return new Set(rows.filter((r) => r.value === 'true').map((r) => r.key.slice(PREFIX.length)))
  }
}
