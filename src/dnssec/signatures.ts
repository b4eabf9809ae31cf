// signatures.ts — verifies every RRset of one response in ONE native CryptoBatch (DESIGN rule 3):
// candidate (RRSIG, DNSKEY) pairs by signer, algorithm and key tag (RFC 4035 §5.3.1), KeyTrap caps
// (MAX_SIGS_PER_RRSET, MAX_KEYS_PER_KEY_TAG, per-query crypto budget), the validity window with
// clock skew (limits.ts), per-job statuses folded into one ReasonCode, and the TTL cap of
// RFC 4035 §5.3.3. NSEC3 hash jobs of the same response ride in the same batch.
import { CryptoBatch, type BatchResult, type JobStatus } from '../native/batch.js';
import type { Name } from '../wire/name.js';
import { decodeRRSIG, type RRSIGRdata } from '../wire/rdata/rrsig.js';
import type { RRset } from '../wire/rrset.js';
import type { QueryBudget } from './budget.js';
import type { ZoneKey } from './key-entry.js';
import { MAX_KEYS_PER_KEY_TAG, MAX_SIGS_PER_RRSET, NSEC3_ITERATIONS_SOFT, signatureSkewSec } from './limits.js';
import { isAlgorithmSupported } from './policy.js';
import type { ReasonCode } from './reasons.js';

/** One RRset to verify with the validated keys of its signer zone. */
export interface SigTask {
  readonly rrset: RRset;
  readonly signer: Name;
  readonly keys: readonly ZoneKey[];
  /**
   * RFC 5011 §2.1 only: verify with keys that carry the REVOKE bit (a revoked key's self-signature
   * over its DNSKEY RRset proves the revocation). Never set for validation.
   */
  readonly allowRevoked?: boolean;
}

/** One NSEC3 owner-name hash to compute (RFC 5155 §5). */
export interface HashTask {
  readonly name: Name;
  readonly salt: Uint8Array;
  readonly iterations: number;
}

/** One DS digest to compute over owner | DNSKEY RDATA (RFC 4034 §5.1.4). */
export interface DigestTask {
  readonly owner: Name;
  readonly keyRdata: Uint8Array;
  readonly digestType: number;
}

export type SigVerdict =
  | { readonly ok: true; readonly ttlSec: number; readonly rrsig: RRSIGRdata }
  | { readonly ok: false; readonly code: ReasonCode; readonly detail: string };

export interface ResponseCheck {
  readonly verdicts: readonly SigVerdict[];
  /** 20-octet hashes in HashTask order; null when refused (budget or iteration cap). */
  readonly hashes: readonly (Uint8Array | null)[];
  readonly hashBudgetExceeded: boolean;
  /** Digests in DigestTask order; null when the digest type is unsupported. */
  readonly digests: readonly (Uint8Array | null)[];
}

/** RFC 1982 serial comparison of 32-bit times: a < b. */
function serialLess(a: number, b: number): boolean {
  return a !== b && ((a - b) | 0) < 0;
}

/** Window check with skew (RFC 4035 §5.3.1; skew per limits.ts); null when inside the window. */
export function windowProblem(sig: RRSIGRdata, nowSec: number): ReasonCode | null {
  if (serialLess(sig.expiration, sig.inception)) return 'SIG_EXPIRED_BEFORE_INCEPTION';
  const skew = signatureSkewSec(sig.inception, sig.expiration);
  if (serialLess((nowSec + skew) >>> 0, sig.inception)) return 'SIG_NOT_YET_VALID';
  if (serialLess(sig.expiration, (nowSec - skew) >>> 0)) return 'SIG_EXPIRED';
  return null;
}

/** Failure precedence when the signatures of one RRset fail for different reasons. */
const PRECEDENCE: readonly ReasonCode[] = [
  'SIGNATURE_INVALID', 'VALIDATION_BUDGET_EXCEEDED', 'SIG_EXPIRED', 'SIG_NOT_YET_VALID', 'SIG_EXPIRED_BEFORE_INCEPTION',
  'KEY_REVOKED_ONLY', 'NO_ZONE_KEY_BIT', 'DNSKEY_MISSING', 'RRSIG_LABELS_INVALID', 'RRSIGS_MISSING',
];

const CRYPTO_DONE: ReadonlySet<JobStatus> = new Set<JobStatus>(['OK', 'BAD_SIGNATURE']);

interface Planned { sig: RRSIGRdata; jobs: number[]; pre: ReasonCode | null }

/** The RRSIGs of `set` made by `signer`, decoded, at most MAX_SIGS_PER_RRSET (KeyTrap). */
export function signerSigs(set: RRset, signer: Name): RRSIGRdata[] {
  const out: RRSIGRdata[] = [];
  for (const r of set.rrsigs) {
    const s = decodeRRSIG(r.rdata);
    if (s !== null && s.signerName.equals(signer) && s.typeCovered === set.type) out.push(s);
  }
  return out;
}

function planSig(batch: CryptoBatch, set: RRset, raw: Uint8Array, sig: RRSIGRdata, keys: readonly ZoneKey[], group: number, nowSec: number, noCrypto: boolean, allowRevoked: boolean): Planned {
  if (sig.labels > set.name.labelCount(true)) return { sig, jobs: [], pre: 'RRSIG_LABELS_INVALID' };
  const win = windowProblem(sig, nowSec);
  if (win !== null) return { sig, jobs: [], pre: win };
  const tagged = keys.filter((k) => k.tag === sig.keyTag && k.algorithm === sig.algorithm);
  if (tagged.length === 0) return { sig, jobs: [], pre: 'DNSKEY_MISSING' };
  const zoneKeys = tagged.filter((k) => (k.flags & 0x0100) !== 0);
  if (zoneKeys.length === 0) return { sig, jobs: [], pre: 'NO_ZONE_KEY_BIT' };
  const live = allowRevoked ? zoneKeys : zoneKeys.filter((k) => (k.flags & 0x0080) === 0);
  if (live.length === 0) return { sig, jobs: [], pre: 'KEY_REVOKED_ONLY' };
  if (noCrypto) return { sig, jobs: [], pre: 'VALIDATION_BUDGET_EXCEEDED' };
  const rdatas = set.records.map((r) => r.rdata);
  const jobs = live.slice(0, MAX_KEYS_PER_KEY_TAG).map((k) =>
    batch.addVerify({ dnskeyRdata: k.rdata, rrsigRdata: raw, owner: set.name.wire, rrClass: set.class, rdatas, group, allowRevoked }));
  return { sig, jobs, pre: null };
}

function fold(plans: readonly Planned[], res: BatchResult, set: RRset, nowSec: number): SigVerdict {
  const codes: ReasonCode[] = [];
  for (const p of plans) {
    if (p.pre !== null) { codes.push(p.pre); continue; }
    const st = p.jobs.map((j) => res.status(j));
    if (st.includes('OK')) {
      const ttlSec = Math.max(0, Math.min(set.ttl, p.sig.originalTtl, p.sig.expiration - nowSec));
      return { ok: true, ttlSec, rrsig: p.sig };
    }
    codes.push(st.includes('SKIPPED_BUDGET') && !st.includes('BAD_SIGNATURE') ? 'VALIDATION_BUDGET_EXCEEDED' : 'SIGNATURE_INVALID');
  }
  if (codes.length === 0) return { ok: false, code: 'RRSIGS_MISSING', detail: `no RRSIG for ${set.name.toText()} type ${set.type}` };
  const first = codes[0]!;
  const code = codes.every((c) => c === first) ? first : PRECEDENCE.find((c) => codes.includes(c)) ?? first;
  return { ok: false, code, detail: `${set.name.toText()} type ${set.type}: ${codes.join(',')}` };
}

/**
 * Verifies `tasks` and computes `hashTasks` in one batch. Signature windows are checked here with
 * skew (the core gets nowSec 0); the core enforces the per-RRset and per-query caps.
 */
export async function checkResponse(tasks: readonly SigTask[], hashTasks: readonly HashTask[], nowSec: number, budget: QueryBudget, digestTasks: readonly DigestTask[] = []): Promise<ResponseCheck> {
  const batch = new CryptoBatch();
  const left = budget.cryptoOpsLeft;
  const plans: Planned[][] = tasks.map((t, group) => {
    const raws = t.rrset.rrsigs.map((r) => r.rdata);
    const out: Planned[] = [];
    for (const raw of raws) {
      if (out.length >= MAX_SIGS_PER_RRSET) break;
      const sig = decodeRRSIG(raw);
      if (sig === null || !sig.signerName.equals(t.signer) || !isAlgorithmSupported(sig.algorithm)) continue;
      out.push(planSig(batch, t.rrset, raw, sig, t.keys, group, nowSec, left === 0, t.allowRevoked === true));
    }
    return out;
  });
  const hashJobs: (number | null)[] = [];
  let hashBudgetExceeded = false;
  let hashesLeft = budget.hashesLeft;
  for (const h of hashTasks) {
    if (hashesLeft <= 0) { hashJobs.push(null); hashBudgetExceeded = true; continue; }
    hashesLeft--;
    hashJobs.push(batch.addNsec3Hash(h.name.lower().wire, h.salt, h.iterations));
  }
  const digestJobs = digestTasks.map((d) => batch.addDsDigest(d.owner.lower().wire, d.keyRdata, d.digestType));
  budget.stats.dsDigests += digestJobs.length;
  const verifyJobs = plans.reduce((n, ps) => n + ps.reduce((m, p) => m + p.jobs.length, 0), 0);
  budget.stats.verifyJobs += verifyJobs;
  budget.stats.nsec3Hashes += hashJobs.filter((j) => j !== null).length;
  let res: BatchResult;
  if (batch.size === 0) {
    res = batch.runSync();
  } else {
    budget.stats.batches++;
    res = await batch.run({ nowSec: 0, maxSigsPerGroup: MAX_SIGS_PER_RRSET, maxSigsTotal: left, maxNsec3Iterations: NSEC3_ITERATIONS_SOFT });
  }
  let ops = 0;
  for (const ps of plans) for (const p of ps) for (const j of p.jobs) if (CRYPTO_DONE.has(res.status(j))) ops++;
  budget.stats.cryptoOps += ops;
  const verdicts = tasks.map((t, i) => fold(plans[i]!, res, t.rrset, nowSec));
  const hashes = hashJobs.map((j) => (j === null || res.status(j) !== 'OK' ? null : res.output(j).slice()));
  const digests = digestJobs.map((j) => (res.status(j) === 'OK' ? res.output(j).slice() : null));
  return { verdicts, hashes, hashBudgetExceeded, digests };
}
