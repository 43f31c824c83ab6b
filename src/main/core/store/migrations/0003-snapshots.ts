export default {
  id: 3,
  name: 'snapshots',
  sql: `
    -- Fold checkpoints: state after \`version\`, written by fold code \`fold_version\`.
    CREATE TABLE snapshots (
      loop_id       TEXT    NOT NULL,
      version       INTEGER NOT NULL,
      fold_version  INTEGER NOT NULL,
      state         TEXT    NOT NULL,
      PRIMARY KEY (loop_id, version)
    ) WITHOUT ROWID;
  `
}
