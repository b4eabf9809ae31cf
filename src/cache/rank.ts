// rank.ts — trust ranks of cached data (RFC 2181 §5.4.1 credibility, plus "validated" as Unbound's
// rrset_trust_validated and Knot's KR_RANK_SECURE), the cache's own security states (Unbound's
// sec_status order with "unchecked" below the four RFC 4035 §4.3 states), and the replacement rule:
// the cache never replaces stronger data with weaker data (RFC 2181 §5.4.1, ARCHITECTURE §1.1).
import type { Security } from '../dnssec/outcome.js';

/**
 * Ranks, weakest first. RFC 2181 §5.4.1 orders non-authoritative data below authoritative data
 * and, within each, additional < authority < answer; glue and the additional section of an
 * authoritative answer share one rank. Data the validator proved secure outranks all of them.
 */
export const Rank = {
  AdditionalNoAA: 1,
  AuthorityNoAA: 2,
  AnswerNoAA: 3,
  /** Glue, and the additional section of an authoritative answer. */
  AdditionalAA: 4,
  AuthorityAA: 5,
  AnswerAA: 6,
  /** Proven secure by the validator (RFC 4035 §4.5 lets validated data be cached as such). */
  Validated: 7,
} as const;
export type Rank = (typeof Rank)[keyof typeof Rank];

/** Message section a record came from. */
export type Section = 'answer' | 'authority' | 'additional';

/** The RFC 2181 §5.4.1 rank of data from `section` of a reply with (aa) or without the AA bit. */
export function rankFor(section: Section, aa: boolean): Rank {
  switch (section) {
    case 'answer': return aa ? Rank.AnswerAA : Rank.AnswerNoAA;
    case 'authority': return aa ? Rank.AuthorityAA : Rank.AuthorityNoAA;
    case 'additional': return aa ? Rank.AdditionalAA : Rank.AdditionalNoAA;
  }
}

/** Security as the cache records it: the RFC 4035 §4.3 states, or not yet validated. */
export type CacheSecurity = Security | 'unchecked';

/**
 * Unbound's sec_status order: unchecked < bogus < indeterminate < insecure < secure. A status
 * may only move up this order (a validator result replaces "unchecked"; a later, stronger
 * verdict on the same data replaces a weaker one; secure data is never downgraded in place).
 */
export const SECURITY_ORDER: Readonly<Record<CacheSecurity, number>> = {
  unchecked: 0, bogus: 1, indeterminate: 2, insecure: 3, secure: 4,
};

/** What the replacement rule looks at. */
export interface Ranked {
  readonly rank: Rank;
  readonly security: CacheSecurity;
}

/**
 * The rank that decides replacement: secure data counts as Validated whatever section it came
 * from, and a Validated rank claimed without secure status counts only as AnswerAA (the rank is
 * earned by the validator's verdict, not by the caller's label).
 */
export function effectiveRank(r: Ranked): Rank {
  if (r.security === 'secure') return Rank.Validated;
  return r.rank === Rank.Validated ? Rank.AnswerAA : r.rank;
}

/**
 * May `incoming` replace `existing` in the cache? (Unbound need_to_update_rrset, simplified.)
 * - an expired entry is always replaceable (it is no longer data, only a stale fallback);
 * - secure data replaces anything that is not secure;
 * - bogus data gives way to any non-bogus data (it is only kept to damp re-validation);
 * - otherwise the higher effective rank wins and an equal rank replaces (fresher copy of the
 *   same credibility, RFC 2181 §5.4.1 "replace ... with data of equal or higher credibility").
 */
export function mayReplace(existing: Ranked, incoming: Ranked, existingExpired = false): boolean {
  if (existingExpired) return true;
  if (incoming.security === 'secure' && existing.security !== 'secure') return true;
  if (existing.security === 'bogus' && incoming.security !== 'bogus') return true;
  return effectiveRank(incoming) >= effectiveRank(existing);
}

/** True when `now` is weaker than `recorded` in rank or in security (message-cache reassembly). */
export function isWeaker(now: Ranked, recorded: Ranked): boolean {
  return effectiveRank(now) < effectiveRank(recorded) || SECURITY_ORDER[now.security] < SECURITY_ORDER[recorded.security];
}
