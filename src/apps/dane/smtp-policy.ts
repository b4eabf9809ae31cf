// smtp-policy.ts — the RFC 7672 decisions as pure functions over Proven lookups: MX security
// (§2.2.1: insecure MX → no DANE, bogus/indeterminate → unusable), address security (TLSA only
// for hosts whose address records are secure), TLSA outcome (§2.1.1 downgrade resistance: only a
// validated denial is "no TLSA"), usable records (§3.1) → dane-only, none usable → encrypt.
// Policy words follow Postfix smtp_tls_policy_maps: dane-only, encrypt, may; defer = try later.
import type { Outcome, Proven, Security } from '../../dnssec/outcome.js';
import { describe as describeReason } from '../../dnssec/outcome.js';
import type { MxResult } from '../mx.js';
import type { HostAddress, HostAddresses, TlsaResult } from '../tlsa.js';
import { usableTlsa } from './match.js';
import type { TlsaRecord } from './types.js';

/** What an MTA must do with one next-hop host. */
export type PolicyWord = 'dane-only' | 'encrypt' | 'may' | 'defer';

/** Which rule decided; stable strings (the CLI's JSON reasons start with them). */
export type PolicyCause =
  | 'mx-insecure' | 'address-insecure' | 'address-unusable' | 'no-addresses'
  | 'tlsa-unusable' | 'no-tlsa' | 'tlsa-insecure' | 'tlsa-none-usable' | 'tlsa-usable';

export interface HostPolicy {
  readonly policy: PolicyWord;
  readonly cause: PolicyCause;
  readonly reason: string;
  /** Security of the lookup that decided. */
  readonly security: Security;
  /** MX host as written in the MX RRset. */
  readonly mxHost: string;
  /** TLSA base domain (RFC 7672 §2.2.3): the SNI and the first reference identifier. */
  readonly tlsaBaseDomain: string;
  readonly addresses: readonly HostAddress[];
  /** Every TLSA record found (also unusable or insecure ones, for reporting). */
  readonly tlsa: readonly TlsaRecord[];
  /** The usable secure records after digest agility; non-empty exactly for dane-only. */
  readonly usable: readonly TlsaRecord[];
}

/** Domain-level decision from the MX lookup (RFC 7672 §2.2.1, RFC 7505, RFC 5321 §5.1). */
export type MxDecision =
  | { readonly kind: 'dane' }
  | { readonly kind: 'no-dane'; readonly reason: string }
  | { readonly kind: 'no-mail'; readonly reason: string }
  | { readonly kind: 'unusable'; readonly security: 'bogus' | 'indeterminate'; readonly reason: string };

/** Presentation text without the trailing dot (how MTAs and the CLI print host names). */
export function hostText(name: { toText(): string }): string {
  const t = name.toText();
  return t.length > 1 && t.endsWith('.') ? t.slice(0, -1) : t;
}

function why(outcome: Outcome): string {
  return outcome.security === 'secure' ? 'secure' : `${outcome.security}: ${describeReason(outcome.reason)}`;
}

export function mxDecision(mx: MxResult): MxDecision {
  const s = mx.outcome.security;
  if (s === 'bogus' || s === 'indeterminate' || mx.kind === 'failed') {
    return { kind: 'unusable', security: s === 'bogus' ? 'bogus' : 'indeterminate', reason: `MX lookup ${why(mx.outcome)}` };
  }
  if (mx.kind === 'null-mx') return { kind: 'no-mail', reason: 'null MX: the domain accepts no mail (RFC 7505)' };
  if (mx.kind === 'nxdomain') return { kind: 'no-mail', reason: `the domain does not exist (${s} NXDOMAIN)` };
  if (s === 'insecure') return { kind: 'no-dane', reason: `MX RRset is insecure: no DANE for the domain (RFC 7672 §2.2.1): ${why(mx.outcome)}` };
  return { kind: 'dane' };
}

function base(mxHost: string, addrs: HostAddresses | null): Pick<HostPolicy, 'mxHost' | 'tlsaBaseDomain' | 'addresses' | 'tlsa' | 'usable'> {
  return { mxHost, tlsaBaseDomain: mxHost, addresses: addrs?.addresses ?? [], tlsa: [], usable: [] };
}

/** A host reached through an insecure MX RRset: opportunistic TLS, no TLSA lookups. */
export function insecureMxPolicy(mxHost: string, addrs: HostAddresses | null = null): HostPolicy {
  return { ...base(mxHost, addrs), policy: 'may', cause: 'mx-insecure', security: 'insecure', reason: 'MX RRset is insecure, so TLSA records are not used (RFC 7672 §2.2.1)' };
}

/**
 * The address step: null when TLSA must be looked up (addresses secure), else the final policy.
 * Insecure addresses → may (RFC 7672 §2.2.1: no TLSA lookup); bogus/indeterminate → defer.
 */
export function addressPolicy(mxHost: string, addrs: Proven<HostAddresses>): HostPolicy | null {
  const s = addrs.outcome.security;
  const b = base(mxHost, addrs.value);
  if (s === 'bogus' || s === 'indeterminate') {
    return { ...b, policy: 'defer', cause: 'address-unusable', security: s, reason: `address lookup ${why(addrs.outcome)}` };
  }
  if (addrs.value.addresses.length === 0) {
    return { ...b, policy: 'defer', cause: 'no-addresses', security: s, reason: `the host has no A or AAAA records (${s})` };
  }
  if (s === 'insecure') {
    return { ...b, policy: 'may', cause: 'address-insecure', security: s, reason: `address records are not secure, so TLSA is not looked up (RFC 7672 §2.2.1): ${why(addrs.outcome)}` };
  }
  return null;
}

/**
 * The TLSA step (addresses secure). Downgrade resistance (RFC 7672 §2.1.1): bogus or
 * indeterminate (SERVFAIL, timeout, …) → defer; only a validated denial is "no TLSA" → may.
 * Insecure TLSA → may. Secure usable records → dane-only; secure RRset with no usable record →
 * encrypt (mandatory unauthenticated TLS, RFC 7672 §3.1.3 / §2.2).
 */
export function tlsaPolicy(mxHost: string, addrs: Proven<HostAddresses>, tlsa: TlsaResult): HostPolicy {
  const s = tlsa.outcome.security;
  const common = { ...base(mxHost, addrs.value), tlsaBaseDomain: hostText(tlsa.baseDomain), tlsa: tlsa.value };
  const tried = tlsa.tried.map(hostText).join(', then ');
  if (s === 'bogus' || s === 'indeterminate') {
    return { ...common, policy: 'defer', cause: 'tlsa-unusable', security: s, reason: `TLSA lookup at ${hostText(tlsa.baseDomain)} ${why(tlsa.outcome)}; the host is unusable, not "no TLSA" (RFC 7672 §2.1.1)` };
  }
  if (tlsa.value.length === 0) {
    return { ...common, policy: 'may', cause: 'no-tlsa', security: s, reason: `validated: no TLSA records (${tried})` };
  }
  if (s === 'insecure') {
    return { ...common, policy: 'may', cause: 'tlsa-insecure', security: s, reason: `TLSA records are insecure and not used: ${why(tlsa.outcome)}` };
  }
  const usable = usableTlsa(tlsa.value);
  if (usable.length === 0) {
    return { ...common, policy: 'encrypt', cause: 'tlsa-none-usable', security: s, reason: `none of the ${tlsa.value.length} TLSA record(s) is usable: TLS is mandatory but unauthenticated (RFC 7672 §3.1.3)` };
  }
  return { ...common, usable, policy: 'dane-only', cause: 'tlsa-usable', security: s, reason: `${usable.length} usable TLSA record(s) at ${hostText(tlsa.baseDomain)}: STARTTLS and DANE authentication required` };
}
