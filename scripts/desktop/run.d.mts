// Types for run.mjs, for the tests that exercise it.
import type { SpawnOptions } from 'node:child_process'

export function bin(name: string): string
export function runInForeground(command: string, args: string[], options?: SpawnOptions): Promise<{ code: number | null; signal: NodeJS.Signals | null }>
export function runToEnd(command: string, args: string[], options?: SpawnOptions): Promise<number>
