/**
 * What a shell command line could run, for deny rules: every simple command in it, seen through
 * the wrappers, assignments and nested shells that would hide its program; and whether it runs
 * something no pattern can read (an expanded program word, eval, a shell reading a pipe).
 * Over-splitting only adds deny matches, so the analysis errs on the side of refusing.
 */

/** Programs that run the rest of their arguments as a command (`eval` and `exec` included). */
const WRAPPERS = new Set(['env', 'sudo', 'doas', 'command', 'builtin', 'exec', 'eval', 'nice', 'nohup', 'time', 'timeout', 'xargs', 'stdbuf', 'ionice', 'setsid', 'chronic'])
/** Options of those wrappers that take a value as the next word (`env -S` does not: its value is the command). */
const OPTION_WITH_VALUE: Readonly<Record<string, ReadonlySet<string>>> = {
  env: new Set(['-u', '--unset', '-C', '--chdir']),
  exec: new Set(['-a']),
  sudo: new Set(['-u', '-g', '-h', '-p', '-C', '-D', '-r', '-t', '-U', '-T']),
  doas: new Set(['-u', '-C']),
  nice: new Set(['-n', '--adjustment']),
  timeout: new Set(['-s', '--signal', '-k', '--kill-after']),
  xargs: new Set(['-I', '-i', '-n', '-P', '-L', '-l', '-s', '-d', '-E', '-e', '-a', '--arg-file', '--delimiter', '--max-args', '--max-procs', '--replace']),
  stdbuf: new Set(['-i', '-o', '-e']),
  ionice: new Set(['-c', '-n', '-p'])
}
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'busybox'])
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/
/** Splits a command into the commands a shell could run from it (over-splitting only adds deny matches). */
const SEPARATORS = /;|&&?|\|\|?|\n|\r|\u2028|\u2029|`|\$\(|\$\{|<\(|>\(|[(){}]|[<>]/
/** The operators alone: each part keeps its program word whole (`r$()m`), to tell whether it is literal. */
const OPERATORS = /;|&&?|\|\|?|\n|\r|\u2028|\u2029/
/** Operators and substitutions, not redirections: a redirection's target is not a program. */
const SUBSTITUTIONS = /;|&&?|\|\|?|\n|\r|\u2028|\u2029|`|\$\(|\$\{|<\(|>\(|[(){}]/
/** Substitutions that expand to nothing: `r$()m` runs `rm`. */
const EMPTY_EXPANSION = /\$\(\s*\)|\$\{\s*\}|``/g

const words = (part: string): string[] => part.replace(/["'\\]/g, '').trim().split(/[ \t]+/).filter(Boolean)
const baseName = (word: string): string => word.slice(word.lastIndexOf('/') + 1)

/**
 * Every simple command a deny rule should see in `command`: each part between operators, with
 * quotes and backslashes removed, leading `VAR=x` assignments and wrappers (`env`, `sudo`,
 * `timeout 5`, `xargs`, `eval`, `exec -a x`…) stripped, `sh -c '…'` (and `-lc`, `-ec`, `-c --`)
 * opened, empty substitutions removed, and the program also by its base name.
 */
export function deniableCommands(command: string, depth = 0): string[] {
  const out = new Set<string>([command.trim()])
  const emptied = command.replace(EMPTY_EXPANSION, '')
  if (emptied !== command && depth < 3) for (const c of deniableCommands(emptied, depth + 1)) out.add(c)
  for (const part of command.split(SEPARATORS)) {
    for (const layer of unwrapped(words(part))) {
      out.add(layer.join(' '))
      const base = baseName(layer[0])
      if (base !== layer[0]) out.add([base, ...layer.slice(1)].join(' '))
      // `bash -lc "rm -rf /"`: the string after -c is a command of its own.
      const inner = shellCommandString(layer)
      if (inner && depth < 3) for (const c of deniableCommands(inner, depth + 1)) out.add(c)
    }
  }
  out.delete('')
  return [...out]
}

/**
 * The command string a shell runs with `-c` (in any option cluster: `-c`, `-lc`, `-ec`; after
 * `--`), `''` for `-c` with nothing after it, or null: not a shell, or no `-c`.
 */
function shellCommandString(layer: readonly string[]): string | null {
  if (!SHELLS.has(baseName(layer[0]))) return null
  const { commandFlag, operands } = shellArgs(layer)
  return commandFlag ? operands.join(' ') : null
}

function shellArgs(layer: readonly string[]): { commandFlag: boolean; stdinFlag: boolean; operands: string[] } {
  let commandFlag = false
  let stdinFlag = false
  let i = 1
  while (i < layer.length && /^[-+]/.test(layer[i])) {
    const w = layer[i++]
    if (w === '--' || w === '-') break
    if (/^[-+][oO]$/.test(w)) i++ // `-o pipefail`: the next word is the option's name
    else if (/^-[A-Za-z]+$/.test(w)) {
      commandFlag ||= w.includes('c')
      stdinFlag ||= w.includes('s')
    }
  }
  return { commandFlag, stdinFlag, operands: layer.slice(i) }
}

/** The word lists a simple command runs: itself, and without each layer of assignments and wrappers. */
function unwrapped(input: string[]): string[][] {
  const out: string[][] = []
  let rest = input
  for (let guard = 0; rest.length > 0 && guard < 20; guard++) {
    out.push(rest)
    let i = 0
    while (i < rest.length && ASSIGNMENT.test(rest[i])) i++
    const program = rest[i] === undefined ? undefined : baseName(rest[i])
    if (i > 0 && program !== undefined && !WRAPPERS.has(program)) {
      rest = rest.slice(i)
      continue
    }
    if (program === undefined || !WRAPPERS.has(program)) break
    i++
    const takesValue = OPTION_WITH_VALUE[program] ?? new Set<string>()
    while (i < rest.length && (rest[i].startsWith('-') || ASSIGNMENT.test(rest[i]))) {
      // `env -S'rm -rf /'`, `env --split-string=…`: the rest of the word is the command's first word.
      const split = program === 'env' ? /^(?:-S|--split-string=)(.+)$/.exec(rest[i]) : null
      if (split) {
        rest = [...rest.slice(0, i), split[1], ...rest.slice(i + 1)]
        break
      }
      i += takesValue.has(rest[i]) ? 2 : 1
    }
    // `timeout 5 cmd`, `nice 10 cmd`: the duration comes before the command.
    if ((program === 'timeout' || program === 'nice') && i < rest.length && /^[\d.]+[smhd]?$/.test(rest[i])) i++
    rest = rest.slice(i)
  }
  return out
}

/** Glob characters in a program word (`/bin/r?`, `r[m]`); `[` and `[[` alone are the test programs. */
const GLOB_WORD = /[?*]|\[.*\]/

/**
 * Why a deny rule cannot tell what `command` runs, or null: a program word that is not literal
 * text (a substitution, a variable, a glob), `eval`/`exec` building the command at run time, or a
 * shell reading its commands from a pipe or stdin. The gate then asks instead of guessing.
 */
export function undecidableCommand(command: string, depth = 0): string | null {
  // Whole parts between operators keep a program word whole (`r$()m`, `/bin/r?`); parts split at
  // substitutions too show the programs inside them (`echo $($CMD)`).
  const whole = command.split(OPERATORS)
  const parts = [...whole.map((p) => [p, true] as const), ...command.split(SUBSTITUTIONS).map((p) => [p, false] as const)]
  for (const [part, isWhole] of parts) {
    for (const layer of unwrapped(words(part))) {
      const program = layer.find((w) => !ASSIGNMENT.test(w))
      if (program === undefined) continue
      const base = baseName(program)
      if (program.includes('$') || program.includes('`')) return `its program "${program.slice(0, 80)}" is only known when the shell expands it`
      if (isWhole && GLOB_WORD.test(program)) return `its program "${program.slice(0, 80)}" is a glob the shell expands`
      if (base === 'eval' || base === 'exec') return `${base} builds the command it runs when it runs`
      if (!SHELLS.has(base)) continue
      const { commandFlag, stdinFlag, operands } = shellArgs(layer.slice(layer.indexOf(program)))
      if (commandFlag && operands.length === 0) return `${base} -c takes its command from elsewhere`
      if (!commandFlag && (stdinFlag || operands.length === 0 || operands[0] === '-' || operands[0].startsWith('<'))) return `${base} reads its commands from a pipe or stdin`
      if (commandFlag && depth < 3) {
        const inner = undecidableCommand(operands.join(' '), depth + 1)
        if (inner) return inner
      }
    }
  }
  return null
}

// ── Paths ──
