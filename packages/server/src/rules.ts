import type { IncomingMessage } from 'node:http'
import { parseTarget, type RedirectSettings } from './config'

/** Where a matched request goes: one target, in the two forms the two requests need. */
export interface Located {
  /** For the plain GET (the preflight): http(s), which a browser's fetch can follow. */
  get: string
  /** For the upgrade: the target in the scheme it was written in. */
  upgrade: string
}

/** A request as either kind of server hands it over: Node's, or the Fetch API's. */
export type AnyRequest = IncomingMessage | Request

const ORIGINLESS = 'http://request.invalid'

/** The preflight is a GET; HEAD is its header-only twin. Other methods are the app's. */
export const redirectable = (method: string | undefined): boolean => method === 'GET' || method === 'HEAD'

/**
 * The target for `req`, or undefined when no rule matches. Exact-path rules compare the
 * request's path without its query; a function rule sees the whole request.
 */
const targetOf = (req: AnyRequest, rules: RedirectSettings['rules'], path: string): URL | undefined => {
  if (typeof rules !== 'function') return rules.get(path)
  const target = rules(req)
  // A function's answer is configuration too, checked when it is given.
  return target == null ? undefined : parseTarget(`rules(req) for ${path}`, target)
}

/**
 * Matches `req` against the rules. Node's `req.url` is a path, the Fetch API's is absolute:
 * parsing it against a base reads both. The request's query string is kept on the target
 * (after the target's own query, if it has one) so a token in `?token=…` survives the move,
 * as nginx's `$is_args$args` keeps it.
 */
export const locate = (req: AnyRequest, rules: RedirectSettings['rules']): Located | undefined => {
  const requested = new URL(req.url ?? '/', ORIGINLESS)
  const target = targetOf(req, rules, requested.pathname)
  if (!target) return
  const url = new URL(target)
  const query = requested.search.slice(1)
  if (query) url.search = url.search ? `${url.search}&${query}` : query
  return { get: url.href.replace(/^ws/, 'http'), upgrade: url.href }
}

/**
 * locate() for a server's handler: a function rule that throws or returns a bad target is
 * reported with console.error and gives false (the handler answers 500 or drops the socket),
 * never thrown into the server: its answer may depend on what a client sent, and a request
 * must not be able to crash the process.
 */
export const match = (req: AnyRequest, rules: RedirectSettings['rules']): Located | undefined | false => {
  try {
    return locate(req, rules)
  } catch (error) {
    console.error(error)
    return false
  }
}
