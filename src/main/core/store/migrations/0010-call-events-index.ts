export default {
  id: 10,
  name: 'call-events-index',
  sql: `
    -- A spec's track record: its loops' proposals, decisions and outcomes in order, without reading other events.
    CREATE INDEX events_calls ON events (loop_id, seq) WHERE type IN ('ActionProposed', 'ActionApproved', 'ActionRejected', 'ActionAnswered', 'ToolFinished');
  `
}
