// The application menu and the one table of menu commands it is built from: every main job is
// there with its accelerator, and no accelerator takes a key that Electron's own menu roles or
// text editing use (a menu accelerator fires even while the operator types in a field).
import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import { menuTemplate } from '../../src/main/electron/menu'
import { MENU_ACTIONS, MENU_COMMANDS, acceleratorLabel, isViewAddress } from '../../src/shared/shell-commands'

type Platform = 'mac' | 'linux' | 'win'

/** Electron's default accelerators for the roles, per platform (electron/lib/browser/api/menu-item-roles.ts). */
const ROLE_ACCELERATORS: Record<string, (p: Platform) => string | null> = {
  undo: () => 'CommandOrControl+Z',
  redo: (p) => (p === 'win' ? 'Control+Y' : 'Shift+CommandOrControl+Z'),
  cut: () => 'CommandOrControl+X',
  copy: () => 'CommandOrControl+C',
  paste: () => 'CommandOrControl+V',
  pasteAndMatchStyle: (p) => (p === 'mac' ? 'Shift+Command+Alt+V' : 'Shift+CommandOrControl+V'),
  selectAll: () => 'CommandOrControl+A',
  reload: () => 'CmdOrCtrl+R',
  toggleDevTools: (p) => (p === 'mac' ? 'Alt+Command+I' : 'Ctrl+Shift+I'),
  resetZoom: () => 'CommandOrControl+0',
  zoomIn: () => 'CommandOrControl+Plus',
  zoomOut: () => 'CommandOrControl+-',
  togglefullscreen: (p) => (p === 'mac' ? 'Control+Command+F' : 'F11'),
  close: () => 'CommandOrControl+W',
  quit: (p) => (p === 'mac' ? 'Command+Q' : p === 'linux' ? 'Control+Q' : null),
  hide: () => 'Command+H',
  hideOthers: () => 'Command+Alt+H'
}
/** What the roles that are whole menus hold. */
const ROLE_MENUS: Record<string, string[]> = {
  editMenu: ['undo', 'redo', 'cut', 'copy', 'paste', 'pasteAndMatchStyle', 'delete', 'selectAll'],
  appMenu: ['about', 'services', 'hide', 'hideOthers', 'unhide', 'quit']
}
/** Keys text fields use with Ctrl (or Cmd) beyond the edit menu's: deleting and moving by word, plain paste, unicode entry. */
const TEXT_EDITING = ['Ctrl+Backspace', 'Ctrl+Delete', 'Ctrl+Left', 'Ctrl+Right', 'Ctrl+Home', 'Ctrl+End', 'Ctrl+Shift+Left', 'Ctrl+Shift+Right', 'Ctrl+Shift+Home', 'Ctrl+Shift+End', 'Ctrl+Shift+U', 'Ctrl+Enter', 'Ctrl+Shift+Enter']

/** One spelling per key combination, with CmdOrCtrl resolved for the platform. */
function canonical(accelerator: string, p: Platform): string {
  const keys = accelerator.split('+').map((k) => {
    if (k === 'CmdOrCtrl' || k === 'CommandOrControl') return p === 'mac' ? 'cmd' : 'ctrl'
    if (k === 'Command' || k === 'Cmd') return 'cmd'
    if (k === 'Control') return 'ctrl'
    if (k === 'Option') return 'alt'
    return k.toLowerCase()
  })
  const key = keys.pop()!
  return [...keys.sort(), key].join('+')
}

function walk(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? walk(i.submenu) : [])])
}
const roleAccelerators = (items: MenuItemConstructorOptions[], p: Platform) =>
  walk(items)
    .flatMap((i) => (i.role ? (ROLE_MENUS[i.role] ?? [i.role]) : []))
    .map((role) => ROLE_ACCELERATORS[role]?.(p))
    .filter((a): a is string => Boolean(a))
const platforms: Platform[] = ['mac', 'linux', 'win']

describe('menu template', () => {
  const submenu = (t: MenuItemConstructorOptions[], label: string) => t.find((m) => m.label === label)!.submenu as MenuItemConstructorOptions[]

  it('offers every main job under its menu with its accelerator, and each hands its own action to the shell', () => {
    const actions: string[] = []
    const t = menuTemplate({ dev: false, isMac: false, onAction: (a) => actions.push(a) })
    const shown = (label: string) => submenu(t, label).filter((i) => i.label).map((i) => `${i.label} ${i.accelerator}`)
    expect(shown('File')).toEqual(['New Loop… CmdOrCtrl+N', 'Import Bundle… CmdOrCtrl+O', 'Export Loop… CmdOrCtrl+E'])
    expect(shown('Inbox')).toEqual([
      'Show Inbox CmdOrCtrl+I',
      'Next Item CmdOrCtrl+]',
      'Previous Item CmdOrCtrl+[',
      'Approve as Proposed CmdOrCtrl+Shift+A',
      'Reject… CmdOrCtrl+Shift+R',
      "Open the Item's Loop CmdOrCtrl+Shift+O"
    ])
    for (const item of [...submenu(t, 'File'), ...submenu(t, 'Inbox')]) item.click?.(undefined as never, undefined, undefined as never)
    expect(actions).toEqual(['launch', 'import-bundle', 'export-bundle', 'show-inbox', 'next-item', 'previous-item', 'approve', 'reject', 'open-loop'])
  })

  it('offers reload and devtools only in development, on every platform', () => {
    for (const isMac of [false, true]) {
      const roles = (dev: boolean) => walk(menuTemplate({ dev, isMac })).map((i) => i.role)
      expect(roles(true)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']))
      expect(roles(false)).not.toContain('reload')
      expect(roles(false)).not.toContain('toggleDevTools')
      expect(roles(false)).toContain(isMac ? 'close' : 'quit')
    }
  })

  it('gives no two items the same keys, even beside the roles of the development menu', () => {
    for (const p of platforms) {
      const t = menuTemplate({ dev: true, isMac: p === 'mac' })
      const all = [...walk(t).flatMap((i) => (i.accelerator ? [i.accelerator] : [])), ...roleAccelerators(t, p)].map((a) => canonical(a, p))
      expect(all.length).toBeGreaterThan(MENU_COMMANDS.length)
      expect(all.filter((a, i) => all.indexOf(a) !== i), p).toEqual([])
    }
  })

  it('takes no key text editing uses, and none without Ctrl or Cmd', () => {
    for (const p of platforms) {
      const editing = new Set([...ROLE_MENUS.editMenu.map((r) => ROLE_ACCELERATORS[r]?.(p)).filter((a): a is string => Boolean(a)), ...TEXT_EDITING].map((a) => canonical(a, p)))
      for (const { accelerator } of MENU_COMMANDS) {
        expect(editing.has(canonical(accelerator, p)), `${accelerator} on ${p}`).toBe(false)
        expect(accelerator.startsWith('CmdOrCtrl+'), accelerator).toBe(true)
      }
    }
  })

  it('the canonical spelling used above tells equal keys from different ones', () => {
    expect(canonical('Shift+CommandOrControl+Z', 'linux')).toBe(canonical('CmdOrCtrl+Shift+Z', 'linux'))
    expect(canonical('Ctrl+Shift+I', 'linux')).toBe(canonical('CmdOrCtrl+Shift+I', 'linux'))
    expect(canonical('Ctrl+Shift+I', 'mac')).not.toBe(canonical('CmdOrCtrl+Shift+I', 'mac'))
  })
})

describe('menu command table', () => {
  it('names each action once, and the preload accepts exactly its actions', () => {
    const actions = MENU_COMMANDS.map((c) => c.action)
    expect(new Set(actions).size).toBe(actions.length)
    expect(new Set(MENU_COMMANDS.map((c) => c.label)).size).toBe(actions.length)
    expect([...MENU_ACTIONS]).toEqual(actions)
  })

  it('writes an accelerator as the platform does', () => {
    expect(acceleratorLabel('CmdOrCtrl+Shift+A', false)).toBe('Ctrl+Shift+A')
    expect(acceleratorLabel('CmdOrCtrl+Shift+A', true)).toBe('⌘⇧A')
    expect(acceleratorLabel('CmdOrCtrl+]', true)).toBe('⌘]')
    expect(acceleratorLabel('CmdOrCtrl+N', false)).toBe('Ctrl+N')
  })
})

describe('view addresses from the shell', () => {
  it('accepts an in-app address of at most 2048 characters and nothing else', () => {
    expect(isViewAddress('#/inbox/l1:approval:c1')).toBe(true)
    expect(isViewAddress(`#/${'x'.repeat(2046)}`)).toBe(true)
    expect(isViewAddress(`#/${'x'.repeat(2047)}`)).toBe(false)
    for (const bad of ['https://example.com/#/inbox', 'javascript:alert(1)', '/inbox', '#inbox', '', 42, null, { hash: '#/inbox' }]) expect(isViewAddress(bad)).toBe(false)
  })
})
