import type { IncomingMessage } from 'node:http'
import { parseTarget, type RedirectSettings } from './config'

/** Where a matched request goes: one target, in the two forms the two requests need. */
export interface Located {
  /** For the plain GET (the preflight): http(s), which a browser's fetch can follow. */
  get: string
  /** For the upgrade: the target in the scheme it was written in. */
  upgrade: string
}

const ORIGINLESS = 'http://request.invalid'

/**
 * The target for `req`, or undefined when no rule matches. Exact-path rules compare the
 * request's path without its query; a function rule sees the whole request.
 */
const targetOf = (req: IncomingMessage, rules: RedirectSettings['rules'], path: string): URL | undefined => {
  if (typeof rules != 'function') return rules.get(path)
  const target = rules(req)
  // A function's answer is configuration too, checked when it is given.
  return target == null ? undefined : parseTarget(`rules(req) for ${path}`, target)
}

/**
 * Matches `req` against the rules. The request's query string is kept on the target (after the
 * target's own query, if it has one) so a token in `?token=…` survives the move, as nginx's
 * `$is_args$args` keeps it.
 */
export const locate = (req: IncomingMessage, rules: RedirectSettings['rules']): Located | undefined => {
  const requested = new URL(req.url ?? '/', ORIGINLESS)
  const target = targetOf(req, rules, requested.pathname)
  if (!target) return
  const url = new URL(target)
  const query = requested.search.slice(1)
  if (query) url.search = url.search ? `${url.search}&${query}` : query
  return { get: url.href.replace(/^ws/, 'http'), upgrade: url.href }
}
