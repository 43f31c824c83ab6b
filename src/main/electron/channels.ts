/**
 * IPC channel names shared by the main process and the preload. No imports: the sandboxed
 * preload bundles this file.
 */
export const CHANNEL_PREFIX = 'andon:'
export const PUSH_CHANNEL = 'andon:push'
export const commandChannel = (name: string): string => `${CHANNEL_PREFIX}${name}`

/** Shell-only secrets bridge (the renderer can set and clear keys, never read them). */
export const SECRET_CHANNELS = {
  status: 'andon-shell:secret-status',
  set: 'andon-shell:secret-set',
  clear: 'andon-shell:secret-clear'
} as const
