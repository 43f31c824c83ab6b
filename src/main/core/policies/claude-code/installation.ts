/**
 * Where Claude Code comes from: the spec's `executable`, ANDON_CLAUDE_CODE_EXECUTABLE, the binary
 * the Agent SDK brings as an optional dependency, or a `claude` on PATH, in that order. The SDK is
 * optional (its binary is large): every other loop kind works without it.
 */
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { ClaudeCodePolicySpec } from '../../../../shared/spec'
import { findOnPath, isExecutableFile } from '../../platform/executables'

export const SDK_PACKAGE = '@anthropic-ai/claude-agent-sdk'
const require = createRequire(__filename)
const CLAUDE_BINARY = process.platform === 'win32' ? 'claude.exe' : 'claude'

export interface Installation {
  /** The executable to run (null: the SDK finds its own bundled binary). */
  executable: string | null
  /** Where it came from, for the screens. */
  source: 'spec' | 'environment' | 'sdk' | 'path'
}

function sdkEntry(): string | null {
  try {
    return require.resolve(SDK_PACKAGE)
  } catch {
    return null
  }
}

/** The platform binary the SDK would use, as it looks for it (glibc first on Linux, then musl). */
function bundledBinary(entry: string): string | null {
  const base = `${SDK_PACKAGE}-${process.platform}-${process.arch}`
  const names = process.platform === 'linux' ? [base, `${base}-musl`] : [base]
  const from = createRequire(entry)
  for (const name of names) {
    try {
      const bin = join(dirname(from.resolve(`${name}/package.json`)), CLAUDE_BINARY)
      if (isExecutableFile(bin)) return bin
    } catch {
      // not installed for this platform
    }
  }
  return null
}

/** The Claude Code to run for this spec, or why there is none (a sentence for the operator). */
export function findClaudeCode(spec: ClaudeCodePolicySpec, env: Record<string, string | undefined>): Installation | string {
  if (!sdkEntry()) {
    return `Claude Code loops need the optional package ${SDK_PACKAGE}: run \`npm install ${SDK_PACKAGE}\` in Andon's folder`
  }
  const chosen = spec.executable ? { path: spec.executable, source: 'spec' as const } : env.ANDON_CLAUDE_CODE_EXECUTABLE ? { path: env.ANDON_CLAUDE_CODE_EXECUTABLE, source: 'environment' as const } : null
  if (chosen) {
    if (isExecutableFile(chosen.path)) return { executable: chosen.path, source: chosen.source }
    const field = chosen.source === 'spec' ? 'policy.executable' : 'ANDON_CLAUDE_CODE_EXECUTABLE'
    return `${field} names ${chosen.path}, which is not an executable file`
  }
  const bundled = bundledBinary(sdkEntry()!)
  if (bundled) return { executable: bundled, source: 'sdk' }
  const found = findOnPath(CLAUDE_BINARY, env.PATH)
  if (found) return { executable: found, source: 'path' }
  return (
    `no Claude Code executable for ${process.platform}-${process.arch}: the SDK's platform package is not installed ` +
    `(npm skips it when optional dependencies are omitted); reinstall with optional dependencies, ` +
    `set ANDON_CLAUDE_CODE_EXECUTABLE to your \`claude\`, or put \`claude\` on PATH`
  )
}

/** The SDK, loaded on first use so Andon starts (and other loops run) where it is absent. */
export async function loadSdk(): Promise<typeof import('@anthropic-ai/claude-agent-sdk')> {
  return import(SDK_PACKAGE) as Promise<typeof import('@anthropic-ai/claude-agent-sdk')>
}
