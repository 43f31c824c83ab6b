/** One contract command: a zod input schema, a description, and a phantom output type. */
import type { z } from 'zod'

export interface Command<I extends z.ZodType, O> {
  input: I
  doc: string
  /** Never set: carries the output type. */
  output?: O
}

export const command =
  <O>() =>
  <I extends z.ZodType>(input: I, doc: string): Command<I, O> => ({ input, doc })
