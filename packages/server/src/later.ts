import type { IncomingMessage, OutgoingHttpHeader, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import * as z from 'zod'
import { corsFields, corsSettings, credentialsWithList, settle, type CorsOptions } from './config'
import { corsHeaders } from './cors'
import { originOf } from './fetch'
import { answerUpgrade } from './upgrade'

export interface ComeBackLaterOptions extends CorsOptions {
  /** When to come back: whole seconds from each answer, or a Date (sent as an HTTP date). */
  retryAfter: number | Date
  /** 503 Service Unavailable (the default: maintenance, overload) or 429 Too Many Requests. */
  status?: 503 | 429
}

export interface ComeBackLater {
  /** For the server's `request` event: answers `status` with Retry-After and CORS. */
  request(req: IncomingMessage, res: ServerResponse): void
  /** For the server's `upgrade` event: the same answer to the handshake, then ends the socket. */
  upgrade(req: IncomingMessage, socket: Duplex, head?: Buffer): void
  /** For Fetch-API servers: the same answer, to the GET and to the upgrade alike, as a Response. */
  fetch(request: Request): Response
}

const schema = z
  .strictObject(
    {
      retryAfter: z.custom<number | Date>(
        (value) =>
          (Number.isSafeInteger(value) && (value as number) >= 0) ||
          (value instanceof Date && !Number.isNaN(value.getTime())),
        { error: 'must be whole seconds (0 or more) or a Date: when clients should come back' },
      ),
      status: z
        .literal([503, 429], {
          error: (issue) => `${String(issue.input)} is not a "come back later" status: use 503 or 429`,
        })
        .default(503),
      ...corsFields,
    },
    { error: 'must be an object: { retryAfter, status?, origins?, credentials? }' },
  )
  .superRefine(credentialsWithList)

/**
 * Answers every request it is given, the GET and the WebSocket upgrade alike, with 503 (or 429)
 * and `Retry-After`: for maintenance and overload. A browser hides the handshake's answer from
 * the page, but a followsocket client reads it from its preflight GET and waits as asked
 * (docs/diagnosis.md#retry-after), so the GET carries the CORS headers of `origins` and exposes
 * Retry-After, which a cross-origin page may not read otherwise. The upgrade gets the same
 * answer, for clients that read the handshake (Node) and for tools that compare both
 * (`followsocket doctor`).
 * Throws a FollowSocketConfigError naming the field when `options` are wrong.
 */
export function createComeBackLater(options: ComeBackLaterOptions): ComeBackLater {
  const { retryAfter, status, ...cors } = settle(schema, options)
  const s = corsSettings(cors)
  // RFC 9110 §10.2.3: delta-seconds, or an HTTP-date (IMF-fixdate, what toUTCString() writes).
  const after = typeof retryAfter === 'number' ? String(retryAfter) : retryAfter.toUTCString()
  const headers = (origin: string | undefined, vary?: OutgoingHttpHeader) => ({
    'retry-after': after,
    // A shared cache must not keep answering "later" once the server is back.
    'cache-control': 'no-store',
    ...corsHeaders(origin, s, vary, 'Retry-After'),
  })

  return {
    request(req, res) {
      res.writeHead(status, { ...headers(req.headers.origin, res.getHeader('vary')), 'content-length': '0' }).end()
    },
    upgrade(req, socket) {
      answerUpgrade(socket, status, headers(req.headers.origin))
    },
    fetch: (request) => new Response(null, { status, headers: headers(originOf(request)) }),
  }
}
