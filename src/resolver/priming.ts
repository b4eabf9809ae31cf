// priming.ts — root priming (RFC 8109, RFC 9609): before the first resolution, and again when the
// cached root NS set has expired, ask the hint servers for ". NS" and cache the answer with the
// root servers' addresses, so the live root NS set replaces the (possibly stale) hints. The hints
// stay the fallback: a failed priming leaves resolution on the hints and is retried only later.
import { Rank } from '../cache/rank.js';
import type { RRsetCache } from '../cache/rrset-cache.js';
import type { Clock } from '../util/clock.js';
import { RRClass, RRType } from '../wire/constants.js';
import { Name } from '../wire/name.js';
import type { NameRdata } from '../wire/rdata/names.js';
import { groupRRsets } from '../wire/rrset.js';
import type { Iterator } from './iterator.js';

/** How long a failed priming is not retried (Unbound re-primes on demand; 60 s keeps a dead root from costing every query a priming attempt). */
export const PRIMING_RETRY_MS = 60_000;
/** Deadline of one priming exchange sequence (RFC 8109 §3: priming uses the normal retry logic; it must not hold clients for long). */
export const PRIMING_DEADLINE_MS = 3_000;
/** Upstream queries one priming may send (a few hint servers, each tried once or twice). */
export const PRIMING_MAX_QUERIES = 8;

export type PrimingResult = 'primed' | 'cached' | 'backoff' | 'failed';

export interface PrimerDeps {
  readonly iterator: Iterator;
  readonly rrsets: RRsetCache;
  readonly clock: Clock;
  /** The resolver's overall deadline: a priming never waits longer than a client would. */
  readonly deadlineMs: number;
}

/** Primes the root NS set once at a time; concurrent callers share the attempt. */
export class RootPrimer {
  readonly #d: PrimerDeps;
  #inflight: Promise<PrimingResult> | undefined;
  #retryAtMs = 0;
  /** Outcome of the last attempt (for tests and logs). */
  last: PrimingResult | undefined;

  constructor(deps: PrimerDeps) {
    this.#d = deps;
  }

  /** Ensures a live root NS set is cached, or that an attempt failed recently (then the hints serve). */
  ensure(): Promise<PrimingResult> {
    const d = this.#d;
    if (d.rrsets.get(Name.ROOT, RRType.NS, RRClass.IN) !== undefined) return Promise.resolve('cached');
    if (d.clock.nowMs() < this.#retryAtMs) return Promise.resolve('backoff');
    this.#inflight ??= this.#prime().then((r) => {
      this.#inflight = undefined;
      this.last = r;
      if (r === 'failed') this.#retryAtMs = d.clock.nowMs() + PRIMING_RETRY_MS;
      return r;
    });
    return this.#inflight;
  }

  async #prime(): Promise<PrimingResult> {
    const d = this.#d;
    const budget = { queriesLeft: PRIMING_MAX_QUERIES, deadlineMs: d.clock.nowMs() + Math.min(d.deadlineMs, PRIMING_DEADLINE_MS), sent: 0 };
    const r = await d.iterator.step(Name.ROOT, RRType.NS, RRClass.IN, { budget, depth: 0, stack: new Set(['.|ns']) });
    if (!r.ok || r.type.kind !== 'answer') return 'failed';
    const ns = groupRRsets(r.scrubbed.answer).find((s) => s.type === RRType.NS && s.name.isRoot());
    if (ns === undefined) return 'failed';
    const targets = ns.records.map((x) => (x.decode() as NameRdata).target);
    const glue = groupRRsets(r.scrubbed.additional).filter((s) => (s.type === RRType.A || s.type === RRType.AAAA) && targets.some((t) => t.equals(s.name)));
    // Glue first: the NS set is only usable (delegation.ts) with addresses for its names.
    for (const s of glue) d.rrsets.put(s, { rank: Rank.AdditionalAA });
    d.rrsets.put(ns, { rank: r.aa ? Rank.AnswerAA : Rank.AnswerNoAA });
    return 'primed';
  }
}
