// wildcard.ts — wildcard expansion (RFC 4035 §5.3.4, RFC 4592): an RRSIG whose labels field is
// below the owner's label count means the RRset was synthesized from `*.<last labels>`; the answer
// is secure only with proof that the exact name does not exist — a covering NSEC whose closest
// encloser is the wildcard's parent (RFC 4035 §5.3.4), or an NSEC3 covering the next closer name
// (RFC 5155 §8.8). Opt-out does not weaken a wildcard answer.
import type { Name } from '../wire/name.js';
import type { RRSIGRdata } from '../wire/rdata/rrsig.js';
import { type NsecRec, proveWildcardNoMatch } from './nsec.js';
import { type HashMap, type HashSteps, type Nsec3Rec, wildcard3Steps, withHashes } from './nsec3.js';

/** The closest encloser (wildcard parent) when `owner` was expanded from a wildcard, else null. */
export function expandedFrom(owner: Name, sig: RRSIGRdata): Name | null {
  const labels = owner.labelCount(true);
  if (sig.labels >= labels) return null;
  return owner.parent(owner.labelCount() - sig.labels);
}

export type WildcardProof = { readonly ok: true } | { readonly ok: false; readonly detail: string };

/**
 * Proof that `owner` itself does not exist, from NSEC (preferred when present) or NSEC3; asks
 * for at most one NSEC3 hash, the next closer name's (RFC 5155 §8.8).
 */
export function* wildcardAnswerSteps(owner: Name, sig: RRSIGRdata, nsec: readonly NsecRec[], nsec3: readonly Nsec3Rec[]): HashSteps<WildcardProof> {
  const ce = expandedFrom(owner, sig);
  if (ce === null) return { ok: true };
  if (nsec.length > 0) {
    const p = proveWildcardNoMatch(nsec, owner, ce);
    if (p.ok || nsec3.length === 0) return p;
  }
  if (nsec3.length > 0) {
    const p = yield* wildcard3Steps(nsec3, owner, sig.labels);
    return p.kind === 'fail' ? { ok: false, detail: p.detail } : { ok: true };
  }
  return { ok: false, detail: `no NSEC or NSEC3 proves ${owner.toText()} does not exist` };
}

/** The same proof over precomputed NSEC3 hashes. */
export function proveWildcardAnswer(
  owner: Name, sig: RRSIGRdata, nsec: readonly NsecRec[], nsec3: { recs: readonly Nsec3Rec[]; hashes: HashMap } | null,
): WildcardProof {
  return withHashes(wildcardAnswerSteps(owner, sig, nsec, nsec3?.recs ?? []), nsec3?.hashes ?? new Map());
}
