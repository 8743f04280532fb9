// A Worker bundles @followsocket/server without `nodejs_compat`: nothing on the Fetch path, nor
// anything createRedirects() brings along for Node, imports a Node built-in at run time
// (docs/workers.md#no-node-built-ins). Bundled as wrangler bundles a Worker.
import { describe, expect, it } from 'vitest'
import { bundleWorker } from './workers/bundle'

const WORKER = `
import { createComeBackLater, createRedirects, drainClients, moveClients } from '@followsocket/server'
const redirects = createRedirects({ rules: { '/v1/live': 'wss://live.example.com/v2/live' }, origins: '*' })
const later = createComeBackLater({ retryAfter: 30 })
export default { fetch: (request) => redirects.fetch(request) ?? later.fetch(request) }
export { moveClients, drainClients }
`

describe('@followsocket/server in a Worker bundle', () => {
  it('imports no Node built-in from the build an npm user installs', async () => {
    const { nodeImports, code } = await bundleWorker({ contents: WORKER })
    expect(nodeImports).toEqual([])
    expect(code).toContain('Permanent Redirect')
  })

  it('imports no Node built-in from the TypeScript sources either', async () => {
    const { nodeImports } = await bundleWorker({ contents: WORKER }, { source: true })
    expect(nodeImports).toEqual([])
  })
})
