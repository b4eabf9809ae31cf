// inflight.ts — merging of identical in-flight questions (Unbound's mesh, Knot's request dedup):
// the first caller starts the work, later callers with the same key wait for the same promise.
// Each waiter may abort on its own without cancelling the others; the shared work is aborted
// only when its last waiter leaves.
import { AbortedError } from '../util/errors.js';

interface Flight<T> {
  readonly promise: Promise<T>;
  readonly controller: AbortController;
  waiters: number;
}

/** A map of in-flight work by key. */
export class InFlight<T> {
  readonly #map = new Map<string, Flight<T>>();

  /** Keys currently being worked on. */
  get size(): number {
    return this.#map.size;
  }

  /** True when work for `key` is in flight (a caller may then join with a bounded wait). */
  has(key: string): boolean {
    return this.#map.has(key);
  }

  /** Runs `work` for `key`, or joins the run already in flight. Rejects with AbortedError when `signal` aborts. */
  run(key: string, work: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted === true) return Promise.reject(new AbortedError());
    let f = this.#map.get(key);
    if (f === undefined) {
      const controller = new AbortController();
      const flight: Flight<T> = { promise: Promise.resolve().then(() => work(controller.signal)), controller, waiters: 0 };
      flight.promise.then(() => this.#forget(key, flight), () => this.#forget(key, flight));
      this.#map.set(key, flight);
      f = flight;
    }
    const flight = f;
    flight.waiters++;
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const leave = (): void => {
        done = true;
        signal?.removeEventListener('abort', onAbort);
        flight.waiters--;
      };
      const onAbort = (): void => {
        if (done) return;
        leave();
        if (flight.waiters === 0) {
          this.#forget(key, flight);
          flight.controller.abort();
        }
        reject(new AbortedError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        (v) => { if (!done) { leave(); resolve(v); } },
        (e: unknown) => { if (!done) { leave(); reject(e); } },
      );
    });
  }

  #forget(key: string, flight: Flight<T>): void {
    if (this.#map.get(key) === flight) this.#map.delete(key);
  }
}
