export { useFollowSocket, type UseFollowSocketOptions, type UseFollowSocketResult } from './use-follow-socket'
export type { RetryInfo, Snapshot, EventHandlers } from 'followsocket/store'
