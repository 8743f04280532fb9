export { useFollowSocket, type UseFollowSocketOptions, type UseFollowSocketReturn } from './use-follow-socket'
export type { RetryInfo, Snapshot, EventHandlers } from 'followsocket/store'
