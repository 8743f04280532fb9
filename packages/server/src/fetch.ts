import type { RedirectSettings } from './config'
import { corsHeaders } from './cors'
import { match, redirectable } from './rules'

/**
 * A Fetch-API server (Bun.serve, Deno.serve, Workers, Hono) hands the WebSocket handshake to
 * the same handler as every other request; only its `Upgrade` header tells them apart
 * (RFC 6455 §4.1: `Upgrade: websocket`, case-insensitive).
 */
export const isWebSocketUpgrade = (request: Request): boolean =>
  request.headers.get('upgrade')?.toLowerCase() === 'websocket'

/** The Origin header, undefined when absent ('null' is a value: the opaque origin). */
export const originOf = (request: Request): string | undefined => request.headers.get('origin') ?? undefined

/**
 * The redirects' answer to a Fetch-API request: what `request` and `upgrade` answer in Node,
 * from the same rules, as a Response; undefined when no rule matches (or the method is not the
 * preflight's). The upgrade gets the target as written, the GET its http(s) form with CORS.
 */
export const redirectResponse = (request: Request, s: RedirectSettings): Response | undefined => {
  const upgrade = isWebSocketUpgrade(request)
  if (!upgrade && !redirectable(request.method)) return
  const located = match(request, s.rules)
  if (located === false) return new Response(null, { status: 500 })
  if (!located) return
  const headers = upgrade
    ? { location: located.upgrade }
    : { location: located.get, ...corsHeaders(originOf(request), s) }
  return new Response(null, { status: s.status, headers })
}
