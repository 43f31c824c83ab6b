/**
 * Refills spend_minutes from the events: the migration's backfill, and rebuildProjections' repair.
 * Imported loops (read-only from their LoopCreated) are left out: another run made that spend.
 */
export const SPEND_MINUTES_FROM_EVENTS = `
    INSERT INTO spend_minutes (minute, usd)
      SELECT e.at / 60000, SUM(json_extract(e.data, '$.usage.costUsd')) FROM events e
      WHERE e.type IN ('DecisionMade', 'DecisionFailed')
        AND json_extract(e.data, '$.usage.costUsd') IS NOT NULL
        AND NOT EXISTS (
          SELECT 1 FROM events c WHERE c.loop_id = e.loop_id AND c.version = 1 AND json_extract(c.data, '$.readOnly') = 1
        )
      GROUP BY e.at / 60000;`

export default {
  id: 11,
  name: 'spend-minutes',
  sql: `
    -- Model spend per minute (at / 60000), written in the transaction that appends the decisions it
    -- sums: the spend since a start of day (in any time zone: offsets are whole minutes) reads at most
    -- 1,440 rows a day instead of scanning the day's decisions. Events staged by a bundle import are
    -- not counted (that spend was not made by this Andon); the backfill leaves out imported loops too.
    CREATE TABLE spend_minutes (
      minute  INTEGER PRIMARY KEY,
      usd     REAL    NOT NULL
    );
    ${SPEND_MINUTES_FROM_EVENTS}
  `
}
