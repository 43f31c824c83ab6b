/** A command the core refused, with the fields at fault when the input was invalid. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly issues: { path: string; message: string }[] = []
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message.replace(/^Error invoking remote method '[^']+': (Error: )?/, '') : String(err)
}
