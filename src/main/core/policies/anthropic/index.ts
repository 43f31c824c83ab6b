/**
 * The `anthropic` policy: Claude through the Messages API with tool use. One request per
 * decision, forced to exactly one tool call; every call goes through the provider guard
 * (daily budget, concurrency, circuit breaker, retries). The SDK's own retries are off.
 */
import { createHash } from 'node:crypto'
import type { z } from 'zod'
import type { AnthropicPolicySpec } from '../../../../shared/spec'
import { backpressureOf, type Backpressure } from '../../backpressure'
import { PolicyError, type Decision, type Policy } from '../policy'
import { redactError, redactValue, toPolicyError } from './errors'
import { toDecision, type MessageLike } from './parse'
import { buildRequest } from './prompt'
import { resolveBaseUrl } from './endpoint'
import { loadAnthropicSdk, type AnthropicSdk } from './sdk'

export { PRICES, priceFor, costOf } from './prices'

export { DEFAULT_BASE_URL } from './endpoint'

/**
 * One breaker and concurrency limit per endpoint and key: a failing proxy or a revoked key stops
 * only the loops that use it. The key is named by a short hash, never by itself.
 */
export function anthropicGuardName(baseUrl: string, key: string): string {
  return `anthropic ${new URL(baseUrl).origin} key:${createHash('sha256').update(key).digest('hex').slice(0, 8)}`
}

export interface AnthropicPolicyDeps {
  env: Record<string, string | undefined>
  backpressure?: Backpressure
}

export function createAnthropicPolicy(spec: z.infer<typeof AnthropicPolicySpec>, deps: AnthropicPolicyDeps): Policy {
  const key = deps.env.ANTHROPIC_API_KEY?.trim()
  if (!key) {
    throw new PolicyError(
      'config',
      'the anthropic policy needs an API key: set ANTHROPIC_API_KEY in the environment, or save it in the app (stored with the OS keychain)'
    )
  }
  // Passed explicitly, so the SDK never picks a base URL from the process environment.
  const baseUrl = resolveBaseUrl(spec.baseUrl, deps.env)
  // The SDK loads with the first decision (see ./sdk); the client is made once it has.
  let client: Promise<{ sdk: AnthropicSdk; anthropic: InstanceType<AnthropicSdk['default']> }> | undefined
  const connect = () =>
    (client ??= loadAnthropicSdk().then((sdk) => ({
      sdk,
      anthropic: new sdk.default({ apiKey: key, baseURL: baseUrl, maxRetries: 0, timeout: spec.timeoutMs, logLevel: 'off' })
    })))
  const bp = backpressureOf(deps)
  const guard = bp.provider(anthropicGuardName(baseUrl, key))

  return {
    kind: 'anthropic',
    async decide(input): Promise<Decision> {
      const request = buildRequest(spec, input)
      const prompt = { baseUrl, request }
      const retries: { afterMs: number; error: string }[] = []
      const { sdk, anthropic } = await connect()
      const decision = await guard.call(
        async () => {
          try {
            const msg = (await anthropic.messages.create(request, { signal: input.signal })) as unknown as MessageLike | null
            return redactValue(toDecision(spec, msg, input.tools, prompt), key)
          } catch (err) {
            throw redactError(toPolicyError(err, { baseUrl, timeoutMs: spec.timeoutMs, key, now: bp.clock.now() }, sdk), key)
          }
        },
        {
          signal: input.signal,
          costOf: (d) => d.usage.costUsd,
          onRetry: ({ delayMs, error }) => {
            retries.push({ afterMs: delayMs, error: (error as Error).message })
            // A wait the provider asked for is recorded, so a restart does not call it early.
            input.onDelay?.(bp.clock.now() + delayMs, (error as Error).message.slice(0, 500))
          }
        }
      )
      // Waits before the answer that counted are part of the record (latency includes them).
      return retries.length ? { ...decision, prompt: { ...prompt, retries } } : decision
    }
  }
}
