// A report is pasted into bug trackers and chats: nothing in it may let a reader connect as the
// user. URLs carry credentials in two places, user info (`wss://user:pass@host`) and the query
// string (`?token=…`, the usual way to authenticate a WebSocket, since a browser's handshake takes
// no custom header). Both are replaced wherever a URL appears: in the URL fields, in error messages
// (which quote the URL), in the message previews.

/** Query parameter names whose values are credentials: matched anywhere in the name, any case. */
const SECRET = /token|key|auth|pass|pwd|secret|session|sig|jwt|credential|bearer|ticket|otp|cookie/i

export const REDACTED = 'redacted'

/** `name=value&…` with the value of every secret-looking name replaced; the rest left as written. */
const redactParams = (params: string) =>
  params
    .split('&')
    .map((pair) => {
      const at = pair.indexOf('=')
      if (at < 0) return pair
      let name = pair.slice(0, at)
      try {
        name = decodeURIComponent(name.replace(/\+/g, ' '))
      } catch {
        // A malformed escape: test the name as written.
      }
      return SECRET.test(name) ? `${pair.slice(0, at)}=${REDACTED}` : pair
    })
    .join('&')

/** The URL with its user info and secret query values (and fragment parameters) replaced. Not a URL: as it is. */
export function redactUrl(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return url
  }
  if (parsed.username || parsed.password) {
    parsed.username = REDACTED
    parsed.password = ''
  }
  // By hand rather than through searchParams, which would re-encode every other parameter.
  if (parsed.search.length > 1) parsed.search = redactParams(parsed.search.slice(1))
  // OAuth's implicit flow puts tokens in the fragment (#access_token=…).
  if (parsed.hash.includes('=')) parsed.hash = redactParams(parsed.hash.slice(1))
  return parsed.href
}

// A URL inside prose: up to whitespace, a quote or a bracket; punctuation that ends a sentence stays outside.
const URL_IN_TEXT = /\b(?:wss?|https?):\/\/[^\s"'<>()[\]{}]+/g

/** `text` with every http(s)/ws(s) URL in it redacted (error messages quote the URL they are about). */
export const redactText = (text: string): string =>
  text.replace(URL_IN_TEXT, (match) => {
    const end = /[.,;:!?]+$/.exec(match)
    const url = end ? match.slice(0, end.index) : match
    return redactUrl(url) + (end ? end[0] : '')
  })
