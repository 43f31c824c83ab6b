import { readFileTool, replaceInFileTool, writeFileTool } from './files'
import { githubTools } from './github'
import { runCommandTool, verifyTool } from './shell'
import { ToolRegistry, type AnyTool } from './tool'

/** Every tool a spec may name. A spec with an empty `tools` list gets all but the opt-in ones. */
export const builtinTools: AnyTool[] = [
  verifyTool,
  runCommandTool,
  readFileTool,
  writeFileTool,
  replaceInFileTool,
  // GitHub tools act on the world outside the workspace: a spec must name them to use them.
  ...githubTools.map((t) => ({ ...t, optIn: true }))
]

export function createToolRegistry(extra: AnyTool[] = []): ToolRegistry {
  return new ToolRegistry([...builtinTools, ...extra])
}
