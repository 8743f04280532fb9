import { backoffDelay, timerDelay } from './backoff'
import { forget, remember } from './cache'
import { locate, type Found } from './discovery'
import { FollowSocketError, isFinal } from './errors'
import { createEvents, type Events } from './events'
import { settings } from './options'
import { createPacing } from './pacing'
import { movedTo } from './policy'
import type { StandardResult } from './standard-schema'
import type { ConnectionEvents, ConnectionState, ConnectOptions, SendData, UrlSource } from './types'
import { normaliseUrl, toHttp } from './url'

export interface Connection<T = unknown> extends Events<ConnectionEvents<T>> {
  readonly state: ConnectionState
  /** As requested (the last one a function gave), normalised to ws:/wss:. */
  readonly url: string
  /** Where the live (or last) socket points. */
  readonly resolvedUrl?: string
  readonly socket?: WebSocket
  /** Messages queued while not open. */
  readonly buffered: number
  send(data: SendData): void
  /** Final: no reconnect afterwards. */
  close(code?: number, reason?: string): void
  /** Retry now, skipping a pending back-off wait. */
  reconnect(): void
}

// RFC 6455 §7.4.2 private-use code: "this endpoint moved; the close reason is the new URL".
const MOVED = 4308

type Timer = ReturnType<typeof setTimeout>
const noop = () => {}

/**
 * Opens a WebSocket to `url` that follows redirects and reconnects. Returns at once; the first
 * attempt starts in a microtask, so listeners added right after see every event.
 */
export function connect<T = unknown>(url: UrlSource, options?: ConnectOptions<T>): Connection<T> {
  const s = settings(options)
  const WS = s.WebSocket ?? globalThis.WebSocket
  if (!WS) throw new FollowSocketError('INVALID_OPTIONS', 'No WebSocket here: pass options.WebSocket (`ws` in Node 20)')
  let requested = typeof url == 'function' ? '' : normaliseUrl(url)
  const { events, emit } = createEvents<ConnectionEvents<T>>()
  const pacing = createPacing()

  let state: ConnectionState = 'idle'
  let socket: WebSocket | undefined
  let resolvedUrl: string | undefined
  let attempt = 0
  let openedAt = 0
  let stopped = false
  // Bumped to cancel whatever async step (URL function, preflight, back-off wait) is in flight.
  let generation = 0
  let connectTimer: Timer | undefined
  let heartbeat: ReturnType<typeof setInterval> | undefined
  let pongTimer: Timer | undefined
  let cancelWait: (() => void) | undefined
  const queue: SendData[] = []
  let tail: Promise<unknown> = Promise.resolve()

  /**
   * Emits an event and says whether the connection carries on as it was: false when a listener
   * called close() or reconnect() (both start a new generation), and the caller must stop.
   */
  const say = <K extends keyof ConnectionEvents<T>>(type: K, payload: ConnectionEvents<T>[K]): boolean => {
    const g = generation
    emit(type, payload)
    return g === generation
  }

  const setState = (next: ConnectionState): boolean => state === next || say('state', (state = next))

  const halt = () => {
    generation++
    cancelWait?.()
    clearTimeout(connectTimer)
    clearInterval(heartbeat)
    clearTimeout(pongTimer)
  }

  /** Detaches and closes the current socket without letting its events reach us. */
  const drop = () => {
    const ws = socket
    socket = undefined
    if (!ws) return
    ws.onopen = ws.onclose = null
    ws.close()
  }

  /** Forgets a remembered location that stopped working and finds the endpoint again. */
  const rediscover = () => {
    forget(s, requested)
    start(s.discovery != 'off')
  }

  /**
   * Runs one connect attempt: the URL function, the cache, a preflight when `discover` is set
   * (or discovery is 'preflight'), then the socket. `failed`: the direct handshake failed and
   * sent 'auto' mode to the preflight, which then says why when it finds no redirect.
   */
  const start = async (discover?: boolean, failed?: boolean) => {
    halt()
    const g = generation
    discover ||= s.discovery == 'preflight'
    const callUrl = typeof url == 'function' && !failed
    // Synchronously, so that reconnect() never leaves the state reading 'closed'.
    if (!setState(callUrl || discover ? 'resolving' : 'connecting')) return
    try {
      if (callUrl) {
        // A url() that throws or rejects is reported as INVALID_URL, quoting its error.
        const next = await Promise.resolve().then(url).catch((error) => error)
        if (g !== generation) return
        requested = normaliseUrl(next)
      }
      const found = await locate(requested, s, discover, failed)
      if (g === generation) open(found)
    } catch (error) {
      if (g === generation) fail(error as FollowSocketError)
    }
  }

  /**
   * Opens the socket where `found` leads (else at the requested URL). A preflight's `found` also
   * says why a failed handshake there failed (its refusal, SPEC §9).
   */
  const open = (found?: Found) => {
    const target = found?.url ?? requested
    if (!setState('connecting') || (found?.redirected && !say('redirect', { from: requested, to: target, hops: found.hops, via: found.via }))) return
    let ws: WebSocket
    try {
      // Typed as the DOM WebSocket for `socket`; `ws` in Node has what is used here.
      ws = new WS(target, s.protocols) as WebSocket
    } catch (cause) {
      // The URL and the protocols were checked already: what is left (a SecurityError, a
      // WebSocket option that is no constructor) would fail every retry the same way.
      return fail(new FollowSocketError('INVALID_OPTIONS', `new WebSocket() threw ${cause}`, target, cause))
    }
    // A failure before `open`. A remembered target that fails is stale: forget it and find the
    // endpoint again (paced). In 'auto' mode a failed direct handshake is what calls for a preflight.
    const failed = (error: FollowSocketError) => {
      socket = undefined
      const handshake = error.code == 'HANDSHAKE_FAILED'
      // Rediscovery is at once only if pacing allows it; else it follows the error's back-off wait.
      if (found && found.via != 'preflight') {
        if (pacing.immediate()) rediscover()
        else fail(error, rediscover)
      } else if (found) fail((handshake && found.refusal) || error)
      else if (s.discovery == 'auto' && handshake) start(true, true)
      else fail(error)
    }
    socket = ws
    ws.binaryType = s.binaryType
    // The close event that follows says everything; `ws` (Node) throws on an unheard 'error'.
    ws.onerror = noop
    connectTimer = setTimeout(() => {
      drop()
      failed(new FollowSocketError('CONNECT_TIMEOUT', `${target} timed out: is it up? Or raise connectTimeoutMs`, target))
    }, timerDelay(s.connectTimeoutMs))
    ws.onopen = () => {
      clearTimeout(connectTimer)
      resolvedUrl = target
      openedAt = Date.now()
      // The queue goes out after the listeners ran, on the socket that is still current then:
      // what they send() is queued behind it (see send), and a close() or reconnect() from them
      // keeps it for the next socket.
      if (!setState('open') || !say('open', { url: target })) return
      for (const data of queue.splice(0)) ws.send(data)
      const beat = s.heartbeat
      pongTimer = undefined
      if (beat)
        heartbeat = setInterval(() => {
          ws.send(beat.message)
          // Silent since the last ping: the socket is dead even if no close ever comes.
          pongTimer ??= setTimeout(() => {
            drop()
            if (say('error', new FollowSocketError('HEARTBEAT_TIMEOUT', `${target} went silent`, target))) closed(1006, '', false)
          }, timerDelay(beat.timeoutMs))
        }, timerDelay(beat.intervalMs))
    }
    // A listener rather than the onmessage attribute: Chromium dispatches to it faster, and this
    // is the hot path. It stays attached after drop(): a frame the old socket still had in flight
    // is delivered too, as it was sent.
    ws.addEventListener('message', (event) => {
      clearTimeout(pongTimer)
      pongTimer = undefined
      // The heartbeat's reply is traffic, not a message: never parsed, never delivered.
      if (!s.heartbeat || event.data !== s.heartbeat.reply) receive(event.data)
    })
    ws.onclose = (event) => {
      clearTimeout(connectTimer)
      if (state == 'open' || stopped) closed(event.code, event.reason, event.wasClean)
      else failed(new FollowSocketError('HANDSHAKE_FAILED', `${target} failed: is it up?`, target))
    }
  }

  const closed = (code: number, reason: string, wasClean: boolean) => {
    halt()
    socket = undefined
    // A connection that stayed up long enough was healthy: its next failure starts afresh.
    if (s.reconnect && Date.now() - openedAt >= s.reconnect.minUptimeMs) {
      attempt = 0
      pacing.healthy()
    }
    const was = resolvedUrl!
    // What the next attempt does instead of a plain reconnect: follow a move, or rediscover.
    let next: (() => void) | undefined
    let refusal: FollowSocketError | undefined
    if (!stopped && code === MOVED) {
      try {
        // A move back to a URL this chain already left is a loop (policy, so final).
        const to = movedTo(reason, was, s, pacing.left)
        pacing.left.push(toHttp(new URL(was)))
        next = rediscover
        if (to)
          next = () => {
            // Where the close frame moved the endpoint is remembered for later connects too.
            const hops = [{ from: was, to }]
            remember(s, requested, to, hops)
            open({ url: to, redirected: true, hops, via: 'close-frame' })
          }
      } catch (error) {
        refusal = error as FollowSocketError
      }
    }
    // A remembered target going away for a restart or overload (1012/1013) may not come back there.
    else if (!stopped && was !== requested && (code === 1012 || code === 1013)) next = rediscover
    const again = !stopped && !refusal && !!s.reconnect && s.shouldReconnect({ code, reason, wasClean })
    const now = again && !!next && pacing.immediate()
    const willReconnect = again && (now || canRetry())
    if (!say('close', { code, reason, wasClean, willReconnect })) return
    if (refusal) fail(refusal)
    else if (!again) setState('closed')
    else if (now) next!()
    else retry(undefined, next)
  }

  // Everything that reaches here is a FollowSocketError: discovery and policy wrap what they throw.
  // `next`: what the attempt after the back-off wait does (a plain connect by default).
  const fail = (failure: FollowSocketError, next?: () => unknown) => {
    if (!say('error', failure)) return
    if (isFinal(failure)) {
      halt()
      setState('closed')
    } else retry(failure, next)
  }

  const offline = () => globalThis.navigator?.onLine === false
  // Offline attempts would all fail: they wait for the network instead of counting.
  const canRetry = () => !!s.reconnect && (offline() || attempt < s.reconnect.maxRetries)

  /** Schedules `next` (by default a plain connect) after a back-off wait, or gives up. */
  const retry = (error?: FollowSocketError, next: () => unknown = start) => {
    if (!s.reconnect) return setState('closed')
    if (!canRetry()) {
      halt()
      // Closed before the error is told, so a listener's reconnect() starts afresh.
      if (setState('closed')) emit('error', new FollowSocketError('RETRIES_EXHAUSTED', `Gave up on ${requested}: call reconnect()`, requested))
      return
    }
    // A server that asked for a wait (Retry-After) gets it, plus this attempt's jittered back-off
    // so that a fleet told the same does not come back in the same second.
    const asked = error?.retryAfterMs
    const delayMs = offline() ? Infinity : backoffDelay(++attempt, s.reconnect) + (asked ?? 0)
    if (setState('reconnecting') && say('reconnecting', { attempt, delayMs, error })) wait(delayMs, next, !!asked && delayMs < Infinity)
  }

  // A pending wait is cut short when the user comes back: network online, tab visible again,
  // page restored from the back/forward cache; except a wait the server asked for (`held`).
  // Listeners exist only while a wait is pending. visibilitychange, fired at the document,
  // bubbles to the window, where the other two are fired.
  const wait = (delayMs: number, next: () => unknown, held: boolean) => {
    const g = generation
    const listening = new AbortController()
    const resume = (event?: Event & { persisted?: boolean }) => {
      const back =
        !event ||
        event.type == 'online' ||
        // pageshow counts only when the page is restored from the back/forward cache.
        (event.type == 'pageshow' && event.persisted) ||
        (event.type == 'visibilitychange' && document.visibilityState == 'visible')
      if (!back) return
      cancelWait?.()
      if (g === generation) next()
    }
    // Offline, the wait is Infinity: the timer (capped, see timerDelay) stands for "not before then".
    const timer = setTimeout(resume, timerDelay(delayMs))
    if (!held) for (const type of ['online', 'pageshow', 'visibilitychange']) globalThis.addEventListener?.(type, resume, { signal: listening.signal })
    cancelWait = () => {
      cancelWait = undefined
      clearTimeout(timer)
      listening.abort()
    }
  }

  /** Parses (parse: 'json') and validates (schema) one frame; throws on bad JSON. */
  const decode = (raw: unknown): StandardResult<unknown> | Promise<StandardResult<unknown>> => {
    const value = s.parse && typeof raw == 'string' ? JSON.parse(raw) : raw
    return s.schema ? s.schema['~standard'].validate(value) : { value }
  }

  const refuse = (cause: unknown, raw: unknown, why: unknown = cause) =>
    emit('error', new FollowSocketError('INVALID_MESSAGE', `Message not delivered: ${why}`, resolvedUrl, { cause, raw }))
  const deliver = (result: StandardResult<unknown>, raw: unknown) =>
    result.issues ? refuse(result.issues, raw, result.issues[0]?.message) : emit('message', { data: result.value as T, raw })

  // On the hot path: no closure is created per frame without a schema.
  const receive = (raw: unknown) => {
    // Standard Schema validation may be async: with a schema, frames go through one promise
    // chain so they are delivered (or refused) in arrival order.
    if (s.schema)
      tail = tail.then(() => decode(raw)).then(
        (result) => deliver(result, raw),
        (cause) => refuse(cause, raw),
      )
    else
      try {
        deliver(decode(raw) as StandardResult<unknown>, raw)
      } catch (cause) {
        refuse(cause, raw)
      }
  }

  // close() before this runs leaves the state 'closed'.
  queueMicrotask(() => state == 'idle' && start())

  return {
    ...events,
    get state() {
      return state
    },
    get url() {
      return requested
    },
    get resolvedUrl() {
      return resolvedUrl
    },
    get socket() {
      return socket
    },
    get buffered() {
      return queue.length
    },
    send(data) {
      if (stopped || state == 'closed')
        throw new FollowSocketError('CLOSED', `${requested} is closed: call reconnect()`, requested)
      // readyState, not state: a socket already closing must not swallow the message. While the
      // queue holds messages (open listeners are running), this one goes behind them.
      if (socket?.readyState == 1 && !queue.length) return socket.send(data)
      if (queue.length >= s.buffer.maxMessages)
        throw new FollowSocketError('SEND_BUFFER_FULL', 'Buffer full: wait for open', requested)
      queue.push(data)
    },
    close(code = 1000, reason = '') {
      if (stopped) return
      // First, so a code the WebSocket refuses (InvalidAccessError) changes nothing.
      socket?.close(code, reason)
      stopped = true
      halt()
      setState(socket ? 'closing' : 'closed')
    },
    reconnect() {
      if (state == 'closed') attempt = 0
      stopped = false
      drop()
      start()
    },
  }
}
