export default {
  id: 1,
  name: 'events',
  sql: `
    CREATE TABLE events (
      seq      INTEGER PRIMARY KEY AUTOINCREMENT,
      loop_id  TEXT    NOT NULL,
      version  INTEGER NOT NULL,
      type     TEXT    NOT NULL,
      data     TEXT    NOT NULL,
      at       INTEGER NOT NULL,
      UNIQUE (loop_id, version)
    );
    CREATE TABLE streams (
      loop_id  TEXT PRIMARY KEY,
      version  INTEGER NOT NULL
    );
    -- Append-only: the store refuses updates and deletes of recorded events.
    CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
    CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
  `
}
