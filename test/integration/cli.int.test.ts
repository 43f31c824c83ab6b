import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { spawn } from 'node:child_process'
import { andon, root } from '../fixtures/bundles/cli'
import { otlpProblems } from '../fixtures/bundles/otlp-proto'

let tmp: string
let dataDir: string
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'andon-cli-'))
  dataDir = join(tmp, 'data')
})
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const fixSpec = join(root, 'resources/examples/fix-the-tests.yaml')
const stuckSpec = join(root, 'resources/examples/stuck-needs-a-hint.yaml')

describe('andon CLI (real child processes, temp data dir)', { timeout: 120_000 }, () => {
  let loopId = ''

  it('run: live lines per iteration, exit 0 on SUCCESS', async () => {
    const r = await andon(['run', fixSpec, '--data-dir', dataDir])
    expect(r.stderr).toMatch(/started: fix-the-tests \(rules, autonomous\)/)
    expect(r.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/).slice(0, 2).join(' '))).toEqual([
      '1 verify',
      '2 replace_in_file',
      '3 verify',
      '4 replace_in_file',
      '5 verify'
    ])
    expect(r.stderr).toMatch(/SUCCESS: .* after 5 iteration\(s\)/)
    expect(r.code).toBe(0)
  })

  it('run --json: a loop that stops for an operator exits 1', async () => {
    const r = await andon(['run', stuckSpec, '--data-dir', dataDir, '--json'])
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l))
    expect(lines[0]).toMatchObject({ event: 'started', name: 'stuck-needs-a-hint' })
    expect(lines.filter((l) => l.event === 'iteration').length).toBeGreaterThan(2)
    expect(lines.at(-1)).toMatchObject({ event: 'result', status: 'escalated', reason: null })
    expect(r.code).toBe(1)
  })

  it('run: an invalid spec is a clear error with exit 3', async () => {
    const bad = join(tmp, 'bad.yaml')
    writeFileSync(bad, stringify({ name: 'bad', task: 'x', policy: { kind: 'rules', rules: [] } }))
    const r = await andon(['run', bad, '--data-dir', dataDir])
    expect(r.stderr).toMatch(/andon run: invalid loop spec .*bad.yaml: policy.rules: /)
    expect(r.code).toBe(3)
  })

  it('ls: lists the loops', async () => {
    const r = await andon(['ls', '--data-dir', dataDir, '--json'])
    const loops = JSON.parse(r.stdout) as { loopId: string; name: string; terminationReason: string | null }[]
    expect(loops.map((l) => l.name).sort()).toEqual(['fix-the-tests', 'stuck-needs-a-hint'])
    loopId = loops.find((l) => l.name === 'fix-the-tests')!.loopId
    const table = await andon(['ls', '--data-dir', dataDir])
    expect(table.stdout).toMatch(new RegExp(`^${loopId}\\s+fix-the-tests\\s+terminated\\s+5\\s+SUCCESS`, 'm'))
  })

  it('export and import: a read-only copy in another data dir; a damaged file changes nothing', async () => {
    const file = join(tmp, 'run.andon')
    const ex = await andon(['export', loopId, '-o', file, '--data-dir', dataDir], { env: { GITHUB_TOKEN: 'verify.js' } })
    expect(ex.stdout).toMatch(/wrote .*run.andon: 1 loop\(s\), \d+ events, \d+ redaction\(s\)/)
    expect(ex.code).toBe(0)

    const other = join(tmp, 'other')
    const im = await andon(['import', file, '--data-dir', other])
    expect(im.stdout).toContain(`imported ${loopId}  fix-the-tests`)
    expect(im.code).toBe(0)
    const ls = JSON.parse((await andon(['ls', '--data-dir', other, '--json'])).stdout)
    expect(ls).toMatchObject([{ loopId, readOnly: true, terminationReason: 'SUCCESS' }])

    const damaged = join(tmp, 'damaged.andon')
    const bytes = readFileSync(file)
    writeFileSync(damaged, bytes.subarray(0, bytes.length - 40))
    const bad = await andon(['import', damaged, '--data-dir', other])
    expect(bad.stderr).toMatch(/andon import: import refused, nothing was changed: /)
    expect(bad.code).toBe(3)
    expect(JSON.parse((await andon(['ls', '--data-dir', other, '--json'])).stdout)).toHaveLength(1)
  })

  it('export: the environment secret is redacted', async () => {
    const file = join(tmp, 'secret.andon')
    const r = await andon(['export', loopId, '-o', file, '--data-dir', dataDir, '--json'], { env: { MY_API_KEY: 'node verify.js' } })
    const { manifest } = JSON.parse(r.stdout)
    expect(manifest.redactions.some((x: { rule: string }) => x.rule === 'env:MY_API_KEY')).toBe(true)
  })

  it('otel: writes a valid OTLP file and POSTs it to a receiver', async () => {
    const received: unknown[] = []
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        received.push({ url: req.url, auth: req.headers['x-api-key'], body: JSON.parse(Buffer.concat(chunks).toString()) })
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    try {
      const out = join(tmp, 'trace.json')
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      const r = await andon(['otel', loopId, '-o', out, '--endpoint', endpoint, '--header', 'x-api-key=k1', '--data-dir', dataDir])
      expect(r.code).toBe(0)
      expect(r.stderr).toMatch(/sent \d+ spans to .*: HTTP 200/)
      const trace = JSON.parse(readFileSync(out, 'utf8'))
      expect(otlpProblems(trace)).toEqual([])
      expect(received).toEqual([{ url: '/v1/traces', auth: 'k1', body: trace }])
    } finally {
      server.close()
    }
  })

  it('otel: an unreachable receiver is a clear error', async () => {
    const r = await andon(['otel', loopId, '--endpoint', 'http://127.0.0.1:9', '--data-dir', dataDir])
    expect(r.stderr).toMatch(/andon otel: could not reach http:\/\/127.0.0.1:9/)
    expect(r.code).toBe(3)
  })

  it('eval: reports the metrics and exits 1 under the threshold, 0 above it', async () => {
    const suite = (threshold: unknown) => {
      const path = join(tmp, `suite-${JSON.stringify(threshold).replace(/\W/g, '')}.yaml`)
      writeFileSync(
        path,
        stringify({
          name: 'stuck config',
          spec: stuckSpec,
          threshold,
          cases: [
            { name: 'operator hint', facts: ['region is eu-west-1'] },
            { name: 'already fixed', files: { 'config.json': '{ "retries": 3, "region": "eu-west-1" }\n' } },
            { name: 'no hint' }
          ]
        })
      )
      return path
    }
    const low = await andon(['eval', suite(0.6), '--data-dir', join(tmp, 'eval')])
    expect(low.stdout).toMatch(/^ok +operator hint: SUCCESS/m)
    expect(low.stdout).toMatch(/^ok +already fixed: SUCCESS after 1 iteration/m)
    expect(low.stdout).toMatch(/^FAIL +no hint: STALLED .* stopped for an operator/m)
    expect(low.stdout).toMatch(/convergence rate: +66.7% \(2\/3\)/)
    expect(low.stdout).toMatch(/invariant-violation rate: +\d+\.\d% of iterations/)
    expect(low.stdout).toMatch(/^PASS$/m)
    expect(low.code).toBe(0)

    const high = await andon(['eval', suite({ convergenceRate: 0.9 }), '--data-dir', join(tmp, 'eval'), '--json'])
    const report = JSON.parse(high.stdout).report
    expect(report).toMatchObject({ cases: 3, converged: 2, passed: false, failures: ['convergence rate 66.7% is under 90.0%'] })
    expect(report.iterationsToConvergence.max).toBeGreaterThan(1)
    expect(high.code).toBe(1)
  })

  it('schema: prints the committed JSON Schema', async () => {
    const r = await andon(['schema'])
    expect(r.stdout).toBe(readFileSync(join(root, 'resources/schema/loop-spec.schema.json'), 'utf8'))
  })

  it('run: Ctrl-C cancels the loop and exits 130', async () => {
    const spec = join(tmp, 'slow.yaml')
    writeFileSync(
      spec,
      stringify({
        name: 'slow',
        task: 'check forever',
        workspace: join(root, 'resources/examples/workspaces/fix-the-tests'),
        policy: { kind: 'rules', delayMs: 200, rules: [{ name: 'check', when: {}, then: { tool: 'verify' } }] },
        tools: [{ name: 'verify' }],
        invariants: { maxIterations: 1000, progressEvery: 1000, sameActionLimit: 1000, toolErrorStreak: 1000 },
        termination: { verifyCommand: 'node verify.js' }
      })
    )
    const child = spawn(process.execPath, [join(root, 'bin/andon.mjs'), 'run', spec, '--data-dir', dataDir], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }
    })
    let stdout = ''
    let stderr = ''
    child.stderr.on('data', (c: Buffer) => (stderr += c))
    await new Promise<void>((r) =>
      child.stdout.on('data', (c: Buffer) => {
        stdout += c
        if (stdout.includes('\n')) r()
      })
    )
    child.kill('SIGINT')
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)))
    expect(stderr).toMatch(/CANCELLED/)
    expect(code).toBe(130)
    const loops = JSON.parse((await andon(['ls', '--data-dir', dataDir, '--json'])).stdout) as { name: string; terminationReason: string }[]
    expect(loops.find((l) => l.name === 'slow')?.terminationReason).toBe('CANCELLED')
  })

  it('usage errors exit 2', async () => {
    const r = await andon(['frobnicate'])
    expect(r.stderr).toMatch(/unknown command "frobnicate"/)
    expect(r.code).toBe(2)
    const missing = await andon(['export', 'x'])
    expect(missing.stderr).toMatch(/give the bundle file with -o FILE/)
    expect(missing.code).toBe(2)
  })
})
