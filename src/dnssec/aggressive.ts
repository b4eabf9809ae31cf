// aggressive.ts — aggressive use of DNSSEC-validated cache, RFC 8198 §5.1–5.4, NSEC only: from the
// zone's cached secure NSEC records synthesize an NXDOMAIN (qname and *.closest-encloser covered),
// a NODATA (matching NSEC, empty non-terminal, or wildcard NODATA), or nothing. Pure: the store is
// passed in (structurally, dnssec/ does not import cache/). NSEC3 is deliberately not used (see below).
import { RRType } from '../wire/constants.js';
import type { Name } from '../wire/name.js';
import { decodeRRSIG } from '../wire/rdata/rrsig.js';
import type { RRset } from '../wire/rrset.js';
import { classify, endsInDenial } from './classify.js';
import type { UpstreamResponse } from './fetcher.js';
import { closestEncloserFromNsec, type NsecRec, proveNodata, proveNxdomain, wildcardName } from './nsec.js';
import { type Outcome, type SecureOutcome, secure } from './outcome.js';

/**
 * Why NSEC3 is not synthesized from (a documented choice, RFC 8198 §5.2 makes it optional):
 * every lookup would cost up to one NSEC3 hash per label of qname on the cache path — the
 * CVE-2023-50868 work, now without an upstream round trip to bound the rate; opt-out spans can never
 * prove a secure NXDOMAIN; and Unbound (aggressive-nsec) likewise synthesizes from NSEC only.
 */
export const AGGRESSIVE_NSEC3 = false;

/** One cached NSEC as the store returns it (src/cache/nsec-store.ts NsecEntry fits). */
export interface CachedNsec {
  readonly owner: Name;
  readonly next: Name;
  readonly types: readonly number[];
  /** The NSEC RRset with its RRSIGs, exactly as validated. */
  readonly rrset: RRset;
}

/** The part of NsecStore the synthesis needs. */
export interface AggressiveNsecSource {
  findNsec(zone: Name, cls: number, name: Name): { readonly relation: 'match' | 'covers'; readonly entry: CachedNsec; readonly ttlSec: number } | undefined;
}

/** A negative answer proven from cache. */
export interface SynthesizedDenial {
  readonly kind: 'nxdomain' | 'nodata';
  readonly zone: Name;
  /** NSEC RRsets (with RRSIGs) for the authority section; the caller adds the zone's SOA. */
  readonly proofs: readonly RRset[];
  /** Remaining life: min of the proofs' cache TTLs and their RRSIG expirations (RFC 8198 §5.4). */
  readonly ttlSec: number;
  /** Secure, signed by `zone`, no EDE. */
  readonly outcome: SecureOutcome;
}

interface Hit { readonly rec: NsecRec; readonly set: RRset; readonly ttlSec: number }

/** Seconds until the earliest expiration among the zone's RRSIGs over `set` (RFC 4035 §5.3.3). */
function sigLifeSec(set: RRset, zone: Name, nowSec: number): number {
  let life = Number.MAX_SAFE_INTEGER;
  for (const r of set.rrsigs) {
    const s = decodeRRSIG(r.rdata);
    if (s !== null && s.signerName.equals(zone)) life = Math.min(life, ((s.expiration - nowSec) | 0));
  }
  return life === Number.MAX_SAFE_INTEGER ? 0 : life;
}

function lookup(store: AggressiveNsecSource, zone: Name, cls: number, name: Name, nowSec: number): (Hit & { relation: 'match' | 'covers' }) | null {
  const h = store.findNsec(zone, cls, name);
  if (h === undefined) return null;
  const ttlSec = Math.min(h.ttlSec, sigLifeSec(h.entry.rrset, zone, nowSec));
  if (ttlSec <= 0) return null;
  const rec: NsecRec = { owner: h.entry.owner, next: h.entry.next, types: new Set(h.entry.types) };
  return { rec, set: h.entry.rrset, ttlSec, relation: h.relation };
}

/**
 * True when an ancestor of qname inside the zone is known (from a matching NSEC) to be a DNAME
 * owner or a delegation: names below it are synthesized or live in another zone, so no NSEC of
 * this zone may deny them (RFC 6672 §5.3.2, RFC 6840 §4.1; PowerDNS #17137 answered a false
 * NXDOMAIN below a DNAME).
 */
function blockedAbove(store: AggressiveNsecSource, zone: Name, cls: number, qname: Name, nowSec: number): boolean {
  for (let a = qname; !a.equals(zone) && a.labelCount() > zone.labelCount();) {
    a = a.parent();
    const h = lookup(store, zone, cls, a, nowSec);
    if (h === null || h.relation !== 'match') continue;
    const t = h.rec.types;
    if (t.has(RRType.DNAME) || (t.has(RRType.NS) && !t.has(RRType.SOA))) return true;
  }
  return false;
}

function done(kind: SynthesizedDenial['kind'], zone: Name, hits: readonly Hit[]): SynthesizedDenial {
  const sets: RRset[] = [];
  for (const h of hits) if (!sets.includes(h.set)) sets.push(h.set);
  const ttlSec = Math.min(...hits.map((h) => h.ttlSec));
  return { kind, zone, proofs: sets, ttlSec, outcome: secure(zone, ttlSec) };
}

/**
 * RFC 8198 §5.1–5.3 with NSEC: the denial for (qname, qtype) provable from the secure NSEC records
 * cached for `zone` (the deepest zone cut known for qname), or null → ask upstream. Every result is
 * re-checked by the same proof functions the validator uses on live responses (nsec.ts).
 */
export function synthesizeFromCache(store: AggressiveNsecSource, zone: Name, qname: Name, qtype: number, nowSec: number, cls = 1): SynthesizedDenial | null {
  if (!qname.isSubdomainOf(zone) || (qtype === RRType.DS && qname.equals(zone))) return null; // DS lives in the parent zone
  if (blockedAbove(store, zone, cls, qname, nowSec)) return null;
  const first = lookup(store, zone, cls, qname, nowSec);
  if (first === null) return null;
  if (first.relation === 'match') {
    return proveNodata([first.rec], qname, qtype).ok ? done('nodata', zone, [first]) : null;
  }
  // Covered: an empty non-terminal (next lies below qname) has no data of any type (RFC 4035 §3.1.3.2).
  if (first.rec.next.isSubdomainOf(qname) && !first.rec.next.equals(qname)) {
    return proveNodata([first.rec], qname, qtype).ok ? done('nodata', zone, [first]) : null;
  }
  const wc = wildcardName(closestEncloserFromNsec(first.rec, qname));
  if (wc === null) return null;
  const w = lookup(store, zone, cls, wc, nowSec);
  if (w === null) return null;
  const recs = [first.rec, w.rec];
  if (w.relation === 'covers') return proveNxdomain(recs, qname).ok ? done('nxdomain', zone, [first, w]) : null;
  // The wildcard exists: only its NODATA can be synthesized; a positive wildcard answer (RFC 8198
  // §5.3) needs the wildcard's data from the RRset cache, which is the resolver's to look up.
  return qtype !== RRType.DS && proveNodata(recs, qname, qtype).ok ? done('nodata', zone, [first, w]) : null;
}

/** An NSEC RRset to put into the store after a validation, with its signer zone and TTL cap. */
export interface StorableNsec {
  readonly zone: Name;
  readonly rrset: RRset;
  readonly maxTtlSec?: number;
}

function signerOf(set: RRset): Name | null {
  for (const r of set.rrsigs) {
    const s = decodeRRSIG(r.rdata);
    if (s !== null && set.name.isSubdomainOf(s.signerName)) return s.signerName.lower();
  }
  return null;
}

/**
 * The NSEC RRsets a secure validation actually verified (RFC 8198 §4: only validated records may
 * be used): those of the authority section of a hop that ended in a denial or carried a wildcard
 * expansion — the hops for which the validator checks proofs. Nothing for any other outcome.
 */
export function storableNsecs(steps: readonly UpstreamResponse[], outcome: Outcome): StorableNsec[] {
  if (outcome.security !== 'secure') return [];
  const out: StorableNsec[] = [];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const c = classify(step.message, step.qname, step.qtype);
    const next = steps[i + 1];
    const continued = next !== undefined && next.qname.equals(c.sname);
    const wildcard = [...c.answers, ...c.links.map((l) => l.rrset)].some((s) => s.rrsigs.some((r) => {
      const d = decodeRRSIG(r.rdata);
      return d !== null && d.labels < s.name.labelCount(true);
    }));
    if (!wildcard && (continued || endsInDenial(c, step.message) === null)) continue;
    for (const set of c.authority) {
      if (set.type !== RRType.NSEC) continue;
      const zone = signerOf(set);
      if (zone === null) continue;
      out.push(outcome.ttlCapSec === undefined ? { zone, rrset: set } : { zone, rrset: set, maxTtlSec: outcome.ttlCapSec });
    }
  }
  return out;
}
