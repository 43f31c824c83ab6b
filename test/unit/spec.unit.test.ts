import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { validateSpecText } from '../../src/main/core/specs/load-spec'
import { examplesDir } from '../support/specs'

describe('loop spec files', () => {
  it('every built-in example validates', () => {
    const files = readdirSync(examplesDir).filter((f) => f.endsWith('.yaml'))
    expect(files).toContain('fix-the-tests.yaml')
    for (const f of files) {
      const v = validateSpecText(readFileSync(join(examplesDir, f), 'utf8'))
      expect(v.ok ? 'ok' : `${f}: ${JSON.stringify(v.errors)}`).toBe('ok')
    }
  })

  it('a malformed spec gets errors that name each field', () => {
    const v = validateSpecText('name: x\ntask: t\npolicy: { kind: rules, rules: [] }\ninvariants: { maxIterations: -1, bogus: 1 }\nautonomy: yolo\n')
    expect(v.ok).toBe(false)
    const paths = v.ok ? [] : v.errors.map((e) => e.path)
    expect(paths).toEqual(expect.arrayContaining(['policy.rules', 'invariants.maxIterations', 'invariants', 'autonomy']))
  })

  it('broken YAML and non-mappings get a clear error, not a crash', () => {
    expect(validateSpecText('name: [unclosed')).toMatchObject({ ok: false, errors: [{ path: expect.stringMatching(/line|file/) }] })
    expect(validateSpecText('- just\n- a list')).toMatchObject({ ok: false, errors: [{ message: expect.stringMatching(/mapping/) }] })
    expect(validateSpecText('policy: { kind: telepathy }\nname: x\ntask: t')).toMatchObject({ ok: false, errors: [{ path: 'policy.kind' }] })
  })

  it('refuses YAML alias bombs', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`)].join('\n')
    expect(validateSpecText(bomb).ok).toBe(false)
  })
})
