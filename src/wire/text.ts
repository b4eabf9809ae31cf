// text.ts — presentation format (RFC 1035 §5.1): dig-like printing of records and messages done
// in TypeScript for the types we decode (kept equal to ldns's output by a test), and zone-line
// parsing/printing through the native ldns wrappers (for anchors, fixtures and the CLI).
import { readU16, readU32 } from '../util/bytes.js';
import { rrFromText, rrToText } from '../native/text.js';
import { classToText, opcodeToText, rcodeToText, typeToText } from './constants.js';
import type { Edns } from './edns.js';
import { type Message, type Question, type ResourceRecord, RecordValue } from './message.js';
import { Name } from './name.js';
import { rdataToText } from './rdata/codec.js';

/** `owner TTL CLASS TYPE RDATA`, tab separated like ldns and dig. */
export function recordToText(r: ResourceRecord): string {
  return `${r.name.toText()}\t${r.ttl}\t${classToText(r.class)}\t${typeToText(r.type)}\t${rdataToText(r.decode())}`;
}

/** `owner CLASS TYPE` of a question. */
export function questionToText(q: Question): string {
  return `${q.name.toText()}\t${classToText(q.class)}\t${typeToText(q.type)}`;
}

function ednsToText(e: Edns): string[] {
  const lines = [`; EDNS: version: ${e.version}, flags:${e.dnssecOk ? ' do' : ''}; udp: ${e.udpSize}`];
  for (const x of e.extendedErrors) lines.push(`; EDE: ${x.code}${x.text !== '' ? ` (${x.text})` : ''}`);
  if (e.cookie !== undefined) {
    lines.push(`; COOKIE: ${Buffer.from(e.cookie.client).toString('hex')}${e.cookie.server !== undefined ? Buffer.from(e.cookie.server).toString('hex') : ''}`);
  }
  if (e.paddingBytes !== undefined) lines.push(`; PADDING: ${e.paddingBytes} bytes`);
  return lines;
}

/** A dig-like dump of a whole message. */
export function messageToText(m: Message): string {
  const flags = (['qr', 'aa', 'tc', 'rd', 'ra', 'ad', 'cd'] as const).filter((f) => m[f]).join(' ');
  const out = [
    `;; ->>HEADER<<- opcode: ${opcodeToText(m.opcode)}, status: ${rcodeToText(m.rcode)}, id: ${m.id}`,
    `;; flags: ${flags}; QUERY: ${m.question.length}, ANSWER: ${m.answer.length}, AUTHORITY: ${m.authority.length}, ADDITIONAL: ${m.additional.length + (m.edns !== undefined ? 1 : 0)}`,
  ];
  if (m.edns !== undefined) out.push('', ';; OPT PSEUDOSECTION:', ...ednsToText(m.edns));
  out.push('', ';; QUESTION SECTION:', ...m.question.map((q) => ';' + questionToText(q)));
  const sections: [string, readonly ResourceRecord[]][] = [['ANSWER', m.answer], ['AUTHORITY', m.authority], ['ADDITIONAL', m.additional]];
  for (const [title, recs] of sections) {
    if (recs.length > 0) out.push('', `;; ${title} SECTION:`, ...recs.map(recordToText));
  }
  return out.join('\n');
}

/** One record in uncompressed wire form: owner, type, class, TTL, RDLENGTH, RDATA. */
export function recordToWire(r: ResourceRecord): Uint8Array {
  const n = r.name.wire;
  const out = new Uint8Array(n.length + 10 + r.rdata.length);
  out.set(n, 0);
  const v = new DataView(out.buffer);
  v.setUint16(n.length, r.type);
  v.setUint16(n.length + 2, r.class);
  v.setUint32(n.length + 4, r.ttl >>> 0);
  v.setUint16(n.length + 8, r.rdata.length);
  out.set(r.rdata, n.length + 10);
  return out;
}

/** Parses one uncompressed wire RR (as recordToWire writes it); null when malformed. */
export function recordFromWire(rr: Uint8Array): RecordValue | null {
  const owner = Name.fromWire(rr, 0);
  if (owner === null || owner.end + 10 > rr.length) return null;
  const p = owner.end;
  const rdlen = readU16(rr, p + 8);
  if (p + 10 + rdlen !== rr.length) return null;
  return new RecordValue(owner.name, readU16(rr, p), readU16(rr, p + 2), readU32(rr, p + 4), rr.slice(p + 10));
}

export type RecordFromTextResult = { ok: true; record: RecordValue } | { ok: false; error: string };

/** Parses one zone-file line with ldns; relative names are completed with `origin`. */
export function recordFromText(line: string, origin: Name = Name.ROOT, defaultTtl = 3600): RecordFromTextResult {
  const r = rrFromText(line, origin.toText(), defaultTtl);
  if (!r.ok) return { ok: false, error: r.error };
  const rec = recordFromWire(r.rr);
  return rec === null ? { ok: false, error: 'ldns returned a malformed RR' } : { ok: true, record: rec };
}

/** The record as ldns prints a zone-file line (null if ldns rejects it). */
export function toZoneLine(r: ResourceRecord): string | null {
  return rrToText(recordToWire(r));
}
