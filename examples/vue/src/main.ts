import { createApp } from 'vue'
import './app.css'
import App from './App.vue'
import DevtoolsToggle from './DevtoolsToggle.vue'

// @followsocket/devtools in development only (npm run dev), behind the "Devtools" toggle
// (?devtools), loaded before the app mounts so that they see its connection from the start.
// import.meta.env.DEV is false in a production build: these branches are dead code there, so the
// build neither resolves the package nor carries any of it (its README shows this pattern). Keep
// the import() itself inside the branch: a bundler resolves every import() it can still reach.
if (import.meta.env.DEV && new URLSearchParams(location.search).has('devtools'))
  (await import('@followsocket/devtools')).mountDevtools({ initialIsOpen: true })

createApp(App).mount('#app')
if (import.meta.env.DEV) createApp(DevtoolsToggle).mount(document.body.appendChild(document.createElement('div')))
