// ede.ts — RFC 8914 Extended DNS Error INFO-CODEs as an `as const` table with their registered
// names (IANA "Extended DNS Error Codes"): 0–24 from RFC 8914 §4, 25 (draft-ietf-dnsop-dnssec-
// validator-requirements), 26 (RFC 9250), 27 (RFC 9276 §3.2), 28, 29, 30 (RFC 9824).
// Codes 31+ seen in some libraries (e.g. "Negative Trust Anchor") are not included: unverified.

/** RFC 8914 INFO-CODE values by mnemonic. */
export const Ede = {
  OTHER: 0,
  UNSUPPORTED_DNSKEY_ALGORITHM: 1,
  UNSUPPORTED_DS_DIGEST_TYPE: 2,
  STALE_ANSWER: 3,
  FORGED_ANSWER: 4,
  DNSSEC_INDETERMINATE: 5,
  DNSSEC_BOGUS: 6,
  SIGNATURE_EXPIRED: 7,
  SIGNATURE_NOT_YET_VALID: 8,
  DNSKEY_MISSING: 9,
  RRSIGS_MISSING: 10,
  NO_ZONE_KEY_BIT_SET: 11,
  NSEC_MISSING: 12,
  CACHED_ERROR: 13,
  NOT_READY: 14,
  BLOCKED: 15,
  CENSORED: 16,
  FILTERED: 17,
  PROHIBITED: 18,
  STALE_NXDOMAIN_ANSWER: 19,
  NOT_AUTHORITATIVE: 20,
  NOT_SUPPORTED: 21,
  NO_REACHABLE_AUTHORITY: 22,
  NETWORK_ERROR: 23,
  INVALID_DATA: 24,
  SIGNATURE_EXPIRED_BEFORE_VALID: 25,
  TOO_EARLY: 26,
  UNSUPPORTED_NSEC3_ITERATIONS_VALUE: 27,
  UNABLE_TO_CONFORM_TO_POLICY: 28,
  SYNTHESIZED: 29,
  INVALID_QUERY_TYPE: 30,
} as const;

/** One registered INFO-CODE. */
export type EdeCode = (typeof Ede)[keyof typeof Ede];

/** Registered names, as written in the IANA registry (for logs and `adbit query` output). */
export const EDE_NAMES: Readonly<Record<EdeCode, string>> = {
  0: 'Other Error',
  1: 'Unsupported DNSKEY Algorithm',
  2: 'Unsupported DS Digest Type',
  3: 'Stale Answer',
  4: 'Forged Answer',
  5: 'DNSSEC Indeterminate',
  6: 'DNSSEC Bogus',
  7: 'Signature Expired',
  8: 'Signature Not Yet Valid',
  9: 'DNSKEY Missing',
  10: 'RRSIGs Missing',
  11: 'No Zone Key Bit Set',
  12: 'NSEC Missing',
  13: 'Cached Error',
  14: 'Not Ready',
  15: 'Blocked',
  16: 'Censored',
  17: 'Filtered',
  18: 'Prohibited',
  19: 'Stale NXDomain Answer',
  20: 'Not Authoritative',
  21: 'Not Supported',
  22: 'No Reachable Authority',
  23: 'Network Error',
  24: 'Invalid Data',
  25: 'Signature Expired before Valid',
  26: 'Too Early',
  27: 'Unsupported NSEC3 Iterations Value',
  28: 'Unable to conform to policy',
  29: 'Synthesized',
  30: 'Invalid Query Type',
};

/** True when `n` is an INFO-CODE this table knows (received codes outside it are still legal). */
export function isKnownEde(n: number): n is EdeCode {
  return Object.prototype.hasOwnProperty.call(EDE_NAMES, n);
}

/** Registered name of a code, or `INFO-CODE n` for one this table does not know. */
export function edeName(n: number): string {
  return isKnownEde(n) ? EDE_NAMES[n] : `INFO-CODE ${n}`;
}

/**
 * INFO-CODEs that report a DNSSEC validation failure (RFC 8914 §4.2–4.13, §4.28): how a client of a
 * remote validating resolver tells "bogus" from any other SERVFAIL.
 */
export const DNSSEC_FAILURE_EDE_CODES: ReadonlySet<number> = new Set([1, 2, 5, 6, 7, 8, 9, 10, 11, 12, 27]);
