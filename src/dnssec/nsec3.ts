// nsec3.ts — NSEC3 denial of existence (RFC 5155 §8): only hash algorithm 1 with flags ≤ 1 and one
// parameter set per zone (§8.1–8.2); owner hashes compared as bytes after a case-insensitive
// base32hex decode; closest encloser (§8.3), NXDOMAIN (§8.4), NODATA (§8.5–8.7), wildcard answers
// (§8.8); opt-out proves only insecure (§8.9). Proofs ask for hashes lazily (HashSteps) so each
// hashes only the names RFC 5155 needs (CVE-2023-50868).
import { compareBytes, fromBase32Hex, bytesEqual } from '../util/bytes.js';
import { RRType } from '../wire/constants.js';
import type { Name } from '../wire/name.js';
import { decodeNSEC3, isOptOut } from '../wire/rdata/nsec3.js';
import type { RRset } from '../wire/rrset.js';
import { wildcardName } from './nsec.js';

export interface Nsec3Rec {
  readonly owner: Name;
  readonly hash: Uint8Array;
  readonly next: Uint8Array;
  readonly types: ReadonlySet<number>;
  readonly optOut: boolean;
}

export interface Nsec3Params {
  readonly salt: Uint8Array;
  readonly iterations: number;
}

/** Hashes of names by Name.key(). */
export type HashMap = ReadonlyMap<string, Uint8Array>;

/**
 * The usable NSEC3 records of `zone` (owner = one label + the zone) with the parameter set of the
 * first usable one (RFC 5155 §8.2: records with another set are ignored).
 */
export function nsec3Records(sets: readonly RRset[], zone: Name): { recs: Nsec3Rec[]; params: Nsec3Params | null } {
  const recs: Nsec3Rec[] = [];
  let params: Nsec3Params | null = null;
  for (const s of sets) {
    if (s.type !== RRType.NSEC3 || s.name.labelCount() !== zone.labelCount() + 1 || !s.name.parent().equals(zone)) continue;
    for (const r of s.records) {
      const d = decodeNSEC3(r.rdata);
      // RFC 5155 §8.1: unknown hash algorithms are ignored; §8.2 flags other than opt-out likewise.
      if (d === null || d.hashAlgorithm !== 1 || d.flags > 1) continue;
      if (params === null) params = { salt: d.salt, iterations: d.iterations };
      else if (params.iterations !== d.iterations || !bytesEqual(params.salt, d.salt)) continue;
      let hash: Uint8Array;
      try {
        // hickory #2714: owner labels may arrive in either case; decode case-insensitively.
        hash = fromBase32Hex(new TextDecoder().decode(s.name.labels()[0]).toUpperCase());
      } catch {
        continue;
      }
      if (hash.length !== d.nextHashed.length) continue;
      recs.push({ owner: s.name, hash, next: d.nextHashed, types: new Set(d.types), optOut: isOptOut(d) });
    }
  }
  return { recs, params };
}

/**
 * A proof that asks for NSEC3 owner hashes one name at a time, in the order RFC 5155 §8 needs them:
 * it yields a name and is resumed with that name's hash (null when it could not be computed). The
 * driver decides how hashes are made: nsec3-hasher.ts lazily, memoised and within the per-query
 * budget (CVE-2023-50868); withHashes() from a precomputed map.
 */
export type HashSteps<T> = Generator<Name, T, Uint8Array | null>;

/** Runs `steps` against precomputed hashes (a name missing from the map gets null). */
export function withHashes<T>(steps: HashSteps<T>, hashes: HashMap): T {
  let r = steps.next();
  while (r.done !== true) r = steps.next(hashes.get(r.value.key()) ?? null);
  return r.value;
}

export function nsec3Covers(r: Nsec3Rec, h: Uint8Array): boolean {
  const afterOwner = compareBytes(r.hash, h) < 0;
  const beforeNext = compareBytes(h, r.next) < 0;
  // The last NSEC3 of the chain wraps: next ≤ owner (RFC 5155 §3.1.7).
  return compareBytes(r.next, r.hash) <= 0 ? afterOwner || beforeNext : afterOwner && beforeNext;
}

function matching(recs: readonly Nsec3Rec[], h: Uint8Array | null): Nsec3Rec | undefined {
  return h === null ? undefined : recs.find((r) => bytesEqual(r.hash, h));
}
function covering(recs: readonly Nsec3Rec[], h: Uint8Array | null): Nsec3Rec | undefined {
  return h === null ? undefined : recs.find((r) => nsec3Covers(r, h));
}

export type Nsec3Proof =
  | { readonly kind: 'secure' }
  | { readonly kind: 'optout' }
  | { readonly kind: 'fail'; readonly detail: string };
const SECURE: Nsec3Proof = { kind: 'secure' };
const fail = (detail: string): Nsec3Proof => ({ kind: 'fail', detail });

interface Encloser { readonly ce: Name; readonly nc: Name | null; readonly ncCover: Nsec3Rec | null }

/**
 * RFC 5155 §8.3 closest provable encloser: the deepest ancestor of qname (from qname itself up
 * to the apex — at most labelCount iterations, never unbounded) with a matching NSEC3, and the
 * NSEC3 covering the next closer name. Hashes walk up from qname and stop at the first match, so
 * a proof costs (labels between qname and its closest encloser) + 1 hashes, not one per label of
 * qname. A matching NSEC3 at a delegation (NS without SOA) or a DNAME cannot be an encloser for
 * names below it (RFC 5155 §8.3, RFC 6840 §4.1).
 */
function* closestEncloser(recs: readonly Nsec3Rec[], qname: Name, zone: Name): HashSteps<Encloser | string> {
  const depth = qname.labelCount() - zone.labelCount();
  let below: Uint8Array | null = null; // hash of the name one label below `n` on the walk
  for (let i = 0; i <= depth; i++) {
    const n = qname.parent(i);
    const h = yield n;
    const m = matching(recs, h);
    if (m === undefined) { below = h; continue; }
    if (i === 0) return { ce: n, nc: null, ncCover: null };
    if ((m.types.has(RRType.NS) && !m.types.has(RRType.SOA)) || m.types.has(RRType.DNAME)) {
      return `closest encloser ${n.toText()} is a delegation or DNAME`;
    }
    const nc = qname.parent(i - 1);
    const cover = covering(recs, below);
    if (cover === undefined) return `no NSEC3 covers the next closer name ${nc.toText()}`;
    return { ce: n, nc, ncCover: cover };
  }
  return `no closest encloser proof for ${qname.toText()}`;
}

/** NXDOMAIN (RFC 5155 §8.4): closest encloser, next closer covered, wildcard covered. */
export function* nxdomain3Steps(recs: readonly Nsec3Rec[], qname: Name, zone: Name): HashSteps<Nsec3Proof> {
  const e = yield* closestEncloser(recs, qname, zone);
  if (typeof e === 'string') return fail(e);
  if (e.nc === null || e.ncCover === null) return fail(`${qname.toText()} has a matching NSEC3 (it exists)`);
  const wc = wildcardName(e.ce);
  if (wc !== null && covering(recs, yield wc) === undefined) return fail(`no NSEC3 covers ${wc.toText()}`);
  return e.ncCover.optOut ? { kind: 'optout' } : SECURE;
}

function deniesType(r: Nsec3Rec, qtype: number, atRoot: boolean): boolean {
  if (r.types.has(qtype) || r.types.has(RRType.CNAME)) return false;
  if (qtype === RRType.DS) return !r.types.has(RRType.SOA) || atRoot;
  return !(r.types.has(RRType.NS) && !r.types.has(RRType.SOA));
}

/** NODATA (§8.5), DS NODATA with opt-out (§8.6) and wildcard NODATA (§8.7). */
export function* nodata3Steps(recs: readonly Nsec3Rec[], qname: Name, qtype: number, zone: Name): HashSteps<Nsec3Proof> {
  const m = matching(recs, yield qname);
  if (m !== undefined) return deniesType(m, qtype, qname.isRoot()) ? SECURE : fail(`NSEC3 at ${qname.toText()} lists type ${qtype}, CNAME, or is a delegation`);
  const e = yield* closestEncloser(recs, qname, zone);
  if (typeof e === 'string') return fail(e);
  if (e.ncCover === null) return fail(`no NSEC3 matches ${qname.toText()}`);
  if (qtype === RRType.DS) return e.ncCover.optOut ? { kind: 'optout' } : fail(`DS NODATA for ${qname.toText()} without a matching or opt-out NSEC3`);
  const wc = wildcardName(e.ce);
  const wm = wc === null ? undefined : matching(recs, yield wc);
  if (wm !== undefined && deniesType(wm, qtype, false)) return SECURE;
  return fail(`no NSEC3 proves NODATA for ${qname.toText()}`);
}

export type DsAbsence3 = 'insecure-cut' | 'optout' | 'not-a-cut' | 'unproven';

/** DS absence at `name` for the chain of trust (RFC 5155 §8.6, RFC 4035 §5.2). */
export function* dsAbsence3Steps(recs: readonly Nsec3Rec[], name: Name, zone: Name): HashSteps<DsAbsence3> {
  const m = matching(recs, yield name);
  if (m !== undefined) {
    if (m.types.has(RRType.DS) || m.types.has(RRType.CNAME) || m.types.has(RRType.SOA)) return 'unproven';
    return m.types.has(RRType.NS) ? 'insecure-cut' : 'not-a-cut';
  }
  const e = yield* closestEncloser(recs, name, zone);
  if (typeof e === 'string' || e.ncCover === null) return 'unproven';
  return e.ncCover.optOut ? 'optout' : 'not-a-cut';
}

/**
 * Wildcard answer (§8.8): the RRSIG labels field names the closest encloser, so the only hash
 * needed is the next closer name's, which must be covered.
 */
export function* wildcard3Steps(recs: readonly Nsec3Rec[], qname: Name, rrsigLabels: number): HashSteps<Nsec3Proof> {
  const nc = wildcardNextCloser(qname, rrsigLabels);
  return covering(recs, yield nc) !== undefined ? SECURE : fail(`no NSEC3 covers the next closer name ${nc.toText()}`);
}

/** The next closer name of a wildcard expansion: the closest encloser (RRSIG labels) plus one label. */
export function wildcardNextCloser(qname: Name, rrsigLabels: number): Name {
  return qname.parent(qname.labelCount() - rrsigLabels - 1);
}

/** The same proofs over precomputed hashes (unit tests, callers that hashed everything already). */
export const proveNxdomain3 = (recs: readonly Nsec3Rec[], hashes: HashMap, qname: Name, zone: Name): Nsec3Proof =>
  withHashes(nxdomain3Steps(recs, qname, zone), hashes);
export const proveNodata3 = (recs: readonly Nsec3Rec[], hashes: HashMap, qname: Name, qtype: number, zone: Name): Nsec3Proof =>
  withHashes(nodata3Steps(recs, qname, qtype, zone), hashes);
export const proveDsAbsence3 = (recs: readonly Nsec3Rec[], hashes: HashMap, name: Name, zone: Name): DsAbsence3 =>
  withHashes(dsAbsence3Steps(recs, name, zone), hashes);
export const proveWildcard3 = (recs: readonly Nsec3Rec[], hashes: HashMap, qname: Name, rrsigLabels: number): Nsec3Proof =>
  withHashes(wildcard3Steps(recs, qname, rrsigLabels), hashes);
