/** Tool output shown as plain text: colour and cursor codes belong in the terminal, not in a text block. */
import stripAnsi from 'strip-ansi'

/** The text without ANSI escape codes, its last `max` characters (an excerpt is the output's tail). */
export function plainExcerpt(text: string, max = 4000): string {
  const plain = stripAnsi(text)
  return plain.length > max ? `…${plain.slice(-max)}` : plain
}
