// What the bindings' Chromium specs share: a page-side harness (a binding and its framework,
// bundled as an application would ship them) that exposes window.harness, and a wait on what
// one of its components rendered.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { rolldown } from 'rolldown'
import type { Page } from '@playwright/test'
import { expect } from './fixtures'

/** The page side: mounts components by id and reports what each rendered. */
export interface Harness {
  mount(id: string, url: string, options?: { share?: boolean; strict?: boolean }): void
  unmount(id: string): void
  seen(id: string): { state: string; lastMessage: unknown }
  send(id: string, data: string): void
  close(id: string): void
}

declare global {
  interface Window {
    harness: Harness
  }
}

const built = new Map<string, Promise<string>>()

/** Bundles `entry` (a harness.ts) into an IIFE once per worker; resolves with its folder. */
export const harnessBundle = (entry: URL, define: Record<string, string> = {}): Promise<string> => {
  const key = entry.href
  if (!built.has(key))
    built.set(
      key,
      (async () => {
        const dir = mkdtempSync(join(tmpdir(), 'followsocket-harness-'))
        process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
        const bundle = await rolldown({
          input: fileURLToPath(entry),
          platform: 'browser',
          logLevel: 'silent',
          transform: { define: { 'process.env.NODE_ENV': '"production"', ...define } },
        })
        await bundle.write({ file: join(dir, 'harness.js'), format: 'iife', minify: true })
        await bundle.close()
        return dir
      })(),
    )
  return built.get(key)!
}

/** Loads the harness the lab serves at /harness/ into the page. */
export const loadHarness = (app: Page) => app.addScriptTag({ url: new URL('/harness/harness.js', app.url()).href })

/** Waits until component `id` rendered `state` (and, given, `lastMessage`). */
export const rendered = (app: Page, id: string, state: string, lastMessage?: string) =>
  expect.poll(() => app.evaluate((id) => window.harness.seen(id), id)).toMatchObject(lastMessage === undefined ? { state } : { state, lastMessage })
