/** How a call's argument is shown in a track record: its command or path, or its arguments in short. */
import { primaryArgument } from '../../../shared/approval-rules'
import { stableJson } from '../../../shared/state'

const ARGUMENT_CHARS = 200

/** The value of a tool's primary argument in a call (the approval gate's own map), if it is a string. */
function primaryValue(tool: string, args: Record<string, unknown>): string | undefined {
  return primaryArgument(tool)?.names.map((n) => args[n]).find((v): v is string => typeof v === 'string')
}

/** A call's primary argument (a command, a path) or, for other tools, its arguments in short. */
export function argumentSummary(tool: string, args: Record<string, unknown>): string {
  const value = primaryValue(tool, args)
  const text = value ?? stableJson(args)
  return text.length > ARGUMENT_CHARS ? `${text.slice(0, ARGUMENT_CHARS)}…` : text
}
