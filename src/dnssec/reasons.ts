// reasons.ts — the one ReasonCode table (ARCHITECTURE §8): every code → Security, RFC 8914 EDE
// INFO-CODE (or null), message template and RFC reference. Each code is raised at exactly one call
// site, so `CODE zone` in the EDE EXTRA-TEXT points back to it (Knot's unique-ID idea, readable).
// RFC 4035 §4.3/§5, RFC 6840 §5.2, RFC 4509 §3, RFC 5155 §8, RFC 9276 §3.2, RFC 7646, RFC 8914.
import type { Security } from './outcome.js';
import { Ede, type EdeCode } from './ede.js';

/** One row of the table. `message` may contain `{zone}`, replaced by the zone in `describe()`. */
export interface ReasonInfo {
  readonly security: Exclude<Security, 'secure'>;
  readonly ede: EdeCode | null;
  readonly message: string;
  readonly rfc: string;
}

/**
 * The table. Decisions worth a note:
 * - NSEC3 iterations: above NSEC3_ITERATIONS_SOFT (150, limits.ts) the zone is treated as insecure
 *   once the NSEC3 RRSIG itself verified (RFC 9276 §3.2 MAY-insecure; RFC 5155 §10.3 says the
 *   signature must still be checked so the count cannot be forged); above NSEC3_ITERATIONS_HARD
 *   (500) the answer is bogus (RFC 9276 §3.2 MAY-SERVFAIL). Both carry EDE 27 (RFC 9276 §3.2 SHOULD).
 * - NTA_INSECURE has no EDE: RFC 7646 predates RFC 8914 and no registered code describes a local
 *   negative trust anchor; the answer is an ordinary AD=0 answer, not an error.
 * - NO_TRUST_ANCHOR is indeterminate with no EDE (answer with AD=0, like Unbound outside anchors).
 * - RFC 8914 gives one INFO-CODE per reason, so "unreachable" is split: 22 vs 23.
 * - REMOTE_*: verdicts of a remote validating resolver (apps/source.ts RemoteSource), where only its
 *   rcode, AD bit (RFC 6840 §5.7) and EDE are visible — what the upstream said, not a proof checked
 *   here, so they do not reuse the validator's codes. A remote SERVFAIL with a DNSSEC EDE maps to the
 *   bogus code of that EDE instead. REMOTE_INSECURE has no EDE, like NO_DS_PROVEN (an AD=0 answer
 *   is no error); REMOTE_NO_ANSWER keeps 22 and REMOTE_UNREACHABLE 23, the codes of the local
 *   "could not tell" cases. RFC 7672 §2.1.1: neither may be read as "no records".
 */
export const REASONS = {
  DNSKEY_ALG_UNSUPPORTED: { security: 'insecure', ede: Ede.UNSUPPORTED_DNSKEY_ALGORITHM, message: 'no DS or anchor for {zone} has a supported algorithm', rfc: 'RFC 4035 §5.2, RFC 6840 §5.2, RFC 8624 §3.1' },
  DS_DIGEST_UNSUPPORTED: { security: 'insecure', ede: Ede.UNSUPPORTED_DS_DIGEST_TYPE, message: 'no DS for {zone} has a supported digest type', rfc: 'RFC 4035 §5.2, RFC 4509 §3, RFC 8624 §3.3' },
  NO_DS_PROVEN: { security: 'insecure', ede: null, message: 'the parent proves {zone} has no DS (unsigned delegation)', rfc: 'RFC 4035 §5.2, §5.4' },
  NSEC3_OPT_OUT: { security: 'insecure', ede: null, message: 'an NSEC3 opt-out span covers the delegation to {zone}', rfc: 'RFC 5155 §6, §8.9' },
  NSEC3_ITERATIONS_SOFT: { security: 'insecure', ede: Ede.UNSUPPORTED_NSEC3_ITERATIONS_VALUE, message: 'NSEC3 iterations in {zone} above the insecure limit', rfc: 'RFC 9276 §3.2, App. A' },
  NTA_INSECURE: { security: 'insecure', ede: null, message: '{zone} is under a negative trust anchor', rfc: 'RFC 7646 §2' },
  SIG_EXPIRED: { security: 'bogus', ede: Ede.SIGNATURE_EXPIRED, message: 'every RRSIG in {zone} has expired', rfc: 'RFC 4035 §5.3.1' },
  SIG_NOT_YET_VALID: { security: 'bogus', ede: Ede.SIGNATURE_NOT_YET_VALID, message: 'every RRSIG in {zone} is not yet valid', rfc: 'RFC 4035 §5.3.1' },
  SIG_EXPIRED_BEFORE_INCEPTION: { security: 'bogus', ede: Ede.SIGNATURE_EXPIRED_BEFORE_VALID, message: 'an RRSIG in {zone} expires before its inception', rfc: 'RFC 4034 §3.1.5' },
  DS_NO_MATCHING_DNSKEY: { security: 'bogus', ede: Ede.DNSKEY_MISSING, message: 'no DNSKEY of {zone} matches its DS or trust anchor', rfc: 'RFC 4035 §5.2' },
  DNSKEY_MISSING: { security: 'bogus', ede: Ede.DNSKEY_MISSING, message: 'no DNSKEY of {zone} matches the RRSIG key tag and algorithm', rfc: 'RFC 4035 §5.3.1' },
  RRSIGS_MISSING: { security: 'bogus', ede: Ede.RRSIGS_MISSING, message: 'RRSIGs missing for data in signed zone {zone}', rfc: 'RFC 4035 §5.3, §5.5' },
  NO_ZONE_KEY_BIT: { security: 'bogus', ede: Ede.NO_ZONE_KEY_BIT_SET, message: 'the only matching DNSKEYs of {zone} lack the Zone Key bit', rfc: 'RFC 4034 §2.1.1' },
  NSEC_PROOF_MISSING: { security: 'bogus', ede: Ede.NSEC_MISSING, message: 'NSEC records do not prove the denial in {zone}', rfc: 'RFC 4035 §5.4' },
  NSEC3_PROOF_MISSING: { security: 'bogus', ede: Ede.NSEC_MISSING, message: 'NSEC3 records do not prove the denial in {zone}', rfc: 'RFC 5155 §8' },
  DS_ABSENCE_UNPROVEN: { security: 'bogus', ede: Ede.NSEC_MISSING, message: 'the parent gave no DS and no proof that {zone} has none', rfc: 'RFC 4035 §5.2' },
  WILDCARD_DENIAL_MISSING: { security: 'bogus', ede: Ede.NSEC_MISSING, message: 'wildcard answer from {zone} without proof the name does not exist', rfc: 'RFC 4035 §5.3.4, RFC 5155 §8.8' },
  NSEC3_ITERATIONS_HARD: { security: 'bogus', ede: Ede.UNSUPPORTED_NSEC3_ITERATIONS_VALUE, message: 'NSEC3 iterations in {zone} above the hard limit', rfc: 'RFC 9276 §3.2, App. A' },
  SIGNATURE_INVALID: { security: 'bogus', ede: Ede.DNSSEC_BOGUS, message: 'RRSIG does not verify with any matching DNSKEY of {zone}', rfc: 'RFC 4035 §5.3.3' },
  RRSIG_LABELS_INVALID: { security: 'bogus', ede: Ede.DNSSEC_BOGUS, message: 'RRSIG labels field exceeds the owner labels in {zone}', rfc: 'RFC 4035 §5.3.1' },
  SIGNER_NOT_APEX: { security: 'bogus', ede: Ede.DNSSEC_BOGUS, message: 'RRSIG signer name is not the apex of {zone}', rfc: 'RFC 4035 §5.3.1' },
  KEY_REVOKED_ONLY: { security: 'bogus', ede: Ede.DNSSEC_BOGUS, message: 'the only matching DNSKEYs of {zone} are revoked', rfc: 'RFC 5011 §2.1' },
  VALIDATION_BUDGET_EXCEEDED: { security: 'bogus', ede: Ede.DNSSEC_BOGUS, message: 'signature budget exhausted validating {zone}', rfc: 'CVE-2023-50387 (KeyTrap)' },
  NSEC3_HASH_BUDGET_EXCEEDED: { security: 'bogus', ede: Ede.DNSSEC_BOGUS, message: 'NSEC3 hash budget exhausted validating {zone}', rfc: 'CVE-2023-50868' },
  CACHED_BOGUS: { security: 'bogus', ede: Ede.CACHED_ERROR, message: '{zone} failed validation recently (cached)', rfc: 'RFC 8914 §4.14, RFC 4035 §4.7' },
  NO_TRUST_ANCHOR: { security: 'indeterminate', ede: null, message: 'no trust anchor covers {zone}', rfc: 'RFC 4035 §4.3, §5' },
  DNSSEC_DATA_UNREACHABLE: { security: 'indeterminate', ede: Ede.NO_REACHABLE_AUTHORITY, message: 'no authority for {zone} answered the DS/DNSKEY query', rfc: 'RFC 4035 §4.3, RFC 8914 §4.23' },
  DNSSEC_NETWORK_ERROR: { security: 'indeterminate', ede: Ede.NETWORK_ERROR, message: 'network error fetching DS/DNSKEY for {zone}', rfc: 'RFC 4035 §4.3, RFC 8914 §4.24' },
  MALFORMED_RESPONSE: { security: 'indeterminate', ede: Ede.INVALID_DATA, message: 'malformed DNSSEC data from {zone}', rfc: 'RFC 8914 §4.25' },
  REMOTE_INSECURE: { security: 'insecure', ede: null, message: 'the upstream validating resolver answered for {zone} without AD', rfc: 'RFC 6840 §5.7, RFC 4035 §3.2.3' },
  REMOTE_NO_ANSWER: { security: 'indeterminate', ede: Ede.NO_REACHABLE_AUTHORITY, message: 'the upstream validating resolver answered an error rcode without a DNSSEC EDE for {zone}', rfc: 'RFC 7672 §2.1.1, RFC 8914 §4.23' },
  REMOTE_UNREACHABLE: { security: 'indeterminate', ede: Ede.NETWORK_ERROR, message: 'no usable reply from the upstream validating resolver for {zone}', rfc: 'RFC 7672 §2.1.1, RFC 8914 §4.24' },
} as const satisfies Record<string, ReasonInfo>;

/** Every reason a validation outcome can carry. */
export type ReasonCode = keyof typeof REASONS;

/** All codes, in table order (for completeness tests and documentation). */
export const REASON_CODES: readonly ReasonCode[] = Object.keys(REASONS) as ReasonCode[];

/** The table row of a code. */
export function reasonInfo(code: ReasonCode): ReasonInfo {
  return REASONS[code];
}

/** True when `s` names a ReasonCode (for parsing stored or logged reasons). */
export function isReasonCode(s: string): s is ReasonCode {
  return Object.prototype.hasOwnProperty.call(REASONS, s);
}
