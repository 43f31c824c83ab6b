/**
 * Where the API key may go. A spec file can come from anyone, so its `baseUrl` alone must not
 * be able to send the key anywhere, not even to a port on this machine (any local process can
 * listen there): allowed are Anthropic's API, the ANTHROPIC_BASE_URL the operator set, and
 * hosts (host:port) the operator lists in ANDON_ANTHROPIC_HOSTS (comma-separated).
 */
import { PolicyError } from '../policy'

export const DEFAULT_BASE_URL = 'https://api.anthropic.com'

/** The hosts the operator's own configuration lets the key go to. */
function allowedHosts(env: Record<string, string | undefined>): Set<string> {
  const configured = env.ANTHROPIC_BASE_URL?.trim()
  const hosts = new Set([new URL(DEFAULT_BASE_URL).host, ...(env.ANDON_ANTHROPIC_HOSTS ?? '').split(',').map((h) => h.trim()).filter(Boolean)])
  if (configured && URL.canParse(configured)) hosts.add(new URL(configured).host)
  return hosts
}

/** Where a loop's anthropic policy sends requests, and whether the operator allows it (for screens). */
export function describeEndpoint(specBaseUrl: string | undefined, env: Record<string, string | undefined>): { url: string; allowed: boolean } {
  try {
    return { url: resolveBaseUrl(specBaseUrl, env), allowed: true }
  } catch {
    return { url: specBaseUrl ?? env.ANTHROPIC_BASE_URL ?? DEFAULT_BASE_URL, allowed: false }
  }
}

export function resolveBaseUrl(specBaseUrl: string | undefined, env: Record<string, string | undefined>): string {
  const configured = env.ANTHROPIC_BASE_URL?.trim() || undefined
  const baseUrl = specBaseUrl ?? configured ?? DEFAULT_BASE_URL
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch {
    throw new PolicyError('config', `anthropic baseUrl is not a URL: ${baseUrl}`)
  }
  if (!allowedHosts(env).has(url.host)) {
    throw new PolicyError(
      'config',
      `refusing to send the Anthropic API key to ${url.host}: a spec alone cannot choose where the key goes; allow it in the operator's environment by setting ANTHROPIC_BASE_URL to ${baseUrl} or adding ${url.host} to ANDON_ANTHROPIC_HOSTS`
    )
  }
  return baseUrl
}

