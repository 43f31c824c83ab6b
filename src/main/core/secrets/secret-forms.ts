/**
 * The forms a secret can be printed in: as is, JSON-escaped, base64 (standard and URL-safe, at
 * any alignment inside a larger encoded blob), hex and percent-encoded. Scrubbing looks for
 * every form, so `base64 <<< $KEY` or a URL with the key in it is caught like the key itself.
 */

/** The base64 characters that depend on `bytes` alone when they sit `offset` bytes into a larger input. */
function base64Core(bytes: Buffer, offset: number): string {
  const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64')
  return encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6))
}

export function secretForms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8')
  const forms = new Set<string>([value, JSON.stringify(value).slice(1, -1)])
  for (const offset of [0, 1, 2]) {
    const core = base64Core(bytes, offset)
    forms.add(core)
    forms.add(core.replace(/\+/g, '-').replace(/\//g, '_'))
  }
  const hex = bytes.toString('hex')
  forms.add(hex)
  forms.add(hex.toUpperCase())
  forms.add(encodeURIComponent(value))
  const percent = hex.replace(/../g, '%$&')
  forms.add(percent)
  forms.add(percent.toUpperCase())
  // A form too short to be told apart from ordinary text is not searched for.
  return [...forms].filter((f) => f.length >= MIN_FORM_LENGTH)
}

export const MIN_FORM_LENGTH = 6
