/** Small promise tools for the session: a queue read with await, and a promise resolved from outside. */

export class Deferred<T> {
  resolve!: (value: T) => void
  readonly promise = new Promise<T>((resolve) => (this.resolve = resolve))
}

export class AsyncQueue<T> {
  private readonly items: T[] = []
  private waiter: ((value: T) => void) | null = null

  push(item: T): void {
    const w = this.waiter
    if (w) {
      this.waiter = null
      w(item)
    } else this.items.push(item)
  }

  /** The next item; rejects if `signal` aborts first (the item, if it comes later, stays queued). */
  shift(signal: AbortSignal): Promise<T> {
    if (this.items.length) return Promise.resolve(this.items.shift()!)
    if (signal.aborted) return Promise.reject(signal.reason ?? new Error('aborted'))
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        this.waiter = null
        reject(signal.reason ?? new Error('aborted'))
      }
      signal.addEventListener('abort', onAbort, { once: true })
      this.waiter = (item) => {
        signal.removeEventListener('abort', onAbort)
        resolve(item)
      }
    })
  }
}
