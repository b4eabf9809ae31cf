// srv.ts — SRV RDATA (RFC 2782): priority, weight, port, target. The target is never compressed
// on output (RFC 2782 "Target"; RFC 3597 §4).
import type { Name } from '../name.js';
import { RdataReader, RdataWriter } from './io.js';

export interface SRVRdata {
  readonly type: 'SRV';
  readonly priority: number;
  readonly weight: number;
  readonly port: number;
  readonly target: Name;
}

export function decodeSRV(rd: Uint8Array): SRVRdata | null {
  const r = new RdataReader(rd);
  const v: SRVRdata = { type: 'SRV', priority: r.u16(), weight: r.u16(), port: r.u16(), target: r.name() };
  return r.ok ? v : null;
}

export function encodeSRV(s: SRVRdata): Uint8Array {
  return new RdataWriter().u16(s.priority).u16(s.weight).u16(s.port).name(s.target).finish();
}

export function srvToText(s: SRVRdata): string {
  return `${s.priority} ${s.weight} ${s.port} ${s.target.toText()}`;
}
