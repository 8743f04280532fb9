// What the devtools' Chromium specs share: the test page (the lab's, with the followsocket IIFE),
// the devtools bundle, and reading the panel through its shadow root.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { rolldown } from 'rolldown'
import type { Locator, Page } from '@playwright/test'
import type { Lab } from '@followsocket/lab'
import { harnessBundle } from '../../../core/test/browser/harness'

let built: Promise<string> | undefined

/** The devtools and followsocket/tabs in one IIFE, built once per worker; resolves with its folder. */
export const devtoolsBundle = (): Promise<string> =>
  (built ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'followsocket-devtools-'))
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
    const bundle = await rolldown({
      input: fileURLToPath(new URL('./entry.ts', import.meta.url)),
      platform: 'browser',
      logLevel: 'silent',
    })
    await bundle.write({ file: join(dir, 'devtools.js'), format: 'iife', minify: true, codeSplitting: false })
    await bundle.close()
    return dir
  })())

/** Serves the devtools bundle and the React harness (packages/react/test/browser) from the lab. */
export async function serveBundles(lab: Lab) {
  lab.serve('/devtools/', await devtoolsBundle())
  lab.serve('/react/', await harnessBundle(new URL('../../../react/test/browser/harness.ts', import.meta.url)))
}

export const loadDevtools = (page: Page) =>
  page.addScriptTag({ url: new URL('/devtools/devtools.js', page.url()).href })
export const loadReact = (page: Page) => page.addScriptTag({ url: new URL('/react/harness.js', page.url()).href })

/** The panel's parts (Playwright's CSS locators pierce open shadow roots). */
export function panel(page: Page) {
  const root = page.locator('followsocket-devtools')
  const card = (name: string | RegExp) =>
    root.locator('article.card').filter({ has: page.locator('h3', { hasText: name }) })
  const field = (of: Locator, name: string) => of.locator(`[data-field="${name}"]`)
  return {
    root,
    toggle: root.locator('button.toggle'),
    section: root.locator('section.panel'),
    cards: root.locator('article.card'),
    card,
    field,
    /** What the panel says of one connection, read from its DOM. */
    async read(name: string | RegExp) {
      const c = card(name)
      const text = (n: string) => field(c, n).innerText()
      return {
        state: await text('state'),
        url: await text('url'),
        resolved: await text('resolved'),
        wait: (await field(c, 'wait').isVisible()) ? await text('wait') : '',
        chain: await field(c, 'chain').locator('li').allInnerTexts(),
        errors: await field(c, 'errors').locator('li').allInnerTexts(),
        sharing: await text('sharing'),
        buffered: await text('buffered'),
        marks: await field(c, 'strip')
          .locator('.mark')
          .evaluateAll((marks) => marks.map((m) => m.getAttribute('data-kind'))),
        bands: await field(c, 'strip')
          .locator('.band')
          .evaluateAll((bands) => bands.map((b) => b.getAttribute('data-kind'))),
      }
    },
  }
}

/** The element focused inside the panel's shadow root: its accessible name, roughly (label, text, placeholder). */
export const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.querySelector('followsocket-devtools')?.shadowRoot?.activeElement as
      | HTMLElement
      | null
      | undefined
    if (!el) return document.activeElement?.tagName.toLowerCase() ?? ''
    return (
      el.getAttribute('aria-label') ??
      (el.closest('label')?.firstChild?.textContent || el.textContent || el.tagName)
    ).trim()
  })
