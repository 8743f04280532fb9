// The Fetch standard's "CORS check", as a browser runs it on every answer of a CORS request,
// redirects included: a preflight whose chain left the page's origin is refused (fetch rejects,
// the client reports DISCOVERY_BLOCKED) at the first answer that does not admit the Origin sent.
import type { Answer } from './http'

export type CorsProblem =
  /** No Access-Control-Allow-Origin at all. */
  | 'missing'
  /** Sent twice (two add_header lines, say): the browser sees "a, b", which matches nothing. */
  | 'multiple'
  /** A value other than the Origin sent (and not `*`). */
  | 'mismatch'
  /** `*` on a credentialed request, which Fetch never accepts. */
  | 'wildcard-credentials'
  /** The origin is echoed but Access-Control-Allow-Credentials is not `true`. */
  | 'no-credentials'

export interface Cors {
  /** The request was a CORS one (the chain is or was cross-origin), so its answer must pass the check. */
  required: boolean
  /** The Origin header sent, or undefined when none was. */
  origin?: string
  allowOrigin?: string
  allowCredentials?: string
  vary?: string
  /** Why the check fails; undefined when it passes (or is not required). */
  problem?: CorsProblem
  /** The answer echoes the origin without `Vary: Origin`: caches between server and browser may serve it to another origin. */
  varyMissing: boolean
}

const header = (answer: Answer, name: string): string | undefined => {
  const value = answer.headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}

/** Runs the CORS check of `answer` for a request that sent `origin` (undefined: a same-origin request, no check). */
export const corsCheck = (answer: Answer, origin: string | undefined, credentials: boolean): Cors => {
  const allowOrigin = header(answer, 'access-control-allow-origin')
  const allowCredentials = header(answer, 'access-control-allow-credentials')
  const vary = header(answer, 'vary')
  const required = origin !== undefined
  const problem: CorsProblem | undefined = !required
    ? undefined
    : allowOrigin === undefined
      ? 'missing'
      : (answer.counts['access-control-allow-origin'] ?? 0) > 1
        ? 'multiple'
        : allowOrigin === '*'
          ? credentials
            ? 'wildcard-credentials'
            : undefined
          : allowOrigin !== origin
            ? 'mismatch'
            : credentials && allowCredentials !== 'true'
              ? 'no-credentials'
              : undefined
  const varyMissing =
    allowOrigin !== undefined && allowOrigin !== '*' && !/(^|,)\s*(origin|\*)\s*(,|$)/i.test(vary ?? '')
  return {
    required,
    ...(origin !== undefined && { origin }),
    ...(allowOrigin !== undefined && { allowOrigin }),
    ...(allowCredentials !== undefined && { allowCredentials }),
    ...(vary !== undefined && { vary }),
    ...(problem && { problem }),
    varyMissing,
  }
}
