import { timerDelay } from './backoff'
import { closeSocket } from '#runtime'
import { remember } from './redirect-cache'
import { refusal } from './diagnosis'
import { locate, type Found } from './discovery'
import { afterFailure, FRESH, type FoundVia, type Pace, type Then } from './next-step'
import { FollowSocketError } from './errors'
import { discoverySettings, validProtocols, type DiscoverySettings } from './options'
import { movedTo } from './redirect-policy'
import type { BinaryType, DiscoveryOptions, WebSocketConstructor, WebSocketLike } from './types'
import { normaliseUrl } from './url'

type Handler = ((this: WebSocket, event: any) => unknown) | null

// FollowWebSocket takes only the options that govern finding the endpoint: it is one socket's
// life, so reconnecting, buffering and parsing belong to the library that uses it.
export type FollowWebSocketOptions = DiscoveryOptions

const EVENTS = ['open', 'message', 'error', 'close']

// One socket's life: no reconnect, so nothing after a failure waits (see next-step.ts).
const ONE_LIFE = { reconnect: false, shouldReconnect: () => false } as const

/**
 * A WebSocket that follows redirects: the WHATWG WebSocket interface, for libraries that take a
 * WebSocket constructor (graphql-ws, y-websocket, phoenix, centrifuge, partysocket …). It adds
 * discovery, the redirect policy and the shared cache; it does not reconnect, buffer or parse.
 */
export class FollowWebSocket extends EventTarget {
  static readonly CONNECTING = 0
  static readonly OPEN = 1
  static readonly CLOSING = 2
  static readonly CLOSED = 3
  readonly CONNECTING = 0
  readonly OPEN = 1
  readonly CLOSING = 2
  readonly CLOSED = 3

  /** The options of this class (see with()), and the settings made of them; defaults when unset. */
  protected static options: FollowWebSocketOptions = {}
  protected static settings?: DiscoverySettings

  /**
   * A subclass whose instances use these discovery options, on top of this class's own (so
   * `.with(a).with(b)` has both); anything else is INVALID_OPTIONS.
   */
  static with(options: FollowWebSocketOptions): typeof FollowWebSocket {
    const merged = { ...this.options, ...options }
    const settings = discoverySettings(merged)
    const bound = class extends this {
      protected static override options = merged
      protected static override settings = settings
    }
    // Libraries log the constructor's name (phoenix names its transport by it).
    return Object.defineProperty(bound, 'name', { value: this.name })
  }

  /** The URL as given, normalised as WebSocket.url is. */
  readonly url: string
  /** Where the socket actually connects, once known. */
  resolvedUrl?: string
  onopen: Handler = null
  onmessage: Handler = null
  onerror: Handler = null
  onclose: Handler = null

  #socket?: WebSocketLike
  #state = 0
  #binaryType?: BinaryType
  #pace: Pace = FRESH
  // Aborts the preflight in flight when close() is called during discovery.
  #abort = new AbortController()

  constructor(url: string | URL, protocols?: string | string[]) {
    super()
    this.url = normaliseUrl(url)
    if (protocols !== undefined && !validProtocols(protocols))
      throw new DOMException(`Invalid subprotocols ${protocols}`, 'SyntaxError')
    const s = (this.constructor as typeof FollowWebSocket).settings ?? discoverySettings()
    // The onX attributes act as listeners registered first, as on a WebSocket.
    for (const type of EVENTS) this.addEventListener(type, (event) => (this as any)[`on${type}`]?.call(this, event))
    this.#start(s, protocols)
  }

  get readyState(): number {
    return this.#state
  }
  get protocol(): string {
    return this.#socket?.protocol ?? ''
  }
  get extensions(): string {
    return this.#socket?.extensions ?? ''
  }
  get bufferedAmount(): number {
    return this.#socket?.bufferedAmount ?? 0
  }
  get binaryType(): BinaryType {
    return (this.#socket?.binaryType as BinaryType) ?? this.#binaryType ?? 'blob'
  }
  set binaryType(value: BinaryType) {
    this.#binaryType = value
    if (this.#socket) this.#socket.binaryType = value
  }

  send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
    if (!this.#state) throw new DOMException('CONNECTING', 'InvalidStateError')
    this.#socket?.send(data)
  }

  close(code?: number, reason?: string): void {
    if (code !== undefined && code !== 1000 && !(code >= 3000 && code < 5000))
      throw new DOMException(`close(${code})`, 'InvalidAccessError')
    if (this.#state > 1) return
    // In Node within a second, though `ws` would wait 30 s for a silent server (see #runtime).
    if (this.#socket) closeSocket(this.#socket as WebSocket, code, reason)
    this.#abort.abort()
    this.#state = 2
    // A socket in its handshake reports its own error + close 1006; during discovery there is
    // none yet, so this does the same in a later task, as closing a connecting WebSocket does.
    if (!this.#socket)
      setTimeout(() => this.#fail(new FollowSocketError('HANDSHAKE_FAILED', `${this.url} closed early`, this.url)))
  }

  /** Finds the endpoint (as `then` says, see next-step.ts) and opens the socket. */
  async #start(s: DiscoverySettings, protocols?: string | string[], then: Exclude<Then, object> = 'connect') {
    try {
      const found = await locate(this.url, s, then, this.#abort.signal)
      // Still CONNECTING: close() was not called meanwhile.
      if (!this.#state) this.#open(s, protocols, found)
    } catch (error) {
      // Only a preflight throws here.
      if (!this.#state) this.#failed(s, protocols, error as FollowSocketError, 'preflight')
    }
  }

  /**
   * After a failure before `open`, afterFailure decides as for connect(), with no reconnect: this
   * is one socket's life. What it can still do at once (the preflight after a failed direct
   * handshake, finding the endpoint again after a stale location) it does; else it fails.
   */
  #failed(s: DiscoverySettings, protocols: string | string[] | undefined, error: FollowSocketError, via: FoundVia) {
    const step = afterFailure(error, via, this.#pace, { ...s, ...ONE_LIFE }, { offline: false, random: 0 })
    this.#pace = step.pace
    if (step.kind === 'now' && typeof step.then !== 'object') this.#start(s, protocols, step.then)
    else this.#fail(error)
  }

  /** Opens the socket where `found` leads (a preflight's result or a remembered location), else at the URL given. */
  #open(s: DiscoverySettings, protocols: string | string[] | undefined, found?: Found) {
    const WS: WebSocketConstructor = s.WebSocket ?? globalThis.WebSocket
    const target = found?.url ?? this.url
    const ws = new WS(target, protocols)
    this.#socket = ws
    this.resolvedUrl = target
    if (this.#binaryType) ws.binaryType = this.#binaryType
    const failed = (error: FollowSocketError) => {
      // That socket is done: a close() from here on ends discovery, not a handshake.
      this.#socket = undefined
      // Where a preflight found the target, its answer says why the handshake there failed.
      if (error.code === 'HANDSHAKE_FAILED' && found?.answer) error = refusal(target, found.answer)
      this.#failed(s, protocols, error, found?.via)
    }
    const timer = setTimeout(() => {
      ws.onclose = null
      ws.close()
      failed(new FollowSocketError('CONNECT_TIMEOUT', `${target}: no handshake within connectTimeoutMs`, target))
    }, timerDelay(s.connectTimeoutMs))
    // Before open, a failure is handled (and reported) by discovery; after, errors pass through.
    ws.onerror = () => this.#state && this.dispatchEvent(new Event('error'))
    ws.onopen = () => {
      clearTimeout(timer)
      this.#state = 1
      this.dispatchEvent(new Event('open'))
    }
    ws.onmessage = (event) => this.dispatchEvent(new MessageEvent('message', { data: event.data }))
    ws.onclose = (event) => {
      clearTimeout(timer)
      if (!this.#state) return failed(new FollowSocketError('HANDSHAKE_FAILED', `${target} failed: is it up?`, target))
      // RFC 6455 §7.4.2 private code 4308 "moved": remember where, so the library's reconnect
      // with the URL it always used goes there directly.
      if (event.code === 4308)
        try {
          const to = movedTo(event.reason, target, s)
          if (to) remember(s, this.url, to, [{ from: target, to }])
        } catch {}
      this.#closed(event.code, event.reason, event.wasClean)
    }
  }

  #fail(error: FollowSocketError) {
    this.#state = 3
    this.dispatchEvent(Object.assign(new Event('error'), { error }))
    this.#closed(1006, '', false)
  }

  #closed(code: number, reason: string, wasClean: boolean) {
    this.#state = 3
    const init = { code, reason, wasClean }
    this.dispatchEvent(
      typeof CloseEvent === 'function' ? new CloseEvent('close', init) : Object.assign(new Event('close'), init),
    )
  }
}
