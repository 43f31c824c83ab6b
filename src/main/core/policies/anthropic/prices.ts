/**
 * List prices in USD per million tokens. Cache writes cost 1.25× input, cache reads 0.1×.
 * A model matches by its exact name, or its name plus a date snapshot (`-20250929`) or `-latest`.
 * A model not listed is counted at the spec's `pricing`, else at the highest listed price with a
 * note: never at $0, which would let every USD budget pass silently.
 */
export interface Price {
  inputPerMTok: number
  outputPerMTok: number
}

export const PRICES: Readonly<Record<string, Price>> = {
  'claude-opus-4-5': { inputPerMTok: 5, outputPerMTok: 25 },
  'claude-opus-4-1': { inputPerMTok: 15, outputPerMTok: 75 },
  'claude-opus-4-0': { inputPerMTok: 15, outputPerMTok: 75 },
  'claude-opus-4': { inputPerMTok: 15, outputPerMTok: 75 },
  'claude-sonnet-4-5': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-sonnet-4-0': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-sonnet-4': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-3-7-sonnet': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-3-5-sonnet': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-haiku-4-5': { inputPerMTok: 1, outputPerMTok: 5 },
  'claude-3-5-haiku': { inputPerMTok: 0.8, outputPerMTok: 4 },
  'claude-3-haiku': { inputPerMTok: 0.25, outputPerMTok: 1.25 },
  'claude-3-opus': { inputPerMTok: 15, outputPerMTok: 75 }
}

const SNAPSHOT = /-(\d{8}|latest)$/

export function priceFor(model: string): Price | null {
  return PRICES[model] ?? PRICES[model.replace(SNAPSHOT, '')] ?? null
}

export interface TokenCounts {
  input_tokens: number
  output_tokens: number
  cache_creation_input_tokens?: number | null
  cache_read_input_tokens?: number | null
}

/** The dearest listed price: what an unknown model is counted at. */
export function highestPrice(): Price {
  const all = Object.values(PRICES)
  return { inputPerMTok: Math.max(...all.map((p) => p.inputPerMTok)), outputPerMTok: Math.max(...all.map((p) => p.outputPerMTok)) }
}

export function costOf(model: string, u: TokenCounts, pricing?: Price): { costUsd: number; note: string | null } {
  const listed = pricing ?? priceFor(model)
  const p = listed ?? highestPrice()
  const note = listed
    ? null
    : `no price known for model "${model}"; counted at the highest listed price ($${p.inputPerMTok}/$${p.outputPerMTok} per million tokens) so budgets still hold`
  const write = u.cache_creation_input_tokens ?? 0
  const read = u.cache_read_input_tokens ?? 0
  const micro = u.input_tokens * p.inputPerMTok + write * p.inputPerMTok * 1.25 + read * p.inputPerMTok * 0.1 + u.output_tokens * p.outputPerMTok
  return { costUsd: micro / 1_000_000, note }
}
