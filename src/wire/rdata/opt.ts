// opt.ts — the OPT pseudo-RR RDATA (RFC 6891 §6.1.2): a sequence of {OPTION-CODE, OPTION-LENGTH,
// OPTION-DATA} triples, kept raw here; edns.ts gives the options their meaning.
import { RdataReader, RdataWriter } from './io.js';

export interface RawEdnsOption { readonly code: number; readonly data: Uint8Array }

/** Splits OPT RDATA into options; null when a length runs past the end. */
export function decodeOptRdata(rd: Uint8Array): RawEdnsOption[] | null {
  const r = new RdataReader(rd);
  const out: RawEdnsOption[] = [];
  while (!r.failed && r.remaining > 0) {
    const code = r.u16();
    const data = r.bytes(r.u16());
    out.push({ code, data });
  }
  return r.ok ? out : null;
}

export function encodeOptRdata(options: readonly RawEdnsOption[]): Uint8Array {
  const w = new RdataWriter();
  for (const o of options) w.u16(o.code).u16(o.data.length).bytes(o.data);
  return w.finish();
}
