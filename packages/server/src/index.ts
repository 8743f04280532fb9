export { createRedirects, type Redirects } from './redirects'
export { moveClients, type MovableClient, type MoveOptions } from './move'
export { FollowSocketConfigError, isFollowSocketConfigError } from './errors'
export type { RedirectOptions, RedirectStatus, RuleFunction, Target } from './config'
