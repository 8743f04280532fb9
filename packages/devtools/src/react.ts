import { useEffect } from 'react'
import { mountDevtools, type DevtoolsOptions } from './mount'

/**
 * The devtools as a React component: mounts the panel while rendered. It renders nothing itself
 * (the panel lives in its own element at the end of the body, out of the app's tree and styles).
 */
export function FollowSocketDevtools({ position, initialIsOpen, logCap }: Omit<DevtoolsOptions, 'container'>): null {
  useEffect(() => mountDevtools({ position, initialIsOpen, logCap }), [position, initialIsOpen, logCap])
  return null
}

export { inspect } from './registry'
export type { DevtoolsOptions }
