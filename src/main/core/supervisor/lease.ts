/**
 * This process's side of the lease table: it takes a loop's lease before driving it, renews
 * every lease it holds on a heartbeat, and can tell whether another live process drives a loop.
 * A holder on this host whose process is gone is dead at once; elsewhere, when its lease expires.
 */
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import type { Lease, LeaseOwner } from '../store/leases'
import type { TraceStore } from '../store/trace-store'

export const LEASE_TTL_MS = 10_000
export const LEASE_RENEW_MS = 2_000

function processIsGone(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return false
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

export function describeHolder(l: Lease): string {
  return `${l.label} (pid ${l.pid} on ${l.host})`
}

export class LeaseKeeper {
  readonly owner: LeaseOwner
  private timer: NodeJS.Timeout | null = null

  constructor(
    private readonly store: TraceStore,
    label: string,
    private readonly clock: () => number
  ) {
    this.owner = { id: `${process.pid}-${randomBytes(6).toString('hex')}`, pid: process.pid, host: hostname(), label }
  }

  /** The holder ran on this host and its process is gone: its lease is void without waiting for expiry. */
  holderIsDead(loopId: string): boolean {
    const l = this.store.leases.get(loopId)
    return l !== null && l.id !== this.owner.id && this.dead(l)
  }

  private dead(l: Lease): boolean {
    return l.host === this.owner.host && l.pid !== process.pid && processIsGone(l.pid)
  }

  /** A lease held by someone else who is still alive, or null. */
  private liveOther(l: Lease | null, now: number): Lease | null {
    if (!l || l.id === this.owner.id || l.expiresAt <= now || this.dead(l)) return null
    return l
  }

  /** Take the loop's lease: null when it is ours now, else who drives the loop. */
  acquire(loopId: string): string | null {
    const now = this.clock()
    const blocking = this.store.leases.acquire(loopId, this.owner, now, LEASE_TTL_MS)
    if (!blocking) return null
    if (this.liveOther(blocking, now)) return describeHolder(blocking)
    // Its holder is dead (or the lease lapsed between the two reads): take it over.
    const still = this.store.leases.acquire(loopId, this.owner, now, LEASE_TTL_MS, blocking.id)
    return still ? describeHolder(still) : null
  }

  release(loopId: string): void {
    this.store.leases.release(loopId, this.owner.id)
  }

  /** Who else drives the loop right now, or null when no live process does. */
  heldElsewhere(loopId: string): string | null {
    const l = this.liveOther(this.store.leases.get(loopId), this.clock())
    return l ? describeHolder(l) : null
  }

  /** The last heartbeat of whoever held the loop's lease (alive or not). */
  lastHeartbeat(loopId: string): number | null {
    return this.store.leases.get(loopId)?.heartbeatAt ?? null
  }

  /** Renew held leases every LEASE_RENEW_MS and call `tick` after each renewal. */
  start(tick?: () => void): void {
    if (this.timer) return
    this.timer = setInterval(() => {
      try {
        this.store.leases.renew(this.owner.id, this.clock(), LEASE_TTL_MS)
        tick?.()
      } catch {
        // A closed or busy store: the next beat tries again.
      }
    }, LEASE_RENEW_MS)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    this.store.leases.releaseAll(this.owner.id)
  }
}
