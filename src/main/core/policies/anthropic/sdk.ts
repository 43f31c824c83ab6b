/**
 * @anthropic-ai/sdk, loaded the first time an anthropic policy decides: it is among the slowest
 * packages to load, and a start, or a loop with any other policy, never needs it.
 */
export type AnthropicSdk = typeof import('@anthropic-ai/sdk')

let loading: Promise<AnthropicSdk> | undefined

export function loadAnthropicSdk(): Promise<AnthropicSdk> {
  loading ??= import('@anthropic-ai/sdk')
  return loading
}
