// bytes.ts — Uint8Array helpers with no DNS meaning: equality, unsigned lexicographic compare,
// concatenation, hex / base64 / base32hex (RFC 4648 §6, §7) codecs and big-endian readers.
// Decoders of text throw InvalidArgumentError: their input is programmer or configuration data.
import { InvalidArgumentError } from './errors.js';

/** True when both arrays hold the same bytes. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Unsigned lexicographic order; a shorter prefix sorts first (RFC 4034 §6.3 RDATA order). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Concatenates the parts into one new array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

const HEX = '0123456789abcdef';

/** Lower-case hex, no separators. */
export function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    const v = b[i] ?? 0;
    s += HEX[v >> 4]! + HEX[v & 15]!;
  }
  return s;
}

/** Parses hex (either case; whitespace ignored). */
export function fromHex(text: string): Uint8Array {
  const s = text.replace(/\s+/g, '');
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) throw new InvalidArgumentError(`not hex: ${text}`);
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Standard base64 with padding (RFC 4648 §4). */
export function toBase64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

/** Parses standard base64 (whitespace ignored); rejects other characters. */
export function fromBase64(text: string): Uint8Array {
  const s = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 === 1) throw new InvalidArgumentError(`not base64: ${text}`);
  return new Uint8Array(Buffer.from(s, 'base64'));
}

const B32HEX = '0123456789abcdefghijklmnopqrstuv';

/** Base32hex without padding, lower case, as NSEC3 owner labels and next-hashed fields use (RFC 5155 §3.3). */
export function toBase32Hex(b: Uint8Array): string {
  let out = '';
  let bits = 0;
  let acc = 0;
  for (let i = 0; i < b.length; i++) {
    acc = (acc << 8) | (b[i] ?? 0);
    bits += 8;
    while (bits >= 5) {
      out += B32HEX[(acc >>> (bits - 5)) & 31]!;
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += B32HEX[(acc << (5 - bits)) & 31]!;
  return out;
}

/** Parses base32hex (either case, optional '=' padding). */
export function fromBase32Hex(text: string): Uint8Array {
  const s = text.replace(/=+$/, '').toLowerCase();
  const out: number[] = [];
  let bits = 0;
  let acc = 0;
  for (const ch of s) {
    const v = B32HEX.indexOf(ch);
    if (v < 0) throw new InvalidArgumentError(`not base32hex: ${text}`);
    acc = ((acc << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((acc >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Uint8Array.from(out);
}

/** Big-endian u16 at off (caller checks bounds). */
export function readU16(b: Uint8Array, off: number): number {
  return ((b[off] ?? 0) << 8) | (b[off + 1] ?? 0);
}

/** Big-endian u32 at off (caller checks bounds). */
export function readU32(b: Uint8Array, off: number): number {
  return (((b[off] ?? 0) << 24) | ((b[off + 1] ?? 0) << 16) | ((b[off + 2] ?? 0) << 8) | (b[off + 3] ?? 0)) >>> 0;
}

/** Writes a big-endian u16 at off. */
export function writeU16(b: Uint8Array, off: number, v: number): void {
  b[off] = (v >>> 8) & 0xff;
  b[off + 1] = v & 0xff;
}

/** Writes a big-endian u32 at off. */
export function writeU32(b: Uint8Array, off: number, v: number): void {
  b[off] = (v >>> 24) & 0xff;
  b[off + 1] = (v >>> 16) & 0xff;
  b[off + 2] = (v >>> 8) & 0xff;
  b[off + 3] = v & 0xff;
}

/** A DataView over exactly the bytes of b. */
export function dataView(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}
