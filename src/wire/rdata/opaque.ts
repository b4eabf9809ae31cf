// opaque.ts — RDATA of types we do not decode, kept as bytes and printed in the RFC 3597 §5
// generic form `\# <length> <hex>`. Also the fallback when a known type's RDATA is malformed.
import { toHex } from '../../util/bytes.js';

export interface OpaqueRdata {
  readonly type: 'OPAQUE';
  readonly rrtype: number;
  readonly data: Uint8Array;
  /** True when the type is one we decode but these bytes did not parse. */
  readonly malformed: boolean;
}

export function decodeOpaque(rrtype: number, rd: Uint8Array, malformed = false): OpaqueRdata {
  return { type: 'OPAQUE', rrtype, data: rd, malformed };
}

export function opaqueToText(o: OpaqueRdata): string {
  return o.data.length === 0 ? '\\# 0' : `\\# ${o.data.length} ${toHex(o.data)}`;
}
