import type {
  CloseInfo,
  Connection,
  ConnectionEvents,
  ConnectionState,
  FollowSocketError,
  RedirectInfo,
} from 'followsocket'
import { describe, MessageLog } from './log'

// What the devtools remember of one connection, from its public events alone (`on`), plus its
// getters read when drawn (state, url, resolvedUrl, buffered): the connection knows nothing of
// being watched. Outgoing messages are the one thing no event tells, so `send` is wrapped on the
// connection object, in place, and put back by dispose() (docs/devtools.md#what-is-recorded).

export interface Transition {
  state: ConnectionState
  at: number
}

/** A moment on the timeline: a move, an error, a wait cut short (the page came back), a retry asked for. */
export interface Mark {
  kind: 'move' | 'error' | 'wake' | 'retry' | 'close'
  at: number
  label: string
}

export type RedirectRecord = RedirectInfo & { at: number }

export interface ErrorRecord {
  at: number
  code: string
  message: string
  status?: number
  retryAfterMs?: number
}

/** A pending reconnect wait. */
export interface Wait {
  attempt: number
  delayMs: number
  startedAt: number
  /** When the next attempt starts (Infinity: when the network is back). */
  until: number
  /** The server's Retry-After, when it asked for this wait (docs/diagnosis.md#retry-after). */
  serverAskedMs?: number
  /** The failure the wait follows. */
  code?: string
  status?: number
}

export interface RecorderOptions {
  /** How many messages the log keeps. */
  logCap?: number
  now?: () => number
}

/** What an event handler returns when it only logged: nothing to redraw at once. */
const LOGGED = Symbol('logged')

// Enough for the last minutes of a busy connection; older entries go first.
const KEEP = { transitions: 400, marks: 200, redirects: 20, errors: 50 }

const keep = <T>(list: T[], item: T, max: number) => {
  list.push(item)
  if (list.length > max) list.splice(0, list.length - max)
}

export type Recording = ReturnType<typeof record>

/** Starts recording `connection`; dispose() stops and puts `send` back. */
export function record(connection: Connection<any>, { logCap, now = Date.now }: RecorderOptions = {}) {
  const listeners = new Set<() => void>()
  const changed = () => {
    rec.version++
    for (const listener of listeners) listener()
  }

  const rec = {
    connection,
    since: now(),
    /** Bumped on every change but the log's (which has its own counts), so a view redraws only what moved. */
    version: 0,
    transitions: [{ state: connection.state, at: now() }] as Transition[],
    marks: [] as Mark[],
    redirects: [] as RedirectRecord[],
    errors: [] as ErrorRecord[],
    wait: undefined as Wait | undefined,
    /** The attempt number of the latest wait (the connection's own count, reset after a healthy open). */
    attempt: 0,
    /** Handshakes started ('connecting'), since recording began. */
    handshakes: 0,
    lastClose: undefined as (CloseInfo & { at: number }) | undefined,
    log: new MessageLog(logCap),
    /** Whether `send` could be wrapped (outgoing messages are logged). */
    sendsLogged: false,
    subscribe(listener: () => void) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    /** A lifecycle event (online, visible, restored) that cuts a pending wait short, unless the server asked for it. */
    wake(label: string) {
      if (connection.state !== 'reconnecting') return
      mark('wake', rec.wait?.serverAskedMs ? `${label} (the server's wait still holds)` : label)
      changed()
    },
    /** Retry now, said on the timeline. */
    reconnect() {
      mark('retry', 'Reconnect now (devtools)')
      connection.reconnect()
    },
    dispose() {
      for (const off of offs) off()
      if (connection.send === wrapped) connection.send = send
      listeners.clear()
    },
  }

  const mark = (kind: Mark['kind'], label: string) => keep(rec.marks, { kind, at: now(), label }, KEEP.marks)

  const on = {
    state(state) {
      const at = now()
      const wait = rec.wait
      if (state !== 'reconnecting' && wait) {
        // Cut short: by reconnect(), or by the page or the network coming back (docs/failure-path.md#waiting-offline-and-the-page-lifecycle).
        if (
          at < wait.until - 100 &&
          !rec.marks.some((m) => (m.kind === 'wake' || m.kind === 'retry') && at - m.at < 1000)
        )
          mark('wake', `Wait cut short after ${Math.round((at - wait.startedAt) / 100) / 10} s`)
        rec.wait = undefined
      }
      if (state === 'connecting') rec.handshakes++
      keep(rec.transitions, { state, at }, KEEP.transitions)
    },
    message({ raw }) {
      rec.log.add({ at: now(), dir: 'in', ...describe(raw) })
    },
    close(close) {
      rec.lastClose = { ...close, at: now() }
      mark(
        'close',
        `Closed ${close.code}${close.reason ? ` ${close.reason}` : ''}${close.willReconnect ? '' : ', no reconnect'}`,
      )
    },
    redirect(redirect) {
      keep(rec.redirects, { ...redirect, at: now() }, KEEP.redirects)
      mark('move', `Moved to ${redirect.to} (via ${redirect.via})`)
    },
    reconnecting({ attempt, delayMs, error }) {
      const at = now()
      rec.attempt = attempt
      rec.wait = {
        attempt,
        delayMs,
        startedAt: at,
        until: at + delayMs,
        serverAskedMs: error?.retryAfterMs,
        code: error?.code,
        status: error?.status,
      }
    },
    error(error: FollowSocketError) {
      // A frame that failed to parse or validate is about that frame, not the connection: it is
      // flagged in the log, with why, rather than listed among the connection's errors.
      if (error.code === 'INVALID_MESSAGE') {
        const raw = (error.cause as { raw?: unknown } | undefined)?.raw
        rec.log.add({ at: now(), dir: 'in', ...describe(raw), flag: 'invalid', note: error.message })
        return LOGGED
      }
      keep(
        rec.errors,
        { at: now(), code: error.code, message: error.message, status: error.status, retryAfterMs: error.retryAfterMs },
        KEEP.errors,
      )
      mark('error', error.status ? `${error.code} (${error.status})` : error.code)
    },
  } satisfies { [K in keyof ConnectionEvents]?: (payload: ConnectionEvents[K]) => void | typeof LOGGED }

  // A message (or a refused one) only goes into the log: no one is told, so a busy feed costs no
  // redraw per message. The panel, while open, reads the log on its own timer.
  const offs = (Object.keys(on) as (keyof typeof on)[]).map((type) =>
    connection.on(
      type,
      type === 'message'
        ? (on.message as (payload: any) => void)
        : (payload: any) => {
            if (on[type](payload) !== LOGGED) changed()
          },
    ),
  )

  const send = connection.send
  const wrapped: typeof send = (data) => {
    const queued = connection.state !== 'open'
    try {
      send.call(connection, data)
    } catch (error) {
      rec.log.add({
        at: now(),
        dir: 'out',
        ...describe(data),
        flag: 'refused',
        note: (error as FollowSocketError).code ?? String(error),
      })
      throw error
    }
    rec.log.add({ at: now(), dir: 'out', ...describe(data), ...(queued ? { flag: 'queued' as const } : {}) })
  }
  try {
    connection.send = wrapped
    rec.sendsLogged = connection.send === wrapped
  } catch {
    // A frozen connection object: incoming messages only.
  }
  return rec
}
