// answer-cache.ts — puts a finished resolution into the RRset and message caches with its validated
// status (RFC 4035 §4.5), negative answers per RFC 2308 §5 (TTL = min(SOA TTL, SOA MINIMUM), none
// without SOA), bogus ones briefly (RFC 4035 §4.7, enforced by the caches), and rebuilds an Answer
// from a message-cache hit so the stored Outcome is returned without re-validating. Secure data is
// cached no longer than the validator's ttlCapSec (RFC 4035 §5.3.3: RRSIG original TTL, expiry).
import type { CachedMessage, MessageCache } from '../cache/message-cache.js';
import { Rank } from '../cache/rank.js';
import type { CacheSecurity } from '../cache/rank.js';
import type { RRsetCache } from '../cache/rrset-cache.js';
import { type Outcome, cachedBogus } from '../dnssec/outcome.js';
import { Rcode, RRType } from '../wire/constants.js';
import { type ResourceRecord, RecordValue } from '../wire/message.js';
import type { SOARdata } from '../wire/rdata/soa.js';
import { type RRset, groupRRsets } from '../wire/rrset.js';
import { type Answer, type AnswerEde, outcomeEde, unvalidatedOutcome } from './answer.js';

/** A finished chain ready to be cached. */
export interface ChainResult {
  readonly rcode: number;
  readonly answer: readonly ResourceRecord[];
  readonly authority: readonly ResourceRecord[];
  readonly aa: boolean;
}

/** RFC 2308 §5: the negative TTL is the lower of the SOA's TTL and its MINIMUM field. */
export function negativeTtl(authority: readonly ResourceRecord[]): number | undefined {
  const soa = authority.find((r) => r.type === RRType.SOA);
  if (soa === undefined) return undefined;
  const d = soa.decode();
  return d.type === 'SOA' ? Math.min(soa.ttl, (d as SOARdata).minimum) : undefined;
}

export function capTtl(set: RRset, ttl: number): RRset {
  return set.ttl <= ttl ? set : { ...set, ttl };
}

/**
 * Stores `chain` under the client question. `validated` false stores RRsets as unchecked and no
 * Outcome (a later hit reports indeterminate again). Returns what the message cache said.
 */
export function storeAnswer(
  rrsets: RRsetCache, messages: MessageCache, key: { name: RRset['name']; type: number; class: number; cd: boolean },
  chain: ChainResult, outcome: Outcome, validated: boolean, negativeMaxTtlSec: number,
): string {
  const security: CacheSecurity = validated ? outcome.security : 'unchecked';
  const meta = { rank: chain.aa ? Rank.AnswerAA : Rank.AnswerNoAA, security, ...(validated && outcome.security !== 'secure' ? { reason: outcome.reason } : {}) };
  const negative = chain.answer.length === 0 || chain.rcode === Rcode.NXDOMAIN;
  const negTtl = negative ? negativeTtl(chain.authority) : undefined;
  if (negative && negTtl === undefined) return 'no-soa';
  // RFC 4035 §5.3.3: a secure RRset must not outlive its signatures (original TTL, expiration).
  const cap = validated && outcome.security === 'secure' ? outcome.ttlCapSec : undefined;
  const capped = (s: RRset): RRset => (cap === undefined ? s : capTtl(s, cap));
  const answerSets = groupRRsets(chain.answer).map(capped);
  const authSets = groupRRsets(chain.authority).map((s) => capped(negTtl === undefined ? s : capTtl(s, negTtl)));
  for (const s of answerSets) rrsets.put(s, meta);
  for (const s of authSets) rrsets.put(s, { ...meta, rank: chain.aa ? Rank.AuthorityAA : Rank.AuthorityNoAA });
  const ref = (s: RRset): { name: RRset['name']; type: number; class: number } => ({ name: s.name, type: s.type, class: s.class });
  const negMax = negTtl === undefined ? undefined : Math.min(negTtl, negativeMaxTtlSec);
  const maxTtlSec = cap === undefined ? negMax : Math.min(cap, negMax ?? cap);
  const ede = validated ? outcomeEde(outcome).map((e) => e.code) : [];
  return messages.put(key, {
    rcode: chain.rcode, answer: answerSets.map(ref), authority: authSets.map(ref), ede,
    ...(validated ? { outcome } : {}),
    ...(maxTtlSec === undefined ? {} : { maxTtlSec }),
  });
}

function records(sets: CachedMessage['answer'], ttl: number): ResourceRecord[] {
  const out: ResourceRecord[] = [];
  for (const hit of sets) {
    const t = Math.min(ttl, hit.ttlSec);
    for (const r of [...hit.entry.rrset.records, ...hit.entry.rrset.rrsigs]) out.push(new RecordValue(r.name, r.type, r.class, t, r.rdata));
  }
  return out;
}

/** An Answer from a message-cache hit (TTLs decremented; bogus reported as CACHED_BOGUS). */
export function answerFromCache(question: Answer['question'], hit: CachedMessage, extraEde: readonly AnswerEde[] = []): Answer {
  let outcome = hit.outcome ?? unvalidatedOutcome(question.name);
  let rcode = hit.rcode;
  let answer = records(hit.answer, hit.ttlSec);
  let authority = records(hit.authority, hit.ttlSec);
  if (outcome.security === 'bogus') {
    outcome = outcome.reason.code === 'CACHED_BOGUS' ? outcome : cachedBogus(outcome.reason);
    rcode = Rcode.SERVFAIL;
    answer = [];
    authority = [];
  }
  return { question, rcode, answer, authority, outcome, ede: [...outcomeEde(outcome), ...extraEde], fromCache: true, steps: [] };
}
