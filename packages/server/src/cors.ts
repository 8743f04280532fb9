import type { OutgoingHttpHeader } from 'node:http'
import type { CorsSettings } from './config'

/**
 * The CORS headers for a preflight GET from `origin` (its Origin header), exposing the header
 * names in `expose` to the page. Without them a page on another origin cannot see where the
 * redirect went (or what a 503 asked): fetch rejects and the client reports DISCOVERY_BLOCKED. The preflight is a simple request (GET, no custom headers), so an
 * Access-Control-Allow-Origin on the redirect itself is all it takes; no OPTIONS handling.
 *
 * An origin not admitted gets no Access-Control-Allow-Origin (the redirect is still sent: a
 * same-origin page, or a non-browser client, needs none). `Vary: Origin` always goes out,
 * because the answer depends on the Origin and a shared cache must not mix them up.
 */
export const corsHeaders = (
  origin: string | undefined,
  { origins, credentials }: CorsSettings,
  vary?: OutgoingHttpHeader,
  expose?: string,
): Record<string, string> => {
  const headers: Record<string, string> = { vary: withOrigin(vary) }
  if (origins === '*' && !credentials) headers['access-control-allow-origin'] = '*'
  // 'null' is a real Origin value: the opaque origin a browser sends once a redirect chain
  // has crossed origins twice (Fetch standard, "tainted origin"). It is admitted only when listed.
  else if (
    origin !== undefined &&
    origins !== '*' &&
    (typeof origins === 'function' ? origins(origin) : origins.has(origin))
  ) {
    headers['access-control-allow-origin'] = origin
    if (credentials) headers['access-control-allow-credentials'] = 'true'
  }
  // A page reads only the CORS-safelisted response headers unless the answer names others
  // (Fetch standard): Retry-After is not one of them.
  if (expose && headers['access-control-allow-origin']) headers['access-control-expose-headers'] = expose
  return headers
}

/** Adds Origin to a Vary header an earlier middleware may have set. */
const withOrigin = (vary: OutgoingHttpHeader | undefined): string => {
  const list = [vary ?? []].flat().join(', ')
  return !list ? 'Origin' : /(^|,)\s*(origin|\*)\s*(,|$)/i.test(list) ? list : `${list}, Origin`
}
