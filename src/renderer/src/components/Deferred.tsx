/**
 * Parts of the control room loaded on demand (xterm, the charts, screens an operator opens rarely),
 * so the first page parses only what it shows. A part still loading says so, to screen readers too;
 * a part whose code cannot be fetched (the server was updated meanwhile) fails like any other part,
 * inside the nearest ErrorBoundary.
 */
import { lazy, Suspense, type ComponentType } from 'react'

/**
 * A component whose code is fetched the first time it renders, with a status line until it arrives:
 * `const Fleet = deferred('the fleet', () => import('./Fleet').then((m) => m.Fleet))`.
 */
export function deferred<P extends object>(what: string, load: () => Promise<ComponentType<P>>): ComponentType<P> {
  const Lazy = lazy(async () => ({ default: await load() }))
  function Deferred(props: P) {
    return (
      <Suspense
        fallback={
          <p className="muted loading-part" role="status" data-testid="loading-part">
            Loading {what}…
          </p>
        }
      >
        <Lazy {...props} />
      </Suspense>
    )
  }
  Deferred.displayName = `Deferred(${what})`
  return Deferred
}
