// What a fix describes, once for every proxy: fixes.ts builds these, fixes/*.ts write each
// proxy's lines from them.

/** A redirect, as a rule of createRedirects() or a proxy's redirect needs it. */
export interface Move {
  /** The path of the URL that answers (no query). */
  path: string
  status: number
  /** The target; the request's own query is left out, since every helper carries it over. */
  target: URL
}

/**
 * What the answers at `path` must carry, said once for every proxy: a redirect of the GET and
 * the upgrade alike (`move`; without one, whatever answers there today stays), and the headers:
 * Access-Control-Allow-Origin echoed to `origins`, Access-Control-Allow-Credentials: true,
 * Vary: Origin.
 */
export interface Answer {
  path: string
  move?: Move
  origins?: string[]
  credentials: boolean
  vary: boolean
}
