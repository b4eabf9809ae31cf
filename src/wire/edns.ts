// edns.ts — EDNS(0) (RFC 6891): the OPT pseudo-RR's fields (UDP size in CLASS; extended RCODE,
// version, DO in TTL, §6.1.3) and the options we give meaning to: Extended DNS Errors (RFC 8914
// §2), cookies (RFC 7873 §4), padding (RFC 7830) with the RFC 8467 §4.1 block-length policy.
import { EdnsOption } from './constants.js';
import { type RawEdnsOption, decodeOptRdata, encodeOptRdata } from './rdata/opt.js';

export type { RawEdnsOption } from './rdata/opt.js';

/** One Extended DNS Error: INFO-CODE and the optional UTF-8 EXTRA-TEXT (RFC 8914 §2). */
export interface ExtendedError { readonly code: number; readonly text: string }

/** A DNS cookie: 8-byte client part and, in responses, an 8–32-byte server part (RFC 7873 §4). */
export interface Cookie { readonly client: Uint8Array; readonly server?: Uint8Array }

/** The decoded OPT record. */
export interface Edns {
  readonly udpSize: number;
  /** Upper 8 bits of the 12-bit RCODE (RFC 6891 §6.1.3). */
  readonly extendedRcode: number;
  readonly version: number;
  readonly dnssecOk: boolean;
  /** The remaining 15 Z bits (must be zero when sent, ignored when received). */
  readonly z: number;
  readonly options: readonly RawEdnsOption[];
  readonly extendedErrors: readonly ExtendedError[];
  readonly cookie?: Cookie;
  /** Length of the padding option data, when present. */
  readonly paddingBytes?: number;
}

/** RFC 8467 §4.1 recommended block lengths. */
export const PADDING_BLOCK_QUERY = 128;
export const PADDING_BLOCK_RESPONSE = 468;

const DO_BIT = 0x8000;

/** Decodes an EDE option; null when shorter than the 2-octet INFO-CODE. */
export function decodeExtendedError(data: Uint8Array): ExtendedError | null {
  if (data.length < 2) return null;
  const code = ((data[0] ?? 0) << 8) | (data[1] ?? 0);
  // RFC 8914 §2: EXTRA-TEXT is UTF-8 and "SHOULD NOT be NUL-terminated"; drop a stray NUL.
  let text = Buffer.from(data.subarray(2)).toString('utf8');
  if (text.endsWith('\0')) text = text.slice(0, -1);
  return { code, text };
}

export function encodeExtendedError(e: ExtendedError): Uint8Array {
  const text = Buffer.from(e.text, 'utf8');
  const out = new Uint8Array(2 + text.length);
  out[0] = e.code >> 8;
  out[1] = e.code & 0xff;
  out.set(text, 2);
  return out;
}

/** Decodes a COOKIE option; null unless 8 octets or 16–40 octets (RFC 7873 §4). */
export function decodeCookie(data: Uint8Array): Cookie | null {
  if (data.length === 8) return { client: data.slice() };
  if (data.length >= 16 && data.length <= 40) return { client: data.slice(0, 8), server: data.slice(8) };
  return null;
}

export function encodeCookie(c: Cookie): Uint8Array {
  const out = new Uint8Array(8 + (c.server?.length ?? 0));
  out.set(c.client.subarray(0, 8));
  if (c.server !== undefined) out.set(c.server, 8);
  return out;
}

/**
 * Option data length that pads a message of `unpaddedLen` octets (OPT without padding already
 * counted) to a multiple of `blockLen`, accounting for the 4-octet option header (RFC 8467 §4.1).
 */
export function paddingLength(unpaddedLen: number, blockLen: number): number {
  if (blockLen <= 1) return 0;
  return (blockLen - ((unpaddedLen + 4) % blockLen)) % blockLen;
}

/** Decodes the OPT record from its CLASS and TTL fields and RDATA; null when the RDATA is malformed. */
export function decodeEdns(classField: number, ttlField: number, rdata: Uint8Array): Edns | null {
  const options = decodeOptRdata(rdata);
  if (options === null) return null;
  const extendedErrors: ExtendedError[] = [];
  let cookie: Cookie | undefined;
  let paddingBytes: number | undefined;
  for (const o of options) {
    if (o.code === EdnsOption.EDE) {
      const e = decodeExtendedError(o.data);
      if (e !== null) extendedErrors.push(e);
    } else if (o.code === EdnsOption.COOKIE && cookie === undefined) {
      cookie = decodeCookie(o.data) ?? undefined;
    } else if (o.code === EdnsOption.PADDING) {
      paddingBytes = o.data.length;
    }
  }
  return {
    udpSize: classField,
    extendedRcode: ttlField >>> 24,
    version: (ttlField >>> 16) & 0xff,
    dnssecOk: (ttlField & DO_BIT) !== 0,
    z: ttlField & 0x7fff,
    options,
    extendedErrors,
    ...(cookie !== undefined ? { cookie } : {}),
    ...(paddingBytes !== undefined ? { paddingBytes } : {}),
  };
}

/** What a sender chooses for its OPT record. */
export interface EdnsParams {
  readonly udpSize?: number;
  /** Full 12-bit RCODE; only the upper 8 bits go into OPT. */
  readonly rcode?: number;
  readonly version?: number;
  readonly dnssecOk?: boolean;
  readonly cookie?: Cookie;
  readonly extendedErrors?: readonly ExtendedError[];
  /** Other options, written as given (before cookie/EDE). */
  readonly options?: readonly RawEdnsOption[];
}

/** Default UDP payload size: the DNS Flag Day 2020 value (avoids IP fragmentation). */
export const DEFAULT_EDNS_UDP_SIZE = 1232;

/** The CLASS, TTL and RDATA of an OPT record for `p` (padding is added by the encoder). */
export function encodeEdns(p: EdnsParams): { classField: number; ttlField: number; options: RawEdnsOption[] } {
  const options: RawEdnsOption[] = [...(p.options ?? [])];
  if (p.cookie !== undefined) options.push({ code: EdnsOption.COOKIE, data: encodeCookie(p.cookie) });
  for (const e of p.extendedErrors ?? []) options.push({ code: EdnsOption.EDE, data: encodeExtendedError(e) });
  const ttlField = ((((p.rcode ?? 0) >>> 4) & 0xff) << 24 | ((p.version ?? 0) & 0xff) << 16 | (p.dnssecOk === true ? DO_BIT : 0)) >>> 0;
  return { classField: p.udpSize ?? DEFAULT_EDNS_UDP_SIZE, ttlField, options };
}

export { encodeOptRdata };
