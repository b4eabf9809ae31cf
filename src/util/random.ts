// random.ts — the only source of randomness: query IDs (RFC 5452 §9.2), 0x20 case bits, server
// choice and cookie secrets. The default draws from node:crypto in blocks so a query ID costs a few
// array reads, not a syscall. A seeded generator exists for tests and must never be used for IDs.
import { randomFillSync } from 'node:crypto';
import { InvalidArgumentError } from './errors.js';

/** Injected randomness. */
export interface Random {
  /** Uniform 16-bit integer. */
  u16(): number;
  /** Uniform 32-bit unsigned integer. */
  u32(): number;
  /** `n` fresh random bytes (a new array). */
  bytes(n: number): Uint8Array;
  /** Uniform integer in [0, max); `max` ≥ 1 and ≤ 2^32. */
  int(max: number): number;
  /** Fisher–Yates shuffle in place; returns the same array. */
  shuffle<T>(items: T[]): T[];
}

/** Bytes fetched from the kernel CSPRNG per refill. */
const POOL_BYTES = 4096;

function uniformInt(u32: () => number, max: number): number {
  if (!Number.isInteger(max) || max < 1 || max > 0x100000000) {
    throw new InvalidArgumentError(`int(max): max must be an integer in [1, 2^32], got ${max}`);
  }
  // Rejection sampling: drop the top partial range so every result is equally likely.
  const limit = 0x100000000 - (0x100000000 % max);
  for (;;) {
    const v = u32();
    if (v < limit) return v % max;
  }
}

function shuffleWith<T>(int: (max: number) => number, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = int(i + 1);
    const tmp = items[i] as T;
    items[i] = items[j] as T;
    items[j] = tmp;
  }
  return items;
}

/** Cryptographically strong Random backed by node:crypto randomFillSync. */
export class CryptoRandom implements Random {
  #pool = new Uint8Array(POOL_BYTES);
  #pos = POOL_BYTES;

  #take(n: number): number {
    if (this.#pos + n > POOL_BYTES) {
      randomFillSync(this.#pool);
      this.#pos = 0;
    }
    const at = this.#pos;
    this.#pos += n;
    return at;
  }

  u16(): number {
    const at = this.#take(2);
    return ((this.#pool[at] ?? 0) << 8) | (this.#pool[at + 1] ?? 0);
  }

  u32(): number {
    const at = this.#take(4);
    const p = this.#pool;
    return (((p[at] ?? 0) << 24) | ((p[at + 1] ?? 0) << 16) | ((p[at + 2] ?? 0) << 8) | (p[at + 3] ?? 0)) >>> 0;
  }

  bytes(n: number): Uint8Array {
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`bytes(n): bad length ${n}`);
    if (n > POOL_BYTES / 4) return randomFillSync(new Uint8Array(n));
    const at = this.#take(n);
    return this.#pool.slice(at, at + n);
  }

  int(max: number): number {
    return uniformInt(() => this.u32(), max);
  }

  shuffle<T>(items: T[]): T[] {
    return shuffleWith((m) => this.int(m), items);
  }
}

/** The process-wide default Random. */
export const cryptoRandom: Random = new CryptoRandom();

/**
 * Deterministic Random (SplitMix32-style) for tests and simulations. Predictable by design:
 * never use it for query IDs or cookie secrets on a real network.
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const u32 = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  const int = (max: number): number => uniformInt(u32, max);
  return {
    u16: () => u32() >>> 16,
    u32,
    bytes: (n: number) => Uint8Array.from({ length: n }, () => u32() & 0xff),
    int,
    shuffle: <T>(items: T[]) => shuffleWith(int, items),
  };
}
