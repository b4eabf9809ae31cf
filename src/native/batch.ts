// batch.ts — CryptoBatch: builds one abi.h job table + blob per unit of work (a response), runs it
// in the native core (runBatchSync for small batches, runBatch on the core's own threads for large ones)
// and reads back one status per job. Budgets: KeyTrap (CVE-2023-50387), NSEC3 cap: RFC 9276 §3.2.
import * as abi from './abi.js';
import { native } from './binding.js';

/** Signature checks per RRset (group). KeyTrap, CVE-2023-50387: Unbound 1.19.1 stops after 8 RRSIGs. */
export const DEFAULT_MAX_SIGS_PER_GROUP = 8;
/** Signature checks per batch (one response). Knot Resolver's KeyTrap fix bounds a query to tens of checks. */
export const DEFAULT_MAX_SIGS_TOTAL = 64;
/** NSEC3 iterations accepted (RFC 9276 §3.2 allows validators to treat more as insecure; CVE-2023-50868). */
export const DEFAULT_MAX_NSEC3_ITERATIONS = 150;

/**
 * Estimated cost (µs of one core) above which run() goes async. Measured on the shared 2-core box
 * (a one-job KEY_TAG batch, 3000 calls each, load ≈ 8.5): runBatchSync ≈ 15–40 µs/call, runBatch
 * ≈ 60–160 µs/call (median ≈ 90) on the core's own thread pool, so below ~150 µs of crypto (≈ 6
 * RSA-2048 or 1 ECDSA P-256 verification) blocking the loop briefly is cheaper than the hand-off.
 */
export const ASYNC_THRESHOLD_US = 150;
/**
 * Per-job cost estimates (µs of one core): the native single-thread rates per CPU-second of
 * bench/verify.ts (RSA-2048 ≈ 37k/s, P-256 ≈ 10.5k/s, P-384 ≈ 1.1k/s, Ed25519 ≈ 6.2k/s, Ed448 ≈
 * 3.3k/s on the 2-core EPYC box), rounded up.
 */
const VERIFY_COST_US: Readonly<Record<number, number>> = { 5: 30, 7: 30, 8: 30, 10: 30, 13: 95, 14: 900, 15: 160, 16: 300 };
const OTHER_COST_US = 1;

export const JOB_STATUS_NAMES = [
  'OK', 'BAD_SIGNATURE', 'SIG_EXPIRED', 'SIG_NOT_YET_VALID', 'EXPIRED_BEFORE_INCEPTION', 'ALG_UNSUPPORTED',
  'ALG_MISMATCH', 'KEYTAG_MISMATCH', 'KEY_INVALID', 'KEY_NOT_ZONE_KEY', 'KEY_REVOKED', 'LABELS_INVALID',
  'KEY_SIZE', 'DIGEST_UNSUPPORTED', 'MALFORMED', 'SKIPPED_BUDGET', 'ITERATIONS_EXCEEDED',
] as const;
export type JobStatus = (typeof JOB_STATUS_NAMES)[number];

export interface BatchParams {
  /** Validation time (Unix seconds); 0 = the core does not check the RRSIG window. */
  readonly nowSec?: number;
  readonly maxSigsPerGroup?: number;
  readonly maxSigsTotal?: number;
  readonly maxNsec3Iterations?: number;
}

export interface VerifyJob {
  readonly dnskeyRdata: Uint8Array;
  readonly rrsigRdata: Uint8Array;
  /** Owner name, uncompressed wire form. */
  readonly owner: Uint8Array;
  readonly rrClass: number;
  /** RDATA of each RR of the RRset, embedded names expanded. */
  readonly rdatas: readonly Uint8Array[];
  /** RRset id for the per-RRset budget. */
  readonly group: number;
  /** Accept a key with the REVOKE bit: only for RFC 5011 §2.1 revocation self-signatures. */
  readonly allowRevoked?: boolean;
}

export class BatchResult {
  readonly #status: Uint8Array;
  readonly #out: Uint8Array;
  readonly #outSpans: readonly (readonly [number, number])[];

  constructor(status: Uint8Array, out: Uint8Array, outSpans: readonly (readonly [number, number])[]) {
    this.#status = status;
    this.#out = out;
    this.#outSpans = outSpans;
  }

  get length(): number { return this.#status.length; }
  /** Raw abi ST_* code of job i. */
  code(i: number): number { return this.#status[i] ?? abi.ST_MALFORMED; }
  status(i: number): JobStatus { return JOB_STATUS_NAMES[this.code(i)] ?? 'MALFORMED'; }
  /** Output bytes of job i (DS digest, NSEC3 hash, key tag); empty for verify jobs and failures. */
  output(i: number): Uint8Array {
    const span = this.#outSpans[i];
    if (span === undefined || this.code(i) !== abi.ST_OK) return new Uint8Array(0);
    return this.#out.subarray(span[0], span[0] + span[1]);
  }
}

function digestSize(t: number): number { return t === 1 ? 20 : t === 2 ? 32 : t === 4 ? 48 : 0; }

/** Initial sizes of a batch's growable buffers (doubled as needed). */
const INITIAL_BLOB_BYTES = 4096;
const INITIAL_JOB_WORDS = abi.JOB_STRIDE * 16;

export class CryptoBatch {
  // The job table and blob are written in place into buffers that grow by doubling, so running
  // the batch passes views without a concatenating copy (the core copies its inputs anyway).
  #jobs = new Uint32Array(INITIAL_JOB_WORDS);
  #jobWords = 0;
  #blob = new Uint8Array(INITIAL_BLOB_BYTES);
  #blobLen = 0;
  #outLen = 0;
  #outSpans: (readonly [number, number])[] = [];
  #costUs = 0;

  get size(): number { return this.#outSpans.length; }
  /** Estimated single-core cost of the batch in µs (drives run()'s sync/async choice). */
  get estimatedCostUs(): number { return this.#costUs; }

  /** Makes room for `n` more blob bytes; returns the write offset. */
  #reserve(n: number): number {
    const need = this.#blobLen + n;
    if (need > this.#blob.length) {
      const grown = new Uint8Array(Math.max(need, this.#blob.length * 2));
      grown.set(this.#blob.subarray(0, this.#blobLen));
      this.#blob = grown;
    }
    return this.#blobLen;
  }

  #put(...parts: Uint8Array[]): [number, number] {
    let total = 0;
    for (const p of parts) total += p.length;
    const off = this.#reserve(total);
    for (const p of parts) { this.#blob.set(p, this.#blobLen); this.#blobLen += p.length; }
    return [off, total];
  }

  #u16(v: number): void {
    const at = this.#reserve(2);
    this.#blob[at] = (v >>> 8) & 0xff;
    this.#blob[at + 1] = v & 0xff;
    this.#blobLen += 2;
  }

  #add(op: number, alg: number, a: [number, number], b: [number, number], outLen: number, extra: number): number {
    const outOff = this.#outLen;
    this.#outLen += outLen;
    this.#outSpans.push([outOff, outLen]);
    if (this.#jobWords + abi.JOB_STRIDE > this.#jobs.length) {
      const grown = new Uint32Array(this.#jobs.length * 2);
      grown.set(this.#jobs.subarray(0, this.#jobWords));
      this.#jobs = grown;
    }
    this.#jobs.set([op, alg, a[0], a[1], b[0], b[1], outOff, extra >>> 0], this.#jobWords);
    this.#jobWords += abi.JOB_STRIDE;
    return this.#outSpans.length - 1;
  }

  addVerify(job: VerifyJob): number {
    if (job.rrsigRdata.length > 0xffff || job.rdatas.length > 0xffff) throw new RangeError('RRSIG or RRset too large');
    for (const rd of job.rdatas) if (rd.length > 0xffff) throw new RangeError('RDATA longer than 65535 octets');
    const a = this.#put(job.dnskeyRdata);
    // b = u16 rrsigLen || RRSIG RDATA || owner || u16 class || u16 count || (u16 len || RDATA)* (abi.h)
    const bOff = this.#blobLen;
    this.#u16(job.rrsigRdata.length);
    this.#put(job.rrsigRdata, job.owner);
    this.#u16(job.rrClass);
    this.#u16(job.rdatas.length);
    for (const rd of job.rdatas) {
      this.#u16(rd.length);
      this.#put(rd);
    }
    const b: [number, number] = [bOff, this.#blobLen - bOff];
    this.#costUs += VERIFY_COST_US[job.dnskeyRdata[3] ?? 0] ?? OTHER_COST_US;
    return this.#add(abi.OP_VERIFY_RRSIG, job.allowRevoked === true ? abi.VERIFY_ALLOW_REVOKED : 0, a, b, 0, job.group);
  }

  addDsDigest(owner: Uint8Array, dnskeyRdata: Uint8Array, digestType: number): number {
    this.#costUs += OTHER_COST_US;
    return this.#add(abi.OP_DS_DIGEST, digestType, this.#put(owner), this.#put(dnskeyRdata), digestSize(digestType), 0);
  }

  addNsec3Hash(name: Uint8Array, salt: Uint8Array, iterations: number): number {
    this.#costUs += OTHER_COST_US * (1 + Math.min(iterations, 1000) / 4);
    return this.#add(abi.OP_NSEC3_HASH, 1, this.#put(name), this.#put(salt), 20, iterations);
  }

  addKeyTag(dnskeyRdata: Uint8Array): number {
    this.#costUs += OTHER_COST_US;
    return this.#add(abi.OP_KEY_TAG, 0, this.#put(dnskeyRdata), [0, 0], 2, 0);
  }

  #args(params: BatchParams): [Uint32Array, Uint8Array, number, Uint32Array] {
    const p = new Uint32Array(abi.PARAM_WORDS);
    p[abi.PARAM_NOW_SEC] = (params.nowSec ?? 0) >>> 0;
    p[abi.PARAM_MAX_PER_GROUP] = params.maxSigsPerGroup ?? DEFAULT_MAX_SIGS_PER_GROUP;
    p[abi.PARAM_MAX_TOTAL] = params.maxSigsTotal ?? DEFAULT_MAX_SIGS_TOTAL;
    p[abi.PARAM_MAX_NSEC3_ITER] = params.maxNsec3Iterations ?? DEFAULT_MAX_NSEC3_ITERATIONS;
    return [this.#jobs.subarray(0, this.#jobWords), this.#blob.subarray(0, this.#blobLen), this.#outLen, p];
  }

  runSync(params: BatchParams = {}): BatchResult {
    const r = native.runBatchSync(...this.#args(params));
    return new BatchResult(r.status, r.out, this.#outSpans.slice());
  }

  async runAsync(params: BatchParams = {}): Promise<BatchResult> {
    const r = await native.runBatch(...this.#args(params));
    return new BatchResult(r.status, r.out, this.#outSpans.slice());
  }

  /** Sync below ASYNC_THRESHOLD_US of estimated crypto, else on the libuv pool (all cores). */
  async run(params: BatchParams = {}): Promise<BatchResult> {
    return this.#costUs < ASYNC_THRESHOLD_US ? this.runSync(params) : this.runAsync(params);
  }
}
