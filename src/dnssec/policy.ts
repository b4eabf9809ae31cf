// policy.ts — which DNSSEC algorithms and DS digest types this validator accepts (RFC 8624 §3.1,
// §3.3, carried into the IANA registry by RFC 9904 §3–4), RSA modulus bounds (RFC 3110 §2, RFC 5702
// §2), and the DS-set rules: SHA-1 DS ignored beside SHA-256 (RFC 4509 §3) and "no usable DS →
// insecure" (RFC 4035 §5.2, RFC 6840 §5.2). A zone with only unsupported DS is insecure, not bogus.

/** Validation support per algorithm (RFC 8624 §3.1 "DNSSEC Validation" column). */
export const ALGORITHM_VALIDATION = {
  1: false, // RSAMD5: MUST NOT
  3: false, // DSA: MUST NOT
  5: true, // RSASHA1: MUST (RFC 9905 §2 lets operators treat it as unsupported; see SHA1_ALGORITHMS)
  6: false, // DSA-NSEC3-SHA1: MUST NOT
  7: true, // RSASHA1-NSEC3-SHA1: MUST (as 5)
  8: true, // RSASHA256: MUST
  10: true, // RSASHA512: MUST
  12: false, // ECC-GOST: MAY in RFC 8624, being retired (draft-ietf-dnsop-must-not-ecc-gost); OpenSSL 3 lacks it
  13: true, // ECDSAP256SHA256: MUST
  14: true, // ECDSAP384SHA384: RECOMMENDED
  15: true, // ED25519: RECOMMENDED
  16: true, // ED448: MAY (OpenSSL has it)
} as const satisfies Record<number, boolean>;

/** DS digest support (RFC 8624 §3.3 / RFC 9904 §4 "Implement for DNSSEC Validation"). */
export const DIGEST_VALIDATION = {
  0: false, // NULL (CDS only)
  1: true, // SHA-1: MUST implement for validation
  2: true, // SHA-256: MUST
  3: false, // GOST R 34.11-94: MUST NOT in the RFC 9904 registry
  4: true, // SHA-384: RECOMMENDED
} as const satisfies Record<number, boolean>;

/** The SHA-1-based signing algorithms that RFC 9905 §2 tells operators to treat as unsupported. */
export const SHA1_ALGORITHMS: readonly number[] = [5, 7];

/** Local policy knobs. The default validates everything RFC 8624 says MUST be validated. */
export interface AlgorithmPolicy {
  /** RFC 9905 §2 operator option: treat RSASHA1 and RSASHA1-NSEC3-SHA1 as unsupported. */
  readonly sha1AlgorithmsUnsupported: boolean;
}
export const DEFAULT_ALGORITHM_POLICY: AlgorithmPolicy = { sha1AlgorithmsUnsupported: false };

/** True when DNSKEY/RRSIG algorithm `alg` is validated; unknown numbers are unsupported. */
export function isAlgorithmSupported(alg: number, policy: AlgorithmPolicy = DEFAULT_ALGORITHM_POLICY): boolean {
  if (policy.sha1AlgorithmsUnsupported && SHA1_ALGORITHMS.includes(alg)) return false;
  return (ALGORITHM_VALIDATION as Readonly<Record<number, boolean>>)[alg] === true;
}

/** True when DS digest type `digest` is computed and compared; unknown numbers are unsupported. */
export function isDigestSupported(digest: number): boolean {
  return (DIGEST_VALIDATION as Readonly<Record<number, boolean>>)[digest] === true;
}

/** Digest lengths in octets; a DS whose digest has another length cannot match (RFC 4034 §5.1.4). */
export const DIGEST_LENGTH: Readonly<Record<number, number>> = { 1: 20, 2: 32, 4: 48 };

/**
 * RSA modulus bounds in bits. RFC 3110 §2: 512–4096 for RSA/SHA-1 (5, 7); RFC 5702 §2: 512–4096
 * for RSA/SHA-256 (8) and 1024–4096 for RSA/SHA-512 (10). Keys outside are treated as invalid.
 */
export const RSA_MODULUS_BITS: Readonly<Record<number, { readonly min: number; readonly max: number }>> = {
  5: { min: 512, max: 4096 },
  7: { min: 512, max: 4096 },
  8: { min: 512, max: 4096 },
  10: { min: 1024, max: 4096 },
};

/** True when `bits` is an acceptable modulus size for RSA algorithm `alg` (non-RSA: false). */
export function isRsaModulusAcceptable(alg: number, bits: number): boolean {
  const r = RSA_MODULUS_BITS[alg];
  return r !== undefined && bits >= r.min && bits <= r.max;
}

/** The DS fields the rules need (matches wire/rdata/ds.ts). */
export interface DsLike {
  readonly keyTag: number;
  readonly algorithm: number;
  readonly digestType: number;
}

/** Why a DS set yields no usable DS (chooses EDE 1 vs 2), or 'usable'. */
export type DsSetVerdict =
  | { readonly kind: 'usable'; readonly usable: readonly DsLike[] }
  | { readonly kind: 'unsupported-algorithm' } // → DNSKEY_ALG_UNSUPPORTED, EDE 1
  | { readonly kind: 'unsupported-digest' }; // → DS_DIGEST_UNSUPPORTED, EDE 2

/**
 * Filters a (validated) DS RRset down to the records a validator uses:
 *  1. drop DS with an unsupported algorithm or digest type (RFC 4035 §5.2, RFC 6840 §5.2);
 *  2. RFC 4509 §3: "Validator implementations SHOULD ignore DS RRs containing SHA-1 digests if DS
 *     RRs with SHA-256 digests are present in the DS RRset" — applied RRset-wide, as written and
 *     as Unbound does (it keeps only the strongest digest), counting only usable SHA-256/384 DS so
 *     an unusable record cannot cause a supported key to be ignored.
 * An empty result means the zone is insecure (RFC 6840 §5.2); the verdict says which EDE fits:
 * unsupported-algorithm when no DS has a supported algorithm, else unsupported-digest.
 */
export function usableDs<T extends DsLike>(dsSet: readonly T[], policy: AlgorithmPolicy = DEFAULT_ALGORITHM_POLICY): T[] {
  const supported = dsSet.filter((d) => isAlgorithmSupported(d.algorithm, policy) && isDigestSupported(d.digestType));
  const hasStrong = supported.some((d) => d.digestType === 2 || d.digestType === 4);
  return hasStrong ? supported.filter((d) => d.digestType !== 1) : supported;
}

/** Classifies a DS RRset with usableDs(); see DsSetVerdict. An empty DS set is not this function's case. */
export function classifyDsSet(dsSet: readonly DsLike[], policy: AlgorithmPolicy = DEFAULT_ALGORITHM_POLICY): DsSetVerdict {
  const usable = usableDs(dsSet, policy);
  if (usable.length > 0) return { kind: 'usable', usable };
  return dsSet.some((d) => isAlgorithmSupported(d.algorithm, policy))
    ? { kind: 'unsupported-digest' }
    : { kind: 'unsupported-algorithm' };
}
