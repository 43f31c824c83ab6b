// A process-policy agent that keeps every line it receives in received.jsonl (in its workspace),
// tagged with an id of this process; it proposes writing notes.txt, and once that was rejected,
// verify instead.
import { randomUUID } from 'node:crypto'
import { appendFileSync } from 'node:fs'
import { createInterface } from 'node:readline'

const agent = randomUUID()
for await (const line of createInterface({ input: process.stdin })) {
  appendFileSync('received.jsonl', JSON.stringify({ agent, received: JSON.parse(line) }) + '\n')
  const { rejections } = JSON.parse(line)
  const answer = rejections.length
    ? { tool: 'verify', args: {}, subgoal: 'check instead', confidence: 0.6, rationale: `rejected: ${rejections[0].reason}` }
    : { tool: 'write_file', args: { path: 'notes.txt', content: 'draft\n' }, subgoal: 'take notes', confidence: 0.6, rationale: 'start' }
  console.log(JSON.stringify(answer))
}
