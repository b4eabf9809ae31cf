// reply-cache.ts — the cache-hit path of adbit serve: encoded replies keyed by what the query bytes
// say (QNAME lower-cased, RFC 4343 §3; QTYPE; QCLASS; DO/CD/AD; EDNS; reply size limit), kept in
// the native reply table (native/src/reply_table.cc). The native UDP engine answers hits from the
// same table on its own threads (recvmmsg/sendmmsg, no JS per datagram); this class serves TCP
// hits and the node:dgram fallback, and stores what the pipeline built. A hit is the stored reply
// with the client's ID, RD and question bytes (case kept for 0x20) and every TTL aged by the whole
// seconds elapsed (RFC 1035 §3.2.1, RFC 8767 §4: never below 0; the entry expires first).
import { BOGUS_TTL_SEC } from '../dnssec/limits.js';
import { createReplyTable, type NativeReplyTable, SECURITY_CODES, securityCode } from '../native/udp.js';
import type { Clock } from '../util/clock.js';
import { rcodeToText } from '../wire/constants.js';

/** Bytes of replies kept per process (Unbound msg-cache-size default is 4 MiB; replies are small). */
export const REPLY_CACHE_BYTES = 16 * 1024 * 1024;

/** What a hit tells metrics. */
export interface ReplyMeta {
  readonly rcodeName: string;
  readonly security: string;
}

const RCODE_NAMES: readonly string[] = Array.from({ length: 16 }, (_, i) => rcodeToText(i));

/** Byte-bounded reply cache of one process (the table the native UDP engine reads too). */
export class ReplyCache {
  readonly table: NativeReplyTable;
  /** Test hook: a pinned clock; without it the table uses its own monotonic clock everywhere. */
  readonly #clock: Clock | undefined;
  readonly #meta = new Uint8Array(2);

  constructor(o: { clock?: Clock; maxBytes?: number; serverUdpPayload: number }) {
    this.#clock = o.clock;
    this.table = createReplyTable(o.maxBytes ?? REPLY_CACHE_BYTES, o.serverUdpPayload);
  }

  get size(): number { return this.table.stats().entries; }
  get bytes(): number { return this.table.stats().bytes; }

  /** The reply for `w` from the cache, ready to send, or null on a miss. */
  lookup(w: Uint8Array, tcp: boolean): { wire: Buffer; entry: ReplyMeta } | null {
    const wire = this.#clock === undefined ? this.table.lookup(w, tcp, this.#meta) : this.table.lookup(w, tcp, this.#meta, this.#clock.nowMs());
    if (wire === null) return null;
    return { wire, entry: { rcodeName: RCODE_NAMES[this.#meta[0]!]!, security: SECURITY_CODES[this.#meta[1]!] ?? 'indeterminate' } };
  }

  /**
   * Stores a reply respond.ts built for `query` (the caller decides that it is cacheable). Lives
   * for the smallest TTL in it, at most `answerTtlSec` (the resolver's), at most BOGUS_TTL_SEC for
   * bogus (RFC 4035 §4.7); a reply without TTLs is stored only as the bogus SERVFAIL. True if stored.
   */
  store(query: Uint8Array, tcp: boolean, reply: Uint8Array, o: { answerTtlSec: number; rcode: number; security: string }): boolean {
    let cap = o.answerTtlSec;
    if (o.security === 'bogus') cap = Math.min(cap, BOGUS_TTL_SEC);
    if (!(cap > 0) || !Number.isFinite(cap)) return false;
    const sec = securityCode(o.security);
    const rcode = o.rcode & 15;
    return this.#clock === undefined
      ? this.table.store(query, tcp, reply, Math.floor(cap), rcode, sec)
      : this.table.store(query, tcp, reply, Math.floor(cap), rcode, sec, this.#clock.nowMs());
  }

  /** Drops everything (SIGHUP: new trust anchors may change what is secure or bogus). */
  clear(): void {
    this.table.clear();
  }
}
