/** The application menu: small on purpose. Reload and devtools exist only in development. */
import type { MenuItemConstructorOptions } from 'electron'
import type { MenuAction } from './channels'

export function menuTemplate(opts: { dev: boolean; isMac: boolean; onAction?: (action: MenuAction) => void }): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }]
  if (opts.dev) view.unshift({ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' })
  return [
    ...(opts.isMac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    {
      label: 'File',
      submenu: [
        // The renderer runs these through the same code as its buttons.
        { label: 'Import Bundle…', accelerator: 'CmdOrCtrl+O', click: () => opts.onAction?.('import-bundle') },
        { label: 'Export Loop…', accelerator: 'CmdOrCtrl+E', click: () => opts.onAction?.('export-bundle') },
        { type: 'separator' },
        opts.isMac ? { role: 'close' } : { role: 'quit' }
      ]
    },
    { role: 'editMenu' },
    { label: 'View', submenu: view }
  ]
}
