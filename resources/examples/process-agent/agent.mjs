// An agent for Andon's `process` policy: one JSON line in per decision (the loop's state), one JSON
// line out (the next tool call). It fixes math.js the way fix-the-tests does. Logs go to stderr:
// stdout carries only answers.
import { createInterface } from 'node:readline'

// What verify prints when a check fails, and the edit that fixes it.
const FIXES = [
  { failure: /FAIL.*add\(2, 3\)/, args: { path: 'math.js', find: 'a - b', replace: 'a + b' }, subgoal: 'make add() add' },
  { failure: /FAIL.*mul\(4, 5\)/, args: { path: 'math.js', find: 'exports.mul = (a, b) => a + b', replace: 'exports.mul = (a, b) => a * b' }, subgoal: 'make mul() multiply' }
]

function decide({ lastObservation: seen }) {
  if (!seen) return { tool: 'verify', args: {}, subgoal: 'find out what fails', confidence: 0.9, rationale: 'start from the checks' }
  if (seen.tool !== 'verify') return { tool: 'verify', args: {}, subgoal: 'confirm the fix', confidence: 0.9, rationale: `${seen.tool}: ${seen.summary}` }
  if (seen.ok) return { error: 'verify passes: nothing left to fix' }
  const fix = FIXES.find((f) => f.failure.test(seen.excerpt))
  if (!fix) return { error: `no fix known for this failure: ${seen.excerpt.slice(-300)}` }
  return { tool: 'replace_in_file', args: fix.args, subgoal: fix.subgoal, confidence: 0.8, rationale: `verify failed: ${seen.summary}` }
}

for await (const line of createInterface({ input: process.stdin })) {
  const message = JSON.parse(line)
  const answer = decide(message)
  console.error(`iteration ${message.iteration}: ${answer.tool ?? 'error'} (${answer.subgoal ?? answer.error})`)
  process.stdout.write(JSON.stringify(answer) + '\n')
}
