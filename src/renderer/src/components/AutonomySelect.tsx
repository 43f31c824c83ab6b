/** The autonomy modes as a select: the loop header's control and the Launch form's override. */
import { AUTONOMY_MODES } from '../../../shared/names'

interface Props {
  testid: string
  value: string
  onChange: (mode: string) => void
  /** A first option with an empty value (the Launch form's "from the spec"). */
  unset?: string
}

export function AutonomySelect({ testid, value, onChange, unset }: Props) {
  return (
    <select data-testid={testid} value={value} onChange={(e) => onChange(e.target.value)}>
      {unset !== undefined && <option value="">{unset}</option>}
      {AUTONOMY_MODES.map((m) => (
        <option key={m} value={m}>
          {m}
        </option>
      ))}
    </select>
  )
}
