// text.ts — typed wrappers over the ldns presentation-format helpers of the addon (RFC 1035 §5):
// one wire RR ↔ one zone-file line, ldns's own decode of a message (the differential-test oracle),
// and the ldns/OpenSSL versions the addon runs with.
import { InvalidArgumentError } from '../util/errors.js';
import { native } from './binding.js';

export type RrFromTextResult =
  | { ok: true; rr: Uint8Array }
  | { ok: false; status: number; error: string };

export type LdnsDecodeResult =
  | { ok: true; records: string[] }
  | { ok: false; status: number; error: string };

function requireBytes(fn: string, v: unknown): asserts v is Uint8Array {
  if (!(v instanceof Uint8Array)) throw new InvalidArgumentError(`${fn}: argument must be a Uint8Array`);
}

/**
 * One RR in uncompressed wire form (owner, type, class, TTL, RDLENGTH, RDATA) — or a question entry
 * (owner, type, class) — as ldns prints it, without the trailing newline; null if ldns rejects it.
 */
export function rrToText(rr: Uint8Array): string | null {
  requireBytes('rrToText', rr);
  return native.rrToText(rr);
}

/** Parses one zone-file line; `origin` ('' for none) completes relative names; defaultTtl 0 = ldns default. */
export function rrFromText(text: string, origin = '', defaultTtl = 0): RrFromTextResult {
  if (typeof text !== 'string' || typeof origin !== 'string') {
    throw new InvalidArgumentError('rrFromText: text and origin must be strings');
  }
  if (!Number.isInteger(defaultTtl) || defaultTtl < 0 || defaultTtl > 0xffffffff) {
    throw new InvalidArgumentError('rrFromText: defaultTtl must be an integer in 0..2^32-1');
  }
  const r = native.rrFromText(text, origin, defaultTtl);
  return r.status === 0 ? { ok: true, rr: r.rr } : { ok: false, status: r.status, error: r.error };
}

/** ldns's decode of a whole message: every question/RR printed by ldns (OPT and TSIG are not listed). */
export function ldnsDecode(wire: Uint8Array): LdnsDecodeResult {
  requireBytes('ldnsDecode', wire);
  const r = native.ldnsDecode(wire);
  return r.status === 0 ? { ok: true, records: r.records } : { ok: false, status: r.status, error: r.error };
}

/** The ldns and OpenSSL version strings the addon reports. */
export function nativeVersions(): { ldns: string; openssl: string } {
  return native.versions();
}
