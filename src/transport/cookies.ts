// cookies.ts — DNS COOKIE, client side. Per server a 64-bit client cookie derived from a secret
// and the server address (HMAC-SHA256 truncated, RFC 7873 §B.1 / RFC 9018 §3 advice when the
// client IP is unknown), rotated with the secret; the server cookie from the last valid reply
// is remembered and sent back. Resources: RFC 7873 §4, §5.1–§5.3, RFC 9018 §3.
import { createHmac } from 'node:crypto';
import type { Clock } from '../util/clock.js';
import type { Random } from '../util/random.js';
import { LruCache } from '../util/lru.js';
import type { ServerAddress } from './types.js';
import { serverKey } from './types.js';

/** EDNS option code of COOKIE (RFC 7873 §4). */
export const EDNS_OPTION_COOKIE = 10;
/** Extended RCODE BADCOOKIE (RFC 7873 §8). */
export const RCODE_BADCOOKIE = 23;
/** Client cookie length: fixed at 8 bytes (RFC 7873 §4). */
export const CLIENT_COOKIE_BYTES = 8;
/** The client secret changes this often; RFC 7873 §5.1 asks for periodic change. */
export const DEFAULT_COOKIE_ROTATE_SEC = 86_400;
/** Servers whose cookies we remember (LRU bound). */
export const DEFAULT_COOKIE_SERVERS = 10_000;

/** Verdict on a reply's COOKIE option. */
export type CookieVerdict = 'ok' | 'absent' | 'malformed' | 'mismatch';

/** Options of ClientCookies. */
export interface ClientCookiesOptions {
  readonly clock: Clock;
  readonly random: Random;
  readonly rotateSec?: number;
  readonly maxServers?: number;
}

/** Client-side DNS cookie state for every upstream server. */
export class ClientCookies {
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #rotateSec: number;
  readonly #serverCookies: LruCache<string, Uint8Array>;
  #epoch = -1;
  #secret: Uint8Array = new Uint8Array(0);

  constructor(options: ClientCookiesOptions) {
    this.#clock = options.clock;
    this.#random = options.random;
    this.#rotateSec = options.rotateSec ?? DEFAULT_COOKIE_ROTATE_SEC;
    this.#serverCookies = new LruCache({ maxBytes: options.maxServers ?? DEFAULT_COOKIE_SERVERS, clock: options.clock });
  }

  #currentSecret(): Uint8Array {
    const epoch = Math.floor(this.#clock.nowSec() / this.#rotateSec);
    if (epoch !== this.#epoch) {
      this.#epoch = epoch;
      this.#secret = this.#random.bytes(32);
      // Server cookies are bound to the old client cookie (RFC 7873 §5.2); drop them.
      this.#serverCookies.clear();
    }
    return this.#secret;
  }

  /** The 8-byte client cookie for `server` in the current secret period. */
  clientCookie(server: ServerAddress): Uint8Array {
    const mac = createHmac('sha256', this.#currentSecret()).update(serverKey(server)).digest();
    return new Uint8Array(mac.subarray(0, CLIENT_COOKIE_BYTES));
  }

  /** COOKIE option data to send: client cookie, plus the server cookie when we know one. */
  cookieFor(server: ServerAddress): Uint8Array {
    const client = this.clientCookie(server);
    const known = this.#serverCookies.get(serverKey(server));
    if (known === undefined) return client;
    const out = new Uint8Array(client.length + known.length);
    out.set(client, 0);
    out.set(known, client.length);
    return out;
  }

  /**
   * Check a reply's COOKIE option data (undefined when the reply had none) and remember the
   * server cookie. RFC 7873 §5.3: a wrong client cookie means the reply must be discarded;
   * a server cookie must be 8..32 bytes.
   */
  onReply(server: ServerAddress, option: Uint8Array | undefined): CookieVerdict {
    if (option === undefined) return 'absent';
    if (option.length < CLIENT_COOKIE_BYTES) return 'malformed';
    const mine = this.clientCookie(server);
    for (let i = 0; i < CLIENT_COOKIE_BYTES; i++) if (option[i] !== mine[i]) return 'mismatch';
    const serverLen = option.length - CLIENT_COOKIE_BYTES;
    if (serverLen === 0) return 'ok';
    if (serverLen < 8 || serverLen > 32) return 'malformed';
    this.#serverCookies.set(serverKey(server), option.slice(CLIENT_COOKIE_BYTES), 1, Number.POSITIVE_INFINITY);
    return 'ok';
  }

  /** The remembered server cookie, if any. */
  serverCookie(server: ServerAddress): Uint8Array | undefined {
    this.#currentSecret();
    return this.#serverCookies.get(serverKey(server));
  }
}
