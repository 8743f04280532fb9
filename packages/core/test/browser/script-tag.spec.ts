import { test, expect } from './fixtures'
import { readFileSync } from 'node:fs'

// The IIFE as a user gets it from unpkg: the file package.json names, loaded by a plain
// <script> tag in a static page with no bundler and no module script.
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string
  unpkg: string
}
const iife = '/' + pkg.unpkg.replace(/^\.\//, '') // "./dist/followsocket.iife.js" → served by the fixture's lab.serve('/dist/')

const PLAIN = `<!doctype html>
<html><head><meta charset="utf-8"><title>plain page</title>
<script src="${iife}"></script>
</head><body>
<p id="out">waiting</p>
<p id="api"></p>
<p id="invalid"></p>
<script>
  var out = document.getElementById('out');
  var c = FollowSocket.connect('ws://' + location.host + '/v1/live');
  c.on('redirect', function (r) { out.textContent = 'redirect via ' + r.via; });
  c.on('open', function (e) { c.send('hello'); });
  c.on('message', function (m) { out.textContent = 'echo ' + m.data + ' from ' + e(c.resolvedUrl); });
  c.on('error', function (err) { out.textContent = 'error ' + err.code; });
  function e(url) { return url.replace(location.host, 'HOST'); }

  document.getElementById('api').textContent = [
    'version=' + FollowSocket.version,
    'connect=' + typeof FollowSocket.connect,
    'resolve=' + typeof FollowSocket.resolve,
    'FollowSocketError=' + typeof FollowSocket.FollowSocketError,
  ].join(' ');

  try {
    FollowSocket.connect('ftp://example.com/');
    document.getElementById('invalid').textContent = 'no throw';
  } catch (err) {
    document.getElementById('invalid').textContent =
      err.code + ' ' + (err instanceof FollowSocket.FollowSocketError) + ' ' + (err instanceof Error);
  }
</script>
</body></html>`

test.describe('the IIFE from a plain <script> tag', () => {
  test('connects through a 308 from inline script and writes the echo into the DOM', async ({ app, lab }) => {
    const v2 = lab.endpoint('/v2/live')
    lab.redirect('/v1/live', lab.ws('/v2/live'))
    lab.route('/plain.html', (_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PLAIN),
    )
    await app.goto(lab.http('/plain.html'))
    await expect(app.locator('#out')).toHaveText('echo hello from ws://HOST/v2/live')
    await expect(app.locator('#api')).toHaveText(
      `version=${pkg.version} connect=function resolve=function FollowSocketError=function`,
    )
    await expect(app.locator('#invalid')).toHaveText('INVALID_URL true true')
    expect(v2.received).toEqual(['hello'])
    expect(lab.count('/v1/live', 'get')).toBe(1)
    expect(lab.count(iife, 'get')).toBeGreaterThanOrEqual(1)
  })

  test('FollowSocket.version and FollowSocket.FollowSocketError are on the global', async ({ app }) => {
    const api = await app.evaluate(() => {
      const error = new window.FollowSocket.FollowSocketError('CLOSED', 'send() on a closed connection')
      return {
        version: window.FollowSocket.version,
        keys: Object.keys(window.FollowSocket).sort(),
        error: { name: error.name, code: error.code, isError: error instanceof Error, message: error.message },
      }
    })
    expect(api.version).toBe(pkg.version)
    expect(api.keys).toEqual(expect.arrayContaining(['FollowSocketError', 'connect', 'resolve', 'version']))
    expect(api.error).toMatchObject({ name: 'FollowSocketError', code: 'CLOSED', isError: true })
    expect(api.error.message).toMatch(/^send\(\) on a closed connection/)
  })
})
