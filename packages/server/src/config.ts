import type { IncomingMessage } from 'node:http'
import * as z from 'zod'
import { FollowSocketConfigError } from './errors'

/** A redirect status. 308 (the default) keeps the method and says "permanently". */
export type RedirectStatus = 301 | 302 | 303 | 307 | 308

/** Where a moved endpoint is now: an absolute ws:, wss:, http: or https: URL. */
export type Target = string | URL

/**
 * Decides per request: a target redirects there, undefined lets the request through. It is
 * called with the request the server got: Node's IncomingMessage from `request`, `upgrade` and
 * `middleware`, the Fetch API's Request from `fetch` (whose `url` is absolute, where Node's is a
 * path: `new URL(req.url, 'http://x')` reads both).
 */
export type RuleFunction = (req: IncomingMessage | Request) => Target | undefined | null

/**
 * Decides per request whether a page origin (its Origin header as the browser sent it, `'null'`
 * included) may read the answer: for origins no list can name in advance, such as a dev server
 * on whatever port was free.
 */
export type OriginCheck = (origin: string) => boolean

/** Who may read an answer cross-origin: shared by createRedirects() and createComeBackLater(). */
export interface CorsOptions {
  /**
   * Page origins whose preflight may read the answer: a list (`'null'` admits the opaque
   * origin a browser sends after a second origin change), `'*'`, or a function deciding per
   * Origin. Default: none, so only same-origin pages can read it.
   */
  origins?: readonly string[] | '*' | OriginCheck
  /** Send `Access-Control-Allow-Credentials: true` (echoing the origin). Default false. */
  credentials?: boolean
}

export interface RedirectOptions extends CorsOptions {
  /** Exact paths (`'/v1/live'`, no query) → targets, or one function deciding per request. */
  rules: Record<string, Target> | RuleFunction
  /** Default 308. */
  status?: RedirectStatus
}

/** CorsOptions after validation and defaults. */
export interface CorsSettings {
  origins: ReadonlySet<string> | '*' | OriginCheck
  credentials: boolean
}

/** createRedirects() options after validation and defaults. */
export interface RedirectSettings extends CorsSettings {
  rules: Map<string, URL> | RuleFunction
  status: RedirectStatus
}

export const STATUSES = [301, 302, 303, 307, 308] as const

/**
 * Why `value` cannot be a redirect target, or undefined when it can. The followsocket client
 * refuses user-info in a target (REDIRECT_NOT_ALLOWED) and a WebSocket URL has no fragment,
 * so both are refused here, where the mistake is made, rather than in every user's browser.
 */
export const targetProblem = (value: unknown): string | undefined => {
  const text = value instanceof URL ? value.href : value
  if (typeof text !== 'string') return `${String(value)} is not a URL: give an absolute ws(s): or http(s): URL`
  const url = URL.canParse(text) ? new URL(text) : undefined
  if (!url || !/^(ws|http)s?:$/.test(url.protocol))
    return `${JSON.stringify(text)} is not an absolute ws(s): or http(s): URL`
  if (url.username || url.password)
    return `${JSON.stringify(text)} carries user:password@, which followsocket clients refuse`
  if (url.hash) return `${JSON.stringify(text)} has a #fragment, which a WebSocket URL may not have`
}

/** Parses a target that targetProblem() accepted. */
export const parseTarget = (field: string, value: unknown): URL => {
  const problem = targetProblem(value)
  if (problem) throw new FollowSocketConfigError(field, problem)
  return new URL(String(value))
}

// Origins are compared as browsers send them (the Fetch standard's serialisation): lowercase
// scheme and host, no default port, no path, no trailing slash. Anything else never matches,
// so it is a mistake worth naming.
const originProblem = (value: string): string | undefined => {
  if (value === 'null') return
  const url = URL.canParse(value) ? new URL(value) : undefined
  if (!url || !/^https?:$/.test(url.protocol))
    return `${JSON.stringify(value)} is not an origin: write scheme://host[:port], e.g. "https://app.example.com", or "null"`
  if (url.origin !== value)
    return `${JSON.stringify(value)} is not an origin as browsers send it: write ${JSON.stringify(url.origin)}`
}

const custom = (problem: (value: any) => string | undefined) => (value: unknown, ctx: z.RefinementCtx) => {
  const message = problem(value)
  if (message) ctx.addIssue({ code: 'custom', message })
}

const path = z.string().refine((key) => key.startsWith('/') && !/[?#]/.test(key), {
  error: (issue) =>
    `${JSON.stringify(issue.input)} is not an exact path: rule keys look like "/v1/live", without a query`,
})

/** The CORS fields of an options schema, shared by every helper that answers a preflight. */
export const corsFields = {
  origins: z
    .union(
      [
        z.literal('*'),
        z.array(z.string().superRefine(custom(originProblem))),
        z.custom<OriginCheck>((value) => typeof value === 'function'),
      ],
      { error: 'must be a list of origins (which may hold "null"), "*", or a function (origin) => boolean' },
    )
    .default([]),
  credentials: z.boolean({ error: 'must be true or false' }).default(false),
}

/** Refuses credentials with origins '*': put it on an object schema holding corsFields. */
export const credentialsWithList = (
  options: { origins: readonly string[] | '*' | OriginCheck; credentials: boolean },
  ctx: z.RefinementCtx,
) => {
  // Fetch refuses a credentialed response whose Access-Control-Allow-Origin is '*'.
  if (options.credentials && options.origins === '*')
    ctx.addIssue({
      code: 'custom',
      path: ['credentials'],
      message:
        'cannot be combined with origins "*": browsers refuse a credentialed response allowed to "*"; list the origins, which are then echoed',
    })
}

/** The validated CORS fields as the answers use them. */
export const corsSettings = ({
  origins,
  credentials,
}: {
  origins: readonly string[] | '*' | OriginCheck
  credentials: boolean
}): CorsSettings => ({
  origins: origins === '*' || typeof origins === 'function' ? origins : new Set(origins),
  credentials,
})

const schema = z
  .strictObject(
    {
      rules: z.union(
        [
          z.custom<RuleFunction>((value) => typeof value === 'function'),
          z.record(path, z.unknown().superRefine(custom(targetProblem))),
        ],
        { error: 'must be an object of exact paths → targets, or a function (req) => target | undefined' },
      ),
      status: z
        .literal(STATUSES, {
          error: (issue) => `${String(issue.input)} is not a redirect status: use 301, 302, 303, 307 or 308`,
        })
        .default(308),
      ...corsFields,
    },
    { error: 'must be an object: { rules, status?, origins?, credentials? }' },
  )
  .superRefine(credentialsWithList)

/** `["rules", "/v1/live"]` → `rules["/v1/live"]`; `["origins", 1]` → `origins[1]`. */
const fieldOf = (path: readonly PropertyKey[]): string =>
  path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : i ? `[${JSON.stringify(key)}]` : String(key)))
    .join('') || 'options'

type Issue = z.core.$ZodIssue
/**
 * The issue that says most: a union whose every branch failed at its root keeps its own
 * message; otherwise the branch that got furthest (the record whose one rule is bad) speaks.
 */
const deepest = (issue: Issue, base: readonly PropertyKey[] = []): [Issue, PropertyKey[]] => {
  const at = [...base, ...issue.path]
  if (issue.code === 'invalid_union') {
    const inner = issue.errors.flat().filter((i) => i.path.length || i.code === 'invalid_key')
    if (inner[0]) return deepest(inner[0], at)
  }
  if (issue.code === 'invalid_key' && issue.issues[0]) return [issue.issues[0], at]
  return [issue, at]
}

const explain = (issue: Issue, path: readonly PropertyKey[], options: readonly string[]): FollowSocketConfigError =>
  issue.code === 'unrecognized_keys'
    ? new FollowSocketConfigError(fieldOf([...path, issue.keys[0]!]), `is not an option: use ${options.join(', ')}`)
    : new FollowSocketConfigError(fieldOf(path), issue.message)

/** Validates options with an object `schema`, throwing a FollowSocketConfigError that names the first bad rule or field. */
export const settle = <S extends z.ZodObject>(schema: S, options: unknown): z.output<S> => {
  const result = schema.safeParse(options)
  if (!result.success) {
    const first = result.error.issues[0]!
    throw explain(...deepest(first), Object.keys(schema.shape))
  }
  return result.data
}

/** Validates createRedirects() options. */
export const redirectSettings = (options: unknown): RedirectSettings => {
  const { rules, status, ...cors } = settle(schema, options)
  return {
    rules:
      typeof rules === 'function'
        ? rules
        : new Map(Object.entries(rules).map(([path, target]) => [path, new URL(String(target))])),
    status,
    ...corsSettings(cors),
  }
}
