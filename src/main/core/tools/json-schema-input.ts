/**
 * Tool input described by a JSON Schema (an MCP server's, a command tool's): checked with Ajv
 * before a call is proposed, with the same field-named errors as a built-in tool's zod input.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv'
import type { RegExpEngine } from 'ajv/dist/types'
import { z } from 'zod'
import { compilePattern } from '../patterns/user-pattern'

/**
 * `pattern` keywords run on RE2, like every user pattern: a schema comes from a spec or an MCP
 * server, and a backtracking pattern could stall the process on some input.
 */
const re2: RegExpEngine = Object.assign((pattern: string) => compilePattern(pattern), { code: 'RE2' })

// Schemas are not kept by their $id: the same spec is compiled again at every launch and fork.
const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: true, addUsedSchema: false, code: { regExp: re2 } })

/** Why this is not a usable input schema, or null. */
export function inputSchemaProblem(schema: Record<string, unknown>): string | null {
  try {
    ajv.compile(schema)
  } catch (err) {
    return (err as Error).message
  }
  return schema.type === undefined || schema.type === 'object' ? null : 'a tool input schema describes an object (type: object)'
}

function issuePath(e: ErrorObject): string[] {
  const path = e.instancePath.split('/').slice(1).map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'))
  // A missing property is reported on its parent: name the property itself.
  if (e.keyword === 'required') path.push(String((e.params as { missingProperty: string }).missingProperty))
  if (e.keyword === 'additionalProperties') path.push(String((e.params as { additionalProperty: string }).additionalProperty))
  return path
}

/** A zod input that accepts exactly what the schema accepts (throws if the schema itself is not valid). */
export function jsonSchemaInput(schema: Record<string, unknown>): z.ZodType<Record<string, unknown>> {
  const validate: ValidateFunction = ajv.compile(schema)
  return z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
    if (validate(value)) return
    for (const e of validate.errors ?? []) {
      const message = e.keyword === 'required' ? 'required' : e.keyword === 'additionalProperties' ? 'not allowed' : (e.message ?? e.keyword)
      ctx.addIssue({ code: 'custom', path: issuePath(e), message })
    }
  })
}
