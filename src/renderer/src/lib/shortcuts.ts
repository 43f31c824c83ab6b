/**
 * Single-key shortcuts, and the one list of them the help overlay shows. A shortcut never fires
 * while the operator types (in an input, textarea, select or editable text, the terminal
 * included) or holds Ctrl, Alt or Meta, so it cannot steal a letter or a browser shortcut.
 */
import { useEffect, useRef } from 'react'

export interface Shortcut {
  key: string
  /** How the key is written in the help overlay. */
  label: string
  what: string
  where: string
}

export const SHORTCUTS = {
  help: { key: '?', label: '?', what: 'Show these shortcuts', where: 'Anywhere' },
  next: { key: 'j', label: 'j', what: 'Next item', where: 'Inbox' },
  previous: { key: 'k', label: 'k', what: 'Previous item', where: 'Inbox' },
  approve: { key: 'a', label: 'a', what: 'Approve the open approval as proposed, or run the open suggestion (off while its arguments are edited)', where: 'Inbox' },
  reject: { key: 'r', label: 'r', what: 'Reject: type the reason the loop will see, then Enter (a suggestion: dismiss it)', where: 'Inbox' },
  answer: { key: 'n', label: 'n', what: 'Answer the open call instead of running it: type the answer the loop will see, then send it', where: 'Inbox' },
  alwaysAllow: { key: 'A', label: 'Shift+A', what: 'Always allow this…: approve the open call and add an allow rule (pattern, scope and why first)', where: 'Inbox' },
  openLoop: { key: 'o', label: 'o', what: "Open the item's loop", where: 'Inbox' }
} satisfies Record<string, Shortcut>

/** Whether a key press belongs to what the operator is typing (or to the browser), not to a shortcut. */
export function isTyping(e: KeyboardEvent): boolean {
  if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return true
  const el = e.target
  if (!(el instanceof HTMLElement)) return false
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)
}

/** A dialog (the help overlay, the Stop all confirmation) holds the keyboard while it is open. */
const dialogOpen = () => document.querySelector('[aria-modal="true"], dialog[open]') !== null

/** Each mounted shortcut's live handler and whether it is on, so a menu command can run exactly what the key runs. */
interface Live {
  run(): void
  enabled: boolean
  whyOff?: string
}
const live = new Map<string, Live>()
const onChange = new Set<() => void>()
const changed = () => onChange.forEach((f) => f())

/**
 * Run `handler` when the shortcut's key is pressed outside a text field, while `enabled`;
 * `whyOff` is what a menu command for it says while it is off.
 */
export function useShortcut(shortcut: Shortcut, handler: () => void, enabled = true, whyOff?: string): void {
  const latest = useRef(handler)
  latest.current = handler
  useEffect(() => {
    const entry: Live = { run: () => latest.current(), enabled, whyOff }
    live.set(shortcut.key, entry)
    changed()
    return () => {
      if (live.get(shortcut.key) === entry) live.delete(shortcut.key)
      changed()
    }
  }, [shortcut.key, enabled, whyOff])
  useEffect(() => {
    if (!enabled) return
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== shortcut.key || isTyping(e) || dialogOpen()) return
      e.preventDefault()
      latest.current()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [shortcut.key, enabled])
}

/**
 * Run a shortcut's handler as its key would (the menu's way in, which fires even in a text field).
 * Returns null when it ran, else why not: its own reason, or `absent` when nothing on screen offers it.
 */
export function runShortcut(shortcut: Shortcut, absent: string): string | null {
  if (dialogOpen()) return 'close the open dialog first'
  const entry = live.get(shortcut.key)
  if (!entry) return absent
  if (!entry.enabled) return entry.whyOff ?? absent
  entry.run()
  return null
}

/** As runShortcut, on a screen just opened: waits up to `ms` for the shortcut to come on while the screen loads. */
export function runShortcutSoon(shortcut: Shortcut, absent: string, ms: number): Promise<string | null> {
  const ready = () => live.get(shortcut.key)?.enabled === true
  if (ready()) return Promise.resolve(runShortcut(shortcut, absent))
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(timer)
      onChange.delete(check)
      resolve(runShortcut(shortcut, absent))
    }
    const check = () => ready() && finish()
    const timer = setTimeout(finish, ms)
    onChange.add(check)
  })
}
