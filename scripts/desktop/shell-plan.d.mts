// Types for shell-plan.mjs, for the tests that exercise it.
export type StepResult<T> = ({ ok: true } & T) | { ok: false; reason: string }
export interface ShellSteps {
  webAsked: boolean
  hasDisplay(): boolean
  ensureElectron(): Promise<StepResult<{ exe: string }>> | StepResult<{ exe: string }>
  ensureNative(): Promise<StepResult<{ binding: string }>> | StepResult<{ binding: string }>
}
export type ShellChoice = { shell: 'electron'; exe: string; binding: string } | { shell: 'web'; reason: string | null }
export interface Exit {
  code: number
  ms: number
  error?: string
}
export const STARTUP_FAILURE_MS: number
export function chooseShell(steps: ShellSteps): Promise<ShellChoice>
export function startShell(opts: {
  steps: ShellSteps
  launchElectron(choice: { exe: string; binding: string }): Promise<Exit>
  launchWeb(): Promise<Exit>
  explainStartupFailure?(exe: string): string | null
  log(line: string): void
}): Promise<number>
export function hasDisplay(platform?: NodeJS.Platform, env?: NodeJS.ProcessEnv): boolean
