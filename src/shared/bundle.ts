/**
 * Trace bundles: one `.andon` file (a zip) holding `manifest.json` and one
 * `events/<loopId>.jsonl` per loop. The manifest is what an importer checks first.
 */
import { z } from 'zod'
import { LoopSpecSchema } from './spec'

/** Bump when the layout or the line format changes; importers refuse versions they do not know. */
export const BUNDLE_FORMAT_VERSION = 1
export const BUNDLE_FORMAT = 'andon-bundle'

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'not a sha256 hex digest')
const BundleLoopId = z.string().min(1).max(100).regex(/^[\w-]+$/, 'not a loop id')

export const BundleLoopSchema = z
  .object({
    loopId: BundleLoopId,
    name: z.string(),
    spec: LoopSpecSchema,
    parentLoopId: z.string().nullable(),
    eventCount: z.number().int().positive(),
    /** Entry name of the loop's events inside the zip. */
    part: z.string(),
    sha256: Sha256,
    bytes: z.number().int().min(0)
  })
  .strict()
export type BundleLoop = z.infer<typeof BundleLoopSchema>

/** One value removed on export: where it was and which rule caught it (never the value). */
export const RedactionSchema = z
  .object({
    loopId: z.string(),
    version: z.number().int().positive(),
    /** JSON path inside the event, e.g. `data.args.command`. */
    path: z.string(),
    rule: z.string()
  })
  .strict()
export type Redaction = z.infer<typeof RedactionSchema>

export const BundleManifestSchema = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    formatVersion: z.number().int().positive(),
    appVersion: z.string(),
    createdAt: z.string(),
    loops: z.array(BundleLoopSchema).min(1).max(1000),
    /** Names of the redaction rules that were applied to every string. */
    redactionRules: z.array(z.string()),
    redactions: z.array(RedactionSchema)
  })
  .strict()
export type BundleManifest = z.infer<typeof BundleManifestSchema>

/** One line of `events/<loopId>.jsonl`. */
export const BundleLineSchema = z
  .object({
    version: z.number().int().positive(),
    at: z.number().int(),
    type: z.string(),
    /** Schema version of `data` (absent in bundles written before versions: 1); upcast on import. */
    schema: z.number().int().positive().max(1000).optional(),
    data: z.unknown()
  })
  .strict()
