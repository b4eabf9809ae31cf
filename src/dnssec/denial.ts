// denial.ts — turns verified NSEC/NSEC3 RRsets of one response into the outcome of a denial or
// wildcard proof: NSEC first (RFC 4035 §5.4), else NSEC3 with the RFC 9276 iteration policy
// (above NSEC3_ITERATIONS_HARD bogus, above SOFT insecure once the RRSIG verified, both EDE 27),
// the CVE-2023-50868 hash budget, and opt-out → insecure (RFC 5155 §8.9).
import type { Name } from '../wire/name.js';
import type { RRSIGRdata } from '../wire/rdata/rrsig.js';
import type { RRset } from '../wire/rrset.js';
import { NSEC3_ITERATIONS_HARD, NSEC3_ITERATIONS_SOFT } from './limits.js';
import { nsecRecords, proveNodata, proveNxdomain } from './nsec.js';
import { type HashMap, type Nsec3Params, type Nsec3Rec, hashPlan, nsec3Records, proveNodata3, proveNxdomain3 } from './nsec3.js';
import { type Outcome, outcomeFor, secure } from './outcome.js';
import type { HashTask } from './signatures.js';
import { proveWildcardAnswer } from './wildcard.js';

/** The NSEC/NSEC3 material of one response for one zone, before hashing. */
export interface ProofInput {
  readonly zone: Name;
  readonly sets: readonly RRset[];
  readonly n3: { recs: Nsec3Rec[]; params: Nsec3Params | null };
}

export function proofInput(zone: Name, sets: readonly RRset[]): ProofInput {
  return { zone, sets, n3: nsec3Records(sets, zone) };
}

/** Hash jobs the proofs about `names` need (none when iterations exceed the soft limit). */
export function proofHashes(p: ProofInput, names: readonly Name[]): HashTask[] {
  const params = p.n3.params;
  if (params === null || params.iterations > NSEC3_ITERATIONS_SOFT || nsecRecords(p.sets, p.zone).length > 0) return [];
  const seen = new Set<string>();
  const out: HashTask[] = [];
  for (const n of names) {
    for (const h of hashPlan(n, p.zone, params)) {
      const k = h.name.key();
      if (!seen.has(k)) { seen.add(k); out.push(h); }
    }
  }
  return out;
}

export function hashMap(tasks: readonly HashTask[], hashes: readonly (Uint8Array | null)[]): HashMap {
  const m = new Map<string, Uint8Array>();
  tasks.forEach((t, i) => { const h = hashes[i]; if (h !== null && h !== undefined) m.set(t.name.key(), h); });
  return m;
}

/** NSEC3 iteration policy and budget; null when the NSEC3 proof may proceed. */
function nsec3Gate(p: ProofInput, budgetExceeded: boolean): Outcome | null {
  const params = p.n3.params;
  if (params === null) return null;
  if (params.iterations > NSEC3_ITERATIONS_HARD) return outcomeFor('NSEC3_ITERATIONS_HARD', p.zone, `${params.iterations} iterations`);
  if (params.iterations > NSEC3_ITERATIONS_SOFT) return outcomeFor('NSEC3_ITERATIONS_SOFT', p.zone, `${params.iterations} iterations`);
  if (budgetExceeded) return outcomeFor('NSEC3_HASH_BUDGET_EXCEEDED', p.zone);
  return null;
}

/** Outcome of the NXDOMAIN or NODATA proof for (sname, qtype). */
export function denialOutcome(p: ProofInput, kind: 'nxdomain' | 'nodata', sname: Name, qtype: number, hashes: HashMap, budgetExceeded: boolean): Outcome {
  const nsec = nsecRecords(p.sets, p.zone);
  if (nsec.length > 0) {
    const r = kind === 'nxdomain' ? proveNxdomain(nsec, sname) : proveNodata(nsec, sname, qtype);
    return r.ok ? secure(p.zone) : outcomeFor('NSEC_PROOF_MISSING', p.zone, r.detail);
  }
  if (p.n3.recs.length === 0) return outcomeFor('NSEC_PROOF_MISSING', p.zone, `no NSEC or NSEC3 for ${sname.toText()}`);
  const gate = nsec3Gate(p, budgetExceeded);
  if (gate !== null) return gate;
  const r = kind === 'nxdomain' ? proveNxdomain3(p.n3.recs, hashes, sname, p.zone) : proveNodata3(p.n3.recs, hashes, sname, qtype, p.zone);
  if (r.kind === 'secure') return secure(p.zone);
  if (r.kind === 'optout') return outcomeFor('NSEC3_OPT_OUT', p.zone);
  return outcomeFor('NSEC3_PROOF_MISSING', p.zone, r.detail);
}

/** Outcome of the proof that a wildcard-expanded `owner` does not exist itself. */
export function wildcardOutcome(p: ProofInput, owner: Name, sig: RRSIGRdata, hashes: HashMap, budgetExceeded: boolean): Outcome {
  const nsec = nsecRecords(p.sets, p.zone);
  if (nsec.length === 0 && p.n3.recs.length > 0) {
    const gate = nsec3Gate(p, budgetExceeded);
    if (gate !== null) return gate;
  }
  const r = proveWildcardAnswer(owner, sig, nsec, { recs: p.n3.recs, hashes });
  return r.ok ? secure(p.zone) : outcomeFor('WILDCARD_DENIAL_MISSING', p.zone, r.detail);
}
