// nsec.ts — NSEC denial of existence (RFC 4035 §5.4, RFC 6840 §4.1/§4.3/§4.4/§5.11): covering and
// matching tests in canonical order (RFC 4034 §6.1) with the last NSEC wrapping to the apex; proofs
// for NXDOMAIN (name + wildcard at the closest encloser), NODATA (incl. empty non-terminals and
// wildcard NODATA) and DS absence at a delegation. Inputs are NSEC RRsets already verified.
import { RRType } from '../wire/constants.js';
import { Name } from '../wire/name.js';
import { decodeNSEC } from '../wire/rdata/nsec.js';
import type { RRset } from '../wire/rrset.js';

/** One decoded NSEC record. */
export interface NsecRec {
  readonly owner: Name;
  readonly next: Name;
  readonly types: ReadonlySet<number>;
}

/** Decodes the NSEC RRsets (one record each, RFC 4034 §4) below `zone`. */
export function nsecRecords(sets: readonly RRset[], zone: Name): NsecRec[] {
  const out: NsecRec[] = [];
  for (const s of sets) {
    if (s.type !== RRType.NSEC || !s.name.isSubdomainOf(zone)) continue;
    for (const r of s.records) {
      const d = decodeNSEC(r.rdata);
      if (d !== null) out.push({ owner: s.name, next: d.next, types: new Set(d.types) });
    }
  }
  return out;
}

/**
 * True when `n` proves `name` does not exist: owner < name < next, or, for the last NSEC of the
 * zone (next ≤ owner: it wraps to the apex), owner < name (RFC 4034 §4.1.1).
 */
export function nsecCovers(n: NsecRec, name: Name): boolean {
  if (n.owner.compare(name) >= 0) return false;
  // RFC 6840 §4.1: an NSEC at a delegation (NS without SOA) or at a DNAME says nothing about
  // names below its owner — those live in another zone or are synthesized.
  if (name.isSubdomainOf(n.owner) && isCutOrDname(n)) return false;
  const wraps = n.next.compare(n.owner) <= 0;
  return wraps || name.compare(n.next) < 0;
}

function isCutOrDname(n: NsecRec): boolean {
  return (n.types.has(RRType.NS) && !n.types.has(RRType.SOA)) || n.types.has(RRType.DNAME);
}

/** Longest common ancestor of two names (by labels, case-insensitive). */
export function commonAncestor(a: Name, b: Name): Name {
  let x = a.labelCount() > b.labelCount() ? a.parent(a.labelCount() - b.labelCount()) : a;
  let y = b.labelCount() > a.labelCount() ? b.parent(b.labelCount() - a.labelCount()) : b;
  while (!x.equals(y)) {
    x = x.parent();
    y = y.parent();
  }
  return x;
}

/**
 * Closest encloser of `qname` given a covering NSEC (RFC 4035 §5.4): the deepest ancestor of
 * qname shared with the owner or the next name of that NSEC.
 */
export function closestEncloserFromNsec(n: NsecRec, qname: Name): Name {
  const a = commonAncestor(qname, n.owner);
  const b = commonAncestor(qname, n.next);
  return a.labelCount() >= b.labelCount() ? a : b;
}

/** `*.ce`, or null when that name would exceed 255 octets. */
export function wildcardName(ce: Name): Name | null {
  try {
    return Name.fromLabels([Uint8Array.of(0x2a)]).concat(ce);
  } catch {
    return null;
  }
}

export type NsecProof = { readonly ok: true } | { readonly ok: false; readonly detail: string };
const yes: NsecProof = { ok: true };
const no = (detail: string): NsecProof => ({ ok: false, detail });

/** NXDOMAIN: qname covered, and the wildcard at its closest encloser covered (RFC 4035 §5.4). */
export function proveNxdomain(recs: readonly NsecRec[], qname: Name): NsecProof {
  const cover = recs.find((n) => nsecCovers(n, qname));
  if (cover === undefined) return no(`no NSEC covers ${qname.toText()}`);
  const ce = closestEncloserFromNsec(cover, qname);
  const wc = wildcardName(ce);
  if (wc === null) return yes;
  if (recs.some((n) => nsecCovers(n, wc))) return yes;
  return no(`no NSEC covers the wildcard ${wc.toText()}`);
}

/** True when the NSEC bitmap denies `qtype` (and a CNAME, RFC 4035 §5.4) at its owner. */
function deniesType(n: NsecRec, qtype: number): boolean {
  if (n.types.has(qtype) || n.types.has(RRType.CNAME)) return false;
  if (qtype === RRType.DS) {
    // The parent's NSEC proves DS absence; the child apex NSEC (SOA set) cannot (RFC 6840 §4.4),
    // except at the root, which has no parent.
    return !n.types.has(RRType.SOA) || n.owner.isRoot();
  }
  // RFC 6840 §4.3: the parent-side NSEC at a delegation (NS without SOA) proves nothing about
  // types other than DS at that name.
  return !(n.types.has(RRType.NS) && !n.types.has(RRType.SOA));
}

/**
 * NODATA (RFC 4035 §5.4): an NSEC at qname without the type and CNAME bits; or qname is an empty
 * non-terminal (an NSEC covers it and its next name lies below qname); or wildcard NODATA (qname
 * covered and the NSEC of `*.closest-encloser` denies the type).
 */
export function proveNodata(recs: readonly NsecRec[], qname: Name, qtype: number): NsecProof {
  const match = recs.find((n) => n.owner.equals(qname));
  if (match !== undefined) return deniesType(match, qtype) ? yes : no(`NSEC at ${qname.toText()} lists type ${qtype} or CNAME, or is a delegation`);
  const cover = recs.find((n) => nsecCovers(n, qname));
  if (cover === undefined) return no(`no NSEC matches or covers ${qname.toText()}`);
  if (cover.next.isSubdomainOf(qname) && !cover.next.equals(qname)) return yes; // empty non-terminal
  if (qtype === RRType.DS) return no(`${qname.toText()} does not exist (NXDOMAIN proof, not NODATA)`);
  const wc = wildcardName(closestEncloserFromNsec(cover, qname));
  const wmatch = wc === null ? undefined : recs.find((n) => n.owner.equals(wc));
  if (wmatch !== undefined && deniesType(wmatch, qtype)) return yes;
  return no(`no NSEC proves NODATA for ${qname.toText()}`);
}

/** What a DS-query denial proves about `name` (the next label below a secure zone). */
export type DsAbsence = 'insecure-cut' | 'not-a-cut' | 'unproven';

/**
 * RFC 4035 §5.2 / RFC 6840 §4.4: an NSEC at `name` with NS and without DS and SOA proves an
 * unsigned delegation; one without NS proves `name` is no zone cut; a covering NSEC (NXDOMAIN or
 * an empty non-terminal) proves no cut exists there either.
 */
export function proveDsAbsence(recs: readonly NsecRec[], name: Name): DsAbsence {
  const match = recs.find((n) => n.owner.equals(name));
  if (match !== undefined) {
    if (match.types.has(RRType.DS) || match.types.has(RRType.CNAME)) return 'unproven';
    if (match.types.has(RRType.SOA)) return 'unproven'; // child-side apex NSEC
    return match.types.has(RRType.NS) ? 'insecure-cut' : 'not-a-cut';
  }
  return recs.some((n) => nsecCovers(n, name)) ? 'not-a-cut' : 'unproven';
}

/**
 * Wildcard answer (RFC 4035 §5.3.4): the expanded name `qname` must not exist, i.e. an NSEC
 * covers it, and the closest encloser it implies must be the wildcard's parent `ce`.
 */
export function proveWildcardNoMatch(recs: readonly NsecRec[], qname: Name, ce: Name): NsecProof {
  for (const n of recs) {
    if (!nsecCovers(n, qname)) continue;
    if (closestEncloserFromNsec(n, qname).labelCount() <= ce.labelCount()) return yes;
  }
  return no(`no NSEC proves ${qname.toText()} does not exist (wildcard expansion from ${ce.toText()})`);
}
