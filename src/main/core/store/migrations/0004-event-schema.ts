export default {
  id: 4,
  name: 'event-schema',
  sql: `
    -- The schema version of each event's data, so old events are upcast on read.
    ALTER TABLE events ADD COLUMN schema INTEGER NOT NULL DEFAULT 1;
    -- Which version of the projection code built the loops and iterations tables.
    CREATE TABLE meta (
      key    TEXT PRIMARY KEY,
      value  TEXT NOT NULL
    );
  `
}
