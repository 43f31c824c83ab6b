/**
 * Import a trace bundle (.andon), from the button or by dropping the file anywhere on the
 * window: validated completely by the core, imported read-only.
 */
import { useEffect, useRef, useState } from 'react'
import { fileToBase64 } from '../lib/files'
import { useCommand } from '../lib/use-command'
import { useStore } from '../store'
import { refreshLoops, selectLoop } from '../store/sync'
import { andon, isElectron } from '../transport'
import { uploadBundle } from '../transport/web-client'

export function ImportBundle() {
  const input = useRef<HTMLInputElement>(null)
  const { busy, run } = useCommand()
  async function onFile(file: File) {
    // The web shell takes the file as a streamed upload; the desktop app hands the core its path.
    const shell = window.andonShell
    const res = await run(`import ${file.name}`, async () =>
      !isElectron ? uploadBundle(file) : shell?.importBundleFile ? shell.importBundleFile(file) : andon.importBundle({ bytesBase64: await fileToBase64(file) })
    )
    if (!res) return
    await refreshLoops()
    const renamed = Object.keys(res.renamed).length
    useStore.getState().notify(`imported ${res.loopIds.length} loop(s) read-only${renamed ? `, ${renamed} renamed` : ''}: fork one to run it`, 'info')
    if (res.loopIds[0]) selectLoop(res.loopIds[0])
  }
  const [dragging, setDragging] = useState(false)
  const onFileRef = useRef(onFile)
  onFileRef.current = onFile
  useEffect(() => {
    const hasFiles = (e: DragEvent) => Boolean(e.dataTransfer?.types.includes('Files'))
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return
      e.preventDefault() // without this the browser opens the file instead
      setDragging(true)
    }
    const leave = (e: DragEvent) => {
      if (e.relatedTarget === null) setDragging(false)
    }
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return
      e.preventDefault()
      setDragging(false)
      const file = e.dataTransfer?.files[0]
      if (!file) return
      if (!file.name.endsWith('.andon')) useStore.getState().notify(`${file.name} is not a trace bundle (.andon)`)
      else void onFileRef.current(file)
    }
    window.addEventListener('dragover', over)
    window.addEventListener('dragleave', leave)
    window.addEventListener('drop', drop)
    return () => {
      window.removeEventListener('dragover', over)
      window.removeEventListener('dragleave', leave)
      window.removeEventListener('drop', drop)
    }
  }, [])
  return (
    <>
      {dragging && (
        <div className="drop-overlay" data-testid="drop-overlay">
          Drop a trace bundle (.andon) to import it read-only
        </div>
      )}
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
