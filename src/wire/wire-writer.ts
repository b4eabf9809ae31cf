// wire-writer.ts — the byte writer behind MessageBuilder: big-endian fields into a growable
// buffer, name compression (RFC 1035 §4.1.4) by exact-suffix match, RDATA name compression only
// for the RFC 1035 types (RFC 3597 §4), and rollback of a partly written RRset (RFC 2181 §9).
import { COMPRESSIBLE_RDATA_TYPES, RRType } from './constants.js';
import type { ResourceRecord } from './message.js';
import { Name } from './name.js';

/** Writes one message; `names` maps suffix hashes to the offset of their first copy. */
export class WireWriter {
  buf: Uint8Array;
  len = 0;
  readonly names = new Map<number, number>();
  readonly compress: boolean;

  /** `initialBytes`: the first buffer (a caller that knows an upper bound avoids regrowing). */
  constructor(compress: boolean, initialBytes = 512) {
    this.compress = compress;
    this.buf = new Uint8Array(initialBytes);
  }

  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  u16(v: number): void {
    this.ensure(2);
    this.buf[this.len++] = (v >>> 8) & 0xff;
    this.buf[this.len++] = v & 0xff;
  }

  u32(v: number): void {
    this.u16(v >>> 16);
    this.u16(v & 0xffff);
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /**
   * Writes a name, pointing at an earlier copy of its longest known suffix (RFC 1035 §4.1.4).
   * Suffixes are found by a numeric hash of their exact bytes (case-sensitive, so every name keeps
   * its own case) and confirmed against the bytes already written.
   */
  name(n: Name, compress: boolean, added: number[]): void {
    const w = n.wire;
    if (!compress || !this.compress) {
      this.bytes(w);
      return;
    }
    const offs: number[] = [];
    let end = 0;
    while ((w[end] ?? 0) !== 0) {
      offs.push(end);
      end += 1 + (w[end] ?? 0);
    }
    const hashes = new Array<number>(offs.length);
    let h = 0x811c9dc5;
    for (let i = offs.length - 1; i >= 0; i--) {
      const stop = offs[i + 1] ?? end;
      for (let k = offs[i] ?? 0; k < stop; k++) h = Math.imul(h ^ (w[k] ?? 0), 16777619);
      hashes[i] = h >>> 0;
    }
    for (let i = 0; i < offs.length; i++) {
      const hash = hashes[i] ?? 0;
      const at = this.names.get(hash);
      if (at !== undefined && this.#sameSuffix(at, w, offs[i] ?? 0)) {
        this.u16(0xc000 | at);
        return;
      }
      if (at === undefined && this.len < 0x3fff) {
        this.names.set(hash, this.len);
        added.push(hash);
      }
      const o = offs[i] ?? 0;
      this.bytes(w.subarray(o, o + 1 + (w[o] ?? 0)));
    }
    this.ensure(1);
    this.buf[this.len++] = 0;
  }

  /** True when the name written at `at` (following pointers) equals w from `off` on, byte for byte. */
  #sameSuffix(at: number, w: Uint8Array, off: number): boolean {
    const b = this.buf;
    for (let hops = 0; hops < 128; ) {
      const len = b[at] ?? 0;
      if ((len & 0xc0) === 0xc0) {
        at = ((len & 0x3f) << 8) | (b[at + 1] ?? 0);
        hops++;
        continue;
      }
      if (len !== w[off]) return false;
      if (len === 0) return true;
      for (let k = 1; k <= len; k++) if (b[at + k] !== w[off + k]) return false;
      at += 1 + len;
      off += 1 + len;
    }
    return false;
  }

  /** RDATA, compressing the embedded names of the RFC 1035 types only (RFC 3597 §4). */
  rdata(type: number, rd: Uint8Array, added: number[]): void {
    if (!this.compress || !COMPRESSIBLE_RDATA_TYPES.has(type)) {
      this.bytes(rd);
      return;
    }
    let p = type === RRType.MX ? 2 : 0;
    this.bytes(rd.subarray(0, p));
    const count = type === RRType.SOA ? 2 : 1;
    for (let i = 0; i < count; i++) {
      const r = Name.fromWire(rd, p);
      if (r === null) {
        this.bytes(rd.subarray(p));
        return;
      }
      this.name(r.name, true, added);
      p = r.end;
    }
    this.bytes(rd.subarray(p));
  }

  record(r: ResourceRecord, added: number[]): void {
    this.name(r.name, true, added);
    this.u16(r.type);
    this.u16(r.class);
    this.u32(r.ttl >>> 0);
    const lenAt = this.len;
    this.u16(0);
    this.rdata(r.type, r.rdata, added);
    const rdlen = this.len - lenAt - 2;
    this.buf[lenAt] = rdlen >>> 8;
    this.buf[lenAt + 1] = rdlen & 0xff;
  }

  rollback(to: number, added: number[]): void {
    this.len = to;
    for (const k of added) this.names.delete(k);
  }
}
