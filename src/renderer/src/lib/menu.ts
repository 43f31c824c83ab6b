/**
 * The Electron File menu (Import Bundle…, Export Loop…) runs the same code as the buttons
 * on screen, so both paths behave alike; in the browser there is no menu and this is inert.
 */
import { useStore } from '../store'
import { shell } from '../transport'

const BUTTONS = { 'import-bundle': 'import-bundle', 'export-bundle': 'export-bundle' } as const

export function startMenuCommands(): void {
  shell?.onMenu?.((action) => {
    const button = document.querySelector<HTMLButtonElement>(`[data-testid="${BUTTONS[action]}"]`)
    if (button && !button.disabled) button.click()
    else if (action === 'export-bundle') useStore.getState().notify('select a loop to export first')
  })
}
