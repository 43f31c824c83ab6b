/** `${NAME}` in the env or header values of a program Andon starts (an MCP server, an agent): one of the loop's secrets, filled in when it starts. */
const SECRET_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g

/**
 * These values with each `${NAME}` replaced by that secret. A name the loop has no secret for
 * (not declared in `secrets`, or not set) fails naming the field, e.g. `mcp.0.env.TOKEN`.
 */
export function fillSecrets(values: Record<string, string>, secrets: Record<string, string>, path: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(values)) {
    out[key] = value.replace(SECRET_REF, (_m, name: string) => {
      if (!Object.hasOwn(secrets, name)) throw new Error(`${path}.${key}: \${${name}} is not a secret this loop has (declare it in \`secrets\` and set it in the environment)`)
      return secrets[name]
    })
  }
  return out
}
