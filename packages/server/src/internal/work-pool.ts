/**
 * A fixed set of executors, each running one job at a time, with a bounded
 * waiting line: `run` rejects at once with `PoolFull` when every executor is
 * busy and the line is full, instead of piling work up.
 */
export class PoolFull extends Error {
  readonly waiting: number
  constructor(waiting: number) {
    super(`all workers are busy and ${waiting} conversions are waiting`)
    this.waiting = waiting
  }
}

export interface Executor<I, O> {
  /** Run one job; `stop` aborted means the job is past its time limit and must really stop (not just be dropped). */
  readonly run: (input: I, stop?: AbortSignal) => Promise<O>
}

interface Waiting<I, O> {
  readonly input: I
  readonly resolve: (o: O) => void
  readonly reject: (e: unknown) => void
  readonly stop: AbortSignal | undefined
  cancelled: boolean
}

export class WorkPool<I, O> {
  private readonly idle: Array<Executor<I, O>>
  private readonly line: Array<Waiting<I, O>> = []
  private running = 0
  private readonly size: number
  private readonly maxWaiting: number
  /** Moving average of job durations in ms, for Retry-After estimates. */
  averageMs = 5000

  constructor(executors: ReadonlyArray<Executor<I, O>>, maxWaiting: number) {
    this.idle = [...executors]
    this.size = executors.length
    this.maxWaiting = maxWaiting
  }

  get waiting(): number {
    return this.line.filter((w) => !w.cancelled).length
  }

  get busy(): number {
    return this.running
  }

  get capacity(): number {
    return this.size
  }

  /** Seconds until a slot is likely free. */
  retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(((this.waiting + 1) * this.averageMs) / 1000 / Math.max(1, this.size)))
  }

  /**
   * Run `input`. `signal` withdraws it from the line, or abandons it while it
   * runs (the executor finishes it on its own; its result is dropped);
   * `stop` tells the executor to stop it for good (a time limit).
   */
  run(input: I, signal?: AbortSignal, stop?: AbortSignal): Promise<O> {
    const executor = this.idle.pop()
    if (executor !== undefined) return abandonable(this.start(executor, input, stop), signal)
    if (this.waiting >= this.maxWaiting) return Promise.reject(new PoolFull(this.waiting))
    return new Promise<O>((resolve, reject) => {
      const entry: Waiting<I, O> = { input, resolve, reject, stop, cancelled: false }
      this.line.push(entry)
      signal?.addEventListener(
        "abort",
        () => {
          // Waiting: leave the line. Running: abandon it (settling twice is a no-op).
          if (!entry.cancelled) {
            entry.cancelled = true
            const i = this.line.indexOf(entry)
            if (i >= 0) this.line.splice(i, 1)
          }
          reject(signal.reason)
        },
        { once: true }
      )
    })
  }

  private start(executor: Executor<I, O>, input: I, stop: AbortSignal | undefined): Promise<O> {
    this.running++
    const started = performance.now()
    const done = () => {
      this.running--
      this.averageMs = this.averageMs * 0.8 + (performance.now() - started) * 0.2
      this.release(executor)
    }
    return executor.run(input, stop).then(
      (o) => {
        done()
        return o
      },
      (e) => {
        done()
        throw e
      }
    )
  }

  private release(executor: Executor<I, O>) {
    let next = this.line.shift()
    while (next?.cancelled) next = this.line.shift()
    if (next === undefined) {
      this.idle.push(executor)
      return
    }
    const entry = next
    entry.cancelled = true
    this.start(executor, entry.input, entry.stop).then(entry.resolve, entry.reject)
  }
}

const abandonable = <O>(promise: Promise<O>, signal: AbortSignal | undefined): Promise<O> =>
  signal === undefined
    ? promise
    : new Promise<O>((resolve, reject) => {
        signal.addEventListener("abort", () => reject(signal.reason), { once: true })
        promise.then(resolve, reject)
      })
