// names.ts — RDATA that is a single domain name: NS (RFC 1035 §3.3.11), CNAME (§3.3.1),
// PTR (§3.3.12) and DNAME (RFC 6672 §2.1). The name arrives already uncompressed.
import type { Name } from '../name.js';
import { RdataReader } from './io.js';

export type NameRdataType = 'NS' | 'CNAME' | 'PTR' | 'DNAME';
export interface NameRdata { readonly type: NameRdataType; readonly target: Name }

export function decodeNameRdata(type: NameRdataType, rd: Uint8Array): NameRdata | null {
  const r = new RdataReader(rd);
  const target = r.name();
  return r.ok ? { type, target } : null;
}

export function encodeNameRdata(r: NameRdata): Uint8Array {
  return r.target.wire.slice();
}

export function nameRdataToText(r: NameRdata): string {
  return r.target.toText();
}
