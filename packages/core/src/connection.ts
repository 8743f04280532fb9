import { backoffDelay } from './backoff'
import { cached, forget, preflight, remember } from './discovery'
import { FollowSocketError, isFinal, isFollowSocketError } from './errors'
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

/** How the socket being opened was chosen, which decides what a failure before `open` means. */
interface Attempt {
  redirect?: RedirectInfo
  /** The preflight already ran for this attempt, so a failure is the socket's own. */
  discovered: boolean
}

/**
 * Opens a WebSocket to `url` that follows redirects and reconnects. Returns at once; the first
 * attempt starts in a microtask, so listeners added right after see every event.
 */
export function connect<T = unknown>(url: UrlSource, options?: ConnectOptions<T>): Connection<T> {
  const s = settings(options)
  const WS = s.WebSocket ?? globalThis.WebSocket
  if (!WS) throw new FollowSocketError('INVALID_OPTIONS', 'Option "WebSocket" is required where there is no global WebSocket (pass the one from "ws")')
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
  // Set while an async schema validates, so frames keep their order.
  let pending: Promise<unknown> | undefined
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
    try {
      ws.close()
    } catch {}
  }

  const redirect = (to: string, hops: Hop[], via: RedirectInfo['via']): RedirectInfo => ({ from: requested, to, hops, via })

  /** Runs one connect attempt: URL function, cache, preflight when asked, then the socket. */
  const start = async (rediscover = false) => {
    halt()
    const g = generation
    try {
      if (typeof url == 'function') {
        setState('resolving')
        let next: unknown
        try {
          next = await url()
        } catch (cause) {
          throw new FollowSocketError('INVALID_URL', 'The url function failed', undefined, cause)
        }
        if (g !== generation) return
        requested = normaliseUrl(next)
      }
      const hit = !rediscover && cached(requested, s)
      if (hit) return open({ redirect: redirect(hit.url, hit.hops, 'cache'), discovered: false })
      if (s.discovery == 'off' || (s.discovery == 'auto' && !rediscover)) return open({ discovered: false })
      await discover(g)
    } catch (error) {
      if (g === generation) fail(error)
    }
  }

  /** Preflights the requested URL and opens where it leads; a failed preflight is the attempt's failure. */
  const discover = async (g: number, failure?: FollowSocketError) => {
    setState('resolving')
    abort = new AbortController()
    const found = await preflight(requested, s, abort.signal)
    if (g !== generation) return
    if (found.redirected) open({ redirect: redirect(found.url, found.hops, 'preflight'), discovered: true })
    else if (failure) fail(failure)
    else open({ discovered: true })
  }

  const open = (how: Attempt) => {
    const target = how.redirect?.to ?? requested
    setState('connecting')
    if (how.redirect) emit('redirect', how.redirect)
    let ws: WebSocket
    try {
      ws = new WS(target, s.protocols)
    } catch (cause) {
      return fail(new FollowSocketError('HANDSHAKE_FAILED', `Could not open ${target}`, target, cause))
    }
    socket = ws
    ws.binaryType = s.binaryType
    // The close event that follows says everything; `ws` (Node) throws on an unheard 'error'.
    ws.onerror = noop
    connectTimer = setTimeout(() => {
      drop()
      failedBeforeOpen(how, new FollowSocketError('CONNECT_TIMEOUT', `No handshake with ${target} within ${s.connectTimeoutMs} ms`, target))
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
      else {
        socket = undefined
        failedBeforeOpen(how, new FollowSocketError('HANDSHAKE_FAILED', `The WebSocket handshake with ${target} failed (close ${event.code})`, target))
      }
    }
  }

  const failedBeforeOpen = (how: Attempt, error: FollowSocketError) => {
    const g = generation
    // A cached target that fails is stale: forget it and find the endpoint again, now.
    if (how.redirect?.via == 'cache' || how.redirect?.via == 'close-frame') {
      forget(requested, s)
      return void start(s.discovery != 'off')
    }
    // 'auto' opened directly; only a failure before `open` is worth a preflight.
    if (s.discovery == 'auto' && !how.discovered && error.code == 'HANDSHAKE_FAILED')
      return void discover(g, error).catch((e) => g === generation && fail(e))
    fail(error)
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
          checkHop(new URL(was), to, new Set([toHttp(new URL(was))]), 1, s.policy)
          move = redirect(toWs(to), [{ from: was, to: toWs(to) }], 'close-frame')
        } catch (error) {
          refusal = error as FollowSocketError
        }
      } else rediscover = s.discovery != 'off'
    }
    // A cached target going away for a restart or overload (1012/1013) may not come back there.
    if (!stopped && was !== requested && (code === 1012 || code === 1013)) rediscover = s.discovery != 'off'
    const willReconnect =
      !stopped && !refusal && !!s.reconnect && (!!move || rediscover || s.shouldReconnect({ code, reason, wasClean }))
    emit('close', { code, reason, wasClean, willReconnect })
    if (refusal) return fail(refusal)
    if (!willReconnect) return setState('closed')
    if (move) {
      remember(requested, move.to, move.hops, s)
      return open({ redirect: move, discovered: true })
    }
    if (rediscover) {
      forget(requested, s)
      return void start(true)
    }
    retry()
  }

  const fail = (error: unknown) => {
    const failure = isFollowSocketError(error)
      ? error
      : new FollowSocketError('HANDSHAKE_FAILED', `Connecting to ${requested} failed`, requested, error)
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
      emit('error', new FollowSocketError('RETRIES_EXHAUSTED', `Gave up on ${requested} after ${s.reconnect.maxRetries} retries`, requested))
      return setState('closed')
    }
    const delayMs = offline ? Infinity : backoffDelay(attempt, s.reconnect)
    setState('reconnecting')
    emit('reconnecting', error ? { attempt, delayMs, error } : { attempt, delayMs })
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
    win.addEventListener?.('online', resume)
    win.addEventListener?.('pageshow', resume)
    doc?.addEventListener('visibilitychange', resume)
    cancelWait = () => {
      cancelWait = undefined
      clearTimeout(timer)
      win.removeEventListener?.('online', resume)
      win.removeEventListener?.('pageshow', resume)
      doc?.removeEventListener('visibilitychange', resume)
    }
  }

  const startHeartbeat = (ws: WebSocket, o: Exclude<typeof s.heartbeat, false>) => {
    heartbeat = setInterval(() => {
      ws.send(o.message)
      pongTimer ??= setTimeout(() => {
        drop()
        emit('error', new FollowSocketError('HEARTBEAT_TIMEOUT', `No message from ${resolvedUrl} within ${o.timeoutMs} ms of a heartbeat`, resolvedUrl))
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
        return invalid('is not JSON', raw, cause)
      }
    }
    if (!s.schema) return emit('message', { data: value as T, raw })
    const result = s.schema['~standard'].validate(value)
    // Async validation (rare) is chained so frames are still delivered in arrival order.
    if (pending || result instanceof Promise) {
      const next: Promise<unknown> = (pending ?? Promise.resolve())
        .then(() => result)
        .then((r) => deliver(r, raw))
        .catch((cause) => invalid('failed validation', raw, cause))
        .finally(() => pending === next && (pending = undefined))
      pending = next
    } else deliver(result, raw)
  }

  const deliver = (result: StandardResult<unknown>, raw: unknown) => {
    if (result.issues) invalid(`failed the schema: ${result.issues[0]?.message}`, raw, result.issues)
    else emit('message', { data: result.value as T, raw })
  }

  const invalid = (why: string, raw: unknown, cause: unknown) => {
    emit('error', new FollowSocketError('INVALID_MESSAGE', `A message from ${resolvedUrl} ${why}`, resolvedUrl, { cause, raw }))
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
        throw new FollowSocketError('CLOSED', `send() on a closed connection to ${requested}`, requested)
      if (state == 'open') return socket!.send(data)
      if (queue.length >= s.maxBuffered)
        throw new FollowSocketError('SEND_BUFFER_FULL', `The send buffer holds ${s.maxBuffered} messages already`, requested)
      queue.push(data)
    },
    close(code = 1000, reason = '') {
      if (code !== 1000 && !(code >= 3000 && code <= 4999))
        throw new FollowSocketError('INVALID_OPTIONS', `Close code ${code} must be 1000 or 3000-4999`)
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
