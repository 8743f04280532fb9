import { describe, expect, it } from 'vitest'
import { connect } from '../src'
import { next, NodeWebSocket, record } from './helpers'
import { lab, track } from './lab'

describe("discovery: 'auto'", () => {
  it('opens a direct endpoint with zero preflight requests', async () => {
    lab.endpoint('/live')
    const c = track(connect(lab.ws('/live'), { WebSocket: NodeWebSocket, cache: false }))
    const opened = await next(c, 'open')
    expect(opened.url).toBe(lab.ws('/live'))
    expect(lab.count('/live', 'get')).toBe(0)
    expect(lab.count('/live', 'upgrade')).toBe(1)
  })

  it('opens a 308 endpoint at its Location after exactly one preflight', async () => {
    lab.endpoint('/v2/live')
    lab.redirect('/v1/live', lab.ws('/v2/live'))
    const c = track(connect(lab.ws('/v1/live'), { WebSocket: NodeWebSocket, cache: false }))
    const events = record(c)
    const opened = await next(c, 'open')
    expect(opened.url).toBe(lab.ws('/v2/live'))
    expect(c.resolvedUrl).toBe(lab.ws('/v2/live'))
    expect(lab.count('/v1/live', 'get')).toBe(1)
    expect(lab.count('/v1/live', 'upgrade')).toBe(1)
    expect(events.of('redirect')).toEqual([
      {
        from: lab.ws('/v1/live'),
        to: lab.ws('/v2/live'),
        hops: [{ from: lab.ws('/v1/live'), to: lab.ws('/v2/live'), status: 308 }],
        via: 'preflight',
      },
    ])
    expect(events.of('state')).toEqual(['connecting', 'resolving', 'connecting', 'open'])
  })
})
