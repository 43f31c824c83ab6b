/**
 * Numbered migrations, applied in order inside one transaction each. Never edit a shipped
 * migration: add the next number. `user_version` records how far a database has come.
 */
import m0001 from './0001-events'
import m0002 from './0002-projections'
import m0003 from './0003-snapshots'
import m0004 from './0004-event-schema'
import m0005 from './0005-leases'
import m0006 from './0006-settings'
import m0007 from './0007-fleet-indexes'
import m0008 from './0008-approval-rules'
import m0009 from './0009-run-stops-index'
import m0010 from './0010-call-events-index'
import m0011 from './0011-spend-minutes'

export interface Migration {
  id: number
  name: string
  sql: string
}

export const migrations: Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007, m0008, m0009, m0010, m0011]
