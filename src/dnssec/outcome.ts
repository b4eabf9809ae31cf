// outcome.ts — the validator's result as a value (ARCHITECTURE §0.1, §8): Security, Reason, the
// Outcome union (secure carries the signer, the others a Reason), Proven<T> and require().
// RFC 4035 §4.3 defines the four states; RFC 8914 supplies the EDE code carried by each Reason.
// Style choice for require(): it returns a result object and never throws (DNS results are values).
import { InvalidArgumentError } from '../util/errors.js';
import type { Name } from '../wire/name.js';
import type { EdeCode } from './ede.js';
import { REASONS, type ReasonCode } from './reasons.js';

/** RFC 4035 §4.3 security states. */
export const Security = {
  Secure: 'secure',
  Insecure: 'insecure',
  Bogus: 'bogus',
  Indeterminate: 'indeterminate',
} as const;
export type Security = (typeof Security)[keyof typeof Security];

/** Why an outcome is not secure. `zone` is where in the chain it was decided (presentation form). */
export interface Reason {
  readonly code: ReasonCode;
  readonly ede: EdeCode | null;
  readonly zone: string;
  /** Human text; never parsed. */
  readonly detail?: string;
  /** For CACHED_BOGUS: the code of the failure that was cached (§8: "plus the original code"). */
  readonly original?: ReasonCode;
}

/**
 * `ttlCapSec`: the longest time the validated data may be cached, RFC 4035 §5.3.3 — no RRset of
 * the result may live longer than its RRSIG's Original TTL nor past the RRSIG's expiration. The
 * resolver caches with min(record TTL, ttlCapSec). Absent when nothing signed was checked.
 */
export type SecureOutcome = { readonly security: 'secure'; readonly signer: string; readonly ttlCapSec?: number };
export type InsecureOutcome = { readonly security: 'insecure'; readonly reason: Reason };
export type BogusOutcome = { readonly security: 'bogus'; readonly reason: Reason };
export type IndeterminateOutcome = { readonly security: 'indeterminate'; readonly reason: Reason };
export type Outcome = SecureOutcome | InsecureOutcome | BogusOutcome | IndeterminateOutcome;

/** A value paired with the proof of its security (hickory `Proven<T>`). */
export interface Proven<T> {
  readonly value: T;
  readonly outcome: Outcome;
}

function zoneText(zone: Name | string): string {
  return typeof zone === 'string' ? zone : zone.toText();
}

/** A Reason for `code`, with the EDE code taken from the table (so the two never disagree). */
export function makeReason(code: ReasonCode, zone: Name | string, detail?: string): Reason {
  const ede = REASONS[code].ede;
  return detail === undefined ? { code, ede, zone: zoneText(zone) } : { code, ede, zone: zoneText(zone), detail };
}

/** The Outcome a reason code leads to: the security state comes from the table. */
export function outcomeFor(code: ReasonCode, zone: Name | string, detail?: string): Exclude<Outcome, SecureOutcome> {
  const reason = makeReason(code, zone, detail);
  return { security: REASONS[code].security, reason } as Exclude<Outcome, SecureOutcome>;
}

/** A secure outcome signed by `signer` (the zone whose key made the last signature). */
export function secure(signer: Name | string, ttlCapSec?: number): SecureOutcome {
  return ttlCapSec === undefined ? { security: 'secure', signer: zoneText(signer) } : { security: 'secure', signer: zoneText(signer), ttlCapSec: Math.max(0, Math.floor(ttlCapSec)) };
}

/** The smaller of two optional TTL caps (undefined = no cap). */
function minCap(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

function checked<S extends Exclude<Security, 'secure'>>(want: S, reason: Reason): Reason {
  if (REASONS[reason.code].security !== want) {
    // A contract violation: the table says this code leads to another state.
    throw new InvalidArgumentError(`${reason.code} is ${REASONS[reason.code].security}, not ${want}`);
  }
  return reason;
}

/** An insecure outcome; the reason's code must be an insecure one in the table. */
export function insecure(reason: Reason): InsecureOutcome {
  return { security: 'insecure', reason: checked('insecure', reason) };
}

/** A bogus outcome; the reason's code must be a bogus one in the table. */
export function bogus(reason: Reason): BogusOutcome {
  return { security: 'bogus', reason: checked('bogus', reason) };
}

/** An indeterminate outcome; the reason's code must be an indeterminate one in the table. */
export function indeterminate(reason: Reason): IndeterminateOutcome {
  return { security: 'indeterminate', reason: checked('indeterminate', reason) };
}

/** The outcome served from the bogus cache: CACHED_BOGUS (EDE 13) remembering the original code. */
export function cachedBogus(original: Reason): BogusOutcome {
  const base = makeReason('CACHED_BOGUS', original.zone, original.detail);
  return { security: 'bogus', reason: { ...base, original: original.code } };
}

/**
 * Rank used by weakest(): bogus 0 < indeterminate 1 < insecure 2 < secure 3. Why this order:
 * RFC 4035 §4.3 makes a chain only as good as its weakest link. Bogus is lowest because any link
 * that failed verification means the answer must not be trusted or served (SERVFAIL) even if
 * other links are fine. Indeterminate sits below insecure because "could not tell" must not be
 * upgraded to "proven unsigned" (that would let an attacker who blocks DS/DNSKEY fetches strip
 * security). Insecure is below secure by definition. Unbound's sec_status uses the same order.
 */
export const SECURITY_RANK: Readonly<Record<Security, number>> = { bogus: 0, indeterminate: 1, insecure: 2, secure: 3 };

/**
 * The weaker of two outcomes (for CNAME/DNAME chains); on a tie the first one is kept. Two secure
 * outcomes keep the first signer and the smaller TTL cap: the whole result expires with its
 * shortest-lived signature (RFC 4035 §5.3.3).
 */
export function weakest(a: Outcome, b: Outcome): Outcome {
  if (a.security === 'secure' && b.security === 'secure') {
    const cap = minCap(a.ttlCapSec, b.ttlCapSec);
    return cap === a.ttlCapSec ? a : secure(a.signer, cap);
  }
  return SECURITY_RANK[b.security] < SECURITY_RANK[a.security] ? b : a;
}

/** Result of require(): the value when the outcome is allowed, else only the outcome. */
export type RequireResult<T> =
  | { readonly ok: true; readonly value: T; readonly outcome: Outcome }
  | { readonly ok: false; readonly outcome: Outcome };

/**
 * Unwraps `proven.value` only when its security is in `allowed` (hickory `Proven::require`).
 * Returns a result object and never throws: a caller such as DANE cannot reach the TLSA records
 * without writing the branch for the disallowed case.
 */
export function require<T>(proven: Proven<T>, allowed: readonly Security[]): RequireResult<T> {
  return allowed.includes(proven.outcome.security)
    ? { ok: true, value: proven.value, outcome: proven.outcome }
    : { ok: false, outcome: proven.outcome };
}

/** RFC 8914 EXTRA-TEXT for a reason: `CODE zone`, plus the cached original for CACHED_BOGUS. */
export function edeExtraText(reason: Reason): string {
  const base = `${reason.code} ${reason.zone}`;
  return reason.original === undefined ? base : `${base} (${reason.original})`;
}

/** The EDE codes to send for a reason: none, one, or (cached bogus) 13 then the original's code. */
export function edeCodes(reason: Reason): EdeCode[] {
  const out: EdeCode[] = [];
  if (reason.ede !== null) out.push(reason.ede);
  if (reason.original !== undefined) {
    const orig = REASONS[reason.original].ede;
    if (orig !== null && !out.includes(orig)) out.push(orig);
  }
  return out;
}

/** Human description of a reason: the table's message with the zone filled in, plus detail. */
export function describe(reason: Reason): string {
  const msg = REASONS[reason.code].message.replace('{zone}', reason.zone);
  return reason.detail === undefined ? msg : `${msg}: ${reason.detail}`;
}
