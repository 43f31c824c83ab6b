/**
 * The `anthropic` policy: Claude through the Messages API with tool use. One request per
 * decision, forced to exactly one tool call; every call goes through the provider guard
 * (daily budget, concurrency, circuit breaker, retries). The SDK's own retries are off.
 */
import Anthropic from '@anthropic-ai/sdk'
import type { z } from 'zod'
import type { AnthropicPolicySpec } from '../../../../shared/spec'
import { sharedBackpressure, type Backpressure } from '../../backpressure'
import { PolicyError, type Decision, type Policy } from '../policy'
import { redactError, redactValue, toPolicyError } from './errors'
import { toDecision, type MessageLike } from './parse'
import { buildRequest } from './prompt'
import { resolveBaseUrl } from './endpoint'

export { PRICES, priceFor, costOf } from './prices'

export { DEFAULT_BASE_URL } from './endpoint'

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
  const client = new Anthropic({ apiKey: key, baseURL: baseUrl, maxRetries: 0, timeout: spec.timeoutMs, logLevel: 'off' })
  const bp = deps.backpressure ?? sharedBackpressure(deps.env)
  const guard = bp.provider('anthropic')

  return {
    kind: 'anthropic',
    async decide(input): Promise<Decision> {
      const request = buildRequest(spec, input)
      const prompt = { baseUrl, request }
      const retries: { afterMs: number; error: string }[] = []
      const decision = await guard.call(
        async () => {
          try {
            const msg = (await client.messages.create(request, { signal: input.signal })) as unknown as MessageLike
            return redactValue(toDecision(spec.model, msg, input.tools, prompt), key)
          } catch (err) {
            throw redactError(toPolicyError(err, { baseUrl, timeoutMs: spec.timeoutMs, key, now: bp.clock.now() }), key)
          }
        },
        {
          signal: input.signal,
          costOf: (d) => d.usage.costUsd,
          onRetry: ({ delayMs, error }) => retries.push({ afterMs: delayMs, error: (error as Error).message })
        }
      )
      // Waits before the answer that counted are part of the record (latency includes them).
      return retries.length ? { ...decision, prompt: { ...prompt, retries } } : decision
    }
  }
}
