import { readFileTool, replaceInFileTool, writeFileTool } from './files'
import { githubTools } from './github'
import { runCommandTool, verifyTool } from './shell'
import { ToolRegistry, type AnyTool } from './tool'

/** Every tool a spec may name. A spec with an empty `tools` list gets all of them. */
export const builtinTools: AnyTool[] = [verifyTool, runCommandTool, readFileTool, writeFileTool, replaceInFileTool, ...githubTools]

export function createToolRegistry(extra: AnyTool[] = []): ToolRegistry {
  return new ToolRegistry([...builtinTools, ...extra])
}
