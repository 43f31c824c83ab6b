/**
 * Contract commands over Electron IPC: one `ipcMain.handle('andon:<name>')` per command, built
 * by iterating the contract. Every call is refused unless it comes from our own window's main
 * frame, and its input is parsed with the command's zod schema before the core sees it.
 */
import type { IpcMainInvokeEvent } from 'electron'
import { z } from 'zod'
import { contract, commandNames, type CommandName, type Handlers } from '../../shared/contract'
import { commandChannel } from './channels'

/** The part of ipcMain used here (a fake in tests). */
export interface IpcRegistrar {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void
  removeHandler(channel: string): void
}

/** A readable one-line account of what was wrong with the input, field by field. */
export function describeInputError(name: string, error: z.ZodError): string {
  const fields = error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(input)'}: ${i.message}`)
  return `${name}: invalid input — ${fields.join('; ')}`
}

/** Parses and runs one command; exported so the refusal paths are tested without Electron. */
export async function runCommand(
  handlers: Handlers,
  name: CommandName,
  raw: unknown,
  trusted: boolean
): Promise<unknown> {
  if (!trusted) throw new Error(`${name}: refused, the request did not come from the Andon window`)
  const parsed = contract[name].input.safeParse(raw ?? {})
  if (!parsed.success) throw new Error(describeInputError(name, parsed.error))
  const handler = handlers[name] as (input: unknown) => unknown
  try {
    return await handler(parsed.data)
  } catch (error) {
    // Only the message crosses IPC: make a schema failure inside the core read like one at the edge.
    if (error instanceof z.ZodError) throw new Error(describeInputError(name, error).replace('invalid input', 'invalid data'))
    throw error
  }
}

/** Registers every contract command; returns a function that removes them again. */
export function registerContract(
  ipc: IpcRegistrar,
  handlers: Handlers,
  isTrusted: (event: IpcMainInvokeEvent) => boolean
): () => void {
  for (const name of commandNames) {
    ipc.handle(commandChannel(name), async (event, ...args) => {
      if (args.length > 1) throw new Error(`${name}: expects one input object`)
      return runCommand(handlers, name, args[0], isTrusted(event))
    })
  }
  return () => commandNames.forEach((name) => ipc.removeHandler(commandChannel(name)))
}
