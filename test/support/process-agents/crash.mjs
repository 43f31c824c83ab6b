// A process-policy agent that fails on its first question, saying why on stderr.
import { createInterface } from 'node:readline'

for await (const _line of createInterface({ input: process.stdin })) {
  console.error('agent: out of memory loading weights (simulated)')
  process.exit(3)
}
