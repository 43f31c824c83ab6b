import './styles.css'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { startMenuCommands } from './lib/menu'
import { startRouting } from './lib/route-sync'
import { startShellNavigation } from './lib/shell-navigation'
import { startSync } from './store/sync'
import { missingToken } from './transport'
import { reloadForNewToken } from './transport/token'

if (!missingToken) {
  startRouting()
  startSync()
  startMenuCommands()
  startShellNavigation()
} else {
  // The printed URL opened in this tab changes only the fragment.
  window.addEventListener('popstate', () => reloadForNewToken())
}
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>
)
