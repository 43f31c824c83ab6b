// The loop's verify command: exit 0 when every check passes, else print the first failure.
const { add, mul } = require('./math.js')
const checks = [
  ['add(2, 3)', () => add(2, 3), 5],
  ['mul(4, 5)', () => mul(4, 5), 20]
]
for (const [name, run, want] of checks) {
  const got = run()
  if (got !== want) {
    console.error(`\x1b[31mFAIL\x1b[0m ${name}: expected ${want}, got ${got}`)
    process.exit(1)
  }
  console.log(`\x1b[32mok\x1b[0m   ${name} = ${got}`)
}
console.log('all checks pass')
