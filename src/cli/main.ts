/**
 * The `andon` command line: run loops headless, run eval suites in CI, move bundles between
 * machines, export traces to OpenTelemetry, and write the spec JSON Schema.
 */
import { archiveCommand } from './commands/archive'
import { evalCommand } from './commands/eval'
import { evalSaveCommand } from './commands/eval-save'
import { exportCommand } from './commands/export'
import { importCommand } from './commands/import'
import { ls } from './commands/ls'
import { otelCommand } from './commands/otel'
import { recoverCommand } from './commands/recover'
import { resumeCommand } from './commands/resume'
import { rulesCommand } from './commands/rules'
import { runCommand } from './commands/run'
import { schemaCommand } from './commands/schema'
import { webTokenCommand } from './commands/web-token'
import { CliError, EXIT, processIo, type Io } from './io'

const commands: Record<string, { run: (args: string[], io: Io) => Promise<number>; help: string }> = {
  run: { run: runCommand, help: 'run a loop spec headless; exit 0 on SUCCESS' },
  resume: { run: resumeCommand, help: 'resume a stopped loop headless and follow it; exit 0 on SUCCESS' },
  recover: { run: recoverCommand, help: 'mark loops left running by a dead process as interrupted' },
  eval: {
    run: (args, io) => (args[0] === 'save' ? evalSaveCommand(args.slice(1), io) : evalCommand(args, io)),
    help: 'run an eval suite (exit 1 under its threshold) or the validation gate (--baseline A --candidate B); eval save: a run becomes a case'
  },
  export: { run: exportCommand, help: 'write loops to a redacted, checksummed bundle file' },
  import: { run: importCommand, help: 'import a bundle (its loops are read-only until forked)' },
  ls: { run: ls, help: 'list loops' },
  rules: { run: rulesCommand, help: 'list, add and revoke approval rules (allow / ask / deny a tool or call pattern)' },
  archive: { run: archiveCommand, help: 'take loops out of the lists (their events are kept), or bring them back' },
  otel: { run: otelCommand, help: 'export a loop as an OTLP/JSON trace, or send it to a receiver' },
  schema: { run: schemaCommand, help: 'print the JSON Schema of loop spec files' },
  'web-token': { run: webTokenCommand, help: "print the web shell's URL with its token; --rotate replaces the token" }
}

export const usage = [
  'usage: andon COMMAND [options]   (andon COMMAND --help for its options)',
  '',
  ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(11)}${c.help}`),
  '',
  'Data lives in --data-dir, else $ANDON_DATA_DIR, else ~/.andon.'
].join('\n')

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage)
    return name ? EXIT.ok : EXIT.usage
  }
  const command = commands[name]
  if (!command) {
    io.err(`andon: unknown command ${JSON.stringify(name)}\n\n${usage}`)
    return EXIT.usage
  }
  try {
    return await command.run(rest, io)
  } catch (err) {
    if (err instanceof CliError) {
      io.err(`andon ${name}: ${err.message}`)
      return err.exitCode
    }
    io.err(`andon ${name}: unexpected error: ${(err as Error).stack ?? String(err)}`)
    return EXIT.error
  }
}
