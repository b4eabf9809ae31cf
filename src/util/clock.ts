// clock.ts — the only place adbit reads the wall clock. Everything that needs "now" (TTL expiry,
// RTT measurement, RRSIG validity windows) takes a Clock so tests can pin time.
// Resources: RFC 1982 (serial number arithmetic, used by RRSIG inception/expiration, RFC 4034 §3.1.5).

/** A source of the current time. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  nowMs(): number;
  /** Whole seconds since the Unix epoch. */
  nowSec(): number;
}

/** The real clock (Date.now). */
export const systemClock: Clock = {
  nowMs: () => Date.now(),
  nowSec: () => Math.floor(Date.now() / 1000),
};

/**
 * RFC 1982 serial comparison for 32-bit values: true when `a` is at or after `b`.
 * RRSIG times wrap in 2106; comparing them as plain integers would break then.
 */
export function serialGte(a: number, b: number): boolean {
  return ((a - b) >>> 0) < 0x80000000;
}
