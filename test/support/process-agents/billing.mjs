// A process-policy agent that reports what each decision cost: 1000 + 500 tokens, $0.40.
import { createInterface } from 'node:readline'

for await (const line of createInterface({ input: process.stdin })) {
  const { iteration } = JSON.parse(line)
  const args = { path: `step-${iteration}.txt`, content: `step ${iteration}\n` }
  const usage = { inputTokens: 1000, outputTokens: 500, costUsd: 0.4 }
  console.log(JSON.stringify({ tool: 'write_file', args, subgoal: `write step ${iteration}`, confidence: 0.7, rationale: 'one file per step', usage }))
}
