/**
 * Leases: exactly one process drives a loop. The driving process holds the loop's lease and
 * renews it with a heartbeat; a lease whose time ran out is free for any process to take.
 */
import type { Database, Statement } from 'better-sqlite3'

export interface LeaseOwner {
  /** Unique per running core (a process may run more than one in tests). */
  id: string
  pid: number
  host: string
  /** What the holder is, for messages: "andon run", "web shell", "desktop app". */
  label: string
}

export interface Lease extends LeaseOwner {
  loopId: string
  heartbeatAt: number
  expiresAt: number
}

interface LeaseRow {
  loop_id: string
  owner: string
  pid: number
  host: string
  label: string
  heartbeat_at: number
  expires_at: number
}

const toLease = (r: LeaseRow): Lease => ({
  loopId: r.loop_id,
  id: r.owner,
  pid: r.pid,
  host: r.host,
  label: r.label,
  heartbeatAt: r.heartbeat_at,
  expiresAt: r.expires_at
})

export class LeaseTable {
  private readonly sql: Record<string, Statement>

  constructor(db: Database) {
    this.sql = {
      acquire: db.prepare(
        `INSERT INTO leases (loop_id, owner, pid, host, label, heartbeat_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (loop_id) DO UPDATE SET owner = excluded.owner, pid = excluded.pid, host = excluded.host,
           label = excluded.label, heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at
         WHERE leases.owner = excluded.owner OR leases.expires_at <= excluded.heartbeat_at OR leases.owner = ?`
      ),
      renew: db.prepare('UPDATE leases SET heartbeat_at = ?, expires_at = ? WHERE owner = ?'),
      release: db.prepare('DELETE FROM leases WHERE loop_id = ? AND owner = ?'),
      releaseAll: db.prepare('DELETE FROM leases WHERE owner = ?'),
      get: db.prepare('SELECT * FROM leases WHERE loop_id = ?')
    }
  }

  /**
   * Take the loop's lease if it is free, expired, already ours, or held by `takeOverFrom` (a
   * holder known to be dead). Returns null when taken, else the lease that stands in the way.
   */
  acquire(loopId: string, owner: LeaseOwner, now: number, ttlMs: number, takeOverFrom = ''): Lease | null {
    const changed = this.sql.acquire.run(loopId, owner.id, owner.pid, owner.host, owner.label, now, now + ttlMs, takeOverFrom).changes
    return changed > 0 ? null : this.get(loopId)
  }

  /** Extend every lease the owner holds. */
  renew(ownerId: string, now: number, ttlMs: number): number {
    return this.sql.renew.run(now, now + ttlMs, ownerId).changes
  }

  release(loopId: string, ownerId: string): void {
    this.sql.release.run(loopId, ownerId)
  }

  releaseAll(ownerId: string): void {
    this.sql.releaseAll.run(ownerId)
  }

  /** The loop's lease row, expired or not. */
  get(loopId: string): Lease | null {
    const r = this.sql.get.get(loopId) as LeaseRow | undefined
    return r ? toLease(r) : null
  }
}
