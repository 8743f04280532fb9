import { CLOSE_TIMEOUT_MS, timerDelay } from './backoff'
import { heartbeat } from './heartbeat'
import { remember } from './redirect-cache'
import { endSocket, webSocketClass } from '#runtime'
import { refusal } from './diagnosis'
import { diagnose, discovers, locate, type Found } from './discovery'
import { FollowSocketError } from './errors'
import { createEvents, type Events } from './events'
import {
  afterClose,
  afterFailure,
  FRESH,
  willReconnect,
  type FoundVia,
  type Pace,
  type Step,
  type Then,
} from './next-step'
import { settings } from './options'
import type { CloseInfo, ConnectionEvents, ConnectionState, ConnectOptions, SendData, UrlSource } from './types'
import { receiver } from './receive'
import { normaliseUrl } from './url'
import { wait } from './wait'

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
  /** Final: no reconnect afterwards; a preflight in flight is aborted. */
  close(code?: number, reason?: string): void
  /** Retry now, skipping a pending back-off wait. */
  reconnect(): void
}

type Close = Omit<CloseInfo, 'willReconnect'>

// How a socket that we ended ourselves (a missed heartbeat, an unanswered close) closes:
// abnormally (RFC 6455 §7.1.5).
const DROPPED = { code: 1006, reason: '', wasClean: false }

/**
 * Opens a WebSocket to `url` that follows redirects and reconnects. Returns at once; the first
 * attempt starts in a microtask, so listeners added right after see every event. What follows
 * a failure or a close is decided in next-step.ts; this only carries it out.
 */
export function connect<T = unknown>(url: UrlSource, options?: ConnectOptions<T>): Connection<T> {
  const s = settings(options)
  const WS = webSocketClass(s.WebSocket)
  let requested = typeof url === 'function' ? '' : normaliseUrl(url)
  const { events, emit } = createEvents<ConnectionEvents<T>>()

  let state: ConnectionState = 'idle'
  let socket: WebSocket | undefined
  let resolvedUrl: string | undefined
  let pace: Pace = FRESH
  let openedAt = 0
  let stopped = false
  // Aborted (and replaced) to cancel whatever step is in flight: the URL function, the preflight's
  // fetches, a back-off wait, the heartbeat, or what follows an event whose listener called close()
  // or reconnect().
  let running = new AbortController()
  // The deadline of the socket's handshake, opening or closing.
  let deadline: ReturnType<typeof setTimeout> | undefined
  const queue: SendData[] = []
  const receive = receiver<T>(s, emit, () => resolvedUrl)

  /**
   * Emits an event and says whether the connection carries on as it was: false when a listener
   * called close() or reconnect() (both abort what is running), and the caller must stop.
   */
  const say = <K extends keyof ConnectionEvents<T>>(type: K, payload: ConnectionEvents<T>[K]): boolean => {
    const before = running
    emit(type, payload)
    return before === running
  }

  const setState = (next: ConnectionState): boolean => {
    if (state === next) return true
    state = next
    return say('state', next)
  }

  const halt = () => {
    running.abort()
    running = new AbortController()
    clearTimeout(deadline)
  }

  /** Detaches the current socket and ends it, without letting its events reach us. */
  const drop = () => {
    const ws = socket
    socket = undefined
    if (!ws) return
    ws.onopen = ws.onclose = null
    endSocket(ws)
  }

  /**
   * Runs one connect attempt: the URL function, the cache, the preflight (when discovery is
   * 'preflight', on 'rediscover', and on 'preflight': the direct handshake failed, so the
   * preflight says why when it finds no redirect), then the socket.
   */
  const start = async (then: Exclude<Then, object> = 'connect') => {
    halt()
    const { signal } = running
    const discover = discovers(then, s)
    const callUrl = typeof url === 'function' && then !== 'preflight'
    // Synchronously, so that reconnect() never leaves the state reading 'closed'.
    if (!setState(callUrl || discover ? 'resolving' : 'connecting')) return
    try {
      if (callUrl) {
        // A url() that throws or rejects is reported as INVALID_URL, quoting its error.
        const next = await Promise.resolve()
          .then(url)
          .catch((error) => error)
        if (signal.aborted) return
        requested = normaliseUrl(next)
      }
      const found = await locate(requested, s, then, signal)
      if (!signal.aborted) open(found)
    } catch (error) {
      if (!signal.aborted) failed(error as FollowSocketError, discover ? 'preflight' : undefined)
    }
  }

  /** Opens the socket where `found` leads, else at the requested URL. */
  const open = (found?: Found) => {
    const target = found?.url ?? requested
    if (!setState('connecting')) return
    let ws: WebSocket
    try {
      // Typed as the DOM WebSocket for `socket`; `ws` in Node has what is used here.
      ws = new WS(target, s.protocols) as WebSocket
    } catch (cause) {
      // The URL and the protocols were checked already: what is left (a SecurityError, a
      // WebSocket option that is no constructor) would fail every retry the same way.
      return failed(
        new FollowSocketError('INVALID_OPTIONS', `new WebSocket() threw ${cause}`, target, cause),
        found?.via,
      )
    }
    const { signal } = running
    // A failure before `open`, said as plainly as the preflight can: where a preflight just
    // found the target, its answer; where the target was remembered or moved to, a GET of it.
    const handshakeFailed = async (error: FollowSocketError) => {
      drop()
      if (error.code === 'HANDSHAKE_FAILED' && found)
        error = found.answer ? refusal(target, found.answer) : await diagnose(target, s, signal)
      if (!signal.aborted) failed(error, found?.via)
    }
    socket = ws
    ws.binaryType = s.binaryType
    // The close event that follows says everything; `ws` (Node) throws on an unheard 'error'.
    ws.onerror = () => {}
    deadline = setTimeout(() => {
      handshakeFailed(
        new FollowSocketError('CONNECT_TIMEOUT', `${target}: no handshake within connectTimeoutMs`, target),
      )
    }, timerDelay(s.connectTimeoutMs))
    ws.onopen = () => {
      clearTimeout(deadline)
      // A new location is announced once, when it is reached (not when a remembered one is tried).
      const moved = found?.hops.length && target !== requested && target !== resolvedUrl
      resolvedUrl = target
      openedAt = Date.now()
      if (moved && !say('redirect', { from: requested, to: target, hops: found.hops, via: found.via })) return
      // The queue goes out after the listeners ran, on the socket that is still current then:
      // what they send() is queued behind it (see send), and a close() or reconnect() from them
      // keeps it for the next socket.
      if (!setState('open') || !say('open', { url: target })) return
      for (const data of queue.splice(0)) ws.send(data)
      if (s.heartbeat)
        heartbeat(ws, s.heartbeat, running.signal, () =>
          closed(DROPPED, new FollowSocketError('HEARTBEAT_TIMEOUT', `${target} went silent`, target)),
        )
    }
    // A listener rather than the onmessage attribute: Chromium dispatches to it faster, and this
    // is the hot path. It stays attached after drop(): a frame the old socket still had in flight
    // is delivered too, as it was sent.
    ws.addEventListener('message', (event) => {
      // The heartbeat's reply is traffic, not a message: never parsed, never delivered.
      if (!s.heartbeat || event.data !== s.heartbeat.reply) receive(event.data)
    })
    ws.onclose = (event) => {
      clearTimeout(deadline)
      if (state === 'open' || stopped) closed(event)
      else handshakeFailed(new FollowSocketError('HANDSHAKE_FAILED', `${target} failed: is it up?`, target))
    }
  }

  const now = () => ({ offline: globalThis.navigator?.onLine === false, random: Math.random() })

  /** An attempt failed before `open`: says why, then does what afterFailure decides. */
  const failed = (error: FollowSocketError, via: FoundVia) => {
    const step = afterFailure(error, via, pace, s, now())
    // A failed direct handshake in 'auto' mode is not the answer yet: its preflight will say why.
    if (step.kind === 'now' && step.then === 'preflight') return start('preflight')
    if (say('error', error)) carryOut(step, error)
  }

  /**
   * An open socket closed, or was ended here (`error`: why, told first): says so, then does what
   * afterClose decides.
   */
  const closed = ({ code, reason, wasClean }: Close, error?: FollowSocketError) => {
    halt()
    drop()
    if (error && !say('error', error)) return
    const close = { code, reason, wasClean }
    // After close(), nothing is left to decide.
    const step: Step = stopped
      ? { kind: 'stop', pace }
      : afterClose(close, resolvedUrl!, requested, Date.now() - openedAt, pace, s, now())
    if (!say('close', { ...close, willReconnect: willReconnect(step) })) return
    if (step.kind === 'stop' && step.error && !say('error', step.error)) return
    carryOut(step)
  }

  const carryOut = (step: Step, error?: FollowSocketError) => {
    pace = step.pace
    const run = (then: Then) => (typeof then === 'object' ? move(then.move) : start(then))
    if (step.kind === 'now') return run(step.then)
    if (step.kind === 'wait') {
      if (setState('reconnecting') && say('reconnecting', { attempt: step.attempt, delayMs: step.delayMs, error }))
        // Once over, the wait ends with its step (halt): its listeners go, and it runs `then` once.
        wait(step.delayMs, step.held, running.signal, () => {
          halt()
          run(step.then)
        })
      return
    }
    halt()
    // Closed before RETRIES_EXHAUSTED is told, so a listener's reconnect() starts afresh.
    if (setState('closed') && step.kind === 'give-up')
      emit('error', new FollowSocketError('RETRIES_EXHAUSTED', `Gave up on ${requested}: call reconnect()`, requested))
  }

  /** Follows a close frame's move, and remembers it for later connects too. */
  const move = (to: string) => {
    const hops = [{ from: resolvedUrl!, to }]
    remember(s, requested, to, hops)
    open({ url: to, hops, via: 'close-frame' })
  }

  // close() before this runs leaves the state 'closed'.
  queueMicrotask(() => state === 'idle' && start())

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
      if (stopped || state === 'closed')
        throw new FollowSocketError('CLOSED', `${requested} is closed: call reconnect()`, requested)
      // readyState, not state: a socket already closing must not swallow the message. While the
      // queue holds messages (open listeners are running), this one goes behind them.
      if (socket?.readyState === 1 && !queue.length) return socket.send(data)
      if (queue.length >= s.buffer.maxMessages)
        throw new FollowSocketError('SEND_BUFFER_FULL', 'Buffer full: wait for open', requested)
      queue.push(data)
    },
    close(code = 1000, reason = '') {
      if (stopped) return
      const ws = socket
      // First, so a code the WebSocket refuses (InvalidAccessError) changes nothing.
      ws?.close(code, reason)
      stopped = true
      // Aborts a preflight in flight, cancels every timer and wait.
      halt()
      if (setState(ws ? 'closing' : 'closed') && ws) deadline = setTimeout(() => closed(DROPPED), CLOSE_TIMEOUT_MS)
    },
    reconnect() {
      // After the connection was given up, a reconnect() starts it afresh.
      if (state === 'closed') pace = FRESH
      stopped = false
      drop()
      start()
    },
  }
}
