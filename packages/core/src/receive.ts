import { FollowSocketError } from './errors'
import type { Settings } from './options'
import type { StandardResult } from './standard-schema'
import type { ConnectionEvents } from './types'

type Emit<T> = <K extends keyof ConnectionEvents<T>>(type: K, payload: ConnectionEvents<T>[K]) => void

/**
 * A connection's receive path: each frame parsed (parse: 'json') and validated (schema), then
 * emitted as a `message`, or refused as INVALID_MESSAGE (`at()`: the socket's URL, to name it).
 * Standard Schema validation may be async: with a schema, frames go through one promise chain so
 * they are delivered (or refused) in arrival order.
 */
export const receiver = <T>(s: Settings, emit: Emit<T>, at: () => string | undefined) => {
  let tail: Promise<unknown> = Promise.resolve()

  /** Throws on bad JSON. */
  const decode = (raw: unknown): StandardResult<unknown> | Promise<StandardResult<unknown>> => {
    const value = s.parse && typeof raw === 'string' ? JSON.parse(raw) : raw
    return s.schema ? s.schema['~standard'].validate(value) : { value }
  }
  const refuse = (cause: unknown, raw: unknown, why: unknown = cause) =>
    emit('error', new FollowSocketError('INVALID_MESSAGE', `Message not delivered: ${why}`, at(), { cause, raw }))
  const deliver = (result: StandardResult<unknown>, raw: unknown) =>
    result.issues
      ? refuse(result.issues, raw, result.issues[0]?.message)
      : emit('message', { data: result.value as T, raw })

  // On the hot path: no closure is created per frame without a schema.
  return (raw: unknown) => {
    if (s.schema)
      tail = tail
        .then(() => decode(raw))
        .then(
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
}
