import type { UrlSource } from './types'

/** A binding's event callbacks (onMessage, onState …): never part of a connection's identity. */
export const HANDLER = /^on[A-Z]/

/**
 * When a binding must replace its connection: a new URL or a changed option. A function (a
 * callback, a URL function, a WebSocket constructor) or a schema counts by presence, not by
 * identity, so a new arrow function on every render reconnects nothing (partysocket derives its
 * restarts from the options that matter the same way). undefined: no URL, no connection.
 */
export const restartKey = (url: UrlSource | null | undefined, options?: object): string | undefined =>
  url == null
    ? undefined
    : JSON.stringify([url, options], (key, value) =>
        HANDLER.test(key) ? undefined : typeof value === 'function' ? 'ƒ' : value?.['~standard'] ? '~standard' : value,
      )
