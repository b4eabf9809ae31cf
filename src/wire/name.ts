// name.ts — Name: an immutable domain name held as uncompressed wire labels (RFC 1035 §3.1), never
// as a dotted string. Text form with `\.` and `\DDD` escapes (RFC 1035 §5.1) printed like ldns;
// case-insensitive equality (RFC 4343) and canonical order (RFC 4034 §6.1).
import { InvalidArgumentError } from '../util/errors.js';

/** RFC 1035 §2.3.4 limits. */
export const MAX_LABEL_BYTES = 63;
export const MAX_NAME_BYTES = 255;

function lowerByte(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

/** An immutable domain name. `wire` is the uncompressed wire form ending in the root label. */
export class Name {
  /** Uncompressed wire form; never mutate. */
  readonly wire: Uint8Array;
  #offsets: number[] | undefined;
  #key: string | undefined;

  private constructor(wire: Uint8Array) {
    this.wire = wire;
  }

  /** The root name `.`. */
  static readonly ROOT: Name = new Name(Uint8Array.of(0));

  /** Wraps wire bytes that are already known to be one well-formed uncompressed name. */
  static fromWireUnchecked(wire: Uint8Array): Name {
    return new Name(wire);
  }

  /**
   * Reads one uncompressed name at `offset`. Returns the name and the offset after it, or null
   * when the bytes are not a well-formed name (bad label type, over 255 octets, runs past the end).
   * With `copy` false the name is a view into `buf` (which must then never change).
   */
  static fromWire(buf: Uint8Array, offset = 0, copy = true): { name: Name; end: number } | null {
    let p = offset;
    for (;;) {
      if (p >= buf.length) return null;
      const len = buf[p] ?? 0;
      if (len > MAX_LABEL_BYTES) return null;
      p += 1 + len;
      if (p - offset > MAX_NAME_BYTES) return null;
      if (len === 0) break;
    }
    if (p > buf.length) return null;
    return { name: new Name(copy ? buf.slice(offset, p) : buf.subarray(offset, p)), end: p };
  }

  /** Builds a name from label byte strings (leftmost first, root excluded). */
  static fromLabels(labels: readonly Uint8Array[]): Name {
    let len = 1;
    for (const l of labels) {
      if (l.length === 0 || l.length > MAX_LABEL_BYTES) throw new InvalidArgumentError(`label length ${l.length} not in 1..63`);
      len += 1 + l.length;
    }
    if (len > MAX_NAME_BYTES) throw new InvalidArgumentError(`name of ${len} octets exceeds 255`);
    const wire = new Uint8Array(len);
    let p = 0;
    for (const l of labels) {
      wire[p] = l.length;
      wire.set(l, p + 1);
      p += 1 + l.length;
    }
    return new Name(wire);
  }

  /**
   * Parses presentation text. A name without a trailing dot is relative to `origin` (default the
   * root); `@` is the origin. Throws InvalidArgumentError on empty labels, bad escapes or lengths.
   */
  static fromText(text: string, origin: Name = Name.ROOT): Name {
    if (text === '@') return origin;
    if (text === '.') return Name.ROOT;
    const labels: Uint8Array[] = [];
    let cur: number[] = [];
    let absolute = false;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 0x2e) {
        if (cur.length === 0) throw new InvalidArgumentError(`empty label in ${JSON.stringify(text)}`);
        labels.push(Uint8Array.from(cur));
        cur = [];
        if (i === text.length - 1) absolute = true;
      } else if (ch === 0x5c) {
        const d = /^\d{3}/.exec(text.slice(i + 1, i + 4));
        if (d !== null) {
          const v = Number(d[0]);
          if (v > 255) throw new InvalidArgumentError(`bad escape \\${d[0]} in ${JSON.stringify(text)}`);
          cur.push(v);
          i += 3;
        } else {
          if (i + 1 >= text.length) throw new InvalidArgumentError(`dangling backslash in ${JSON.stringify(text)}`);
          cur.push(text.charCodeAt(++i) & 0xff);
        }
      } else {
        if (ch > 0x7f) throw new InvalidArgumentError(`non-ASCII character in ${JSON.stringify(text)} (use punycode)`);
        cur.push(ch);
      }
    }
    if (cur.length > 0) labels.push(Uint8Array.from(cur));
    const own = Name.fromLabels(labels);
    return absolute || text.length === 0 ? own : own.concat(origin);
  }

  #labelOffsets(): number[] {
    if (this.#offsets === undefined) {
      const offs: number[] = [];
      let p = 0;
      while ((this.wire[p] ?? 0) !== 0) {
        offs.push(p);
        p += 1 + (this.wire[p] ?? 0);
      }
      this.#offsets = offs;
    }
    return this.#offsets;
  }

  /** Number of labels, root excluded. With `excludeWildcard`, a leading `*` is not counted (RFC 4034 §3.1.3). */
  labelCount(excludeWildcard = false): number {
    const n = this.#labelOffsets().length;
    return excludeWildcard && this.isWildcard() ? n - 1 : n;
  }

  /** Label byte strings, leftmost first, root excluded (views into `wire`). */
  labels(): Uint8Array[] {
    return this.#labelOffsets().map((o) => this.wire.subarray(o + 1, o + 1 + (this.wire[o] ?? 0)));
  }

  /** True when the leftmost label is `*` (RFC 4592). */
  isWildcard(): boolean {
    return this.wire[0] === 1 && this.wire[1] === 0x2a;
  }

  /** True for the root name. */
  isRoot(): boolean {
    return this.wire.length === 1;
  }

  /** The same name in lower case (ASCII only, RFC 4034 §6.2). */
  lower(): Name {
    let changed = false;
    const out = new Uint8Array(this.wire);
    for (const o of this.#labelOffsets()) {
      for (let i = o + 1; i <= o + (out[o] ?? 0); i++) {
        const c = out[i] ?? 0;
        const l = lowerByte(c);
        if (l !== c) {
          out[i] = l;
          changed = true;
        }
      }
    }
    return changed ? new Name(out) : this;
  }

  /** Case-insensitive equality (RFC 4343 §3). */
  equals(other: Name): boolean {
    const a = this.wire;
    const b = other.wire;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (lowerByte(a[i] ?? 0) !== lowerByte(b[i] ?? 0)) return false;
    return true;
  }

  /**
   * Canonical DNS name order (RFC 4034 §6.1): compare labels right to left, each label as
   * lower-cased octets, a label that is a prefix of the other sorts first.
   */
  compare(other: Name): number {
    const la = this.labels();
    const lb = other.labels();
    let i = la.length - 1;
    let j = lb.length - 1;
    for (; i >= 0 && j >= 0; i--, j--) {
      const a = la[i]!;
      const b = lb[j]!;
      const n = Math.min(a.length, b.length);
      for (let k = 0; k < n; k++) {
        const d = lowerByte(a[k] ?? 0) - lowerByte(b[k] ?? 0);
        if (d !== 0) return d < 0 ? -1 : 1;
      }
      if (a.length !== b.length) return a.length < b.length ? -1 : 1;
    }
    if (i < 0 && j < 0) return 0;
    return i < 0 ? -1 : 1;
  }

  /** True when this name equals `ancestor` or lies below it. */
  isSubdomainOf(ancestor: Name): boolean {
    const skip = this.labelCount() - ancestor.labelCount();
    if (skip < 0) return false;
    const start = this.#labelOffsets()[skip] ?? this.wire.length - 1;
    const tail = this.wire.subarray(start);
    if (tail.length !== ancestor.wire.length) return false;
    for (let i = 0; i < tail.length; i++) if (lowerByte(tail[i] ?? 0) !== lowerByte(ancestor.wire[i] ?? 0)) return false;
    return true;
  }

  /** The name with the leftmost `n` labels removed (default 1); the root's parent is the root. */
  parent(n = 1): Name {
    const offs = this.#labelOffsets();
    if (n >= offs.length) return Name.ROOT;
    return new Name(this.wire.slice(offs[n] ?? 0));
  }

  /** This (relative part) followed by `suffix`. Throws when the result exceeds 255 octets. */
  concat(suffix: Name): Name {
    const len = this.wire.length - 1 + suffix.wire.length;
    if (len > MAX_NAME_BYTES) throw new InvalidArgumentError(`name of ${len} octets exceeds 255`);
    const out = new Uint8Array(len);
    out.set(this.wire.subarray(0, this.wire.length - 1), 0);
    out.set(suffix.wire, this.wire.length - 1);
    return new Name(out);
  }

  /** Presentation form, absolute (trailing dot), escaped like ldns (RFC 1035 §5.1). */
  toText(): string {
    if (this.isRoot()) return '.';
    let s = '';
    for (const label of this.labels()) {
      for (const c of label) {
        // '.', ';', '(', ')' and '\\' are special in zone files (ldns escapes exactly these);
        // other non-graphic bytes use \DDD.
        if (c === 0x2e || c === 0x3b || c === 0x28 || c === 0x29 || c === 0x5c) s += '\\' + String.fromCharCode(c);
        else if (c <= 0x20 || c >= 0x7f) s += '\\' + String(c).padStart(3, '0');
        else s += String.fromCharCode(c);
      }
      s += '.';
    }
    return s;
  }

  /** Same as toText(). */
  toString(): string {
    return this.toText();
  }

  /** A case-insensitive identity for Map keys: the lower-cased wire form as a latin1 string (cached). */
  key(): string {
    if (this.#key === undefined) {
      let k = '';
      const w = this.wire;
      for (let i = 0; i < w.length; i++) k += String.fromCharCode(lowerByte(w[i] ?? 0));
      this.#key = k;
    }
    return this.#key;
  }
}
