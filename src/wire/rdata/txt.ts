// txt.ts — TXT RDATA (RFC 1035 §3.3.14): one or more <character-string>s, kept as bytes (not
// decoded as UTF-8). Also the quoted-string printer shared with CAA, escaping like ldns.
import { InvalidArgumentError } from '../../util/errors.js';
import { RdataReader, RdataWriter } from './io.js';

export interface TXTRdata { readonly type: 'TXT'; readonly strings: readonly Uint8Array[] }

export function decodeTXT(rd: Uint8Array): TXTRdata | null {
  if (rd.length === 0) return null; // at least one string (RFC 1035 §3.3.14)
  const r = new RdataReader(rd);
  const strings: Uint8Array[] = [];
  while (!r.failed && r.remaining > 0) strings.push(r.charString());
  return r.ok ? { type: 'TXT', strings } : null;
}

export function encodeTXT(t: TXTRdata): Uint8Array {
  const w = new RdataWriter();
  for (const s of t.strings) {
    if (s.length > 255) throw new InvalidArgumentError(`TXT string of ${s.length} octets exceeds 255 (RFC 1035 §3.3)`);
    w.charString(s);
  }
  return w.finish();
}

/** Quoted presentation of bytes: `"` and `\` escaped, non-printable bytes as \DDD (tab kept). */
export function quoteBytes(b: Uint8Array): string {
  let s = '"';
  for (const c of b) {
    if (c === 0x22 || c === 0x5c) s += '\\' + String.fromCharCode(c);
    else if ((c >= 0x20 && c < 0x7f) || c === 0x09) s += String.fromCharCode(c);
    else s += '\\' + String(c).padStart(3, '0');
  }
  return s + '"';
}

export function txtToText(t: TXTRdata): string {
  return t.strings.map(quoteBytes).join(' ');
}

/** The strings joined and decoded as UTF-8 (SPF/DKIM style consumers, RFC 7208 §3.3). */
export function txtJoined(t: TXTRdata): string {
  return t.strings.map((s) => Buffer.from(s).toString('utf8')).join('');
}
