/**
 * A configuration mistake: a bad option of createRedirects() or moveClients(), or a function
 * rule that returned something other than an absolute ws(s):/http(s): URL. Its `field` names
 * the rule or option (`rules["/v1/live"]`, `origins[1]`, `status`), and so does its message,
 * which also says what to write instead.
 *
 * A TypeError, because the value has the wrong shape; not a FollowSocketError, whose codes are
 * the client's. Recognise it across bundles with isFollowSocketConfigError().
 */
export class FollowSocketConfigError extends TypeError {
  declare readonly field: string

  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`)
    this.name = 'FollowSocketConfigError'
    this.field = field
  }
}

/** Recognises the error from any copy of the package by its name and field, not instanceof. */
export const isFollowSocketConfigError = (value: unknown): value is FollowSocketConfigError =>
  (value as Error | null)?.name === 'FollowSocketConfigError' &&
  typeof (value as FollowSocketConfigError).field === 'string'
