/**
 * The desktop app asks for a view (an andon:// link, a second launch, a notification click): the
 * address goes through the router like one the operator typed, so a bad one is reported the same way.
 */
import { isViewAddress } from '../../../shared/shell-commands'
import { shell } from '../transport'

export function startShellNavigation(): void {
  shell?.onNavigate?.((hash) => {
    // Checked again here: the preload filters too, but the renderer does not rely on it.
    if (isViewAddress(hash)) location.hash = hash
  })
}
