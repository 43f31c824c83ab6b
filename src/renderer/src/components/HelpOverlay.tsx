/**
 * The keyboard shortcuts, opened with `?`: a modal dialog that holds focus (Tab cycles inside it),
 * closes with Escape or its button, and gives focus back to where it was. In the desktop app it
 * lists the menu accelerators beside the keys, and the menu commands that have no key.
 */
import { useEffect, useRef, useState } from 'react'
import { MENU_COMMANDS, acceleratorLabel, type MenuAction } from '../../../shared/shell-commands'
import { menuActionOf } from '../lib/menu'
import { SHORTCUTS, useShortcut } from '../lib/shortcuts'
import { shell } from '../transport'

const FOCUSABLE = 'button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])'

const isMac = navigator.userAgent.includes('Mac')
function accelerator(action: MenuAction | undefined) {
  const command = MENU_COMMANDS.find((c) => c.action === action)
  return command ? <kbd>{acceleratorLabel(command.accelerator, isMac)}</kbd> : '—'
}
/** Menu commands no single key doubles: they are listed after the keys. */
const menuOnly = MENU_COMMANDS.filter((c) => !Object.values(SHORTCUTS).some((s) => menuActionOf(s) === c.action))

/** The nav's `?` button and the dialog it opens (the `?` key opens it too). */
export function HelpOverlay() {
  const [open, setOpen] = useState(false)
  useShortcut(SHORTCUTS.help, () => setOpen(true), !open)
  return (
    <>
      <button className="nav-tab" data-testid="help-button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={() => setOpen(true)}>
        ?
      </button>
      {open && <HelpDialog onClose={() => setOpen(false)} />}
    </>
  )
}

function HelpDialog({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDivElement>(null)

  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null
    dialog.current?.querySelector<HTMLElement>(FOCUSABLE)?.focus()
    return () => before?.focus()
  }, [])

  function onKeyDown(e: React.KeyboardEvent) {
    if (e.key === 'Escape') {
      e.preventDefault()
      onClose()
      return
    }
    if (e.key !== 'Tab' || !dialog.current) return
    // Focus stays inside: Tab from the last element goes to the first, Shift+Tab from the first to the last.
    const items = [...dialog.current.querySelectorAll<HTMLElement>(FOCUSABLE)]
    const first = items[0]
    const last = items[items.length - 1]
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault()
      last.focus()
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault()
      first.focus()
    }
  }

  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="help-dialog card" role="dialog" aria-modal="true" aria-labelledby="help-title" data-testid="help-overlay" ref={dialog} onKeyDown={onKeyDown}>
        <h2 id="help-title">Keyboard shortcuts</h2>
        <p className="hint">Tab and Shift+Tab move between controls everywhere, the terminal included; Enter or Space presses a button.</p>
        <table className="shortcuts">
          <thead>
            <tr>
              <th scope="col">Key</th>
              {shell && <th scope="col">Menu</th>}
              <th scope="col">What it does</th>
              <th scope="col">Where</th>
            </tr>
          </thead>
          <tbody>
            {Object.values(SHORTCUTS).map((s) => (
              <tr key={s.key}>
                <td>
                  <kbd>{s.label}</kbd>
                </td>
                {shell && <td>{accelerator(menuActionOf(s))}</td>}
                <td>{s.what}</td>
                <td>{s.where}</td>
              </tr>
            ))}
            <tr>
              <td>
                <kbd>Esc</kbd>
              </td>
              {shell && <td>—</td>}
              <td>Close this list</td>
              <td>Here</td>
            </tr>
            {shell &&
              menuOnly.map((c) => (
                <tr key={c.action} data-testid="help-menu-only">
                  <td>—</td>
                  <td>{accelerator(c.action)}</td>
                  <td>{c.label}</td>
                  <td>{c.menu} menu</td>
                </tr>
              ))}
          </tbody>
        </table>
        <div className="actions">
          <button data-testid="help-close" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  )
}
