import { remember } from './redirect-cache'
import { connect as connectHere, type Connection } from './connection'
import { FollowSocketError } from './errors'
import { createEvents } from './events'
import { settings } from './options'
import { restartKey } from './restart-key'
import { createSequencer } from './sequencer'
import { createFollower, type Tab } from './tabs-follower'
import { createLeader, type Leader } from './tabs-leader'
import type { Wire } from './tabs-wire'
import type { ConnectionEvents, ConnectOptions, UrlSource } from './types'
import { normaliseUrl } from './url'

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
// Here: the entry, the lock and the channel, and the tab's connection, which is its role's. A tab
// follows (tabs-follower.ts) until it gets the lock, then leads (tabs-leader.ts) until it closes;
// the messages, typed, are in tabs-wire.ts, and how a leader orders what it is sent in sequencer.ts.

export type TabsOptions<T = unknown> = ConnectOptions<T> & {
  /** 'tabs': one connection for every tab of this origin with the same URL and options. */
  share?: 'tabs'
}

/** The page's inspectable connections, as followsocket/store keeps them (docs/devtools.md#registration). */
const inspectable = (): Set<object> => ((globalThis as any)[Symbol.for('followsocket.inspectable')] ??= new Set())

/**
 * `connect()` that, given `share: 'tabs'`, shares one connection among the tabs of this origin
 * (docs/sharing.md#across-tabs). Where the page has no BroadcastChannel or no Web Locks (old
 * browsers, Node), and without `share: 'tabs'`, it is `connect()` itself.
 */
export function connect<T = unknown>(url: UrlSource, options: TabsOptions<T> = {}): Connection<T> {
  const { share, ...rest } = options
  if (share !== undefined && share !== 'tabs')
    throw new FollowSocketError('INVALID_OPTIONS', `Option share must be 'tabs' here (got ${String(share)})`)
  if (share !== 'tabs' || typeof BroadcastChannel != 'function' || !globalThis.navigator?.locks)
    return connectHere(url, rest)
  const s = settings(rest)
  const name = 'followsocket:' + restartKey(url, rest)
  const { events, emit } = createEvents<ConnectionEvents<T>>()

  let channel: BroadcastChannel
  let stop: AbortController
  let closed = false
  const tab: Tab<T> = {
    me: Math.random().toString(36).slice(2),
    emit,
    post(message: Wire) {
      try {
        channel.postMessage(message)
      } catch (error) {
        // A payload that cannot be cloned (a schema's output holding a function, say) is reported,
        // not dropped silently.
        ;(globalThis.reportError ?? console.error)(error)
      }
    },
    sequencer: createSequencer(),
    snapshot: { state: 'idle', url: typeof url == 'function' ? '' : normaliseUrl(url) },
    setSnapshot(next) {
      const was = tab.snapshot.state
      tab.snapshot = next
      // The leader's discoveries are remembered here too, so that this tab, if it leads next, opens
      // its socket where the endpoint is now without a preflight.
      if (next.redirect) remember(s, next.redirect.from, next.redirect.to, next.redirect.hops)
      if (next.state != was) emit('state', next.state)
    },
  }
  // The tab's role: it follows, and while it holds the lock it leads too.
  const follower = createFollower(tab, s.buffer.maxMessages)
  let leader: Leader<T> | undefined

  const join = () => {
    closed = false
    inspectable().add(entry)
    stop = new AbortController()
    channel = new BroadcastChannel(name)
    channel.onmessage = ({ data }: MessageEvent<Wire>) => (leader ?? follower).hear(data)
    // A leader's page going away: its acknowledgements are all posted, which the next one waits
    // for. It takes nothing more (the followers keep what it has not acknowledged, for the next).
    addEventListener(
      'pagehide',
      () => {
        if (!leader) return
        channel.onmessage = null
        leader.bye()
      },
      { signal: stop.signal },
    )
    tab.post({ kind: 'join' })
    // It leads until it closes: then the lock is released. Its announcement goes on a second
    // channel object of its own, to come back through the channel.
    const lead = () =>
      new Promise<void>((released) => {
        leader = createLeader(tab, follower, connectHere(url, rest), new BroadcastChannel(name))
        stop.signal.addEventListener('abort', () => released())
      })
    navigator.locks.request(name, { signal: stop.signal }, lead).catch(() => {})
  }

  const connection: Connection<T> = {
    ...events,
    get state() {
      return tab.snapshot.state
    },
    get url() {
      return (leader?.live ?? tab.snapshot).url
    },
    get resolvedUrl() {
      return (leader?.live ?? tab.snapshot).resolvedUrl
    },
    get socket() {
      return leader?.live.socket
    },
    get buffered() {
      return leader ? leader.live.buffered : follower.pending.length
    },
    send(data) {
      const { url } = tab.snapshot
      if (closed) throw new FollowSocketError('CLOSED', `${url} is closed in this tab: call reconnect()`, url)
      ;(leader ?? follower).send(data)
    },
    close(code, reason) {
      if (closed) return
      closed = true
      // Another tab takes over when the lock is released; this one stops hearing the channel first,
      // so nothing of the next leader's reaches it.
      leader?.bye()
      channel.close()
      stop.abort()
      inspectable().delete(entry)
      const was = leader
      leader = undefined
      if (was) was.close(code, reason)
      else {
        tab.setSnapshot({ ...tab.snapshot, state: 'closed' })
        emit('close', { code: code ?? 1000, reason: reason ?? '', wasClean: true, willReconnect: false })
      }
    },
    reconnect() {
      if (closed) join()
      else if (leader) leader.live.reconnect()
      else tab.post({ kind: 'reconnect' })
    },
  }
  // For @followsocket/devtools: which lock the tabs share, and whether this tab holds it.
  const entry = { connection, lock: name, leads: () => !!leader }
  join()
  return connection
}
