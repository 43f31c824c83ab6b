/**
 * Live terminal: the tool output of one iteration in an xterm pane, ANSI colours kept.
 * Older chunks are replayed from the store; chunks of the live iteration are appended as pushed.
 * What is written is capped, with a visible marker, so a huge output cannot freeze the window.
 */
import '@xterm/xterm/css/xterm.css'
import { Terminal as XTerm } from '@xterm/xterm'
import { useEffect, useRef, useState } from 'react'
import type { IterationRow } from '../../../../shared/iterations'
import { loadRange } from '../../lib/events'
import { useStore } from '../../store'
import { LIVE_CAP_BYTES } from '../../store/detail-slice'
import { errorMessage } from '../../transport'

export const TERMINAL_CAP_BYTES = 512 * 1024

/** Dark in both app themes; each ANSI colour keeps a 4.5:1 contrast on the background (WCAG AA). */
const TERMINAL_THEME = {
  background: '#0b0f14',
  foreground: '#d6dde6',
  black: '#8b949e',
  red: '#ff7b72',
  green: '#3fb950',
  yellow: '#d29922',
  blue: '#58a6ff',
  magenta: '#bc8cff',
  cyan: '#39c5cf',
  white: '#b1bac4',
  brightBlack: '#a5afba',
  brightRed: '#ffa198',
  brightGreen: '#56d364',
  brightYellow: '#e3b341',
  brightBlue: '#79c0ff',
  brightMagenta: '#d2a8ff',
  brightCyan: '#56d4dd',
  brightWhite: '#f0f6fc'
}

function styled(stream: 'stdout' | 'stderr' | 'info', chunk: string): string {
  return stream === 'info' ? `\x1b[36m${chunk}\x1b[0m` : chunk
}

/** `next`: the row after `row`, where its output ends (null: `row` is the newest, followed live). */
export function Terminal({ loopId, row, next }: { loopId: string; row: IterationRow; next: IterationRow | null }) {
  const iteration = row.iteration
  const box = useRef<HTMLDivElement>(null)
  const term = useRef<XTerm | null>(null)
  const written = useRef({ bytes: 0, skipped: 0, maxVersion: 0, ready: false })
  const [stats, setStats] = useState({ bytes: 0, skipped: 0 })
  const [error, setError] = useState<string | null>(null)
  // The live iteration's pushed output (a new array only when output arrives, not per pushed batch).
  const live = useStore((st) => (st.detail?.loopId === loopId && st.detail.live.iteration === iteration ? st.detail.live.chunks : null))

  useEffect(() => {
    const t = new XTerm({
      convertEol: true,
      disableStdin: true,
      scrollback: 10_000,
      fontSize: 12,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, monospace',
      theme: TERMINAL_THEME
    })
    // xterm takes Tab for the shell it would talk to; this one is read-only, so Tab and Shift+Tab move focus on.
    t.attachCustomKeyEventHandler((e) => e.key !== 'Tab')
    if (box.current) t.open(box.current)
    term.current = t
    const fit = () => {
      const el = box.current
      if (!el) return
      t.resize(Math.max(20, Math.floor((el.clientWidth - 12) / 7.3)), Math.max(5, Math.floor((el.clientHeight - 6) / 17)))
    }
    fit()
    const ro = new ResizeObserver(fit)
    if (box.current) ro.observe(box.current)
    return () => {
      ro.disconnect()
      t.dispose()
      term.current = null
    }
  }, [])

  function write(version: number, stream: 'stdout' | 'stderr' | 'info', chunk: string) {
    const t = term.current
    const w = written.current
    if (!t || version <= w.maxVersion) return
    w.maxVersion = version
    const room = Math.max(0, TERMINAL_CAP_BYTES - w.bytes)
    if (room > 0) {
      t.write(styled(stream, chunk.slice(0, room)))
      w.bytes += Math.min(room, chunk.length)
    }
    if (chunk.length > room) {
      if (w.skipped === 0) {
        t.write(`\r\n\x1b[1;33m ── output capped at ${TERMINAL_CAP_BYTES / 1024} KB in this view; the full output is in the trace ── \x1b[0m\r\n`)
      }
      w.skipped += chunk.length - room
    }
  }

  function showStats() {
    const { bytes, skipped } = written.current
    setStats((was) => (was.bytes === bytes && was.skipped === skipped ? was : { bytes, skipped }))
  }

  // Replay the iteration's recorded output whenever another iteration is shown. A finished
  // iteration ends where the next begins; the live one is read up to now, then followed by pushes.
  const from = row.firstVersion
  const nextRef = useRef(next)
  nextRef.current = next
  useEffect(() => {
    const t = term.current
    if (!t || !from) return
    // A terminal nothing was written to is already blank (the newest iteration of a loop without output).
    if (written.current.maxVersion > 0) t.reset()
    written.current = { bytes: 0, skipped: 0, maxVersion: 0, ready: false }
    setError(null)
    let stale = false
    const writePushed = () => {
      written.current.ready = true
      const pushed = useStore.getState().detail?.live
      if (pushed && pushed.iteration === iteration) for (const c of pushed.chunks) write(c.version, c.stream, c.chunk)
      showStats()
    }
    // The live iteration followed from its start: everything it printed was pushed, nothing to fetch.
    const pushed = useStore.getState().detail?.live
    if (pushed?.complete && pushed.iteration === iteration && pushed.bytes < LIVE_CAP_BYTES) {
      writePushed()
      return
    }
    const loopVersion = useStore.getState().detail?.state.version ?? from
    const until = Math.max(nextRef.current ? nextRef.current.firstVersion - 1 : loopVersion, from)
    loadRange(loopId, from, until).then(
      (events) => {
        if (stale) return
        for (const ev of events) if (ev.type === 'ToolOutput') write(ev.version, ev.data.stream, ev.data.chunk)
        writePushed()
      },
      (err: unknown) => !stale && setError(errorMessage(err))
    )
    return () => {
      stale = true
    }
  }, [loopId, iteration, from])

  // Append what is pushed for the live iteration.
  useEffect(() => {
    if (!live || !written.current.ready) return
    for (const c of live) write(c.version, c.stream, c.chunk)
    showStats()
  }, [live])

  return (
    <div className="terminal-pane">
      <div className="pane-title">
        <span>Terminal · iteration {iteration}</span>
        <span className="muted" data-testid="terminal-bytes" data-bytes={stats.bytes}>
          {stats.bytes < 1024 ? `${stats.bytes} B` : `${(stats.bytes / 1024).toFixed(1)} KB`}
        </span>
        {stats.skipped > 0 && (
          <span className="warn" data-testid="terminal-capped">
            {(stats.skipped / 1024).toFixed(0)} KB not shown
          </span>
        )}
        {error && <span className="error">{error}</span>}
      </div>
      <div className="terminal" data-testid="terminal" ref={box} />
    </div>
  )
}
