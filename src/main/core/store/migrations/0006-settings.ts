export default {
  id: 6,
  name: 'settings',
  sql: `
    -- Operator settings (e.g. the daily budget) as an append-only log: who changed what, when, why.
    CREATE TABLE settings_log (
      seq    INTEGER PRIMARY KEY AUTOINCREMENT,
      key    TEXT    NOT NULL,
      value  TEXT    NOT NULL,
      by     TEXT    NOT NULL,
      why    TEXT    NOT NULL,
      at     INTEGER NOT NULL
    );
    CREATE INDEX settings_log_key ON settings_log (key, seq);
    CREATE TRIGGER settings_no_update BEFORE UPDATE ON settings_log BEGIN SELECT RAISE(ABORT, 'settings are append-only'); END;
    CREATE TRIGGER settings_no_delete BEFORE DELETE ON settings_log BEGIN SELECT RAISE(ABORT, 'settings are append-only'); END;
  `
}
