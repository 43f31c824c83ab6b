/**
 * Turn a handler failure into an HTTP status and a message an operator can act on.
 * The stack never leaves the server.
 */
import { ZodError } from 'zod'

export interface ErrorBody {
  error: string
  issues?: { path: string; message: string }[]
}

export function zodIssues(err: ZodError): { path: string; message: string }[] {
  return err.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))
}

const PROGRAMMING_ERRORS = [TypeError, ReferenceError, RangeError, SyntaxError]

export function describeError(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof ZodError) {
    const issues = zodIssues(err)
    return { status: 400, body: { error: `invalid input: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`, issues } }
  }
  if (!(err instanceof Error)) return { status: 500, body: { error: 'internal error' } }
  const e = err as Error & { status?: unknown; statusCode?: unknown; issues?: unknown; errors?: unknown }
  const explicit = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : null
  // PatchError carries `issues`, SpecError carries `errors`: both name the fields at fault.
  const fieldList = Array.isArray(e.issues) ? e.issues : Array.isArray(e.errors) ? e.errors : undefined
  const issues = fieldList as ErrorBody['issues'] | undefined
  if (explicit !== null && explicit >= 400 && explicit < 600) return { status: explicit, body: { error: e.message, issues } }
  if (e.name === 'PatchError' || issues) return { status: 400, body: { error: e.message, issues } }
  if (/\b(not found|unknown loop|no such)\b/i.test(e.message)) return { status: 404, body: { error: e.message } }
  if (PROGRAMMING_ERRORS.some((cls) => e instanceof cls)) return { status: 500, body: { error: `internal error: ${e.message}` } }
  // A plain Error from a handler is a refusal about the loop's current state (e.g. resuming a finished loop).
  return { status: 409, body: { error: e.message } }
}
