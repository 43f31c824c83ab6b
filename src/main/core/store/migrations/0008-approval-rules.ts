export default {
  id: 8,
  name: 'approval-rules',
  sql: `
    -- The approval rules an operator grows (allow / ask / deny a tool or a call pattern), for one
    -- spec by name or every loop. Rules are never deleted: a revoked rule keeps who, when and why.
    CREATE TABLE approval_rules (
      id            INTEGER PRIMARY KEY AUTOINCREMENT,
      effect        TEXT    NOT NULL CHECK (effect IN ('allow', 'ask', 'deny')),
      pattern       TEXT    NOT NULL,
      spec_name     TEXT,               -- NULL: every loop of this Andon
      by            TEXT    NOT NULL,
      at            INTEGER NOT NULL,
      why           TEXT    NOT NULL,
      from_loop_id  TEXT,
      from_call_id  TEXT,
      revoked_by    TEXT,
      revoked_at    INTEGER,
      revoked_why   TEXT
    );
    CREATE INDEX approval_rules_live ON approval_rules (spec_name) WHERE revoked_at IS NULL;
    CREATE TRIGGER approval_rules_no_delete BEFORE DELETE ON approval_rules
      BEGIN SELECT RAISE(ABORT, 'approval rules are never deleted: revoke them'); END;
    -- The only change a rule takes is its one revocation.
    CREATE TRIGGER approval_rules_revoke_only BEFORE UPDATE ON approval_rules
      WHEN OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL
        OR NEW.effect IS NOT OLD.effect OR NEW.pattern IS NOT OLD.pattern OR NEW.spec_name IS NOT OLD.spec_name
        OR NEW.by IS NOT OLD.by OR NEW.at IS NOT OLD.at OR NEW.why IS NOT OLD.why
        OR NEW.from_loop_id IS NOT OLD.from_loop_id OR NEW.from_call_id IS NOT OLD.from_call_id
      BEGIN SELECT RAISE(ABORT, 'an approval rule changes only by being revoked, once'); END;
  `
}
