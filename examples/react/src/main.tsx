import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import './app.css'
import { App } from './App'
import { devtoolsOn, DevtoolsToggle } from './devtools'

// @followsocket/devtools in development only (npm run dev), behind the "Devtools" toggle, loaded
// before the app renders so that they see its connection from the start. import.meta.env.DEV is
// false in a production build: these branches are dead code there, so the build neither resolves
// the package nor carries any of it (its README shows this pattern). Keep the import() itself
// inside the branch: a bundler resolves every import() it can still reach.
if (import.meta.env.DEV && devtoolsOn()) (await import('@followsocket/devtools')).mountDevtools({ initialIsOpen: true })

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
    {import.meta.env.DEV && <DevtoolsToggle />}
  </StrictMode>,
)
