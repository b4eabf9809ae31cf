// answer.ts — what resolve() returns: rcode, the whole CNAME/DNAME chain with RRSIGs, the negative
// proof (SOA + NSEC/NSEC3 + RRSIGs, RFC 2308 §3), the validation Outcome, RFC 8914 EDE entries, and
// the upstream responses the validator judged. Failures are values: SERVFAIL + EDE 22 or 23.
import type { UpstreamResponse } from '../dnssec/fetcher.js';
import type { Outcome } from '../dnssec/outcome.js';
import { edeCodes, edeExtraText, outcomeFor } from '../dnssec/outcome.js';
import { Rcode } from '../wire/constants.js';
import type { ResourceRecord } from '../wire/message.js';
import type { Name } from '../wire/name.js';

/** The question of a resolve() call. */
export interface ResolveQuestion {
  readonly name: Name;
  readonly type: number;
  readonly class?: number;
}

/** One Extended DNS Error (RFC 8914 §2). */
export interface AnswerEde {
  readonly code: number;
  readonly text: string;
}

/** A resolution result. */
export interface Answer {
  readonly question: { readonly name: Name; readonly type: number; readonly class: number };
  readonly rcode: number;
  readonly answer: readonly ResourceRecord[];
  readonly authority: readonly ResourceRecord[];
  readonly outcome: Outcome;
  readonly ede: readonly AnswerEde[];
  readonly fromCache: boolean;
  /** Upstream responses in chain order (empty when served from cache). */
  readonly steps: readonly UpstreamResponse[];
}

/** RFC 8914 §4.23 / §4.24 codes used for upstream failures. */
export const EDE_NO_REACHABLE_AUTHORITY = 22;
export const EDE_NETWORK_ERROR = 23;

/** Why a resolution failed before any answer was had. */
export type ResolveFailure = 'no-reachable-authority' | 'network-error' | 'servfail' | 'malformed' | 'budget';

/** The EDE entry for a failure (RFC 8914 §4.23: none answered; §4.24: network errors). */
export function failureEde(failure: ResolveFailure, detail: string): AnswerEde {
  return failure === 'network-error' ? { code: EDE_NETWORK_ERROR, text: detail } : { code: EDE_NO_REACHABLE_AUTHORITY, text: detail };
}

/**
 * The outcome when no validator is configured (or the client set CD): indeterminate with
 * NO_TRUST_ANCHOR — nothing was checked, so the answer is neither secure nor proven insecure.
 */
export function unvalidatedOutcome(zone: Name): Outcome {
  return outcomeFor('NO_TRUST_ANCHOR', zone, 'no validation performed');
}

/** EDE entries for a non-secure outcome (RFC 8914 codes from the reason table). */
export function outcomeEde(outcome: Outcome): AnswerEde[] {
  if (outcome.security === 'secure') return [];
  const text = edeExtraText(outcome.reason);
  return edeCodes(outcome.reason).map((code) => ({ code, text }));
}

/** A SERVFAIL answer for a failed resolution. */
export function servfailAnswer(
  question: Answer['question'], failure: ResolveFailure, detail: string, steps: readonly UpstreamResponse[] = [],
): Answer {
  return {
    question, rcode: Rcode.SERVFAIL, answer: [], authority: [], outcome: unvalidatedOutcome(question.name),
    ede: [failureEde(failure, detail)], fromCache: false, steps,
  };
}
