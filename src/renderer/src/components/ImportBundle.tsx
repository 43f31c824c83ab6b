/** Import a trace bundle (.andon): validated completely by the core, imported read-only. */
import { useRef } from 'react'
import { fileToBase64 } from '../lib/files'
import { useCommand } from '../lib/use-command'
import { useStore } from '../store'
import { refreshLoops, selectLoop } from '../store/sync'
import { andon } from '../transport'

export function ImportBundle() {
  const input = useRef<HTMLInputElement>(null)
  const { busy, run } = useCommand()
  async function onFile(file: File) {
    const res = await run(`import ${file.name}`, async () => andon.importBundle({ bytesBase64: await fileToBase64(file) }))
    if (!res) return
    await refreshLoops()
    const renamed = Object.keys(res.renamed).length
    useStore.getState().notify(`imported ${res.loopIds.length} loop(s) read-only${renamed ? `, ${renamed} renamed` : ''}: fork one to run it`, 'info')
    if (res.loopIds[0]) selectLoop(res.loopIds[0])
  }
  return (
    <>
      <button className="nav-tab" data-testid="import-bundle" disabled={busy} onClick={() => input.current?.click()} title="import a trace bundle (.andon)">
        {busy ? 'Importing…' : 'Import bundle'}
      </button>
      <input
        ref={input}
        type="file"
        accept=".andon,application/octet-stream"
        data-testid="import-bundle-file"
        hidden
        onChange={(e) => {
          const file = e.target.files?.[0]
          e.target.value = ''
          if (file) void onFile(file)
        }}
      />
    </>
  )
}
