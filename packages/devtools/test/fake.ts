import type { Connection, ConnectionEvents, ConnectionState, SendData } from 'followsocket'
import { FollowSocketError, type ErrorCode } from 'followsocket'

/** A connection driven by hand: emit() plays any event as the real one would emit it. */
export function fakeConnection(url = 'wss://api.example.com/v1/live?token=s3cret&room=7') {
  const handlers = new Map<string, Set<(payload: any) => void>>()
  const sent: SendData[] = []
  let state: ConnectionState = 'idle'
  const connection = {
    get state() {
      return state
    },
    url,
    resolvedUrl: undefined as string | undefined,
    buffered: 0,
    socket: undefined,
    on(type: string, handler: (payload: any) => void) {
      if (!handlers.has(type)) handlers.set(type, new Set())
      handlers.get(type)!.add(handler)
      return () => void handlers.get(type)!.delete(handler)
    },
    off(type: string, handler: (payload: any) => void) {
      handlers.get(type)?.delete(handler)
    },
    send(data: SendData) {
      if (state === 'closed') throw new FollowSocketError('CLOSED', `${url} is closed: call reconnect()`, url)
      sent.push(data)
    },
    close() {
      emit('state', 'closed')
    },
    reconnect() {
      emit('state', 'connecting')
    },
  }
  const emit = <K extends keyof ConnectionEvents>(type: K, payload: ConnectionEvents[K]) => {
    if (type === 'state') state = payload as ConnectionState
    for (const handler of handlers.get(type) ?? []) handler(payload)
  }
  const listeners = () => [...handlers.values()].reduce((n, set) => n + set.size, 0)
  return { connection: connection as unknown as Connection<unknown> & { resolvedUrl?: string }, emit, sent, listeners }
}

export const error = (
  code: ErrorCode,
  message: string,
  extra: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
) => new FollowSocketError(code, message, undefined, extra.cause, extra.status, extra.retryAfterMs)

/** A clock the test moves. */
export function clock(start = Date.UTC(2026, 11, 6, 12, 0, 0)) {
  let t = start
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms
    },
  }
}
