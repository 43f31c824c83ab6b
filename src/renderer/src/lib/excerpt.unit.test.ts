import { describe, expect, it } from 'vitest'
import { plainExcerpt } from './excerpt'

describe('observation excerpts as text', () => {
  it('drops colour, bold and cursor codes but keeps the words and line breaks', () => {
    const colored = '\u001b[31mFAIL\u001b[39m \u001b[1madd(2, 3)\u001b[22m\n\u001b[2K\u001b[1Gexpected 5, got -1\n'
    expect(plainExcerpt(colored)).toBe('FAIL add(2, 3)\nexpected 5, got -1\n')
  })

  it('keeps the tail of a long output and marks the cut', () => {
    const text = `${'x'.repeat(50)}\u001b[32mend\u001b[0m`
    expect(plainExcerpt(text, 10)).toBe(`…${'x'.repeat(7)}end`)
  })
})
