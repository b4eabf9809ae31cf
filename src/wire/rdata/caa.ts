// caa.ts — CAA RDATA (RFC 8659 §4.1): flags (Issuer Critical is bit 0, value 128), tag
// (1–15 alphanumeric octets) and value (the rest, bytes).
import { RdataReader, RdataWriter } from './io.js';
import { quoteBytes } from './txt.js';

export interface CAARdata { readonly type: 'CAA'; readonly flags: number; readonly tag: string; readonly value: Uint8Array }

export const CAA_FLAG_CRITICAL = 0x80;

export function decodeCAA(rd: Uint8Array): CAARdata | null {
  const r = new RdataReader(rd);
  const flags = r.u8();
  const tagBytes = r.charString();
  const value = r.rest();
  if (!r.ok || tagBytes.length === 0) return null;
  return { type: 'CAA', flags, tag: String.fromCharCode(...tagBytes), value };
}

export function encodeCAA(c: CAARdata): Uint8Array {
  const tag = Uint8Array.from(c.tag, (ch) => ch.charCodeAt(0) & 0xff);
  return new RdataWriter().u8(c.flags).charString(tag).bytes(c.value).finish();
}

export function caaToText(c: CAARdata): string {
  return `${c.flags} ${c.tag} ${quoteBytes(c.value)}`;
}
