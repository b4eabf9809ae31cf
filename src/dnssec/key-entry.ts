// key-entry.ts — the result of FINDKEY for one zone (Unbound key_entry): secure with the zone's
// validated DNSKEYs, insecure (proven unsigned), bogus, or indeterminate, each with an expiry.
// Secure keys expire with the DNSKEY RRset TTL (RFC 4035 §5.3.3 caps); bogus after BOGUS_TTL_SEC
// (RFC 4035 §4.7); indeterminate entries are never cached (the next query retries the fetch).
import { DNSKEY_FLAG_REVOKE, DNSKEY_FLAG_ZONE, keyTag } from '../wire/rdata/dnskey.js';
import type { Name } from '../wire/name.js';
import type { Reason } from './outcome.js';

/** One DNSKEY usable for RRSIG verification, with its tag precomputed (RFC 4034 App. B). */
export interface ZoneKey {
  readonly rdata: Uint8Array;
  readonly flags: number;
  readonly algorithm: number;
  readonly tag: number;
}

export type KeyEntry =
  | { readonly kind: 'secure'; readonly zone: Name; readonly keys: readonly ZoneKey[]; readonly expiresSec: number }
  | { readonly kind: 'insecure'; readonly zone: Name; readonly reason: Reason; readonly expiresSec: number }
  | { readonly kind: 'bogus'; readonly zone: Name; readonly reason: Reason; readonly expiresSec: number }
  | { readonly kind: 'indeterminate'; readonly zone: Name; readonly reason: Reason; readonly expiresSec: number };

export type SecureKeyEntry = Extract<KeyEntry, { kind: 'secure' }>;

/** A ZoneKey from DNSKEY RDATA, or null when the RDATA is too short to be a DNSKEY. */
export function zoneKey(rdata: Uint8Array): ZoneKey | null {
  if (rdata.length < 5) return null;
  return { rdata, flags: ((rdata[0] ?? 0) << 8) | (rdata[1] ?? 0), algorithm: rdata[3] ?? 0, tag: keyTag(rdata) };
}

/** True when the key may sign: Zone Key bit set (RFC 4034 §2.1.1) and not revoked (RFC 5011 §3). */
export function canSign(k: ZoneKey): boolean {
  return (k.flags & DNSKEY_FLAG_ZONE) !== 0 && (k.flags & DNSKEY_FLAG_REVOKE) === 0;
}

export function secureEntry(zone: Name, keys: readonly ZoneKey[], expiresSec: number): SecureKeyEntry {
  return { kind: 'secure', zone, keys, expiresSec };
}

/** An entry that is not secure, with the state taken from the reason's table row. */
export function failedEntry(zone: Name, reason: Reason, security: 'insecure' | 'bogus' | 'indeterminate', expiresSec: number): KeyEntry {
  return { kind: security, zone, reason, expiresSec };
}
