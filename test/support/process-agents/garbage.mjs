// A process-policy agent that prints a log line on stdout instead of answering.
import { createInterface } from 'node:readline'

for await (const _line of createInterface({ input: process.stdin })) console.log('loading the model, please wait...')
