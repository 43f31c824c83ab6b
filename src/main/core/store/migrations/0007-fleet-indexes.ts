export default {
  id: 7,
  name: 'fleet-indexes',
  sql: `
    -- Spend per day: the cost of every model call by time, read from the index alone.
    CREATE INDEX events_spend ON events (at, json_extract(data, '$.usage.costUsd'))
      WHERE type IN ('DecisionMade', 'DecisionFailed');
    -- Escalations and what ended them, without reading a loop's other events.
    CREATE INDEX events_escalations ON events (loop_id, seq, type, at)
      WHERE type IN ('Escalated', 'EscalationResolved', 'Resumed');
  `
}
