// budget.ts — the per-client-query work counters shared by every batch of one validation:
// signature verifications (MAX_CRYPTO_OPS_PER_QUERY, KeyTrap CVE-2023-50387) and NSEC3 hash
// computations (MAX_NSEC3_HASHES_PER_QUERY, CVE-2023-50868), the NSEC3 hashes already computed
// (so no name is hashed twice in one query), plus statistics for tests and benches.
import { MAX_CRYPTO_OPS_PER_QUERY, MAX_NSEC3_HASHES_PER_QUERY } from './limits.js';

/** Counters of one validation; pass one in `ValidateOptions.stats` to read them afterwards. */
export interface ValidationStats {
  /** Verify jobs submitted to the native core (including ones the core refused in its precheck). */
  verifyJobs: number;
  /** Public-key operations actually performed (status OK or BAD_SIGNATURE). */
  cryptoOps: number;
  /** NSEC3 hash jobs submitted. */
  nsec3Hashes: number;
  /** DS digest jobs submitted. */
  dsDigests: number;
  /** Native batches run. */
  batches: number;
  /** Fetcher calls made. */
  fetches: number;
}

export function newStats(): ValidationStats {
  return { verifyJobs: 0, cryptoOps: 0, nsec3Hashes: 0, dsDigests: 0, batches: 0, fetches: 0 };
}

/** What one validation may still spend. */
export class QueryBudget {
  readonly stats: ValidationStats;
  readonly maxCryptoOps: number;
  readonly maxHashes: number;
  /** NSEC3 hashes computed so far, by nsec3-hasher.ts key (null: the core refused the job). */
  readonly nsec3Memo = new Map<string, Uint8Array | null>();

  constructor(stats: ValidationStats = newStats(), maxCryptoOps = MAX_CRYPTO_OPS_PER_QUERY, maxHashes = MAX_NSEC3_HASHES_PER_QUERY) {
    this.stats = stats;
    this.maxCryptoOps = maxCryptoOps;
    this.maxHashes = maxHashes;
  }

  get cryptoOpsLeft(): number {
    return Math.max(0, this.maxCryptoOps - this.stats.cryptoOps);
  }

  get hashesLeft(): number {
    return Math.max(0, this.maxHashes - this.stats.nsec3Hashes);
  }
}
