// io.ts — bounded RDATA reader and growable writer (dnspython `restrict_to` style): a decoder
// must consume the RDATA exactly (RFC 1035 §3.2.1 RDLENGTH), otherwise it reports failure
// instead of throwing. Names inside RDATA are already uncompressed (the native parser expands them).
import { Name } from '../name.js';

/** Reads big-endian fields from one RDATA; any overrun sets `failed` and returns zeros. */
export class RdataReader {
  readonly buf: Uint8Array;
  pos = 0;
  failed = false;

  constructor(buf: Uint8Array) {
    this.buf = buf;
  }

  #need(n: number): boolean {
    if (this.failed || this.pos + n > this.buf.length) {
      this.failed = true;
      return false;
    }
    return true;
  }

  u8(): number {
    if (!this.#need(1)) return 0;
    return this.buf[this.pos++] ?? 0;
  }

  u16(): number {
    if (!this.#need(2)) return 0;
    const v = ((this.buf[this.pos] ?? 0) << 8) | (this.buf[this.pos + 1] ?? 0);
    this.pos += 2;
    return v;
  }

  u32(): number {
    if (!this.#need(4)) return 0;
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return (((b[p] ?? 0) << 24) | ((b[p + 1] ?? 0) << 16) | ((b[p + 2] ?? 0) << 8) | (b[p + 3] ?? 0)) >>> 0;
  }

  /** The next n bytes, as a view into the RDATA (decoded RDATA never copies; see message.ts). */
  bytes(n: number): Uint8Array {
    if (!this.#need(n)) return new Uint8Array(0);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Everything left (a view). */
  rest(): Uint8Array {
    return this.bytes(this.buf.length - this.pos);
  }

  /** One <character-string>: a length octet then that many bytes (RFC 1035 §3.3). */
  charString(): Uint8Array {
    return this.bytes(this.u8());
  }

  /** One uncompressed domain name. */
  name(): Name {
    if (this.failed) return Name.ROOT;
    const r = Name.fromWire(this.buf, this.pos, false);
    if (r === null) {
      this.failed = true;
      return Name.ROOT;
    }
    this.pos = r.end;
    return r.name;
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  /** True when decoding succeeded and consumed every byte. */
  get ok(): boolean {
    return !this.failed && this.pos === this.buf.length;
  }
}

/** Appends big-endian fields to a growing buffer. */
export class RdataWriter {
  #buf = new Uint8Array(64);
  #len = 0;

  #grow(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    const next = new Uint8Array(Math.max(this.#buf.length * 2, this.#len + n));
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
  }

  u8(v: number): this {
    this.#grow(1);
    this.#buf[this.#len++] = v & 0xff;
    return this;
  }

  u16(v: number): this {
    this.#grow(2);
    this.#buf[this.#len++] = (v >>> 8) & 0xff;
    this.#buf[this.#len++] = v & 0xff;
    return this;
  }

  u32(v: number): this {
    this.#grow(4);
    this.#buf[this.#len++] = (v >>> 24) & 0xff;
    this.#buf[this.#len++] = (v >>> 16) & 0xff;
    this.#buf[this.#len++] = (v >>> 8) & 0xff;
    this.#buf[this.#len++] = v & 0xff;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.#grow(b.length);
    this.#buf.set(b, this.#len);
    this.#len += b.length;
    return this;
  }

  /** A <character-string>; the caller guarantees length ≤ 255. */
  charString(b: Uint8Array): this {
    return this.u8(b.length).bytes(b);
  }

  name(n: Name): this {
    return this.bytes(n.wire);
  }

  get length(): number {
    return this.#len;
  }

  /** The bytes written so far (a copy). */
  finish(): Uint8Array {
    return this.#buf.slice(0, this.#len);
  }
}
