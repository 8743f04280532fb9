// Finds a Chromium for Playwright. Playwright's own download cannot run on machines without
// internet (ours), so: $CHROMIUM_PATH, then a system Chromium, then Playwright's own browser.
// Returns undefined to mean "Playwright's own".
import { existsSync } from 'node:fs'

const SYSTEM = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
]

export const chromiumPath = () => {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH
  return SYSTEM.find((path) => existsSync(path))
}

// Flags for headless Chromium on a closed network: without the background-networking ones it
// keeps trying to reach Google and the machine refuses those connections.
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]
