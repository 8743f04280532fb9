// @vitest-environment jsdom
// One connection per composable (docs/bindings.md#one-connection-per-hook): the cases every
// binding shares (packages/core/test/bindings/connection.ts), with the URL and options as refs;
// then Vue's own: a getter URL, watched, and an effect scope outside any component. Against a
// real `ws` server in the lab.
import { effectScope, ref } from 'vue'
import { describe, expect, it } from 'vitest'
import { NodeWebSocket, only, recorder, serverClosed } from '@followsocket/lab/testing'
import { lab } from '../../core/test/lab'
import { base, type Rendered } from '../../core/test/bindings/binding'
import { connectionSpecs } from '../../core/test/bindings/connection'
import { useFollowSocket } from '../src'
import { mountApp, Probe, vue } from './binding'

connectionSpecs(vue)

describe('one connection per composable, in Vue', () => {
  it('watches a getter URL', async () => {
    const rooms = { red: lab.endpoint('/rooms/red'), blue: lab.endpoint('/rooms/blue') }
    const room = ref<'red' | 'blue'>('red')
    const seen = recorder<Rendered>()
    mountApp(Probe(() => lab.ws(`/rooms/${room.value}`), base, seen))
    await seen.until((s) => s.state === 'open')
    const red = only(rooms.red.clients)
    room.value = 'blue'
    await seen.until((s) => s.state === 'open' && s.resolvedUrl === lab.ws('/rooms/blue'))
    await serverClosed(red)
    expect([rooms.red.connections, rooms.blue.connections]).toEqual([1, 1])
  })

  it('outside a component, connects at once and closes when its effect scope stops', async () => {
    const endpoint = lab.endpoint('/live')
    const scope = effectScope()
    const live = scope.run(() => useFollowSocket(lab.ws('/live'), { WebSocket: NodeWebSocket, cache: false }))!
    const server = await endpoint.nextConnection()
    live.send('ping')
    await endpoint.receivedCount(1)
    expect(live.state.value).toBe('open')

    scope.stop()
    await serverClosed(server)
    expect(endpoint.connections).toBe(1)
  })
})
