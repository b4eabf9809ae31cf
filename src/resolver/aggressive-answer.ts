// aggressive-answer.ts — answers NXDOMAIN/NODATA from validated NSEC records without an upstream
// query (RFC 8198 §5.1–5.4). The proof logic is the validator's (dnssec/aggressive.ts); this file
// picks the zone (the deepest cut the iterator would ask), requires the zone's secure SOA from the
// RRset cache (RFC 8198 §5.4 needs it for the negative TTL, RFC 2308 §3 for the authority section).
import type { NsecStore } from '../cache/nsec-store.js';
import type { RRsetCache } from '../cache/rrset-cache.js';
import { soaMinimum } from '../cache/negative.js';
import { synthesizeFromCache } from '../dnssec/aggressive.js';
import { Rcode, RRType } from '../wire/constants.js';
import { RecordValue, type ResourceRecord } from '../wire/message.js';
import type { RRset } from '../wire/rrset.js';
import type { Answer } from './answer.js';
import { closestDelegation } from './delegation.js';
import type { RootHints } from './hints.js';

function withTtl(sets: readonly RRset[], ttl: number): ResourceRecord[] {
  const out: ResourceRecord[] = [];
  for (const s of sets) for (const r of [...s.records, ...s.rrsigs]) out.push(new RecordValue(r.name, r.type, r.class, ttl, r.rdata));
  return out;
}

/**
 * A secure negative Answer synthesized from cached NSEC records, or null (ask upstream): when no
 * proof is cached, or the zone's SOA is not cached as secure (it is the authority section and a TTL
 * bound). TTL = min(proof life, SOA TTL, SOA MINIMUM) (RFC 8198 §5.4, RFC 2308 §5).
 */
export function aggressiveAnswer(
  store: NsecStore, rrsets: RRsetCache, hints: RootHints, question: Answer['question'], nowSec: number,
): Answer | null {
  if (store.size === 0) return null;
  // The zone the iterator would query; DS is asked at the parent side (RFC 4035 §4.2).
  const start = question.type === RRType.DS && !question.name.isRoot() ? question.name.parent() : question.name;
  const zone = closestDelegation(rrsets, start, question.class, hints).zone;
  const r = synthesizeFromCache(store, zone, question.name, question.type, nowSec, question.class);
  if (r === null) return null;
  const soa = rrsets.get(zone, RRType.SOA, question.class);
  if (soa === undefined || soa.stale || soa.entry.security !== 'secure') return null;
  const min = soaMinimum(soa.entry.rrset);
  if (min === null) return null;
  const ttl = Math.min(r.ttlSec, soa.ttlSec, min);
  if (ttl <= 0) return null;
  return {
    question, rcode: r.kind === 'nxdomain' ? Rcode.NXDOMAIN : Rcode.NOERROR, answer: [],
    authority: [...withTtl([soa.entry.rrset], ttl), ...withTtl(r.proofs, ttl)],
    outcome: r.outcome, ede: [], fromCache: true, steps: [],
  };
}
