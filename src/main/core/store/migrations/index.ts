/**
 * Numbered migrations, applied in order inside one transaction each. Never edit a shipped
 * migration: add the next number. `user_version` records how far a database has come.
 */
import m0001 from './0001-events'
import m0002 from './0002-projections'
import m0003 from './0003-snapshots'

export interface Migration {
  id: number
  name: string
  sql: string
}

export const migrations: Migration[] = [m0001, m0002, m0003]
