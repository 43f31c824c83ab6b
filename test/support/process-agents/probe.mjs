// A process-policy agent that answers once with what it sees: its environment and working
// directory, and whether it could write the file named by its first argument (outside its workspace).
import { writeFileSync } from 'node:fs'
import { createInterface } from 'node:readline'

let wroteOutside = true
try {
  writeFileSync(process.argv[2], 'escaped\n')
} catch {
  wroteOutside = false
}
for await (const _line of createInterface({ input: process.stdin })) {
  const seen = { env: process.env, cwd: process.cwd(), wroteOutside }
  console.log(JSON.stringify({ tool: 'verify', args: {}, subgoal: 'report', confidence: 1, rationale: JSON.stringify(seen) }))
}
