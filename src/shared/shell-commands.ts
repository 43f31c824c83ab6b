/**
 * What the desktop shell sends the renderer besides pushes. No imports: the sandboxed preload
 * bundles this file.
 */

/** The longest view address the shell may ask the renderer to show. */
export const MAX_VIEW_ADDRESS = 2048

/** Whether `hash` is an in-app view address (`#/inbox/<key>`, `#/loop/<id>/…`) the renderer may be asked to show. */
export function isViewAddress(hash: unknown): hash is string {
  return typeof hash === 'string' && hash.startsWith('#/') && hash.length <= MAX_VIEW_ADDRESS
}
