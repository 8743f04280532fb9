// The "Devtools" toggle: the panel of @followsocket/devtools, for development. It shows this app's
// connection (the badge and the chat share it) by itself: connections of useFollowSocket register
// with the devtools without the app passing them.

/** Whether the page's address asks for the devtools (?devtools). */
export const devtoolsOn = () => new URLSearchParams(location.search).has('devtools')

/** A checkbox that reloads the page with or without ?devtools. */
export function DevtoolsToggle() {
  const toggle = (on: boolean) => {
    const next = new URL(location.href)
    if (on) next.searchParams.set('devtools', '')
    else next.searchParams.delete('devtools')
    location.assign(next)
  }
  return (
    <footer className="meta" style={{ maxWidth: '44rem', margin: '-3rem auto 2rem', padding: '0 1.25rem' }}>
      <label>
        <input type="checkbox" defaultChecked={devtoolsOn()} onChange={(e) => toggle(e.target.checked)} /> Devtools
      </label>{' '}
      (development only: redirects, retries, errors, messages)
    </footer>
  )
}
