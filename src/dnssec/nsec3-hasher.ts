// nsec3-hasher.ts — computes the NSEC3 owner hashes (RFC 5155 §5) a proof asks for, lazily and
// memoised per (name, salt, iterations) for the whole client query, within the per-query budget
// MAX_NSEC3_HASHES_PER_QUERY (CVE-2023-50868, RFC 9276 §3.2). The hashes a response certainly
// needs ride in its signature batch (prime/absorb); the rest cost one small native batch each.
import { CryptoBatch } from '../native/batch.js';
import { toHex } from '../util/bytes.js';
import type { Name } from '../wire/name.js';
import type { QueryBudget } from './budget.js';
import { NSEC3_ITERATIONS_SOFT } from './limits.js';
import type { HashSteps, Nsec3Params } from './nsec3.js';
import type { HashTask } from './signatures.js';

/** A proof's result, or the budget ran out before a hash it needed could be computed. */
export type Hashed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly budgetExceeded: true };

export class Nsec3Hasher {
  readonly #budget: QueryBudget;
  readonly #params: Nsec3Params;
  readonly #prefix: string;

  constructor(budget: QueryBudget, params: Nsec3Params) {
    this.#budget = budget;
    this.#params = params;
    this.#prefix = `${params.iterations}/${toHex(params.salt)}/`;
  }

  #key(name: Name): string {
    return this.#prefix + name.key();
  }

  /** Hash tasks for the names not hashed yet (deduplicated), to add to the response's batch. */
  prime(names: readonly Name[]): HashTask[] {
    const seen = new Set<string>();
    const out: HashTask[] = [];
    for (const name of names) {
      const k = this.#key(name);
      if (this.#budget.nsec3Memo.has(k) || seen.has(k)) continue;
      seen.add(k);
      out.push({ name, salt: this.#params.salt, iterations: this.#params.iterations });
    }
    return out;
  }

  /** Records the batch results of primed tasks (refused ones stay unhashed and may be retried). */
  absorb(tasks: readonly HashTask[], hashes: readonly (Uint8Array | null)[]): void {
    tasks.forEach((t, i) => {
      const h = hashes[i];
      if (h !== null && h !== undefined) this.#budget.nsec3Memo.set(this.#key(t.name), h);
    });
  }

  /** One hash in its own batch, counted against the budget; null when the core refused it. */
  async #compute(name: Name): Promise<Uint8Array | null> {
    const batch = new CryptoBatch();
    const job = batch.addNsec3Hash(name.lower().wire, this.#params.salt, this.#params.iterations);
    this.#budget.stats.nsec3Hashes++;
    this.#budget.stats.batches++;
    const res = await batch.run({ maxNsec3Iterations: NSEC3_ITERATIONS_SOFT });
    const h = res.status(job) === 'OK' ? res.output(job).slice() : null;
    this.#budget.nsec3Memo.set(this.#key(name), h);
    return h;
  }

  /**
   * Drives `steps`, hashing each name it asks for unless already known. A proof asks for at most
   * (its name's labels + 2) names, so the loop is bounded; the budget stops it earlier.
   */
  async run<T>(steps: HashSteps<T>): Promise<Hashed<T>> {
    let r = steps.next();
    while (r.done !== true) {
      let h = this.#budget.nsec3Memo.get(this.#key(r.value));
      if (h === undefined) {
        if (this.#budget.hashesLeft <= 0) return { ok: false, budgetExceeded: true };
        h = await this.#compute(r.value);
      }
      r = steps.next(h);
    }
    return { ok: true, value: r.value };
  }
}
