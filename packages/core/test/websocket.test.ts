import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startLab, type Lab } from '@followsocket/lab'
import { FollowWebSocket } from '../src/websocket'
import { FollowSocketError, resolve } from '../src'
import { NodeWebSocket } from './helpers'
import { serverSide } from './support'

let lab: Lab
let other: Lab
const sockets: FollowWebSocket[] = []
let path = 0
/** A path no other test used: the resolution cache is shared by the whole module. */
const fresh = (name: string) => `/${name}-${++path}`

// Node 20 has no global WebSocket: every instance gets the `ws` client through with().
const Socket = () => FollowWebSocket.with({ WebSocket: NodeWebSocket })
const open = (url: string, protocols?: string | string[], Class = Socket()) => {
  const socket = new Class(url, protocols)
  sockets.push(socket)
  return socket
}
/** Resolves with the next `type` event of `socket`. */
const event = <E extends Event>(socket: EventTarget, type: string) =>
  new Promise<E>((done) => socket.addEventListener(type, (e) => done(e as E), { once: true }))
/** Opens `url` and, once it is open, has `server` close it with a 4308 to `to`: resolves with that close. */
const moveOnceOpen = async (url: string, server: ReturnType<Lab['endpoint']>, to: string) => {
  const socket = open(url)
  await event(socket, 'open')
  const closing = event<CloseEvent>(socket, 'close')
  serverSide(server.clients).close(4308, to)
  return closing
}
/** Every event type the socket dispatches, in order, through both listener styles. */
const trace = (socket: FollowWebSocket) => {
  const seen: string[] = []
  for (const type of ['open', 'message', 'error', 'close']) {
    ;(socket as any)[`on${type}`] = () => seen.push(`on${type}:${socket.readyState}`)
    socket.addEventListener(type, () => seen.push(`${type}:${socket.readyState}`))
  }
  return seen
}

beforeEach(async () => {
  lab = await startLab()
  other = await startLab()
})
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close()
  await lab.close()
  await other.close()
})

describe('FollowWebSocket: the WebSocket contract', () => {
  it('has the WebSocket constants on the class and on instances', () => {
    const socket = open(lab.ws(fresh('constants')))
    expect([FollowWebSocket.CONNECTING, FollowWebSocket.OPEN, FollowWebSocket.CLOSING, FollowWebSocket.CLOSED]).toEqual(
      [0, 1, 2, 3],
    )
    expect([socket.CONNECTING, socket.OPEN, socket.CLOSING, socket.CLOSED]).toEqual([0, 1, 2, 3])
  })

  it('goes CONNECTING → OPEN → CLOSED, firing onX handlers and listeners in WebSocket order', async () => {
    const at = fresh('live')
    lab.endpoint(at)
    const socket = open(lab.ws(at))
    const seen = trace(socket)
    expect(socket.readyState).toBe(0)
    await event(socket, 'open')
    socket.send('hello')
    const echo = await event<MessageEvent>(socket, 'message')
    expect(echo.data.toString()).toBe('hello')
    socket.close(1000, 'bye')
    expect(socket.readyState).toBe(2)
    const closed = await event<CloseEvent>(socket, 'close')
    expect({ code: closed.code, reason: closed.reason, wasClean: closed.wasClean }).toEqual({
      code: 1000,
      reason: 'bye',
      wasClean: true,
    })
    expect(seen).toEqual(['onopen:1', 'open:1', 'onmessage:1', 'message:1', 'onclose:3', 'close:3'])
  })

  it('throws InvalidStateError on send() while CONNECTING, as a WebSocket does', () => {
    const socket = open(lab.ws(fresh('early')))
    expect(() => socket.send('too soon')).toThrow(expect.objectContaining({ name: 'InvalidStateError' }))
  })

  it('applies a binaryType set before open to the frames it delivers', async () => {
    const at = fresh('binary')
    lab.endpoint(at)
    const socket = open(lab.ws(at))
    socket.binaryType = 'arraybuffer'
    await event(socket, 'open')
    socket.send(new Uint8Array([1, 2, 3]))
    const frame = await event<MessageEvent>(socket, 'message')
    expect(frame.data).toBeInstanceOf(ArrayBuffer)
    expect([...new Uint8Array(frame.data)]).toEqual([1, 2, 3])
    expect(socket.binaryType).toBe('arraybuffer')
  })

  it('reports the negotiated subprotocol', async () => {
    const at = fresh('proto')
    lab.endpoint(at, { protocols: ['graphql-transport-ws'] })
    const socket = open(lab.ws(at), ['chat', 'graphql-transport-ws'])
    await event(socket, 'open')
    expect(socket.protocol).toBe('graphql-transport-ws')
  })

  it('keeps url as given (normalised) and exposes where it connected as resolvedUrl', async () => {
    const target = fresh('target')
    const moved = fresh('moved')
    lab.endpoint(target)
    lab.redirect(moved, lab.ws(target))
    const socket = open(lab.http(moved))
    await event(socket, 'open')
    expect(socket.url).toBe(lab.ws(moved))
    expect(socket.resolvedUrl).toBe(lab.ws(target))
  })
})

describe('FollowWebSocket: redirects', () => {
  it('opens a 308 endpoint at its Location after exactly one preflight', async () => {
    const target = fresh('v2')
    const moved = fresh('v1')
    lab.endpoint(target)
    lab.redirect(moved, lab.ws(target))
    const socket = open(lab.ws(moved))
    await event(socket, 'open')
    expect(lab.count(moved, 'get')).toBe(1)
    expect(lab.count(target, 'upgrade')).toBe(1)
  })

  it('shows a policy refusal as error (carrying the FollowSocketError) then close 1006', async () => {
    const moved = fresh('away')
    lab.redirect(moved, other.ws('/elsewhere'))
    const Class = FollowWebSocket.with({ WebSocket: NodeWebSocket, allowedOrigins: [lab.origin] })
    const socket = open(lab.ws(moved), undefined, Class)
    const seen = trace(socket)
    const erred = event<Event & { error: FollowSocketError }>(socket, 'error')
    const closed = await event<CloseEvent>(socket, 'close')
    const error = await erred
    expect(error.error).toBeInstanceOf(FollowSocketError)
    expect(error.error.code).toBe('REDIRECT_NOT_ALLOWED')
    expect(closed.code).toBe(1006)
    expect(closed.wasClean).toBe(false)
    expect(socket.readyState).toBe(3)
    expect(seen).toEqual(['onerror:3', 'error:3', 'onclose:3', 'close:3'])
    expect(other.requests).toEqual([])
  })

  it('shows a failed handshake with no redirect as HANDSHAKE_FAILED then close 1006', async () => {
    const socket = open(lab.ws(fresh('nothing-here')))
    const error = event<Event & { error: FollowSocketError }>(socket, 'error')
    expect((await event<CloseEvent>(socket, 'close')).code).toBe(1006)
    expect((await error).error.code).toBe('HANDSHAKE_FAILED')
  })

  it('close() during discovery stops it: error, close 1006, and nothing reaches the target', async () => {
    const target = fresh('target')
    const moved = fresh('slow')
    lab.endpoint(target)
    let answer: () => void = () => {}
    lab.route(moved, (_req, res) => {
      answer = () => res.writeHead(308, { location: lab.http(target) }).end()
    })
    const Class = FollowWebSocket.with({ WebSocket: NodeWebSocket, discovery: 'preflight' })
    const socket = open(lab.ws(moved), undefined, Class)
    const seen = trace(socket)
    await expect.poll(() => lab.count(moved, 'get')).toBe(1)
    socket.close()
    answer()
    await expect.poll(() => seen).toEqual(['onerror:3', 'error:3', 'onclose:3', 'close:3'])
    // The preflight's answer arrives after close(): no socket may be opened at the target.
    await new Promise((done) => setTimeout(done, 100))
    expect(lab.count(target, 'upgrade')).toBe(0)
  })

  // Found by the library tests: the failed direct socket stayed the current one during the
  // preflight that followed, so close() waited in CLOSING for an event that had already fired.
  it('close() during the preflight that follows a failed direct handshake fires error then close 1006, as during any discovery', async () => {
    lab.endpoint('/target')
    let answer = () => {}
    // The upgrade of /moved fails (400); its preflight GET is held until answer().
    lab.route('/moved', (_req, res) => {
      answer = () => res.writeHead(308, { location: lab.http('/target') }).end()
    })
    const socket = open(lab.ws('/moved'))
    const seen: string[] = []
    for (const type of ['open', 'error', 'close'])
      socket.addEventListener(type, () => seen.push(`${type}:${socket.readyState}`))
    await expect.poll(() => lab.count('/moved', 'get')).toBe(1)
    expect(lab.count('/moved', 'upgrade')).toBe(1)
    try {
      // As a WebSocket closed while connecting: CLOSING now, error and close in a later task.
      socket.close()
      expect(socket.readyState).toBe(2)
      expect(seen).toEqual([])
      await event(socket, 'close')
      expect(seen).toEqual(['error:3', 'close:3'])
    } finally {
      answer()
    }
  })

  it('keeps the class name on with() subclasses (libraries log it)', () => {
    expect(FollowWebSocket.with({}).name).toBe('FollowWebSocket')
  })

  it('throws InvalidAccessError for a close code a WebSocket refuses, even during discovery', () => {
    const socket = open(lab.ws(fresh('codes')))
    expect(() => socket.close(1001)).toThrow(expect.objectContaining({ name: 'InvalidAccessError' }))
    expect(socket.readyState).toBe(0)
  })

  it('rejects options that are not about discovery with INVALID_OPTIONS', () => {
    expect(() => FollowWebSocket.with({ reconnect: { minDelayMs: 1 } } as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS', message: expect.stringContaining('reconnect') }),
    )
  })
})

describe('FollowWebSocket: the cache', () => {
  it('stores a 4308 move, so a new instance for the original URL goes there with no preflight', async () => {
    const first = fresh('first')
    const second = fresh('second')
    const from = lab.endpoint(first)
    lab.endpoint(second)
    const closed = await moveOnceOpen(lab.ws(first), from, lab.ws(second))
    // The library sees the close unchanged, and reconnects with the URL it always used.
    expect({ code: closed.code, reason: closed.reason }).toEqual({ code: 4308, reason: lab.ws(second) })
    const again = open(lab.ws(first))
    await event(again, 'open')
    expect(again.resolvedUrl).toBe(lab.ws(second))
    expect(lab.count(first, 'get')).toBe(0)
    expect(lab.count(first, 'upgrade')).toBe(1)
  })

  it('a 4308 back to the URL given is no move to remember: the earlier one is forgotten', async () => {
    const home = fresh('home')
    const away = fresh('away')
    const atHome = lab.endpoint(home)
    const atAway = lab.endpoint(away)
    await moveOnceOpen(lab.ws(home), atHome, lab.ws(away))
    expect(await resolve(lab.ws(home))).toMatchObject({ url: lab.ws(away), via: 'cache' })
    // Opened again, it goes where it was moved, and is moved home from there.
    await moveOnceOpen(lab.ws(home), atAway, lab.ws(home))
    // No entry is left that leads home to home: resolve() preflights and finds no redirect.
    expect(await resolve(lab.ws(home))).toMatchObject({ url: lab.ws(home), redirected: false, via: 'preflight' })
  })

  it('falls back to discovery when the cached target fails', async () => {
    const start = fresh('start')
    const gone = fresh('gone')
    const now = fresh('now')
    await moveOnceOpen(lab.ws(start), lab.endpoint(start), lab.ws(gone))
    // The remembered location has no endpoint; the original URL now redirects elsewhere.
    lab.endpoint(now)
    lab.redirect(start, lab.ws(now))
    const again = open(lab.ws(start))
    await event(again, 'open')
    expect(again.resolvedUrl).toBe(lab.ws(now))
    expect(lab.count(gone, 'upgrade')).toBe(1)
    expect(lab.count(start, 'get')).toBe(1)
  })
})

describe('FollowWebSocket: exactly as a WebSocket behaves (issue 18)', () => {
  it('close() during discovery goes CLOSING at once and fires error, then close 1006, later', async () => {
    let answer = () => {}
    lab.route('/held', (_req, res) => {
      answer = () => res.writeHead(426).end()
    })
    const socket = open(
      lab.ws('/held'),
      undefined,
      FollowWebSocket.with({ WebSocket: NodeWebSocket, discovery: 'preflight' }),
    )
    const seen = trace(socket)
    await expect.poll(() => lab.count('/held', 'get')).toBe(1)
    socket.close()
    expect(socket.readyState).toBe(socket.CLOSING)
    expect(seen).toEqual([])
    const close = await event<CloseEvent>(socket, 'close')
    expect(close.code).toBe(1006)
    expect(seen).toEqual(['onerror:3', 'error:3', 'onclose:3', 'close:3'])
    answer()
  })

  it.each([[['chat', 'chat']], ['not a token'], [['ok', '']]])(
    'throws a SyntaxError DOMException for the subprotocols %j, as new WebSocket() does',
    (protocols) => {
      const error = (() => {
        try {
          open(lab.ws('/any'), protocols as string[])
        } catch (error) {
          return error as DOMException
        }
      })()
      expect(error).toBeInstanceOf(DOMException)
      expect(error!.name).toBe('SyntaxError')
      expect(lab.requests).toEqual([])
    },
  )

  it('with().with() keeps the options of both', async () => {
    lab.redirect('/chain/1', lab.ws('/chain/2'))
    lab.endpoint('/chain/2')
    // The first with() gives the WebSocket, the second a policy: both must apply.
    const Class = FollowWebSocket.with({ WebSocket: NodeWebSocket }).with({ allowedOrigins: ['http://example.com'] })
    const socket = open(lab.ws('/chain/1'), undefined, Class)
    const failed = event<Event & { error: FollowSocketError }>(socket, 'error')
    expect((await failed).error.code).toBe('REDIRECT_NOT_ALLOWED')
  })

  it('opens the URL it was given when the remembered location is stale and the URL works again', async () => {
    const start = fresh('back')
    const gone = fresh('gone')
    await moveOnceOpen(lab.ws(start), lab.endpoint(start), lab.ws(gone))
    // Nothing at the remembered location; the URL given has an endpoint again (it never left).
    const again = open(lab.ws(start))
    await event(again, 'open')
    expect(again.resolvedUrl).toBe(lab.ws(start))
    expect(lab.count(gone, 'upgrade')).toBe(1)
  })
})
