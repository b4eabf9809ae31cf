// limits.ts — every bound of the iterative resolver as a named constant with its default and why
// (DESIGN.md rule 5). ResolverLimits lets a caller override them; resolverLimits() fills defaults.
// Motivations: NXNS (CVE-2020-12662), TsuNAME (CVE-2021-31920 class loops), RFC 9156 §3 (QNAME
// minimisation iteration caps), RFC 1034 §5.3.3 (resolvers must bound their work).
import { DEFAULT_MAX_OUTSTANDING } from '../transport/transport.js';

/** Referrals followed for one question (Unbound MAX_REFERRAL_COUNT is 130; real trees are < 10 deep, so 30 leaves room and stops referral loops early). */
export const MAX_REFERRAL_DEPTH = 30;
/** CNAME/DNAME hops followed for one client question (Unbound max-query-restarts 11; BIND 16). */
export const MAX_CNAME_CHAIN = 11;
/** Upstream queries one client question may cause, sub-resolutions included (NXNS, CVE-2020-12662: Unbound caps at 32 sent per target set, BIND's max-recursion-queries is 100; we take 64). */
export const MAX_UPSTREAM_QUERIES = 64;
/** Glueless NS names whose addresses are resolved per delegation (NXNS defence; Unbound MAX_TARGET_NX-style caps, BIND resolves at most 5 — we take 5). */
export const MAX_GLUELESS_PER_DELEGATION = 5;
/** Nesting of sub-resolutions (NS address of an NS address of …); Unbound target-fetch-policy and MAX_DEPENDENCY_DEPTH serve the same purpose; 4 levels cover every sane setup. */
export const MAX_DEPENDENCY_DEPTH = 4;
/** Upstream queries in flight at once, enforced by the transport (file descriptors, see transport.ts). */
export const MAX_OUTSTANDING_QUERIES = DEFAULT_MAX_OUTSTANDING;
/** Overall deadline of one client question (stub resolvers give up after 5–10 s; glibc 5 s × attempts). */
export const OVERALL_DEADLINE_MS = 10_000;
/** Per-try timeout bounds around the infra cache's RTO (RFC 6298-style estimate): never below 50 ms (loopback jitter), never above 3 s so a dead server leaves time for others. */
export const MIN_TRY_TIMEOUT_MS = 50;
export const MAX_TRY_TIMEOUT_MS = 3_000;
/**
 * Rounds over a zone's server list before giving up (each server at most once per round). Unbound
 * retries one server up to OUTBOUND_MSG_RETRY = 5 times; 2 rounds lost answers of single-server
 * zones under load (one late datagram = SERVFAIL). The per-try timeout doubles (infra cache) and
 * the overall deadline and query budget still bound the total.
 */
export const MAX_SERVER_ROUNDS = 5;
/** RFC 9156 §3: QNAME minimisation stops after this many iterations (Unbound MAX_MINIMISE_COUNT). */
export const MAX_MINIMISE_COUNT = 10;
/** RFC 9156 §3: the first this-many iterations add one label each (Unbound MINIMISE_ONE_LAB). */
export const MINIMISE_ONE_LAB = 4;

/** Tunable limits; every field defaults to the constant of the same meaning above. */
export interface ResolverLimits {
  readonly maxReferralDepth: number;
  readonly maxCnameChain: number;
  readonly maxUpstreamQueries: number;
  readonly maxGluelessPerDelegation: number;
  readonly maxDependencyDepth: number;
  readonly maxOutstandingQueries: number;
  readonly deadlineMs: number;
  readonly minTryTimeoutMs: number;
  readonly maxTryTimeoutMs: number;
  readonly maxServerRounds: number;
}

export const DEFAULT_RESOLVER_LIMITS: ResolverLimits = {
  maxReferralDepth: MAX_REFERRAL_DEPTH,
  maxCnameChain: MAX_CNAME_CHAIN,
  maxUpstreamQueries: MAX_UPSTREAM_QUERIES,
  maxGluelessPerDelegation: MAX_GLUELESS_PER_DELEGATION,
  maxDependencyDepth: MAX_DEPENDENCY_DEPTH,
  maxOutstandingQueries: MAX_OUTSTANDING_QUERIES,
  deadlineMs: OVERALL_DEADLINE_MS,
  minTryTimeoutMs: MIN_TRY_TIMEOUT_MS,
  maxTryTimeoutMs: MAX_TRY_TIMEOUT_MS,
  maxServerRounds: MAX_SERVER_ROUNDS,
};

/** DEFAULT_RESOLVER_LIMITS with the given fields replaced. */
export function resolverLimits(overrides: Partial<ResolverLimits> = {}): ResolverLimits {
  return { ...DEFAULT_RESOLVER_LIMITS, ...overrides };
}
