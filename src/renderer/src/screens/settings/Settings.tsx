/** Operator settings kept by the core (with who changed them and why): where notifications go. */
import { Webhooks } from './Webhooks'

export function Settings() {
  return (
    <section className="screen settings" data-testid="settings">
      <h2>Settings</h2>
      <Webhooks />
    </section>
  )
}
