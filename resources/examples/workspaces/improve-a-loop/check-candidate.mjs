// Second stage of the improving loop's verify: candidate.yaml must be the baseline but for its
// rules (and its version, description and invariants). The same tools, task, termination and
// autonomy, `policy.kind: rules`, and no sandbox, MCP or secrets section: "better" cannot come
// from a looser judge, a decoy tool, or a command that reaches outside the run.
// YAML is read with the parser of the Andon install that runs this loop ($ANDON_CLI).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { isDeepStrictEqual } from 'node:util'

/** What a candidate may change; everything else must equal the baseline's. */
const FREE = new Set(['version', 'description', 'invariants'])

const fail = (why) => {
  console.error(`FAIL ${why}`)
  process.exit(1)
}
if (!process.env.ANDON_CLI) fail('ANDON_CLI is not set: run this loop with an Andon that has its CLI (see README, "Improving a loop with a loop")')
const { parse } = createRequire(process.env.ANDON_CLI)('yaml')

function read(path) {
  let text
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    fail(`${path} does not exist yet: write the candidate spec there`)
  }
  try {
    const doc = parse(text)
    if (doc && typeof doc === 'object' && !Array.isArray(doc)) return doc
  } catch (err) {
    fail(`${path} is not valid YAML: ${err.message.split('\n')[0]}`)
  }
  fail(`${path} is not a YAML mapping (a loop spec)`)
}

const baseline = read('baseline.yaml')
const candidate = read('candidate.yaml')
const changed = [...new Set([...Object.keys(baseline), ...Object.keys(candidate)])].filter((key) => {
  if (FREE.has(key)) return false
  if (key !== 'policy') return !isDeepStrictEqual(candidate[key], baseline[key])
  const { rules: _b, ...basePolicy } = baseline.policy ?? {}
  const { rules: _c, ...candidatePolicy } = candidate.policy ?? {}
  return !isDeepStrictEqual(candidatePolicy, basePolicy)
})
if (changed.length > 0) {
  fail(
    `candidate.yaml changes ${changed.map((k) => `\`${k}\``).join(', ')}. Only \`policy.rules\`, \`version\`, \`description\` and ` +
      '`invariants` may differ from baseline.yaml: copy the rest unchanged (the same tools, task and termination; no sandbox, mcp or secrets section)'
  )
}
console.log("ok   candidate.yaml differs from the baseline only in what a candidate may change")
