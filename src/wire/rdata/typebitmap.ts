// typebitmap.ts — the NSEC/NSEC3 Type Bit Maps field (RFC 4034 §4.1.2, RFC 5155 §3.2.1): windows
// in increasing order, 1–32 octet bitmaps without trailing zero octets. Decodes to a sorted list.
import { typeToText } from '../constants.js';

/** Decodes a bitmap field; null when windows are out of order, empty or too long. */
export function decodeTypeBitmap(b: Uint8Array): number[] | null {
  const types: number[] = [];
  let p = 0;
  let lastWindow = -1;
  while (p < b.length) {
    if (p + 2 > b.length) return null;
    const window = b[p] ?? 0;
    const len = b[p + 1] ?? 0;
    if (window <= lastWindow || len < 1 || len > 32 || p + 2 + len > b.length) return null;
    for (let i = 0; i < len; i++) {
      const byte = b[p + 2 + i] ?? 0;
      for (let bit = 0; bit < 8; bit++) if (byte & (0x80 >> bit)) types.push(window * 256 + i * 8 + bit);
    }
    lastWindow = window;
    p += 2 + len;
  }
  return types;
}

/** Encodes a list of types (any order, duplicates allowed) into the canonical bitmap field. */
export function encodeTypeBitmap(types: readonly number[]): Uint8Array {
  const sorted = [...new Set(types)].sort((a, b) => a - b);
  const out: number[] = [];
  let i = 0;
  while (i < sorted.length) {
    const window = (sorted[i] ?? 0) >> 8;
    const bits = new Uint8Array(32);
    let maxByte = 0;
    while (i < sorted.length && (sorted[i] ?? 0) >> 8 === window) {
      const low = (sorted[i] ?? 0) & 0xff;
      bits[low >> 3]! |= 0x80 >> (low & 7);
      maxByte = Math.max(maxByte, low >> 3);
      i++;
    }
    out.push(window, maxByte + 1, ...bits.subarray(0, maxByte + 1));
  }
  return Uint8Array.from(out);
}

/** Mnemonics separated by spaces. */
export function typeListToText(types: readonly number[]): string {
  return types.map(typeToText).join(' ');
}
