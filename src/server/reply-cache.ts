// reply-cache.ts — the cache-hit fast path of adbit serve: encoded replies keyed by what the query
// bytes say (QNAME lower-cased, RFC 4343 §3; QTYPE; QCLASS; DO/CD/AD; EDNS; reply size limit), read
// by a small hand-written reader (no Message object, no native call). A hit copies the stored reply,
// writes the client's ID, RD and question bytes (case kept for 0x20 clients) and ages every TTL by
// the whole seconds elapsed (RFC 1035 §3.2.1, RFC 8767 §4: never below 0; the entry expires first).
//
// Next step (a later issue, not built here): the native core owns the UDP socket, reads batches
// with recvmmsg, computes this same key in C++, answers hits from a native copy of this table with
// sendmmsg (ID/case/TTL patched in place from the stored TTL offsets), and hands only misses (and
// every non-fast-path request) to this JS pipeline through one call per batch; JS pushes each
// store()/clear() into the native table. That removes the ~20 µs/query of libuv + JS per datagram.
import { BOGUS_TTL_SEC } from '../dnssec/limits.js';
import type { Clock } from '../util/clock.js';
import { LruCache } from '../util/lru.js';

/** Bytes of replies kept per process (Unbound msg-cache-size default is 4 MiB; replies are small). */
export const REPLY_CACHE_BYTES = 16 * 1024 * 1024;
/** Accounting overhead per entry (Map slot, entry object, offsets array). */
const ENTRY_OVERHEAD_BYTES = 96;
/** RFC 1035 §2.3.4: a name is at most 255 octets; labels at most 63. */
const MAX_NAME = 255;
const OPT = 41;
const FLAG_DO = 1;
const FLAG_CD = 2;
const FLAG_AD = 4;
const FLAG_EDNS = 8;

/** One stored reply. */
export interface ReplyEntry {
  readonly wire: Buffer;
  /** Offsets of every RR TTL field (OPT excluded: its "TTL" holds EDNS flags, RFC 6891 §6.1.3). */
  readonly ttlOffsets: Uint16Array;
  readonly storedMs: number;
  /** For metrics on a hit. */
  readonly rcodeName: string;
  readonly security: string;
}

/** What the hit path learned from the query; reused scratch, valid until the next read. */
interface Scratch { questionEnd: number }

/** Reply size limit as respond.ts computes it (replyLimit): TCP 65535; UDP the EDNS size in [512, ours]. */
function limitOf(tcp: boolean, edns: boolean, udpSize: number, serverMax: number): number {
  if (tcp) return 65535;
  if (!edns) return 512;
  return Math.min(Math.max(udpSize, 512), serverMax);
}

/** TTL offsets and minimum TTL of a reply we built, or null when it cannot be walked. */
export function ttlLayout(w: Uint8Array): { offsets: Uint16Array; minTtl: number } | null {
  if (w.length < 12) return null;
  const qd = (w[4]! << 8) | w[5]!;
  const rrs = ((w[6]! << 8) | w[7]!) + ((w[8]! << 8) | w[9]!) + ((w[10]! << 8) | w[11]!);
  let p = 12;
  const skipName = (): boolean => {
    for (;;) {
      if (p >= w.length) return false;
      const l = w[p]!;
      if ((l & 0xc0) === 0xc0) { p += 2; return p <= w.length; }
      if (l > 63) return false;
      p += l + 1;
      if (l === 0) return true;
    }
  };
  for (let i = 0; i < qd; i++) { if (!skipName()) return null; p += 4; }
  const offs: number[] = [];
  let minTtl = Infinity;
  for (let i = 0; i < rrs; i++) {
    if (!skipName() || p + 10 > w.length) return null;
    const type = (w[p]! << 8) | w[p + 1]!;
    if (type !== OPT) {
      const ttl = ((w[p + 4]! << 24) | (w[p + 5]! << 16) | (w[p + 6]! << 8) | w[p + 7]!) >>> 0;
      offs.push(p + 4);
      if (ttl < minTtl) minTtl = ttl;
    }
    p += 10 + ((w[p + 8]! << 8) | w[p + 9]!);
  }
  if (p !== w.length || w.length > 65535) return null;
  return { offsets: Uint16Array.from(offs), minTtl };
}

/** Byte-bounded reply cache of one process. */
export class ReplyCache {
  readonly #lru: LruCache<string, ReplyEntry>;
  readonly #clock: Clock;
  readonly #serverMax: number;
  readonly #key = Buffer.alloc(3 + MAX_NAME + 4);
  readonly #s: Scratch = { questionEnd: 0 };

  constructor(o: { clock: Clock; maxBytes?: number; serverUdpPayload: number }) {
    this.#clock = o.clock;
    this.#serverMax = o.serverUdpPayload;
    this.#lru = new LruCache({ maxBytes: o.maxBytes ?? REPLY_CACHE_BYTES, clock: o.clock });
  }

  get size(): number { return this.#lru.size; }
  get bytes(): number { return this.#lru.bytes; }

  /**
   * The cache key of a plain query, or null when the bytes are anything else (then the full
   * pipeline decides). Stricter than preflight: one question of class IN, no compression, no
   * AN/NS records, at most an OPT of version 0 with well-formed options, nothing after it.
   */
  keyOf(w: Uint8Array, tcp: boolean): string | null {
    const n = w.length;
    if (n < 17 || (w[2]! & 0xf8) !== 0) return null; // QR=0, OPCODE=QUERY (RFC 1035 §4.1.1)
    if (w[4] !== 0 || w[5] !== 1 || w[6] !== 0 || w[7] !== 0 || w[8] !== 0 || w[9] !== 0 || w[10] !== 0) return null;
    const ar = w[11]!;
    if (ar > 1) return null;
    const k = this.#key;
    let p = 12;
    let o = 3;
    for (;;) {
      if (p >= n) return null;
      const l = w[p]!;
      if (l > 63 || p + l + 1 > n || o + l + 1 > 3 + MAX_NAME) return null;
      k[o++] = l;
      p++;
      for (let i = 0; i < l; i++) {
        const c = w[p++]!;
        k[o++] = c >= 0x41 && c <= 0x5a ? c | 0x20 : c; // ASCII only (RFC 4343 §3)
      }
      if (l === 0) break;
    }
    if (p + 4 > n || w[p + 2] !== 0 || w[p + 3] !== 1) return null;
    k[o++] = w[p]!;
    k[o++] = w[p + 1]!;
    p += 4;
    this.#s.questionEnd = p;
    let flags = (w[3]! & 0x10 ? FLAG_CD : 0) | (w[3]! & 0x20 ? FLAG_AD : 0);
    let udpSize = 0;
    if (ar === 1) {
      // OPT: root owner, TYPE 41, CLASS = UDP size, TTL = ext-rcode|version|DO|Z (RFC 6891 §6.1.2).
      if (p + 11 > n || w[p] !== 0 || w[p + 1] !== 0 || w[p + 2] !== OPT || w[p + 5] !== 0 || w[p + 6] !== 0) return null;
      udpSize = (w[p + 3]! << 8) | w[p + 4]!;
      if (w[p + 7]! & 0x80) flags |= FLAG_DO;
      const end = p + 11 + ((w[p + 9]! << 8) | w[p + 10]!);
      if (end !== n) return null;
      for (p += 11; p < end; p += 4 + ((w[p + 2]! << 8) | w[p + 3]!)) if (p + 4 > end) return null;
      if (p !== end) return null;
      flags |= FLAG_EDNS;
    } else if (p !== n) {
      return null;
    }
    const limit = limitOf(tcp, ar === 1, udpSize, this.#serverMax);
    k[0] = flags;
    k[1] = limit >> 8;
    k[2] = limit & 0xff;
    return k.toString('latin1', 0, o);
  }

  /** The reply for `w` from the cache, ready to send, or null on a miss. */
  lookup(w: Uint8Array, tcp: boolean): { wire: Buffer; entry: ReplyEntry } | null {
    const key = this.keyOf(w, tcp);
    if (key === null) return null;
    const e = this.#lru.get(key);
    if (e === undefined) return null;
    const out = Buffer.allocUnsafe(e.wire.length);
    e.wire.copy(out);
    out[0] = w[0]!;
    out[1] = w[1]!;
    out[2] = (out[2]! & 0xfe) | (w[2]! & 1); // RD is copied from the query (RFC 1035 §4.1.1)
    out.set(w.subarray(12, this.#s.questionEnd), 12);
    const elapsed = Math.floor((this.#clock.nowMs() - e.storedMs) / 1000);
    if (elapsed > 0) {
      for (const off of e.ttlOffsets) {
        const ttl = out.readUInt32BE(off);
        out.writeUInt32BE(ttl > elapsed ? ttl - elapsed : 0, off);
      }
    }
    return { wire: out, entry: e };
  }

  /**
   * Stores a reply respond.ts built for `query` (the caller decides that it is cacheable). Lives
   * for the smallest TTL in it, at most `answerTtlSec` (the resolver's), at most BOGUS_TTL_SEC for
   * bogus (RFC 4035 §4.7); a reply without TTLs is stored only as the bogus SERVFAIL. True if stored.
   */
  store(query: Uint8Array, tcp: boolean, reply: Uint8Array, o: { answerTtlSec: number; rcodeName: string; security: string }): boolean {
    const key = this.keyOf(query, tcp);
    const layout = key === null ? null : ttlLayout(reply);
    if (key === null || layout === null) return false;
    const bogus = o.security === 'bogus';
    let ttl = Math.min(layout.minTtl, o.answerTtlSec);
    if (bogus) ttl = Math.min(ttl, BOGUS_TTL_SEC);
    if (!(ttl > 0) || !Number.isFinite(ttl)) return false;
    const now = this.#clock.nowMs();
    const entry: ReplyEntry = {
      wire: Buffer.from(reply), ttlOffsets: layout.offsets, storedMs: now, rcodeName: o.rcodeName, security: o.security,
    };
    const size = reply.length + key.length * 2 + layout.offsets.byteLength + ENTRY_OVERHEAD_BYTES;
    return this.#lru.set(key, entry, size, now + ttl * 1000);
  }

  /** Drops everything (SIGHUP: new trust anchors may change what is secure or bogus). */
  clear(): void {
    this.#lru.clear();
  }
}
