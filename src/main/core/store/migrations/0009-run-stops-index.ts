export default {
  id: 9,
  name: 'run-stops-index',
  sql: `
    -- Failures by root cause over a window: escalations and terminations by time, without reading other events.
    CREATE INDEX events_stops ON events (at) WHERE type IN ('Escalated', 'Terminated');
  `
}
