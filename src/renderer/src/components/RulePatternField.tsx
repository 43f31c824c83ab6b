/**
 * A rule pattern input with, below it, what the pattern covers or why it does not parse (checked
 * as it is typed by the parser the core uses): the inbox's always allow / deny and Settings' Add a rule.
 */
import type { RefObject } from 'react'

interface Props {
  /** Prefix of the test ids: `<name>-pattern`, `<name>-covers`. */
  name: string
  /** The description's element id (unique on the page). */
  coversId: string
  value: string
  onChange: (pattern: string) => void
  problem: string | null
  /** What the pattern covers, in words (shown when it parses). */
  covers: string
  field?: RefObject<HTMLInputElement | null>
  placeholder?: string
}

export function RulePatternField({ name, coversId, value, onChange, problem, covers, field, placeholder }: Props) {
  return (
    <>
      <label>
        Pattern
        <input
          ref={field}
          data-testid={`${name}-pattern`}
          value={value}
          spellCheck={false}
          aria-invalid={problem !== null}
          aria-describedby={coversId}
          onChange={(e) => onChange(e.target.value)}
          placeholder={placeholder}
        />
      </label>
      <p id={coversId} aria-live="polite" className={problem ? 'error' : 'hint'} data-testid={`${name}-covers`}>
        {problem ?? covers}
      </p>
    </>
  )
}
