// The live feed's messages, as a Standard Schema (https://standardschema.dev) written by hand, so
// the vanilla app can validate without a bundler (the React and Vue apps use zod for the same),
// and the feed's address. Each app has an identical copy (create-followsocket's tests check).

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

/** Where `npm run demo` (in the followsocket repository) serves its live feed by default. */
export const DEMO_FEED = 'ws://127.0.0.1:5174/v1/live'

/**
 * The live feed's address: the page's `?feed=` (point a copy of this app at any server without
 * editing it), else `fallback` (the React and Vue apps pass VITE_FEED_URL from their build), else
 * the feed of the demo that served the page (it names it in a `<meta name="followsocket-feed">`),
 * else the demo's feed at its default address, which a dev server's page beside the demo reaches:
 * the console then says so, and that `?feed=` points the app elsewhere.
 * @param {Location} location
 * @param {string} [fallback]
 */
export function feedUrl({ search }, fallback) {
  const given =
    new URLSearchParams(search).get('feed') ||
    fallback ||
    document.querySelector('meta[name="followsocket-feed"]')?.getAttribute('content')
  if (given) return given
  console.info(
    `No ?feed= in this page's address: connecting to the followsocket demo's live feed, ${DEMO_FEED} (npm run demo in the followsocket repository). To use your own server, open this page with ?feed=wss://your.server/live.`,
  )
  return DEMO_FEED
}

/** A chat message as the apps send it; `id` lets the sender see its own message come back. */
export const chat = (text) => ({ type: 'chat', id: Math.random().toString(36).slice(2), text })
