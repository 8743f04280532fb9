import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { redirectSettings, type RedirectOptions } from './config'
import { corsHeaders } from './cors'
import { redirectResponse } from './fetch'
import { locate, match, redirectable, type Located } from './rules'
import { answerUpgrade } from './upgrade'

export interface Redirects {
  /**
   * For the server's `request` event: answers a GET or HEAD of a moved path with the redirect
   * (http(s) Location, CORS headers) and returns true; returns false and touches nothing otherwise.
   */
  request(req: IncomingMessage, res: ServerResponse): boolean
  /**
   * For the server's `upgrade` event: answers the handshake of a moved path with the same status
   * and the target as written, ends the socket and returns true; returns false and touches
   * nothing otherwise.
   */
  upgrade(req: IncomingMessage, socket: Duplex, head?: Buffer): boolean
  /** `request` as Express/Connect middleware: calls `next()` when no rule matches. */
  middleware(req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void
  /**
   * Puts this configuration's CORS headers (`origins`, `credentials`, `Vary: Origin`) on `res`,
   * for the endpoint's own answer to its GET: a preflight ends there, and a page on another
   * origin that may not read that answer fails discovery (DISCOVERY_BLOCKED) although every
   * redirect before it admitted the page.
   */
  cors(req: IncomingMessage, res: ServerResponse): void
  /**
   * For the endpoint's own GET or HEAD, where a browser's preflight ends: answers `204 No Content`
   * with `cors()`'s headers and returns true. Any other method: false, nothing touched. A 204,
   * rather than the 426 a WebSocket endpoint usually answers a plain GET, keeps the page's
   * console quiet: browsers log a fetch that answered 4xx or 5xx as an error. Discovery reads it
   * as "a WebSocket endpoint is there" all the same.
   */
  endpoint(req: IncomingMessage, res: ServerResponse): boolean
  /**
   * For Fetch-API servers (Bun.serve, Deno.serve, Workers, Hono): a moved GET or HEAD gets
   * what `request` answers, a moved `Upgrade: websocket` request what `upgrade` answers, as a
   * Response; undefined when no rule matches. A function rule that fails: a 500 Response.
   */
  fetch(request: Request): Response | undefined
}

/**
 * One set of redirect rules for both requests a followsocket client makes to a moved endpoint:
 * the WebSocket handshake (which browsers refuse to follow) and the preflight GET of its
 * http(s) twin (which they follow, when CORS lets the page read it). Both get the same status
 * and Location, so every client, browser or not, ends up in the same place.
 * Throws a FollowSocketConfigError naming the rule or field when `options` are wrong.
 */
export function createRedirects(options: RedirectOptions): Redirects {
  const s = redirectSettings(options)

  const answer = (req: IncomingMessage, res: ServerResponse, located: Located) => {
    res.writeHead(s.status, {
      location: located.get,
      'content-length': '0',
      ...corsHeaders(req.headers.origin, s, res.getHeader('vary')),
    })
    res.end()
  }

  const cors = (req: IncomingMessage, res: ServerResponse) => {
    for (const [name, value] of Object.entries(corsHeaders(req.headers.origin, s, res.getHeader('vary'))))
      res.setHeader(name, value)
  }

  return {
    request(req, res) {
      if (!redirectable(req.method)) return false
      const located = match(req, s.rules)
      if (located === false) res.writeHead(500, { 'content-length': '0' }).end()
      else if (located) answer(req, res, located)
      return located !== undefined
    },
    upgrade(req, socket) {
      const located = match(req, s.rules)
      if (located === false) socket.destroy()
      else if (located) answerUpgrade(socket, s.status, { location: located.upgrade })
      return located !== undefined
    },
    endpoint(req, res) {
      if (!redirectable(req.method)) return false
      cors(req, res)
      res.writeHead(204, { 'cache-control': 'no-store' }).end()
      return true
    },
    cors,
    middleware(req, res, next) {
      if (!redirectable(req.method)) return next()
      let located: Located | undefined
      try {
        located = locate(req, s.rules)
      } catch (error) {
        // Express and Connect answer 500 and log it.
        return next(error)
      }
      if (located) answer(req, res, located)
      else next()
    },
    fetch: (request) => redirectResponse(request, s),
  }
}
