export default {
  id: 5,
  name: 'leases',
  sql: `
    -- One process drives a loop: it holds the lease and renews it; an expired lease is free.
    CREATE TABLE leases (
      loop_id       TEXT PRIMARY KEY,
      owner         TEXT    NOT NULL,
      pid           INTEGER NOT NULL,
      host          TEXT    NOT NULL,
      label         TEXT    NOT NULL,
      heartbeat_at  INTEGER NOT NULL,
      expires_at    INTEGER NOT NULL
    ) WITHOUT ROWID;
  `
}
