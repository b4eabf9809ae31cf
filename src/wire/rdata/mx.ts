// mx.ts — MX RDATA (RFC 1035 §3.3.9): PREFERENCE and EXCHANGE; RFC 7505 null MX is preference 0
// with the root as exchange.
import type { Name } from '../name.js';
import { RdataReader, RdataWriter } from './io.js';

export interface MXRdata { readonly type: 'MX'; readonly preference: number; readonly exchange: Name }

export function decodeMX(rd: Uint8Array): MXRdata | null {
  const r = new RdataReader(rd);
  const v: MXRdata = { type: 'MX', preference: r.u16(), exchange: r.name() };
  return r.ok ? v : null;
}

export function encodeMX(m: MXRdata): Uint8Array {
  return new RdataWriter().u16(m.preference).name(m.exchange).finish();
}

export function mxToText(m: MXRdata): string {
  return `${m.preference} ${m.exchange.toText()}`;
}
