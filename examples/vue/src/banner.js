// What the three example apps tell people about their connection: one function from the
// connection's state to a banner, so the vanilla, React and Vue apps say the same thing. Each app
// has its own copy, to stay whole when copied out (create-followsocket's tests keep the copies
// identical). Plain ES module (the vanilla app loads it without a bundler).

/** @typedef {'idle'|'resolving'|'connecting'|'open'|'reconnecting'|'closing'|'closed'} State */
/** @typedef {{ attempt: number, delayMs: number, at: number }} Retry */
/** @typedef {{ code: string, message: string, status?: number }} Failure */
/** @typedef {{ tone: 'ok'|'info'|'warn'|'error', text: string, retry: boolean }} Banner */

/** A sentence per error code, for people rather than developers. */
export const REASONS = {
  INVALID_URL: 'This app was given an address that is not a WebSocket URL.',
  INVALID_OPTIONS: 'This app is misconfigured.',
  REDIRECT_LOOP: 'The live feed’s address redirects in a circle.',
  TOO_MANY_REDIRECTS: 'The live feed moved too many times to follow.',
  INSECURE_REDIRECT: 'The live feed moved to an insecure address, so we did not follow it.',
  REDIRECT_NOT_ALLOWED: 'The live feed moved somewhere this app does not trust.',
  // The feed answers but hides where it moved from this site (CORS): the SDK tells it from an outage.
  DISCOVERY_BLOCKED: 'This server does not allow discovery from this site.',
  DISCOVERY_TIMEOUT: 'The live feed is taking too long to answer.',
  // Without a status: nothing answered (down, unreachable, or redirects that lead nowhere).
  HANDSHAKE_FAILED: 'We could not reach the live feed.',
  CONNECT_TIMEOUT: 'The live feed is not answering.',
  HEARTBEAT_TIMEOUT: 'The connection went quiet.',
  RETRIES_EXHAUSTED: 'We stopped trying to reconnect.',
  SEND_BUFFER_FULL: 'Too many unsent messages: wait for the connection to come back.',
  CLOSED: 'The connection is closed.',
  INVALID_MESSAGE: 'The live feed sent a message this app could not read; it was skipped.',
}

/**
 * What the live feed answered when a connection failed, for people: the client reads the status
 * from its preflight (`error.status`) since the browser hides the handshake's answer (followsocket's
 * README, "What the server answered").
 */
export const STATUS_REASONS = {
  401: 'The live feed did not accept your sign-in.',
  403: 'The live feed did not accept your sign-in.',
  404: 'The live feed is not at this address any more.',
  410: 'The live feed is not at this address any more.',
  429: 'The live feed is busy and asked us to wait.',
  503: 'The live feed is busy and asked us to wait.',
}

/** Why the connection failed, in words: by status where the feed answered one, else by code. */
export function reasonFor(error) {
  if (error.code !== 'HANDSHAKE_FAILED' || error.status === undefined) return REASONS[error.code] ?? error.message
  const status = error.status
  // A WebSocket endpoint that answers its GET with 426, 400 or 2xx is there, but refused this
  // handshake (a subprotocol, an Origin check).
  if (status < 300 || status === 400 || status === 426) return 'The live feed refused this app’s connection.'
  return STATUS_REASONS[status] ?? `The live feed answered ${status}.`
}

const seconds = (ms) => Math.max(0, Math.ceil(ms / 1000))
const place = (url) => {
  try {
    const u = new URL(url)
    return `${u.host}${u.pathname}`
  } catch {
    return url
  }
}
/** The same endpoint, as followsocket normalises a URL (http: → ws:, https: → wss:, an empty path → /). */
const sameEndpoint = (a, b) => {
  try {
    const [x, y] = [new URL(a), new URL(b)]
    x.protocol = x.protocol.replace(/^http/, 'ws')
    y.protocol = y.protocol.replace(/^http/, 'ws')
    return x.href === y.href
  } catch {
    return a === b
  }
}

/**
 * The banner for a connection right now. "Moved" is read from where the connection is now
 * (`resolvedUrl`) against the address it was given (`url`), not remembered from a `redirect`
 * event: it shows exactly while the socket is at another address, and never after a move back.
 * @param {{ state: State, url?: string, resolvedUrl?: string, error?: Failure, retry?: Retry, now?: number }} s
 * @returns {Banner}
 */
export function banner({ state, url, resolvedUrl, error, retry, now = Date.now() }) {
  const reason = error ? reasonFor(error) : ''
  switch (state) {
    case 'idle':
    case 'resolving':
    case 'connecting':
      // A retry in progress keeps saying why it is needed.
      if (error) return { tone: 'warn', text: `${reason} Reconnecting…`, retry: false }
      return { tone: 'info', text: 'Connecting to the live feed…', retry: false }
    case 'open':
      if (url && resolvedUrl && !sameEndpoint(url, resolvedUrl))
        return {
          tone: 'ok',
          text: `The live feed moved to ${place(resolvedUrl)}. You are connected there.`,
          retry: false,
        }
      return { tone: 'ok', text: 'Live.', retry: false }
    case 'reconnecting':
      if (retry && retry.delayMs === Infinity)
        return { tone: 'warn', text: 'You are offline — we will reconnect when you are back.', retry: false }
      return {
        tone: 'warn',
        text: `${reason || 'Connection lost.'} Reconnecting in ${seconds((retry?.at ?? now) - now)} s.`,
        retry: true,
      }
    case 'closing':
      return { tone: 'info', text: 'Disconnecting…', retry: false }
    case 'closed':
      return { tone: 'error', text: `${reason || 'Disconnected.'}`, retry: true }
  }
  return { tone: 'info', text: state, retry: false }
}
