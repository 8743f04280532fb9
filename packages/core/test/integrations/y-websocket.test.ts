// y-websocket 3 (WebsocketProvider) with @y/websocket-server's own connection handler, through
// FollowWebSocket, on 127.0.0.1, counting every preflight GET and upgrade at the server. Issue 7,
// item 2 (the Chromium version, with two pages, is ../browser/y-websocket.spec.ts).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startLab, type Lab } from '@followsocket/lab'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import WebSocket from 'ws'
import { FollowWebSocket } from '../../src/websocket'
// `ws` as FollowWebSocket's WebSocket; the cast is needed while WebSocketConstructor wants a DOM
// WebSocket instance type (see the issue 7 report).
import { NodeWebSocket } from '../helpers'
import { counts, moveAll, yjsEndpoint } from './servers'

let lab: Lab
const providers: WebsocketProvider[] = []
let serial = 0

beforeEach(async () => {
  lab = await startLab()
})
afterEach(async () => {
  for (const provider of providers.splice(0)) provider.destroy()
  await lab.close()
})

/**
 * A fresh room served at /v1 (moved: 308 to /v2), /v2 and /v3; y-websocket's URL is
 * `${serverUrl}/${room}`, so the paths the server sees end with the room.
 */
const room = () => {
  const name = `room-${++serial}`
  const [v1, v2, v3] = ['v1', 'v2', 'v3'].map((v) => `/${v}/yjs`) as [string, string, string]
  return { name, v1, v2, v3, at: (base: string) => `${base}/${name}` }
}

/** A provider for a new document, without the BroadcastChannel (it would sync in-process). */
const provider = (serverUrl: string, name: string, WebSocketPolyfill: unknown) => {
  const created = new WebsocketProvider(serverUrl, name, new Y.Doc(), {
    WebSocketPolyfill: WebSocketPolyfill as typeof globalThis.WebSocket,
    disableBc: true,
  })
  providers.push(created)
  return created
}

/** Resolves on the provider's next `sync` with true (or now, if `already` and it is synced). */
const synced = (provider: WebsocketProvider, already = true) =>
  new Promise<void>((done) => {
    if (already && provider.synced) return done()
    const on = (state: boolean) => {
      if (!state) return
      provider.off('sync', on)
      done()
    }
    provider.on('sync', on)
  })

/** Resolves once the document's text 't' reads `text`. */
const textBecomes = (doc: Y.Doc, text: string) =>
  new Promise<void>((done) => {
    const shared = doc.getText('t')
    const check = () => {
      if (shared.toString() !== text) return
      shared.unobserve(check)
      done()
    }
    shared.observe(check)
    check()
  })

/** Resolves after the provider's `count`-th connection-close from now. */
const closes = (provider: WebsocketProvider, count: number) =>
  new Promise<void>((done) => {
    let seen = 0
    const on = () => {
      if (++seen < count) return
      provider.off('connection-close', on)
      done()
    }
    provider.on('connection-close', on)
  })

describe('y-websocket 3 through FollowWebSocket (Node, ws)', () => {
  it('two documents sync through a 308, and again after a 4308 move that y-websocket follows by itself', async () => {
    const r = room()
    lab.redirect(r.at(r.v1), lab.ws(r.at(r.v2)))
    const second = yjsEndpoint(lab, r.at(r.v2), r.name)
    yjsEndpoint(lab, r.at(r.v3), r.name)
    const Follow = FollowWebSocket.with({ WebSocket: NodeWebSocket })

    // Phase 1: the first provider discovers the move; the second, in the same process, finds
    // it in the shared cache and goes straight to /v2.
    const a = provider(lab.ws(r.v1), r.name, Follow)
    await synced(a)
    const b = provider(lab.ws(r.v1), r.name, Follow)
    await synced(b)
    a.doc.getText('t').insert(0, 'hello')
    await textBecomes(b.doc, 'hello')
    expect((a.ws as unknown as FollowWebSocket).resolvedUrl).toBe(lab.ws(r.at(r.v2)))
    expect(counts(lab, r.at(r.v1), r.at(r.v2), r.at(r.v3))).toEqual({
      [r.at(r.v1)]: { get: 1, upgrade: 1 },
      [r.at(r.v2)]: { get: 1, upgrade: 2 },
      [r.at(r.v3)]: { get: 0, upgrade: 0 },
    })

    // Phase 2: the server moves every client with 4308 + /v3; y-websocket reconnects by itself
    // (its own back-off) with the URL it always used, and FollowWebSocket goes to /v3.
    const resynced = Promise.all([synced(a, false), synced(b, false)])
    expect(moveAll(second, lab.ws(r.at(r.v3)))).toBe(2)
    await resynced
    b.doc.getText('t').insert(5, ' again')
    await textBecomes(a.doc, 'hello again')
    expect([a, b].map((p) => (p.ws as unknown as FollowWebSocket).resolvedUrl)).toEqual([
      lab.ws(r.at(r.v3)),
      lab.ws(r.at(r.v3)),
    ])
    expect(counts(lab, r.at(r.v1), r.at(r.v2), r.at(r.v3))).toEqual({
      [r.at(r.v1)]: { get: 1, upgrade: 1 },
      [r.at(r.v2)]: { get: 1, upgrade: 2 },
      [r.at(r.v3)]: { get: 0, upgrade: 2 },
    })
  })

  it('control: with the plain ws client the provider never gets past the 308', async () => {
    const r = room()
    lab.redirect(r.at(r.v1), lab.ws(r.at(r.v2)))
    yjsEndpoint(lab, r.at(r.v2), r.name)
    const a = provider(lab.ws(r.v1), r.name, WebSocket)
    a.on('connection-error', () => {})
    await closes(a, 2)
    expect(a.synced).toBe(false)
    expect(counts(lab, r.at(r.v1), r.at(r.v2))).toEqual({
      [r.at(r.v1)]: { get: 0, upgrade: 2 },
      [r.at(r.v2)]: { get: 0, upgrade: 0 },
    })
  })
})
