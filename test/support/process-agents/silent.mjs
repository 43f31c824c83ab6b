// A process-policy agent that reads its questions and never answers (its argv carries a marker the test looks for).
process.stdin.on('data', () => undefined)
setInterval(() => undefined, 60_000)
