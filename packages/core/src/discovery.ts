import { timerDelay } from './backoff'
import { FollowSocketError } from './errors'
import { cached, forget, remember } from './redirect-cache'
import { refusal } from './diagnosis'
import { followChain, unanswered } from '#runtime'
import { toHttp } from './url'
import type { Then } from './next-step'
import type { DiscoverySettings } from './options'
import type { RedirectInfo, Resolution } from './types'

/** A GET of `at` as the preflight sends it, with `init` on top (the redirect mode, a probe's mode). */
export type Get = (at: URL, init: RequestInit) => Promise<Response>

/**
 * Where an attempt opens its socket: a preflight's result, a remembered location, or where a
 * close frame moved the endpoint.
 */
export interface Found extends Omit<Resolution, 'via' | 'redirected' | 'status'> {
  via: RedirectInfo['via']
  /** The preflight's final answer: what it says is why a handshake there failed (docs/diagnosis.md). */
  answer?: Response
}

// Why a GET went unanswered, kept per URL while its preflight keeps failing, for #runtime to reuse:
// only the first attempt of a failure streak probes in a browser, so a redirect loop costs one
// chain (21 GETs) per attempt, not three.
const verdicts = new Map<string, FollowSocketError>()

/**
 * Preflights `url` (ws form) with a plain GET of its http(s) twin (a simple CORS request: no
 * custom headers, so no OPTIONS round trip) and returns where it ends; how the chain is
 * followed, and what a GET that throws means, depend on the runtime (see #runtime). Redirects are
 * cached. `signal` aborts it (close()). Throws the diagnosis of a GET nobody answered (in a
 * browser: CORS, a server that is down or a chain that leads nowhere), DISCOVERY_TIMEOUT, or the
 * policy's error for a refused hop.
 */
export const preflight = async (
  url: string,
  s: DiscoverySettings,
  signal?: AbortSignal,
): Promise<Found & { via: 'preflight'; answer: Response }> => {
  const deadline = AbortSignal.timeout(timerDelay(s.preflight.timeoutMs))
  const request: Get = (at, init) =>
    (s.fetch ?? fetch)(at.href, {
      cache: 'no-store',
      credentials: s.preflight.credentials,
      signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
      ...init,
    })
  const get: Get = async (at, init) => {
    try {
      const response = await request(at, init)
      verdicts.delete(at.href)
      // Only the status line matters; release the connection.
      response.body?.cancel().catch(() => {})
      return response
    } catch (cause) {
      const verdict = await unanswered(request, at, url, cause, verdicts.get(at.href))
      // close() or the timeout cut the probes short too: what they found is no verdict.
      if (signal?.aborted) throw cause
      if (deadline.aborted)
        throw new FollowSocketError(
          'DISCOVERY_TIMEOUT',
          `GET ${at.href}: no answer within preflight.timeoutMs`,
          url,
          cause,
        )
      verdicts.set(at.href, verdict)
      throw verdict
    }
  }
  const [response, hops] = await followChain(get, new URL(toHttp(new URL(url))), s)
  const final = hops.at(-1)?.to ?? url
  remember(s, url, final, hops)
  return { url: final, hops, via: 'preflight', answer: response }
}

/**
 * Whether an attempt that does `then` begins with a preflight: always in 'preflight' mode; after
 * its direct handshake failed ('auto'); when a remembered location failed, unless discovery is off.
 */
export const discovers = (then: Exclude<Then, object>, s: DiscoverySettings): boolean =>
  then === 'preflight' || s.discovery === 'preflight' || (then === 'rediscover' && s.discovery !== 'off')

/**
 * Where `url` leads for an attempt that does `then`: a preflight where it discovers, else the
 * cache (undefined when it has nothing). After a failed direct handshake ('preflight'), a
 * preflight that finds no redirect throws what the endpoint's answer says about that failure.
 * Only a preflight throws.
 */
export const locate = async (
  url: string,
  s: DiscoverySettings,
  then: Exclude<Then, object>,
  signal?: AbortSignal,
): Promise<Found | undefined> => {
  if (then === 'rediscover') forget(s, url)
  const found: Found | undefined = discovers(then, s) ? await preflight(url, s, signal) : cached(s, url)
  if (then === 'preflight' && !found!.hops.length) throw refusal(url, found!.answer!)
  return found
}

/**
 * Why a handshake failed at `target`, a location remembered or moved to rather than the one a
 * preflight just found: what a GET of that target answers, so that a move to a URL that answers
 * 404 says so (docs/diagnosis.md). Never throws, never caches.
 */
export const diagnose = (target: string, s: DiscoverySettings, signal?: AbortSignal): Promise<FollowSocketError> =>
  preflight(target, { ...s, cache: false }, signal).then(
    (found) => refusal(found.url, found.answer),
    (error: FollowSocketError) => error,
  )
