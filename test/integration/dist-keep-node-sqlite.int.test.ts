// `npm run dist` rebuilds better-sqlite3 for Electron in place; the checkout's Node build must come
// back whatever happens: after the build, after Ctrl-C or kill during it, and, when the process
// was killed outright, at the start of the next run. Exercised on temp files.
import { spawn } from 'node:child_process'
import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { keepingFile, restoreInterrupted, type Kept } from '../../scripts/desktop/keep-file.mjs'

const keepFileModule = pathToFileURL(resolve(__dirname, '../../scripts/desktop/keep-file.mjs')).href
const runModule = pathToFileURL(resolve(__dirname, '../../scripts/desktop/run.mjs')).href
let work: string
let kept: Kept
/** Stand-in builders started by a test, stopped afterwards should one outlive a failing run. */
const builders: number[] = []

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'andon-keep-'))
  mkdirSync(join(work, 'Release'))
  kept = { file: join(work, 'Release', 'better_sqlite3.node'), backup: join(work, 'cache', 'better_sqlite3.node') }
  writeFileSync(kept.file, 'node build')
})
afterEach(() => {
  for (const pid of builders.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // Already gone, as it should be.
    }
  }
  rmSync(work, { recursive: true, force: true })
})

describe("keeping the checkout's Node build through npm run dist", () => {
  it('puts it back after the build overwrote it, and after a build that failed, leaving no copy behind', async () => {
    const result = await keepingFile(kept, () => {
      writeFileSync(kept.file, 'electron build')
      return 0
    })
    expect(result).toBe(0)
    expect(readFileSync(kept.file, 'utf8')).toBe('node build')

    await expect(
      keepingFile(kept, () => {
        writeFileSync(kept.file, 'electron build')
        throw new Error('electron-builder failed')
      })
    ).rejects.toThrow('electron-builder failed')
    expect(readFileSync(kept.file, 'utf8')).toBe('node build')
    expect(readdirSync(join(work, 'cache'))).toEqual([])
  })

  it('restores what a run killed mid-build left aside, before anything else, and only once', async () => {
    // What a killed run leaves: the Electron build in place, the Node build in the cache.
    mkdirSync(join(work, 'cache'))
    writeFileSync(kept.backup, 'node build')
    writeFileSync(kept.file, 'electron build')

    expect(restoreInterrupted(kept)).toBe(true)
    expect(readFileSync(kept.file, 'utf8')).toBe('node build')
    expect(existsSync(kept.backup)).toBe(false)
    expect(restoreInterrupted(kept)).toBe(false)
  })

  it('never saves the Electron build over a copy still waiting to go back', async () => {
    mkdirSync(join(work, 'cache'))
    writeFileSync(kept.backup, 'node build')
    writeFileSync(kept.file, 'electron build')

    await keepingFile(kept, () => writeFileSync(kept.file, 'electron build again'))
    expect(readFileSync(kept.file, 'utf8')).toBe('node build')
  })

  it('replaces the file in one rename: the old one is never rewritten in place, and no temporary file stays', () => {
    mkdirSync(join(work, 'cache'))
    writeFileSync(kept.backup, 'node build')
    writeFileSync(kept.file, 'electron build')
    // A second name for the Electron build: a copy written into the file would change it too.
    linkSync(kept.file, join(work, 'electron-build-seen-by-a-reader'))
    const before = statSync(kept.file).ino

    restoreInterrupted(kept)
    expect(statSync(kept.file).ino).not.toBe(before)
    expect(readFileSync(join(work, 'electron-build-seen-by-a-reader'), 'utf8')).toBe('electron build')
    expect(readFileSync(kept.file, 'utf8')).toBe('node build')
    expect(readdirSync(join(work, 'Release'))).toEqual(['better_sqlite3.node'])
  })

  it.skipIf(process.platform === 'win32').each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)(
    'on %s during the build, passes it to the build, waits for it to stop, then puts the Node build back',
    async (signal) => {
      // A stand-in for electron-builder: overwrites the file, says so with its pid, and runs until stopped.
      const builder = `require('fs').writeFileSync(${JSON.stringify(kept.file)}, 'electron build'); console.log('building ' + process.pid); setInterval(() => {}, 1000)`
      const dist = `
        import { keepingFile } from ${JSON.stringify(keepFileModule)}
        import { runToEnd } from ${JSON.stringify(runModule)}
        const code = await keepingFile(${JSON.stringify(kept)}, () => runToEnd(process.execPath, ['-e', ${JSON.stringify(builder)}]))
        process.exit(code)`
      const child = spawn(process.execPath, ['--input-type=module', '-e', dist], { stdio: ['ignore', 'pipe', 'pipe'] })
      let stdout = ''
      let stderr = ''
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
      const builderPid = await new Promise<number>((res) =>
        child.stdout.on('data', (d: Buffer) => {
          stdout += d.toString()
          const started = /building (\d+)/.exec(stdout)
          if (started) res(Number(started[1]))
        })
      )
      builders.push(builderPid)
      expect(readFileSync(kept.file, 'utf8')).toBe('electron build')

      child.kill(signal)
      const code = await new Promise<number | null>((res) => child.on('exit', res))
      expect(code, stderr).toBe(128 + { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 }[signal])
      expect(readFileSync(kept.file, 'utf8')).toBe('node build')
      expect(existsSync(kept.backup)).toBe(false)
      expect(() => process.kill(builderPid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }))
    },
    15_000
  )
})
