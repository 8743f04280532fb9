// The vanilla app's "Share one connection across tabs" toggle (docs/sharing.md#across-tabs) in
// Chromium: three tabs of one browser, one socket at the demo's feed, counted there as the panel
// shows it.
import { expect, test } from './fixtures'

test.describe('vanilla app, sharing across tabs', () => {
  test('three tabs with the toggle on hold one socket; when the leading tab closes another takes over', async ({
    context,
    demo,
    open,
  }) => {
    const first = await open('vanilla')
    await expect(first.state).toHaveText('open')
    // The toggle reloads the page with ?share=tabs, where the box is ticked only once the page's
    // script has run: click() rather than check(), which would see it unticked and click again.
    await first.page.getByRole('checkbox', { name: 'Share one connection across tabs' }).click()
    await expect(first.page).toHaveURL(/[?&]share=tabs/)
    await expect(first.page.getByRole('checkbox', { name: 'Share one connection across tabs' })).toBeChecked()
    await expect(first.state).toHaveText('open')
    await expect(first.page.getByTestId('role')).toHaveText('· this tab holds the socket')

    const others = [await context.newPage(), await context.newPage()]
    for (const page of others) {
      await page.goto(first.page.url())
      await expect(page.getByTestId('state')).toHaveText('open')
      await expect(page.getByTestId('role')).toHaveText('· following another tab')
      await expect(page.getByRole('checkbox', { name: 'Share one connection across tabs' })).toBeChecked()
    }
    // The page's first socket (before the toggle) is gone: one client for three tabs.
    await expect.poll(() => demo.live.state().clients).toEqual({ v1: 1, v2: 0 })

    // A chat message from a follower goes out through the leader's socket and comes back to every tab.
    const last = others[1]!
    await last.getByRole('textbox', { name: 'Message' }).fill('hello from the third tab')
    await last.getByRole('textbox', { name: 'Message' }).press('Enter')
    await expect(
      last.getByTestId('feed').getByRole('listitem').filter({ hasText: 'hello from the third tab' }),
    ).toContainText('delivered')
    await expect(first.message('hello from the third tab')).toBeVisible()

    await first.page.close()
    for (const page of others) await expect(page.getByTestId('state')).toHaveText('open')
    const roles = () => Promise.all(others.map((page) => page.getByTestId('role').textContent()))
    await expect
      .poll(async () => (await roles()).sort())
      .toEqual(['· following another tab', '· this tab holds the socket'])
    await expect.poll(() => demo.live.state().clients).toEqual({ v1: 1, v2: 0 })
  })
})
