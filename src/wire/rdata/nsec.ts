// nsec.ts — NSEC RDATA (RFC 4034 §4.1): the next owner name (uncompressed, RFC 4034 §4.1.1) and
// the types present at the owner.
import type { Name } from '../name.js';
import { RdataReader, RdataWriter } from './io.js';
import { decodeTypeBitmap, encodeTypeBitmap, typeListToText } from './typebitmap.js';

export interface NSECRdata { readonly type: 'NSEC'; readonly next: Name; readonly types: readonly number[] }

export function decodeNSEC(rd: Uint8Array): NSECRdata | null {
  const r = new RdataReader(rd);
  const next = r.name();
  const types = decodeTypeBitmap(r.rest());
  return r.ok && types !== null ? { type: 'NSEC', next, types } : null;
}

export function encodeNSEC(n: NSECRdata): Uint8Array {
  return new RdataWriter().name(n.next).bytes(encodeTypeBitmap(n.types)).finish();
}

export function nsecToText(n: NSECRdata): string {
  const t = typeListToText(n.types);
  return t === '' ? n.next.toText() : `${n.next.toText()} ${t}`;
}
