export { connect, type Connection } from './connection'
export { resolve } from './resolve'
export { FollowWebSocket, type FollowWebSocketOptions } from './websocket'
export { FollowSocketError, isFollowSocketError, type ErrorCode } from './errors'
export { backoffDelay, type ReconnectOptions } from './backoff'
export type {
  UrlSource,
  SendData,
  ConnectOptions,
  ResolveOptions,
  DiscoveryOptions,
  ConnectionState,
  ConnectionEvents,
  CloseInfo,
  RedirectInfo,
  ReconnectingInfo,
  Resolution,
  Hop,
  HeartbeatOptions,
  PreflightOptions,
  CacheMode,
  WebSocketConstructor,
  WebSocketLike,
} from './types'
export type { StandardSchemaV1 } from './standard-schema'

/** The package version, for bug reports. */
export const version = '0.1.0'
