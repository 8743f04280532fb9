// @vitest-environment jsdom
// The README's connection banner, used as a person would: it counts down to the next attempt
// and its "Retry now" button reconnects at once. Against a real `ws` server in the lab.
import { useEffect, useState } from 'react'
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, expect, it } from 'vitest'
import { NodeWebSocket, nodeFetch, only } from '@followsocket/lab/testing'
import { lab } from '../../core/test/lab'
import { useFollowSocket, type UseFollowSocketResult } from '../src'

// After the lab's own hooks (imported above), so it runs before the lab closes.
afterEach(() => cleanup())

// From README.md ("A connection banner with a countdown").
type BannerProps = Pick<UseFollowSocketResult, 'state' | 'retry' | 'error' | 'reconnect'>

function ConnectionBanner({ state, retry, error, reconnect }: BannerProps) {
  const seconds = useSecondsUntil(retry?.at)
  if (state === 'open') return null
  return (
    <div role="status" className="banner">
      {retry
        ? retry.delayMs === Infinity
          ? 'You are offline: reconnecting when the network is back.'
          : `Connection lost. Retrying in ${seconds} s (attempt ${retry.attempt}).`
        : state === 'closed'
          ? 'Disconnected.'
          : 'Connecting…'}
      {error && <small> {error.message}</small>}
      {(retry || state === 'closed') && <button onClick={reconnect}>Retry now</button>}
    </div>
  )
}

function useSecondsUntil(at: number | undefined) {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (at === undefined || at === Infinity) return
    setNow(Date.now())
    const timer = setInterval(() => setNow(Date.now()), 250)
    return () => clearInterval(timer)
  }, [at])
  return at === undefined ? undefined : Math.max(0, Math.ceil((at - now) / 1000))
}

function Live({ url }: { url: string }) {
  const { state, retry, error, reconnect } = useFollowSocket(url, {
    WebSocket: NodeWebSocket,
    fetch: nodeFetch,
    cache: false,
    reconnect: { minDelayMs: 60_000, maxDelayMs: 60_000, jitter: 'none' },
  })
  return <ConnectionBanner state={state} retry={retry} error={error} reconnect={reconnect} />
}

it('counts down to the next attempt, and "Retry now" reconnects at once', async () => {
  const endpoint = lab.endpoint('/live')
  render(<Live url={lab.ws('/live')} />)
  await waitFor(() => expect(endpoint.clients.size).toBe(1))
  await waitFor(() => expect(screen.queryByRole('status')).toBeNull())

  only(endpoint.clients).close(1001)
  const banner = await screen.findByText(/Connection lost\. Retrying in (60|59) s \(attempt 1\)\./)
  expect(banner.getAttribute('role')).toBe('status')

  fireEvent.click(screen.getByRole('button', { name: 'Retry now' }))
  await waitFor(() => expect(screen.queryByRole('status')).toBeNull())
  expect(endpoint.connections).toBe(2)
})
