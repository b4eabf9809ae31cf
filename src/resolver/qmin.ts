// qmin.ts — QNAME minimisation step (RFC 9156 §3 with the iteration caps of §2.3, as Unbound's
// MAX_MINIMISE_COUNT / MINIMISE_ONE_LAB): which name to ask next, given how many labels of the
// QNAME are already known to be at or above the current zone cut; and the names minimised queries
// showed to exist without a cut, so that later questions below them skip those queries.
import type { Clock } from '../util/clock.js';
import { LruCache } from '../util/lru.js';
import type { Name } from '../wire/name.js';
import { negativeTtl } from './answer-cache.js';
import { MAX_MINIMISE_COUNT, MINIMISE_ONE_LAB } from './limits.js';
import type { Scrubbed } from './scrub.js';

/** Bytes of the existing-names memo (about 10,000 names); it is only an optimisation. */
export const EXISTING_NAMES_MAX_BYTES = 1024 * 1024;
/** Longest a name is remembered (the data that proved it may change). */
export const EXISTING_NAMES_MAX_TTL_SEC = 3600;

/**
 * The next minimised query name below `knownLabels` labels of `qname`, or null when the full
 * QNAME (with the real QTYPE) must be sent: one label is added per step for the first
 * MINIMISE_ONE_LAB steps, then larger steps so that at most MAX_MINIMISE_COUNT are taken.
 */
export function nextMinimisedName(qname: Name, knownLabels: number, count: number): Name | null {
  const total = qname.labelCount();
  const remaining = total - knownLabels;
  if (remaining <= 1 || count >= MAX_MINIMISE_COUNT) return null;
  const add = count < MINIMISE_ONE_LAB ? 1 : Math.max(1, Math.floor(remaining / (MAX_MINIMISE_COUNT - count)));
  if (knownLabels + add >= total) return null;
  return qname.parent(total - (knownLabels + add));
}

/**
 * Names that answered a minimised query with data or NODATA in a zone (so the zone continues
 * there, RFC 9156 §3 step 5), kept for the TTL of that response. A hit lets the next question
 * under the same name go straight on: the wildcard-heavy load of a mail host then costs one
 * upstream query per name instead of one per label.
 */
export class ExistingNames {
  readonly #lru: LruCache<string, true>;
  readonly #clock: Clock;

  constructor(clock: Clock, maxBytes = EXISTING_NAMES_MAX_BYTES) {
    this.#lru = new LruCache({ maxBytes, clock });
    this.#clock = clock;
  }

  has(zone: Name, name: Name, qclass: number): boolean {
    return this.#lru.get(`${zone.key()}|${name.key()}|${qclass}`) === true;
  }

  add(zone: Name, name: Name, qclass: number, s: Scrubbed): void {
    const ttl = s.answer.length > 0 ? Math.min(...s.answer.map((r) => r.ttl)) : negativeTtl(s.authority) ?? 0;
    if (ttl <= 0) return;
    const key = `${zone.key()}|${name.key()}|${qclass}`;
    this.#lru.set(key, true, key.length * 2 + 64, this.#clock.nowMs() + Math.min(ttl, EXISTING_NAMES_MAX_TTL_SEC) * 1000);
  }
}
