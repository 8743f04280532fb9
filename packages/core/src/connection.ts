import { backoffDelay } from './backoff'
import { cached, forget, remember } from './cache'
import { preflight } from './discovery'
import { FollowSocketError, isFinal } from './errors'
import { createEvents, type Events } from './events'
import { settings } from './options'
import { checkHop } from './policy'
import type { StandardResult } from './standard-schema'
import type { ConnectionEvents, ConnectionState, ConnectOptions, Hop, RedirectInfo, SendData, UrlSource } from './types'
import { isWebUrl, normaliseUrl, parseUrl, toHttp, toWs } from './url'

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
// A connection that stayed up this long was healthy: its next failure starts back-off afresh.
const HEALTHY_MS = 5000

type Timer = ReturnType<typeof setTimeout>
const noop = () => {}

/**
 * Opens a WebSocket to `url` that follows redirects and reconnects. Returns at once; the first
 * attempt starts in a microtask, so listeners added right after see every event.
 */
export function connect<T = unknown>(url: UrlSource, options?: ConnectOptions<T>): Connection<T> {
  const s = settings(options)
  const WS = s.WebSocket ?? globalThis.WebSocket
  if (!WS) throw new FollowSocketError('INVALID_OPTIONS', 'No global WebSocket: pass options.WebSocket (from "ws" in Node)')
  let requested = typeof url == 'function' ? '' : normaliseUrl(url)
  const { events, emit } = createEvents<ConnectionEvents<T>>()

  let state: ConnectionState = 'idle'
  let socket: WebSocket | undefined
  let resolvedUrl: string | undefined
  let attempt = 0
  let openedAt = 0
  let stopped = false
  // Bumped to cancel whatever async step (URL function, preflight, back-off wait) is in flight.
  let generation = 0
  let abort: AbortController | undefined
  let connectTimer: Timer | undefined
  let heartbeat: ReturnType<typeof setInterval> | undefined
  let pongTimer: Timer | undefined
  let cancelWait: (() => void) | undefined
  const queue: SendData[] = []

  const setState = (next: ConnectionState) => {
    if (state !== next) emit('state', (state = next))
  }

  const halt = () => {
    generation++
    abort?.abort()
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
    ws.onopen = ws.onmessage = ws.onclose = null
    ws.close()
  }

  const redirect = (to: string, hops: Hop[], via: RedirectInfo['via']): RedirectInfo => ({ from: requested, to, hops, via })

  /**
   * Runs one connect attempt: the URL function, the cache, a preflight when `discover` is set
   * (or discovery is 'preflight'), then the socket. `failure` is the handshake failure that
   * sent 'auto' mode to the preflight: it stands when the preflight finds no redirect.
   */
  const start = async (discover?: boolean, failure?: FollowSocketError) => {
    halt()
    const g = generation
    try {
      if (typeof url == 'function' && !failure) {
        setState('resolving')
        let next: unknown
        try {
          next = await url()
        } catch (cause) {
          throw new FollowSocketError('INVALID_URL', 'url() failed', undefined, cause)
        }
        if (g !== generation) return
        requested = normaliseUrl(next)
      }
      discover ||= s.discovery == 'preflight'
      let found = discover ? undefined : cached(s, requested)
      if (discover) {
        setState('resolving')
        found = await preflight(requested, s, (abort = new AbortController()).signal)
        if (g !== generation) return
        if (!found.redirected) found = undefined
        if (!found && failure) throw failure
      }
      open(found && redirect(found.url, found.hops, found.via), discover)
    } catch (error) {
      if (g === generation) fail(error as FollowSocketError)
    }
  }

  /** Opens the socket at `moved.to` (else the requested URL); `discovered`: a preflight already ran. */
  const open = (moved: RedirectInfo | undefined, discovered: boolean) => {
    const target = moved?.to ?? requested
    setState('connecting')
    if (moved) emit('redirect', moved)
    let ws: WebSocket
    try {
      ws = new WS(target, s.protocols)
    } catch (cause) {
      return fail(new FollowSocketError('HANDSHAKE_FAILED', `${target} failed`, target, cause))
    }
    // A failure before `open`. A remembered target that fails is stale: forget it and find the
    // endpoint again, now. In 'auto' mode a failed direct handshake is what calls for a preflight.
    const failed = (error: FollowSocketError) => {
      socket = undefined
      if (moved && moved.via != 'preflight') {
        forget(s, requested)
        start(s.discovery != 'off')
      } else if (s.discovery == 'auto' && !discovered && error.code == 'HANDSHAKE_FAILED') start(true, error)
      else fail(error)
    }
    socket = ws
    ws.binaryType = s.binaryType
    // The close event that follows says everything; `ws` (Node) throws on an unheard 'error'.
    ws.onerror = noop
    connectTimer = setTimeout(() => {
      drop()
      failed(new FollowSocketError('CONNECT_TIMEOUT', `${target} timed out`, target))
    }, s.connectTimeoutMs)
    ws.onopen = () => {
      clearTimeout(connectTimer)
      resolvedUrl = target
      openedAt = Date.now()
      setState('open')
      emit('open', { url: target })
      for (const data of queue.splice(0)) ws.send(data)
      if (s.heartbeat) startHeartbeat(ws, s.heartbeat)
    }
    ws.onmessage = (event) => {
      clearTimeout(pongTimer)
      pongTimer = undefined
      receive(event.data)
    }
    ws.onclose = (event) => {
      clearTimeout(connectTimer)
      if (state == 'open' || stopped) closed(event.code, event.reason, event.wasClean)
      else failed(new FollowSocketError('HANDSHAKE_FAILED', `${target} failed`, target))
    }
  }

  const closed = (code: number, reason: string, wasClean: boolean) => {
    halt()
    socket = undefined
    if (Date.now() - openedAt >= HEALTHY_MS) attempt = 0
    const was = resolvedUrl!
    let move: RedirectInfo | undefined
    let refusal: FollowSocketError | undefined
    let rediscover = false
    if (!stopped && code === MOVED) {
      const to = parseUrl(reason, 'x:/')
      if (to && isWebUrl(to) && reason.includes('//')) {
        try {
          checkHop(new URL(was), to, new Set([toHttp(new URL(was))]), 1, s)
          move = redirect(toWs(to), [{ from: was, to: toWs(to) }], 'close-frame')
        } catch (error) {
          refusal = error as FollowSocketError
        }
      } else rediscover = true
    }
    // A cached target going away for a restart or overload (1012/1013) may not come back there.
    if (!stopped && was !== requested && (code === 1012 || code === 1013)) rediscover = true
    const willReconnect =
      !stopped && !refusal && !!s.reconnect && (!!move || rediscover || s.shouldReconnect({ code, reason, wasClean }))
    emit('close', { code, reason, wasClean, willReconnect })
    if (refusal) return fail(refusal)
    if (!willReconnect) return setState('closed')
    if (move) {
      remember(s, requested, move.to, move.hops)
      open(move, true)
    } else if (rediscover) {
      forget(s, requested)
      start(s.discovery != 'off')
    } else retry()
  }

  // Everything that reaches here is a FollowSocketError: discovery and policy wrap what they throw.
  const fail = (failure: FollowSocketError) => {
    emit('error', failure)
    if (isFinal(failure)) {
      halt()
      setState('closed')
    } else retry(failure)
  }

  /** Schedules the next attempt after a back-off wait, or gives up. */
  const retry = (error?: FollowSocketError) => {
    if (!s.reconnect) return setState('closed')
    const offline = globalThis.navigator?.onLine === false
    // Offline attempts would all fail: wait for the network instead of spending them.
    if (!offline && ++attempt > s.reconnect.maxRetries) {
      emit('error', new FollowSocketError('RETRIES_EXHAUSTED', `Gave up on ${requested}`, requested))
      return setState('closed')
    }
    const delayMs = offline ? Infinity : backoffDelay(attempt, s.reconnect)
    setState('reconnecting')
    emit('reconnecting', { attempt, delayMs, error })
    wait(delayMs)
  }

  // A pending wait is cut short when the user comes back: network online, tab visible again,
  // page restored from the back/forward cache. Listeners exist only while a wait is pending.
  const wait = (delayMs: number) => {
    const g = generation
    const win = globalThis as Partial<Window & typeof globalThis>
    const doc = win.document
    const resume = (event?: Event) => {
      if (event?.type == 'visibilitychange' && doc?.visibilityState != 'visible') return
      if (event?.type == 'pageshow' && !(event as PageTransitionEvent).persisted) return
      cancelWait?.()
      if (g === generation) start()
    }
    const timer = delayMs < Infinity ? setTimeout(resume, delayMs) : undefined
    const listen = (method: 'addEventListener' | 'removeEventListener') => {
      win[method]?.('online', resume)
      win[method]?.('pageshow', resume)
      doc?.[method]('visibilitychange', resume)
    }
    listen('addEventListener')
    cancelWait = () => {
      cancelWait = undefined
      clearTimeout(timer)
      listen('removeEventListener')
    }
  }

  const startHeartbeat = (ws: WebSocket, o: Exclude<typeof s.heartbeat, false>) => {
    heartbeat = setInterval(() => {
      ws.send(o.message)
      pongTimer ??= setTimeout(() => {
        drop()
        emit('error', new FollowSocketError('HEARTBEAT_TIMEOUT', `${resolvedUrl} went silent`, resolvedUrl))
        closed(1006, 'heartbeat timeout', false)
      }, o.timeoutMs)
    }, o.intervalMs)
  }

  const receive = (raw: unknown) => {
    let value = raw
    if (s.parse && typeof raw == 'string') {
      try {
        value = JSON.parse(raw)
      } catch (cause) {
        return invalid('not JSON', raw, cause)
      }
    }
    if (!s.schema) return emit('message', { data: value as T, raw })
    const result = s.schema['~standard'].validate(value)
    // Schemas with async checks resolve later, so their frames may be delivered out of order.
    if (result instanceof Promise) result.then((r) => deliver(r, raw), (cause) => invalid('failed', raw, cause))
    else deliver(result, raw)
  }

  const deliver = (result: StandardResult<unknown>, raw: unknown) => {
    if (result.issues) invalid(`failed: ${result.issues[0]?.message}`, raw, result.issues)
    else emit('message', { data: result.value as T, raw })
  }

  const invalid = (why: string, raw: unknown, cause: unknown) => {
    emit('error', new FollowSocketError('INVALID_MESSAGE', `Message ${why}`, resolvedUrl, { cause, raw }))
  }

  queueMicrotask(() => state == 'idle' && !stopped && start())

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
        throw new FollowSocketError('CLOSED', `${requested} is closed`, requested)
      if (state == 'open') return socket!.send(data)
      if (queue.length >= s.buffer.maxMessages)
        throw new FollowSocketError('SEND_BUFFER_FULL', 'Send buffer full', requested)
      queue.push(data)
    },
    close(code = 1000, reason = '') {
      if (code !== 1000 && !(code >= 3000 && code <= 4999))
        throw new FollowSocketError('INVALID_OPTIONS', `Close code ${code}`)
      if (stopped) return
      stopped = true
      halt()
      if (socket) {
        setState('closing')
        socket.close(code, reason)
      } else setState('closed')
    },
    reconnect() {
      if (stopped || state == 'closed') attempt = 0
      stopped = false
      drop()
      start()
    },
  }
}
