/**
 * The application menu, built from the one table of menu commands: File (New Loop…, import,
 * export) and Inbox (the operator's main jobs on the open item). The renderer runs each command
 * through the same code as its button or shortcut. Reload and devtools exist only in development.
 */
import type { MenuItemConstructorOptions } from 'electron'
import { MENU_COMMANDS, type MenuCommand } from '../../shared/shell-commands'
import type { MenuAction } from './channels'

export function menuTemplate(opts: { dev: boolean; isMac: boolean; onAction?: (action: MenuAction) => void }): MenuItemConstructorOptions[] {
  const items = (menu: MenuCommand['menu']): MenuItemConstructorOptions[] =>
    MENU_COMMANDS.filter((c) => c.menu === menu).map((c) => ({ label: c.label, accelerator: c.accelerator, click: () => opts.onAction?.(c.action) }))
  const view: MenuItemConstructorOptions[] = [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }]
  if (opts.dev) view.unshift({ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' })
  return [
    ...(opts.isMac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    { label: 'File', submenu: [...items('File'), { type: 'separator' }, opts.isMac ? { role: 'close' } : { role: 'quit' }] },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { label: 'Inbox', submenu: items('Inbox') }
  ]
}
