/**
 * Where the API key may go. A spec file can come from anyone, so its `baseUrl` alone must not
 * be able to send the key to an arbitrary host: allowed are Anthropic's API, loopback (a local
 * proxy or test server), the ANTHROPIC_BASE_URL the operator set, and hosts the operator lists
 * in ANDON_ANTHROPIC_HOSTS (comma-separated).
 */
import { PolicyError } from '../policy'

export const DEFAULT_BASE_URL = 'https://api.anthropic.com'
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

export function resolveBaseUrl(specBaseUrl: string | undefined, env: Record<string, string | undefined>): string {
  const configured = env.ANTHROPIC_BASE_URL?.trim() || undefined
  const baseUrl = specBaseUrl ?? configured ?? DEFAULT_BASE_URL
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch {
    throw new PolicyError('config', `anthropic baseUrl is not a URL: ${baseUrl}`)
  }
  const allowed = new Set([new URL(DEFAULT_BASE_URL).host, ...(env.ANDON_ANTHROPIC_HOSTS ?? '').split(',').map((h) => h.trim()).filter(Boolean)])
  if (configured) allowed.add(new URL(configured).host)
  if (LOOPBACK.has(url.hostname) || allowed.has(url.host)) return baseUrl
  throw new PolicyError(
    'config',
    `refusing to send the Anthropic API key to ${url.host}: allow it by setting ANTHROPIC_BASE_URL to ${baseUrl} or adding ${url.host} to ANDON_ANTHROPIC_HOSTS`
  )
}
