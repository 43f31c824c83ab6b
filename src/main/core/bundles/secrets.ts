/**
 * Which environment values are secrets to redact: variables whose names say so, plus the
 * secret names the exported loops' specs declare. PATH or HOME are not secrets: redacting
 * them would blank every path in a trace.
 */
const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASS|CREDENTIAL|AUTH|COOKIE|SESSION|PRIVATE)/i

export function secretsFromEnv(env: Record<string, string | undefined>, declared: Iterable<string> = []): Record<string, string> {
  const names = new Set(declared)
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) {
    if (value && (names.has(name) || SECRET_NAME.test(name))) out[name] = value
  }
  return out
}
