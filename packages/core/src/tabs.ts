import { remember } from './redirect-cache'
import { connect as connectHere, type Connection } from './connection'
import { FollowSocketError } from './errors'
import { CONNECTION_EVENTS, createEvents } from './events'
import { settings } from './options'
import { restartKey } from './restart-key'
import { createSequencer, type Sent } from './sequencer'
import type { ConnectionEvents, ConnectionState, ConnectOptions, RedirectInfo, SendData, UrlSource } from './types'
import { normaliseUrl } from './url'
import { inspectable } from './inspectable'

// `followsocket/tabs`: one connection per browser (docs/sharing.md#across-tabs). The tabs of an
// origin that connect with `share: 'tabs'` and the same URL and options elect one leader with a Web
// Lock; only the leader opens a socket (a connection of `connect()`, unchanged), and the others
// follow it through a BroadcastChannel. Its own entry, so that `connect` does not carry it.
//
// The protocol, on the channel named after the restart key (the lock has the same name):
//
//   leader → all     { kind: 'leader', from, snapshot }    first thing a new leader says, and its answer to 'join'
//                    { kind: 'event', type, payload }      every event of its connection (errors as fields, see toWire)
//                    { kind: 'ack', from, seq }            follower `from`'s message `seq` went to the open socket
//                    { kind: 'bye', from }                 its last word, when its page goes away or it closes
//   follower → all   { kind: 'join' }                      a tab that starts following asks for the state at once
//                    { kind: 'send', from, seq, base, data }  a send(): seq counts 1, 2, … per tab; `base` is the
//                                                          highest seq of this tab acknowledged so far
//                    { kind: 'reconnect' }
//
// A follower keeps each message until it sees it acknowledged, and posts every one it still
// keeps again, in order, whenever a leader announces itself: so a hand-over loses nothing. A
// leader takes a tab's messages in seq order (holding one that arrives ahead of a missing one),
// never takes a seq twice nor one it saw acknowledged (by itself or by the leader before it),
// and passes them to its socket only while that is open, acknowledging each in the same task.
//
// A new leader decides nothing until it knows it has every acknowledgement of the leader before
// it. The lock and the channel are separate pipes: the lock can reach the new leader while the
// old leader's last acknowledgements are still on their way, and a message taken then would go
// out twice. So it waits for the old leader's 'bye' (posted after its acknowledgements, on the
// same pipe) or, for a tab that was killed and says nothing, GRACE ms; and for its own
// announcement, posted on a second channel object of its own, to come back through the channel.
// Until then, what it is sent waits, its own messages included (its socket opens meanwhile). A
// message goes out twice only if a leader's tab is killed between passing it to the socket and
// acknowledging it.
//
// In the code below, each role is what it does with each kind of message: `following`, a table
// of handlers; `lead()`, a leadership from the lock to its release, with its own state (synced,
// announced, the leader before it) and its table; `hear`, what either role keeps count of (who
// said bye, what was acknowledged) before handing a message to the role this tab has.

export type TabsOptions<T = unknown> = ConnectOptions<T> & {
  /** 'tabs': one connection for every tab of this origin with the same URL and options. */
  share?: 'tabs'
}

/** What a tab that starts following needs at once; `redirect`: how the leader's socket found its URL. */
type Snapshot = { state: ConnectionState; url: string; resolvedUrl?: string; redirect?: RedirectInfo }
type Wire =
  | { kind: 'leader'; from: string; snapshot: Snapshot }
  | { kind: 'event'; type: keyof ConnectionEvents; payload: any }
  | { kind: 'ack'; from: string; seq: number }
  | { kind: 'bye'; from: string }
  | { kind: 'join' }
  | Sent
  | { kind: 'reconnect' }
/** A role's handler for each kind of message it heeds. */
type Hearing = { [K in Wire['kind']]?: (message: Extract<Wire, { kind: K }>) => void }

/** How long a new leader waits for the 'bye' of a leader whose tab may have been killed. */
const GRACE = 250

// A FollowSocketError loses its class (and so its `code`'s meaning) in a structured clone, and
// its `cause` may not clone at all: it crosses as its fields and is built again on the other side.
const errorFields = (error?: FollowSocketError) => error && { ...error, message: error.message, cause: undefined }
const toWire = (type: keyof ConnectionEvents, payload: any) =>
  type === 'error'
    ? errorFields(payload)
    : type === 'reconnecting'
      ? { ...payload, error: errorFields(payload.error) }
      : payload
const rebuild = (fields: any): FollowSocketError | undefined =>
  fields && Object.assign(new FollowSocketError(fields.code, fields.message, fields.url), fields)
const fromWire = (type: keyof ConnectionEvents, payload: any) =>
  type === 'error'
    ? rebuild(payload)
    : type === 'reconnecting'
      ? { ...payload, error: rebuild(payload.error) }
      : payload

/**
 * `connect()` that, given `share: 'tabs'`, shares one connection among the tabs of this origin
 * (docs/sharing.md#across-tabs). Where the page has no BroadcastChannel or no Web Locks (old
 * browsers, Node), and without `share: 'tabs'`, it is `connect()` itself.
 */
export function connect<T = unknown>(url: UrlSource, options: TabsOptions<T> = {}): Connection<T> {
  const { share, ...rest } = options
  if (share !== undefined && share !== 'tabs')
    throw new FollowSocketError('INVALID_OPTIONS', `Option share must be 'tabs' here (got ${String(share)})`)
  if (share !== 'tabs' || typeof BroadcastChannel !== 'function' || !globalThis.navigator?.locks)
    return connectHere(url, rest)
  const s = settings(rest)
  const name = 'followsocket:' + restartKey(url, rest)
  const me = Math.random().toString(36).slice(2)
  const { events, emit } = createEvents<ConnectionEvents<T>>()

  let snapshot: Snapshot = { state: 'idle', url: typeof url === 'function' ? '' : normaliseUrl(url) }
  let channel: BroadcastChannel
  let stop: AbortController
  let closed = false
  // This tab's messages not acknowledged yet, in call order (whichever role it has: a leader's
  // own messages from before it led are among them). Which messages of each tab were
  // acknowledged and taken: the sequencer's.
  let seq = 0
  const pending: { seq: number; data: SendData }[] = []
  const sequencer = createSequencer()
  // The leader this tab follows, and the leaders that said bye.
  let leader: string | undefined
  const gone = new Set<string>()
  // This tab's leadership while it holds the lock, and what a leadership keeps (as this tab's own
  // queue, so what it had not sent when it closed goes out when it leads again): messages taken,
  // waiting for the socket; messages heard before it was synced, in arrival order.
  let leading: Leadership | undefined
  const outbox: { from: string; seq: number; data: SendData }[] = []
  const inbox: Sent[] = []

  const post = (message: Wire) => {
    try {
      channel.postMessage(message)
    } catch (error) {
      // A payload that cannot be cloned (a schema's output holding a function, say) is reported,
      // not dropped silently.
      ;(globalThis.reportError ?? console.error)(error)
    }
  }

  // The leader's discoveries are remembered here too, so that this tab, if it leads next, opens
  // its socket where the endpoint is now without a preflight.
  const learn = (redirect?: RedirectInfo) => redirect && remember(s, redirect.from, redirect.to, redirect.hops)

  const setSnapshot = (next: Snapshot) => {
    const was = snapshot.state
    snapshot = next
    learn(next.redirect)
    if (next.state !== was) emit('state', next.state)
  }

  /** An event of the leader's connection, here in a follower: the same as the leader's own listeners get. */
  const follow = <K extends keyof ConnectionEvents<T>>(type: K, payload: ConnectionEvents<T>[K]) => {
    if (type === 'state') return setSnapshot({ ...snapshot, state: payload as ConnectionState })
    if (type === 'open') snapshot = { ...snapshot, resolvedUrl: (payload as { url: string }).url }
    if (type === 'redirect')
      setSnapshot({ ...snapshot, url: (payload as RedirectInfo).from, redirect: payload as RedirectInfo })
    emit(type, payload)
  }

  const snapshotOf = (c: Connection<T>): Snapshot => ({
    state: c.state,
    url: c.url,
    resolvedUrl: c.resolvedUrl,
    redirect: snapshot.redirect,
  })

  /** What a follower does with each kind of message it heeds. */
  const following: Hearing = {
    // A new leader: what it must know of this tab's messages not acknowledged yet, again.
    leader({ from, snapshot }) {
      leader = from
      setSnapshot(snapshot)
      const base = sequencer.acked(me)
      for (const { seq, data } of pending) post({ kind: 'send', from: me, seq, base, data })
    },
    event: ({ type, payload }) => follow(type, fromWire(type, payload)),
  }

  /**
   * This tab holds the lock: its leadership, with its own connection `c`. It passes on every event
   * of `c`, answers 'join', 'send' and 'reconnect', and passes what it takes to the socket,
   * acknowledging each. It takes messages (synced) once its announcement is back and the leader
   * before it said bye or GRACE passed (see above); until then what it is sent waits.
   */
  const lead = (c: Connection<T>) => {
    let announced = false
    let synced = false
    let previous = leader === undefined || gone.has(leader) ? undefined : leader
    const grace = setTimeout(() => {
      previous = undefined
      settle()
    }, GRACE)

    /** Passes the messages taken to the socket while it is open, acknowledging each. */
    const flush = () => {
      while (synced && c.socket?.readyState === 1 && outbox.length) {
        const { from, seq, data } = outbox.shift()!
        c.send(data)
        sequencer.acknowledge(from, seq)
        post({ kind: 'ack', from, seq })
      }
    }

    const take = (message: Sent) => {
      const { ready, ackAgain } = sequencer.offer(message)
      if (ackAgain !== undefined) post({ kind: 'ack', from: message.from, seq: ackAgain })
      outbox.push(...ready)
    }

    /** Starts taking messages once nothing of the leader before can still be on its way (see above). */
    const settle = () => {
      if (synced || !announced || previous) return
      synced = true
      const base = sequencer.acked(me)
      for (const { seq, data } of pending.splice(0)) take({ kind: 'send', from: me, seq, base, data })
      for (const sent of inbox.splice(0)) take(sent)
      flush()
    }

    for (const type of CONNECTION_EVENTS)
      c.on(type, (payload: any) => {
        if (type === 'redirect') snapshot = { ...snapshot, redirect: payload }
        snapshot = snapshotOf(c)
        emit(type, payload)
        // After close() in this tab its connection's last events are its own.
        if (leading?.c !== c) return
        post({ kind: 'event', type, payload: toWire(type, payload) })
        if (type === 'open') flush()
      })
    const loop = new BroadcastChannel(name)
    loop.postMessage({ kind: 'leader', from: me, snapshot: snapshotOf(c) } satisfies Wire)
    loop.close()

    const hearing: Hearing = {
      // Its own announcement, back through the channel: nothing it posted before is on its way.
      leader({ from }) {
        if (from !== me) return
        announced = true
        settle()
      },
      bye({ from }) {
        if (from !== previous) return
        previous = undefined
        settle()
      },
      join: () => post({ kind: 'leader', from: me, snapshot: snapshotOf(c) }),
      send(message) {
        if (!synced) return void inbox.push(message)
        take(message)
        flush()
      },
      reconnect: () => c.reconnect(),
    }
    return {
      c,
      hearing,
      /** Sends this tab's own message once synced, behind those it took before; false until then. */
      send(data: SendData) {
        if (!synced) return false
        if (outbox.length) outbox.push({ from: me, seq: ++seq, data })
        else c.send(data)
        return true
      },
      end: () => clearTimeout(grace),
    }
  }
  type Leadership = ReturnType<typeof lead>

  const hear = ({ data: message }: MessageEvent<Wire>) => {
    // Either role keeps count of who left and what went out.
    if (message.kind === 'bye') gone.add(message.from)
    if (message.kind === 'ack') {
      sequencer.acknowledge(message.from, message.seq)
      if (message.from === me) while (pending[0] && pending[0].seq <= message.seq) pending.shift()
    }
    const handle = (leading ? leading.hearing : following)[message.kind]
    handle?.(message as never)
  }

  const join = () => {
    closed = false
    inspectable().add(entry)
    stop = new AbortController()
    channel = new BroadcastChannel(name)
    channel.onmessage = hear
    // A leader's page going away: its acknowledgements are all posted, which the next one waits
    // for. It takes nothing more (the followers keep what it has not acknowledged, for the next).
    addEventListener(
      'pagehide',
      () => {
        if (!leading) return
        channel.onmessage = null
        post({ kind: 'bye', from: me })
      },
      { signal: stop.signal },
    )
    post({ kind: 'join' })
    navigator.locks
      .request(name, { signal: stop.signal }, () => {
        leading = lead(connectHere(url, rest))
        return new Promise<void>((released) => (stop.signal.onabort = () => released()))
      })
      .catch(() => {})
  }

  const connection: Connection<T> = {
    ...events,
    get state() {
      return snapshot.state
    },
    get url() {
      return leading ? leading.c.url : snapshot.url
    },
    get resolvedUrl() {
      return leading ? leading.c.resolvedUrl : snapshot.resolvedUrl
    },
    get socket() {
      return leading?.c.socket
    },
    get buffered() {
      return leading ? leading.c.buffered : pending.length
    },
    send(data) {
      if (closed)
        throw new FollowSocketError('CLOSED', `${snapshot.url} is closed in this tab: call reconnect()`, snapshot.url)
      if (leading?.send(data)) return
      if (pending.length >= s.buffer.maxMessages)
        throw new FollowSocketError('SEND_BUFFER_FULL', 'Buffer full: wait for open', snapshot.url)
      pending.push({ seq: ++seq, data })
      post({ kind: 'send', from: me, seq, base: sequencer.acked(me), data })
    },
    close(code, reason) {
      if (closed) return
      closed = true
      // Another tab takes over when the lock is released; this one stops hearing the channel first,
      // so nothing of the next leader's reaches it.
      if (leading) post({ kind: 'bye', from: me })
      leading?.end()
      channel.close()
      stop.abort()
      inspectable().delete(entry)
      const c = leading?.c
      leading = undefined
      if (c) c.close(code, reason)
      else {
        setSnapshot({ ...snapshot, state: 'closed' })
        emit('close', { code: code ?? 1000, reason: reason ?? '', wasClean: true, willReconnect: false })
      }
    },
    reconnect() {
      if (closed) join()
      else if (leading) leading.c.reconnect()
      else post({ kind: 'reconnect' })
    },
  }
  // For @followsocket/devtools: which lock the tabs share, and whether this tab holds it.
  const entry = { connection, lock: name, leads: () => !!leading }
  join()
  return connection
}
