// First stage of the improving loop's verify: candidate.yaml must be a spec judged exactly as the
// baseline is (the same `termination`), so "better" cannot come from a looser success predicate.
// YAML is read with the parser of the Andon install that runs this loop ($ANDON_CLI).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { isDeepStrictEqual } from 'node:util'

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
if (!isDeepStrictEqual(candidate.termination, baseline.termination)) {
  fail('candidate.yaml changes `termination`: copy it from baseline.yaml unchanged, so both are judged by the same success predicate')
}
console.log('ok   candidate.yaml keeps the baseline\'s termination')
