// chain.ts — FINDKEY (Unbound validator.c processFindKey): from the closest trust anchor walk down
// label by label to a signer zone; at each step the DS RRset (fetched from the parent, RFC 4035
// §4.2) is verified with the keys above, then the DNSKEY RRset is authenticated by it (§5.2).
// DS absence must be proven by NSEC/NSEC3 (unsigned delegation → insecure; no cut → next label).
// Results are cached as KeyEntries by zone (bogus for BOGUS_TTL_SEC, RFC 4035 §4.7).
import { RRType } from '../wire/constants.js';
import type { Name } from '../wire/name.js';
import { decodeDS, type DSRdata } from '../wire/rdata/ds.js';
import { groupRRsets, type RRset } from '../wire/rrset.js';
import type { QueryBudget } from './budget.js';
import { authenticateDnskeys, entryFor } from './ds.js';
import type { FetchFailure, Fetcher, UpstreamResponse } from './fetcher.js';
import type { KeyCache } from './key-cache.js';
import type { KeyEntry, SecureKeyEntry } from './key-entry.js';
import { NSEC3_ITERATIONS_HARD, NSEC3_ITERATIONS_SOFT } from './limits.js';
import { nsecRecords, proveDsAbsence } from './nsec.js';
import { dsAbsence3Steps, nsec3Records } from './nsec3.js';
import { Nsec3Hasher } from './nsec3-hasher.js';
import { makeReason } from './outcome.js';
import { classifyDsSet, isAlgorithmSupported } from './policy.js';
import type { ReasonCode } from './reasons.js';
import { checkResponse } from './signatures.js';
import type { TrustAnchorStore } from './trust-anchors.js';

/** Everything FINDKEY needs for one client query. */
export interface ChainContext {
  readonly fetcher: Fetcher;
  readonly anchors: TrustAnchorStore;
  readonly cache: KeyCache;
  readonly nowSec: number;
  readonly budget: QueryBudget;
  readonly signal?: AbortSignal | undefined;
}

const FAILURE_CODE: Readonly<Record<FetchFailure, ReasonCode>> = {
  'no-reachable-authority': 'DNSSEC_DATA_UNREACHABLE',
  servfail: 'DNSSEC_DATA_UNREACHABLE',
  budget: 'DNSSEC_DATA_UNREACHABLE',
  'network-error': 'DNSSEC_NETWORK_ERROR',
  malformed: 'MALFORMED_RESPONSE',
};

async function fetchOrFail(ctx: ChainContext, name: Name, type: number): Promise<UpstreamResponse | KeyEntry> {
  ctx.budget.stats.fetches++;
  const r = await ctx.fetcher.fetch(name, type, ctx.signal);
  if (r.ok) return r.response;
  return entryFor(name, FAILURE_CODE[r.failure], ctx.nowSec, `${type === RRType.DS ? 'DS' : 'DNSKEY'} ${name.toText()}: ${r.detail}`, 0);
}

function isEntry(x: UpstreamResponse | KeyEntry): x is KeyEntry {
  return 'kind' in x;
}

/** Keys of the anchor zone, authenticated by the configured DS/DNSKEY anchors. */
async function anchorEntry(ctx: ChainContext, zone: Name): Promise<KeyEntry> {
  const list = ctx.anchors.anchorsAt(zone);
  const ds = list.flatMap((a) => (a.type === 'DS' ? [a.ds] : []));
  const keys = list.flatMap((a) => (a.type === 'DNSKEY' && isAlgorithmSupported(a.dnskey.algorithm) ? [a.rdata] : []));
  const verdict = ds.length > 0 ? classifyDsSet(ds) : null;
  if (keys.length === 0 && (verdict === null || verdict.kind !== 'usable')) {
    return entryFor(zone, verdict?.kind === 'unsupported-digest' ? 'DS_DIGEST_UNSUPPORTED' : 'DNSKEY_ALG_UNSUPPORTED', ctx.nowSec, 'trust anchor', 3600);
  }
  const r = await fetchOrFail(ctx, zone, RRType.DNSKEY);
  if (isEntry(r)) return r;
  const answer = groupRRsets(r.message.answer);
  if (keys.length > 0) {
    const e = await authenticateDnskeys(zone, answer, { kind: 'dnskey', rdatas: keys }, ctx.nowSec, ctx.budget);
    if (e.kind === 'secure' || verdict === null || verdict.kind !== 'usable') return e;
  }
  return authenticateDnskeys(zone, answer, { kind: 'ds', ds: verdict !== null && verdict.kind === 'usable' ? (verdict.usable as DSRdata[]) : [] }, ctx.nowSec, ctx.budget);
}

type DsStep = { readonly kind: 'ds'; readonly ds: DSRdata[] } | { readonly kind: 'skip' } | { readonly kind: 'entry'; readonly entry: KeyEntry };

/** Fetches and validates the DS answer for `child` with the keys of the secure zone `above`. */
async function dsStep(ctx: ChainContext, above: SecureKeyEntry, child: Name): Promise<DsStep> {
  const r = await fetchOrFail(ctx, child, RRType.DS);
  if (isEntry(r)) return { kind: 'entry', entry: r };
  const answer = groupRRsets(r.message.answer);
  const dsSet = answer.find((s) => s.type === RRType.DS && s.name.equals(child));
  const now = ctx.nowSec;
  if (dsSet !== undefined && dsSet.records.length > 0) {
    const res = await checkResponse([{ rrset: dsSet, signer: above.zone, keys: above.keys }], [], now, ctx.budget);
    const v = res.verdicts[0]!;
    if (!v.ok) return { kind: 'entry', entry: entryFor(child, v.code, now, `DS of ${child.toText()}: ${v.detail}`) };
    const ds = dsSet.records.map((x) => decodeDS('DS', x.rdata)).filter((d): d is DSRdata => d !== null);
    const verdict = classifyDsSet(ds);
    if (verdict.kind === 'usable') return { kind: 'ds', ds: verdict.usable as DSRdata[] };
    // RFC 6840 §5.2: a DS set with no supported algorithm/digest makes the zone insecure.
    const code = verdict.kind === 'unsupported-digest' ? 'DS_DIGEST_UNSUPPORTED' : 'DNSKEY_ALG_UNSUPPORTED';
    return { kind: 'entry', entry: entryFor(child, code, now, ds.map((d) => `${d.algorithm}/${d.digestType}`).join(' '), Math.max(1, v.ttlSec)) };
  }
  return denialStep(ctx, above, child, groupRRsets(r.message.authority));
}

/** A DS-less response: NSEC/NSEC3 must prove an unsigned delegation or that no cut exists. */
async function denialStep(ctx: ChainContext, above: SecureKeyEntry, child: Name, authority: RRset[]): Promise<DsStep> {
  const now = ctx.nowSec;
  const zone = above.zone;
  const proofSets = authority.filter((s) => (s.type === RRType.NSEC || s.type === RRType.NSEC3) && s.name.isSubdomainOf(zone));
  if (proofSets.length === 0) return { kind: 'entry', entry: entryFor(child, 'DS_ABSENCE_UNPROVEN', now, 'no NSEC/NSEC3 in the DS response') };
  const n3 = nsec3Records(proofSets, zone);
  const p = n3.params;
  if (p !== null && p.iterations > NSEC3_ITERATIONS_HARD) {
    return { kind: 'entry', entry: entryFor(child, 'NSEC3_ITERATIONS_HARD', now, `${p.iterations} iterations`) };
  }
  // RFC 5155 §8.6: the walk starts at `child`, whose hash rides in the batch; the rest on demand.
  const hasher = p !== null && p.iterations <= NSEC3_ITERATIONS_SOFT ? new Nsec3Hasher(ctx.budget, p) : null;
  const hashTasks = hasher?.prime([child]) ?? [];
  const res = await checkResponse(proofSets.map((rrset) => ({ rrset, signer: zone, keys: above.keys })), hashTasks, now, ctx.budget);
  hasher?.absorb(hashTasks, res.hashes);
  const bad = res.verdicts.find((v) => !v.ok);
  if (bad !== undefined && !bad.ok) return { kind: 'entry', entry: entryFor(child, bad.code, now, `DS denial for ${child.toText()}: ${bad.detail}`) };
  const ttl = Math.max(1, Math.min(...res.verdicts.map((v) => (v.ok ? v.ttlSec : 0))));
  const nsec = nsecRecords(proofSets, zone);
  let verdict: string;
  if (nsec.length > 0) {
    verdict = proveDsAbsence(nsec, child);
  } else if (p === null) {
    verdict = 'unproven';
  } else if (hasher === null) {
    // RFC 9276 §3.2 (iterations > SOFT): the NSEC3 RRSIG verified above, so the count is authentic.
    return { kind: 'entry', entry: entryFor(child, 'NSEC3_ITERATIONS_SOFT', now, `${p.iterations} iterations`, ttl) };
  } else {
    const h = await hasher.run(dsAbsence3Steps(n3.recs, child, zone));
    if (!h.ok) return { kind: 'entry', entry: entryFor(child, 'NSEC3_HASH_BUDGET_EXCEEDED', now) };
    verdict = h.value;
  }
  switch (verdict) {
    case 'insecure-cut': return { kind: 'entry', entry: entryFor(child, 'NO_DS_PROVEN', now, undefined, ttl) };
    case 'optout': return { kind: 'entry', entry: entryFor(child, 'NSEC3_OPT_OUT', now, undefined, ttl) };
    case 'not-a-cut': return { kind: 'skip' };
    default: return { kind: 'entry', entry: entryFor(child, 'DS_ABSENCE_UNPROVEN', now, `no proof that ${child.toText()} has no DS`) };
  }
}

/** The cached entry nearest above-or-at `target` (stopping at the anchor zone), if any. */
function cachedStart(ctx: ChainContext, target: Name, anchorZone: Name): KeyEntry | undefined {
  for (let n = target; n.labelCount() >= anchorZone.labelCount(); n = n.parent()) {
    const e = ctx.cache.get(n, ctx.nowSec);
    if (e !== undefined) return e;
    if (n.isRoot()) break;
  }
  return undefined;
}

/**
 * The KeyEntry for zone `target` (a signer name). Insecure or bogus entries found on the way
 * down apply to everything below them; `target` turning out not to be a zone cut is bogus
 * (its RRSIG claims a signer that is not a zone apex).
 */
export async function findKey(target: Name, ctx: ChainContext): Promise<KeyEntry> {
  const nta = ctx.anchors.ntaFor(target);
  if (nta !== null) return { kind: 'insecure', zone: nta, reason: makeReason('NTA_INSECURE', nta), expiresSec: ctx.nowSec };
  const anchor = ctx.anchors.closestAnchor(target);
  if (anchor === null) return { kind: 'indeterminate', zone: target, reason: makeReason('NO_TRUST_ANCHOR', target), expiresSec: ctx.nowSec };
  let cur = cachedStart(ctx, target, anchor.zone);
  if (cur === undefined) {
    cur = await anchorEntry(ctx, anchor.zone);
    ctx.cache.set(cur);
  }
  // Bounded: one iteration per label between the anchor and the target.
  for (let depth = cur.zone.labelCount() + 1; depth <= target.labelCount(); depth++) {
    if (cur.kind !== 'secure') return cur;
    const child = target.parent(target.labelCount() - depth);
    const step = await dsStep(ctx, cur, child);
    if (step.kind === 'skip') continue;
    let next: KeyEntry;
    if (step.kind === 'entry') {
      next = step.entry;
    } else {
      const r = await fetchOrFail(ctx, child, RRType.DNSKEY);
      next = isEntry(r) ? r : await authenticateDnskeys(child, groupRRsets(r.message.answer), { kind: 'ds', ds: step.ds }, ctx.nowSec, ctx.budget);
    }
    ctx.cache.set(next);
    cur = next;
  }
  if (cur.kind === 'secure' && !cur.zone.equals(target)) {
    return entryFor(target, 'SIGNER_NOT_APEX', ctx.nowSec, `${target.toText()} is not a zone cut below ${cur.zone.toText()}`);
  }
  return cur;
}
