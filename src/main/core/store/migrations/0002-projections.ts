export default {
  id: 2,
  name: 'projections',
  sql: `
    -- Derived from events; dropped and refilled by rebuildProjections().
    CREATE TABLE loops (
      loop_id     TEXT PRIMARY KEY,
      name        TEXT NOT NULL,
      status      TEXT NOT NULL,
      summary     TEXT NOT NULL,
      created_at  INTEGER NOT NULL,
      updated_at  INTEGER NOT NULL
    );
    CREATE INDEX loops_created ON loops (created_at DESC);
    CREATE TABLE iterations (
      loop_id    TEXT    NOT NULL,
      iteration  INTEGER NOT NULL,
      row        TEXT    NOT NULL,
      PRIMARY KEY (loop_id, iteration)
    ) WITHOUT ROWID;
  `
}
