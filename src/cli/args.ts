/** Argument parsing on node:util parseArgs, with usage errors the CLI can print. */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { CliError, EXIT } from './io'

type Options = NonNullable<ParseArgsConfig['options']>

export const commonOptions = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false }
} as const satisfies Options

export function parse<O extends Options>(args: string[], options: O, usage: string) {
  try {
    return parseArgs({ args, options: { ...commonOptions, ...options }, allowPositionals: true, strict: true })
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n\n${usage}`, EXIT.usage)
  }
}

export function intOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n <= 0) throw new CliError(`--${name} must be a positive whole number, not ${value}`, EXIT.usage)
  return n
}
