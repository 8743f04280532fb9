// The demo apps' "Devtools" toggle: the vanilla page (served by the demo) imports the devtools
// from the CDN, which the demo serves from this workspace's build; the React and Vue apps load
// them in development (Vite's dev server) only, and their production builds carry none of it.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createServer } from 'vite'
import { freePort } from '@followsocket/lab'
import { expect, test } from '../../../../e2e/fixtures'
import { panel } from './page'

const examples = fileURLToPath(new URL('../../../../examples/', import.meta.url))
const toggle = (page: import('@playwright/test').Page) => page.getByRole('checkbox', { name: 'Devtools', exact: true })

test('vanilla: the toggle loads the devtools, which show the page’s connection under the name it gave inspect()', async ({
  open,
  demo,
}) => {
  const chat = await open('vanilla')
  await expect(chat.state).toHaveText('open')
  await expect(chat.page.locator('followsocket-devtools')).toHaveCount(0)
  await toggle(chat.page).click()
  await expect(toggle(chat.page)).toBeChecked()
  const p = panel(chat.page)
  await expect(p.field(p.card('live feed'), 'state')).toHaveText('open')
  await expect(p.field(p.card('live feed'), 'resolved')).toHaveText(demo.live.v1)
})

for (const app of ['react', 'vue'] as const)
  test(`${app}: in development the toggle loads the devtools, which find the connection its two components share; the production build carries none of it`, async ({
    page,
    demo,
  }) => {
    test.setTimeout(60_000)
    const port = await freePort()
    // Vite's dev server sets NODE_ENV to 'development' in this process when it is unset: put it back after.
    const nodeEnv = process.env.NODE_ENV
    const server = await createServer({
      root: join(examples, app),
      server: { port, host: '127.0.0.1', strictPort: true },
      logLevel: 'silent',
      clearScreen: false,
    })
    await server.listen()
    try {
      await page.goto(`http://127.0.0.1:${port}/?feed=${encodeURIComponent(demo.live.v1)}`)
      await expect(page.getByTestId('state')).toHaveText('open')
      await expect(page.locator('followsocket-devtools')).toHaveCount(0)
      await toggle(page).check()
      await expect(toggle(page)).toBeChecked()
      const p = panel(page)
      // Loaded before the app rendered: the connection from its first state on.
      const live = p.cards.filter({
        has: page.locator('[data-field="sharing"]', { hasText: 'by 2 components (share: true)' }),
      })
      await expect(p.field(live, 'state')).toHaveText('open')
      await expect(p.field(live, 'attempts')).toHaveText(/^1 handshake since watched/)
    } finally {
      await server.close()
      if (nodeEnv === undefined) delete process.env.NODE_ENV
      else process.env.NODE_ENV = nodeEnv
    }

    const out = mkdtempSync(join(tmpdir(), `followsocket-${app}-build-`))
    try {
      // As `npm run build` makes it: its own process, NODE_ENV unset.
      const { NODE_ENV, ...env } = process.env
      execFileSync(
        process.execPath,
        [
          join(examples, app, 'node_modules/vite/bin/vite.js'),
          'build',
          '--outDir',
          out,
          '--emptyOutDir',
          '--logLevel',
          'silent',
        ],
        { cwd: join(examples, app), env, stdio: 'pipe' },
      )
      const assets = join(out, 'assets')
      const code = readdirSync(assets)
        .map((file) => readFileSync(join(assets, file), 'utf8'))
        .join('\n')
      expect(code).toContain('The live feed moved to') // the app is there (its banner's words)
      expect(code).not.toMatch(/followsocket-devtools|mountDevtools|Devtools/)
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })
