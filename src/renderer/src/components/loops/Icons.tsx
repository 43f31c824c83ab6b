/** Inline icons: drawn, not taken from a font, so they look the same wherever the control room runs. */

/** A branch leaving a line: a loop forked from another. */
export function ForkIcon() {
  return (
    <svg className="icon" width="12" height="12" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <circle cx="4" cy="3" r="1.8" fill="none" stroke="currentColor" strokeWidth="1.5" />
      <circle cx="4" cy="13" r="1.8" fill="none" stroke="currentColor" strokeWidth="1.5" />
      <circle cx="12" cy="5" r="1.8" fill="none" stroke="currentColor" strokeWidth="1.5" />
      <path d="M4 4.8v6.4M12 6.8c0 3-8 2.2-8 4.4" fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  )
}

/** An arrow into a tray: a loop that came from a bundle. */
export function ImportIcon() {
  return (
    <svg className="icon" width="12" height="12" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d="M8 1.5v8M4.5 6.5 8 10l3.5-3.5M2 10.5v3.5h12v-3.5" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  )
}
