import '@xterm/xterm/css/xterm.css'
import './styles.css'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { startMenuCommands } from './lib/menu'
import { startRouting } from './lib/route-sync'
import { startSync } from './store/sync'
import { missingToken } from './transport'

if (!missingToken) {
  startRouting()
  startSync()
  startMenuCommands()
}
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>
)
