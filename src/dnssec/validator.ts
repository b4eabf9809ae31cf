// validator.ts — Validator.validate(input, fetcher, {nowSec}): classifies every hop of a resolution
// (classify.ts), finds the signer of each RRset the result depends on (RRSIG signer = an ancestor
// of the owner, proven a zone apex by FINDKEY, RFC 4035 §5.3.1), verifies the whole response in one
// batch, checks wildcard and denial proofs, and returns the weakest link over all hops (RFC 4035
// §4.3; CNAME/DNAME links each on their own, RFC 6672 §5.3.3). No I/O besides the Fetcher.
import { RRType } from '../wire/constants.js';
import type { Name } from '../wire/name.js';
import { decodeRRSIG, type RRSIGRdata } from '../wire/rdata/rrsig.js';
import type { RRset } from '../wire/rrset.js';
import { newStats, QueryBudget, type ValidationStats } from './budget.js';
import { findKey, type ChainContext } from './chain.js';
import { classify, endsInDenial } from './classify.js';
import { denialOutcome, primeNames, proofInput, wildcardOutcome, type ProofInput } from './denial.js';
import type { Fetcher, UpstreamResponse, ValidationInput } from './fetcher.js';
import { KeyCache } from './key-cache.js';
import { MAX_CRYPTO_OPS_PER_QUERY, MAX_NSEC3_HASHES_PER_QUERY } from './limits.js';
import type { KeyEntry } from './key-entry.js';
import { type Outcome, outcomeFor, secure, weakest } from './outcome.js';
import { checkResponse, type SigTask } from './signatures.js';
import type { TrustAnchorStore } from './trust-anchors.js';
import { expandedFrom } from './wildcard.js';

export interface ValidatorOptions {
  readonly anchors: TrustAnchorStore;
  /** Shared key cache (default: a private one). */
  readonly keyCache?: KeyCache;
}

export interface ValidateOptions {
  /** Validation time, Unix seconds (DESIGN rule 2: time is injected). */
  readonly nowSec: number;
  readonly signal?: AbortSignal;
  /** Filled with the work done (crypto operations, hashes, fetches). */
  readonly stats?: ValidationStats;
  /** NSEC3 hashes this validation may compute (default MAX_NSEC3_HASHES_PER_QUERY, CVE-2023-50868). */
  readonly maxNsec3Hashes?: number;
}

/** The signer an RRset claims: the first RRSIG signer at or above the owner (strictly above for DS). */
function claimedSigner(set: RRset): { signer: Name | null; wrong: boolean } {
  let wrong = false;
  for (const r of set.rrsigs) {
    const s = decodeRRSIG(r.rdata);
    if (s === null) continue;
    const ok = set.name.isSubdomainOf(s.signerName) && !(set.type === RRType.DS && set.name.equals(s.signerName) && !set.name.isRoot());
    if (ok) return { signer: s.signerName.lower(), wrong: false };
    wrong = true;
  }
  return { signer: null, wrong };
}

function entryOutcome(e: KeyEntry): Outcome | null {
  return e.kind === 'secure' ? null : ({ security: e.kind, reason: e.reason } as Outcome);
}

export class Validator {
  readonly #anchors: TrustAnchorStore;
  readonly keyCache: KeyCache;

  constructor(opts: ValidatorOptions) {
    this.#anchors = opts.anchors;
    this.keyCache = opts.keyCache ?? new KeyCache();
  }

  /** Judges a whole resolution; never throws on DNS data. */
  async validate(input: ValidationInput, fetcher: Fetcher, opts: ValidateOptions): Promise<Outcome> {
    const ctx: ChainContext = {
      fetcher, anchors: this.#anchors, cache: this.keyCache, nowSec: opts.nowSec,
      budget: new QueryBudget(opts.stats ?? newStats(), MAX_CRYPTO_OPS_PER_QUERY, opts.maxNsec3Hashes ?? MAX_NSEC3_HASHES_PER_QUERY), signal: opts.signal,
    };
    if (input.steps.length === 0) return outcomeFor('MALFORMED_RESPONSE', input.qname, 'no responses to validate');
    let result: Outcome | null = null;
    for (let i = 0; i < input.steps.length; i++) {
      const step = input.steps[i]!;
      const next = input.steps[i + 1];
      const o = await this.#step(step, next?.qname ?? null, ctx);
      result = result === null ? o : weakest(result, o);
      if (result.security === 'bogus') break;
    }
    return result ?? outcomeFor('MALFORMED_RESPONSE', input.qname);
  }

  async #step(step: UpstreamResponse, nextQname: Name | null, ctx: ChainContext): Promise<Outcome> {
    const msg = step.message;
    const c = classify(msg, step.qname, step.qtype);
    const continued = nextQname !== null && nextQname.equals(c.sname);
    const denial = continued ? null : endsInDenial(c, msg);
    if (c.kind === 'referral' && !continued) return this.#referral(c.authority, step, ctx);
    const data: RRset[] = [...c.links.filter((l) => !l.synthesized).map((l) => l.rrset), ...c.answers];
    const wildcardSets = data.filter((s) => s.rrsigs.some((r) => { const d = decodeRRSIG(r.rdata); return d !== null && d.labels < s.name.labelCount(true); }));
    const needProof = denial !== null || wildcardSets.length > 0;
    const proofSets = needProof ? c.authority.filter((s) => s.type === RRType.NSEC || s.type === RRType.NSEC3 || (denial !== null && s.type === RRType.SOA)) : [];
    const all = [...data, ...proofSets];
    // Signer per RRset, then one FINDKEY per distinct signer (each cached).
    const entries = new Map<string, KeyEntry>();
    const getEntry = async (zone: Name): Promise<KeyEntry> => {
      const k = zone.key();
      let e = entries.get(k);
      if (e === undefined) { e = await findKey(zone, ctx); entries.set(k, e); }
      return e;
    };
    let outcome: Outcome | null = null;
    const lower = (o: Outcome): void => { outcome = outcome === null ? o : weakest(outcome, o); };
    const tasks: SigTask[] = [];
    for (const set of all) {
      const { signer, wrong } = claimedSigner(set);
      if (signer === null && wrong) { lower(outcomeFor('SIGNER_NOT_APEX', step.zone, `${set.name.toText()} type ${set.type}`)); continue; }
      const e = await getEntry(signer ?? step.zone);
      const eo = entryOutcome(e);
      if (eo !== null) { lower(eo); continue; }
      if (e.kind !== 'secure') continue;
      if (signer === null) { lower(outcomeFor('RRSIGS_MISSING', e.zone, `${set.name.toText()} type ${set.type}`)); continue; }
      tasks.push({ rrset: set, signer, keys: e.keys });
    }
    if (tasks.length === 0 && all.length === 0) {
      // Nothing signed to check (e.g. an empty NODATA): the zone's own status decides.
      const e = await getEntry(step.zone);
      const eo = entryOutcome(e);
      if (eo !== null) return eo;
      return denial !== null ? outcomeFor('NSEC_PROOF_MISSING', step.zone, 'no NSEC/NSEC3 or SOA in the denial') : secure(step.zone);
    }
    // One proof zone: the signer of the NSEC/NSEC3 RRsets (they share the denying zone).
    const proofTask = tasks.find((t) => t.rrset.type === RRType.NSEC || t.rrset.type === RRType.NSEC3);
    const proof: ProofInput | null = proofTask === undefined ? null
      : proofInput(proofTask.signer, tasks.filter((t) => t.signer.equals(proofTask.signer)).map((t) => t.rrset), ctx.budget);
    // Only the first hash of each NSEC3 proof rides in the batch; the rest are hashed on demand.
    const hashTasks = proof?.hasher?.prime(primeNames(proof, denial !== null ? c.sname : null, wildcardSets)) ?? [];
    const res = await checkResponse(tasks, hashTasks, ctx.nowSec, ctx.budget);
    proof?.hasher?.absorb(hashTasks, res.hashes);
    tasks.forEach((t, i) => { const v = res.verdicts[i]!; if (!v.ok) lower(outcomeFor(v.code, t.signer, v.detail)); });
    // Any RRset not secure decides the hop (weakest link); proofs only matter when all are secure.
    const current = outcome as Outcome | null;
    if (current !== null) return current;
    const finalSigner = tasks.find((t) => c.answers.includes(t.rrset))?.signer ?? tasks[0]?.signer ?? step.zone;
    // RFC 4035 §5.3.3: every RRset the hop depends on verified; the shortest signature life caps the cache TTL.
    const capSec = res.verdicts.reduce((m, v) => (v.ok ? Math.min(m, v.ttlSec) : m), Number.MAX_SAFE_INTEGER);
    let result: Outcome = secure(finalSigner, capSec === Number.MAX_SAFE_INTEGER ? undefined : capSec);
    for (const set of wildcardSets) {
      const i = tasks.findIndex((t) => t.rrset === set);
      const v = res.verdicts[i];
      const sig: RRSIGRdata | undefined = v !== undefined && v.ok ? v.rrsig : undefined;
      if (sig === undefined || expandedFrom(set.name, sig) === null) continue;
      result = weakest(result, proof === null ? outcomeFor('WILDCARD_DENIAL_MISSING', finalSigner, 'no NSEC/NSEC3 in the response') : await wildcardOutcome(proof, set.name, sig));
      if (result.security === 'bogus') return result;
    }
    if (denial !== null) {
      result = weakest(result, proof === null
        ? outcomeFor('NSEC_PROOF_MISSING', finalSigner, `no NSEC/NSEC3 for ${c.sname.toText()}`)
        : await denialOutcome(proof, denial, c.sname, step.qtype));
    }
    return result;
  }

  /** A referral as the last hop: acceptable only when the delegation is proven insecure. */
  async #referral(authority: readonly RRset[], step: UpstreamResponse, ctx: ChainContext): Promise<Outcome> {
    const ns = authority.find((s) => s.type === RRType.NS);
    if (ns === undefined) return outcomeFor('MALFORMED_RESPONSE', step.zone, 'referral without NS');
    const e = await findKey(ns.name, ctx);
    return entryOutcome(e) ?? outcomeFor('NSEC_PROOF_MISSING', e.zone, 'referral instead of an answer in a signed zone');
  }
}
