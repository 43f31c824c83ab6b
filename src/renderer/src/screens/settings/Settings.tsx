/** Operator settings kept by the core (with who changed them and why): where notifications go, and the approval rules. */
import { ApprovalRules } from './ApprovalRules'
import { Webhooks } from './Webhooks'

export function Settings() {
  return (
    <section className="screen settings" data-testid="settings">
      <h2>Settings</h2>
      <Webhooks />
      <ApprovalRules />
    </section>
  )
}
