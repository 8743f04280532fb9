// The live feed's messages, as a Standard Schema (https://standardschema.dev) written by hand, so
// the vanilla app can validate without a bundler. The React and Vue apps use zod for the same.

/** @typedef {{ type: 'tick', n: number, at: string } | { type: 'chat', id: string, text: string, at: string }} FeedMessage */

const isString = (v) => typeof v === 'string'

/** @type {import('followsocket').StandardSchemaV1<unknown, FeedMessage>} */
export const feedMessage = {
  '~standard': {
    version: 1,
    vendor: 'followsocket-demo',
    validate(value) {
      const v = /** @type {any} */ (value)
      if (v?.type === 'tick' && Number.isInteger(v.n) && isString(v.at)) return { value: v }
      if (v?.type === 'chat' && isString(v.id) && isString(v.text) && isString(v.at)) return { value: v }
      return { issues: [{ message: 'not a tick or chat message' }] }
    },
  },
}

/**
 * The live feed's address for a page served by the demo: the port after the page's own
 * (`?url=` overrides it, e.g. for an app on Vite's dev server).
 * @param {Location} location
 */
export const liveUrl = ({ search, hostname, port }) =>
  new URLSearchParams(search).get('url') ?? `ws://${hostname}:${Number(port) + 1}/v1/live`

/** A chat message as the apps send it; `id` lets the sender see its own message come back. */
export const chat = (text) => ({ type: 'chat', id: Math.random().toString(36).slice(2), text })
