// denial.ts — turns verified NSEC/NSEC3 RRsets of one response into the outcome of a denial or
// wildcard proof: NSEC first (RFC 4035 §5.4), else NSEC3 with the RFC 9276 iteration policy
// (above NSEC3_ITERATIONS_HARD bogus, above SOFT insecure once the RRSIG verified, both EDE 27),
// hashing lazily only what RFC 5155 §8 needs within the CVE-2023-50868 budget, and opt-out →
// insecure (RFC 5155 §8.9).
import type { Name } from '../wire/name.js';
import { decodeRRSIG, type RRSIGRdata } from '../wire/rdata/rrsig.js';
import type { RRset } from '../wire/rrset.js';
import type { QueryBudget } from './budget.js';
import { NSEC3_ITERATIONS_HARD, NSEC3_ITERATIONS_SOFT } from './limits.js';
import { nsecRecords, proveNodata, proveNxdomain } from './nsec.js';
import { type Nsec3Params, type Nsec3Rec, nodata3Steps, nsec3Records, nxdomain3Steps, wildcardNextCloser, withHashes } from './nsec3.js';
import { Nsec3Hasher } from './nsec3-hasher.js';
import { type Outcome, outcomeFor, secure } from './outcome.js';
import { wildcardAnswerSteps } from './wildcard.js';

/** The NSEC/NSEC3 material of one response for one zone, before hashing. */
export interface ProofInput {
  readonly zone: Name;
  readonly sets: readonly RRset[];
  readonly n3: { recs: Nsec3Rec[]; params: Nsec3Params | null };
  /** Present when the proofs will use NSEC3 and may hash (no NSEC, iterations ≤ SOFT). */
  readonly hasher: Nsec3Hasher | null;
}

export function proofInput(zone: Name, sets: readonly RRset[], budget: QueryBudget): ProofInput {
  const n3 = nsec3Records(sets, zone);
  const p = n3.params;
  const hashes = p !== null && p.iterations <= NSEC3_ITERATIONS_SOFT && nsecRecords(sets, zone).length === 0;
  return { zone, sets, n3, hasher: hashes ? new Nsec3Hasher(budget, p) : null };
}

/**
 * Names every NSEC3 proof of the response will hash first, to ride in its signature batch: the
 * denied name (each closest-encloser walk starts there, RFC 5155 §8.3) and, per wildcard-expanded
 * RRset whose RRSIGs agree on the labels field, its next closer name (§8.8). Everything else is
 * hashed on demand, so a proof that stops early never pays for names it does not need.
 */
export function primeNames(p: ProofInput, denied: Name | null, wildcardSets: readonly RRset[]): Name[] {
  if (p.hasher === null) return [];
  const out = denied === null ? [] : [denied];
  for (const set of wildcardSets) {
    const labels = new Set<number>();
    for (const r of set.rrsigs) {
      const d = decodeRRSIG(r.rdata);
      if (d !== null && d.signerName.equals(p.zone) && d.labels < set.name.labelCount(true)) labels.add(d.labels);
    }
    const only = labels.size === 1 ? [...labels][0] : undefined;
    if (only !== undefined) out.push(wildcardNextCloser(set.name, only));
  }
  return out;
}

/** NSEC3 iteration policy; null when the NSEC3 proof may proceed. */
function nsec3Gate(p: ProofInput): Outcome | null {
  const params = p.n3.params;
  if (params === null) return null;
  if (params.iterations > NSEC3_ITERATIONS_HARD) return outcomeFor('NSEC3_ITERATIONS_HARD', p.zone, `${params.iterations} iterations`);
  if (params.iterations > NSEC3_ITERATIONS_SOFT) return outcomeFor('NSEC3_ITERATIONS_SOFT', p.zone, `${params.iterations} iterations`);
  return null;
}

/** Outcome of the NXDOMAIN or NODATA proof for (sname, qtype). */
export async function denialOutcome(p: ProofInput, kind: 'nxdomain' | 'nodata', sname: Name, qtype: number): Promise<Outcome> {
  const nsec = nsecRecords(p.sets, p.zone);
  if (nsec.length > 0) {
    const r = kind === 'nxdomain' ? proveNxdomain(nsec, sname) : proveNodata(nsec, sname, qtype);
    return r.ok ? secure(p.zone) : outcomeFor('NSEC_PROOF_MISSING', p.zone, r.detail);
  }
  if (p.n3.recs.length === 0) return outcomeFor('NSEC_PROOF_MISSING', p.zone, `no NSEC or NSEC3 for ${sname.toText()}`);
  const gate = nsec3Gate(p);
  if (gate !== null) return gate;
  if (p.hasher === null) return outcomeFor('NSEC3_PROOF_MISSING', p.zone, 'no usable NSEC3 parameters');
  const h = await p.hasher.run(kind === 'nxdomain' ? nxdomain3Steps(p.n3.recs, sname, p.zone) : nodata3Steps(p.n3.recs, sname, qtype, p.zone));
  if (!h.ok) return outcomeFor('NSEC3_HASH_BUDGET_EXCEEDED', p.zone, `proof for ${sname.toText()}`);
  const r = h.value;
  if (r.kind === 'secure') return secure(p.zone);
  if (r.kind === 'optout') return outcomeFor('NSEC3_OPT_OUT', p.zone);
  return outcomeFor('NSEC3_PROOF_MISSING', p.zone, r.detail);
}

/** Outcome of the proof that a wildcard-expanded `owner` does not exist itself. */
export async function wildcardOutcome(p: ProofInput, owner: Name, sig: RRSIGRdata): Promise<Outcome> {
  const nsec = nsecRecords(p.sets, p.zone);
  const useNsec3 = nsec.length === 0 && p.n3.recs.length > 0;
  if (useNsec3) {
    const gate = nsec3Gate(p);
    if (gate !== null) return gate;
  }
  const steps = wildcardAnswerSteps(owner, sig, nsec, p.n3.recs);
  // With NSEC present (no hasher) an NSEC3 fallback gets no hashes, as before: NSEC decides.
  const h = p.hasher !== null ? await p.hasher.run(steps) : { ok: true as const, value: withHashes(steps, new Map()) };
  if (!h.ok) return outcomeFor('NSEC3_HASH_BUDGET_EXCEEDED', p.zone, `wildcard proof for ${owner.toText()}`);
  return h.value.ok ? secure(p.zone) : outcomeFor('WILDCARD_DENIAL_MISSING', p.zone, h.value.detail);
}
