import { test as base, expect, type Page } from '@playwright/test'
import { startLab, type Lab } from '@followsocket/lab'
import { fileURLToPath } from 'node:url'

// FOLLOWSOCKET_DIST serves another build's dist/ (e.g. a mutated IIFE, to check that the tests can fail).
const dist = process.env.FOLLOWSOCKET_DIST ?? fileURLToPath(new URL('../../dist/', import.meta.url))

/** A page at `lab`'s origin that loaded the built IIFE from a plain <script> tag. */
const PAGE = `<!doctype html><meta charset="utf-8"><title>followsocket test page</title>
<script src="/dist/followsocket.iife.js"></script>`

export interface Fixtures {
  /** The page's own origin; serves the page and the built package. */
  lab: Lab
  /** A second origin (another port) for cross-origin redirects. */
  other: Lab
  /** A page at lab's origin with window.FollowSocket loaded; fails the test on any page error. */
  app: Page
}

export const test = base.extend<Fixtures>({
  lab: async ({}, use) => {
    const lab = await startLab()
    lab.serve('/dist/', dist)
    lab.route('/', (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE))
    await use(lab)
    await lab.close()
  },
  other: async ({}, use) => {
    const lab = await startLab()
    await use(lab)
    await lab.close()
  },
  app: async ({ page, lab }, use) => {
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(String(error)))
    await page.addInitScript(() => {
      addEventListener('unhandledrejection', (event) => {
        throw new Error(`unhandled rejection: ${String((event as PromiseRejectionEvent).reason)}`)
      })
    })
    await page.goto(lab.http('/'))
    await use(page)
    expect(errors, 'errors thrown in the page').toEqual([])
  },
})

export { expect }
