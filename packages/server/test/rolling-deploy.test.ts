// The README's rolling deploy behind a real HAProxy, with a small fleet (npm run fleet runs
// 1,000 clients): three backends in their own processes, 200 followsocket clients in another,
// each backend in turn drained, stopped with SIGTERM (drainClients), restarted and put back.
import { HAPROXY } from '@followsocket/lab/haproxy'
import { describe, expect, it } from 'vitest'
import { rollingDeploy, rollTable } from './fleet/roll'

// CI installs HAProxy (.ci/run), so there a missing one is a failure, not a skip.
const run = HAPROXY || process.env.CI ? describe : describe.skip
if (!HAPROXY && !process.env.CI)
  console.log('skipped: the rolling deploy behind HAProxy (haproxy is not installed; .ci/run installs it on Debian)')

const CLIENTS = 200
const WINDOW_MS = 1000

run('a rolling deploy behind HAProxy, three backends, 200 followsocket clients', () => {
  it('hands every client over at each step, losing and duplicating nothing, without a preflight', async () => {
    const result = await rollingDeploy({ clients: CLIENTS, windowMs: WINDOW_MS })
    console.log(rollTable(result))
    expect(result.steps.map((s) => s.backend)).toEqual(['b1', 'b2', 'b3'])
    // Every backend had clients to hand over (leastconn spreads them), and they all came back.
    for (const step of result.steps) {
      expect(step.clients).toBeGreaterThan(0)
      expect(step).toMatchObject({ notReconnected: 0, lost: 0, duplicated: 0, preflights: 0 })
    }
    expect(result.errors).toEqual([])
  }, 120000)
})
