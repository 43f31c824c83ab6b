/**
 * Why an Electron fetched into node_modules may die at once on Linux, and the fix: Chromium's
 * sandbox needs either unprivileged user namespaces (Ubuntu 23.10+ restricts them with AppArmor;
 * some kernels turn them off) or a chrome-sandbox helper owned by root with the setuid bit. A
 * fetched Electron has neither, so it aborts with "The SUID sandbox helper binary was found, but
 * is not configured correctly". Installed packages (.deb) ship an AppArmor profile instead.
 */
import { readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'

const SETUID = 0o4000

/** Pure: the one-clause fix, or null when the sandbox is not what stopped Electron. */
export function sandboxHint({ platform, helper, helperStat, usernsRestricted }) {
  if (platform !== 'linux' || !usernsRestricted || !helperStat) return null
  if (helperStat.uid === 0 && (helperStat.mode & SETUID) !== 0) return null
  return (
    'this Linux restricts the user namespaces Chromium sandboxes with, and the fetched chrome-sandbox is not setuid root: ' +
    `run \`sudo chown root:root ${helper} && sudo chmod 4755 ${helper}\` once`
  )
}

const read = (path) => {
  try {
    return readFileSync(path, 'utf8').trim()
  } catch {
    return null
  }
}

/** The hint for the Electron at `exe` on this machine (reads /proc and the helper's mode). */
export function sandboxHintFor(exe, platform = process.platform) {
  if (platform !== 'linux') return null
  const helper = join(dirname(exe), 'chrome-sandbox')
  let helperStat = null
  try {
    helperStat = statSync(helper)
  } catch {
    return null
  }
  const usernsRestricted =
    read('/proc/sys/kernel/apparmor_restrict_unprivileged_userns') === '1' || read('/proc/sys/kernel/unprivileged_userns_clone') === '0'
  return sandboxHint({ platform, helper, helperStat, usernsRestricted })
}
