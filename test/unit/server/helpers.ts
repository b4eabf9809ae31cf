// helpers.ts — canned answers and raw requests for the server unit tests (no network, no resolver).
import type { Outcome } from '../../../src/dnssec/outcome.js';
import { outcomeFor, secure } from '../../../src/dnssec/outcome.js';
import type { Answer } from '../../../src/resolver/answer.js';
import { outcomeEde } from '../../../src/resolver/answer.js';
import { RRType } from '../../../src/wire/constants.js';
import { MessageBuilder } from '../../../src/wire/encode.js';
import { Message, RecordValue } from '../../../src/wire/message.js';
import { Name } from '../../../src/wire/name.js';

export const QNAME = Name.fromText('www.example.test.');

export function a(name: Name, ip: string, ttl = 300): RecordValue {
  return new RecordValue(name, RRType.A, 1, ttl, Uint8Array.from(ip.split('.').map(Number)));
}

/** A syntactically valid RRSIG over `covered` signed by example.test. (signature bytes are fake). */
export function rrsig(name: Name, covered: number): RecordValue {
  const signer = Name.fromText('example.test.').wire;
  const fixed = new Uint8Array(18);
  const dv = new DataView(fixed.buffer);
  dv.setUint16(0, covered);
  fixed[2] = 13;
  fixed[3] = name.labelCount();
  dv.setUint32(4, 300);
  dv.setUint32(8, 2000000000);
  dv.setUint32(12, 1000000000);
  dv.setUint16(16, 12345);
  const rd = new Uint8Array(18 + signer.length + 64);
  rd.set(fixed);
  rd.set(signer, 18);
  rd.fill(7, 18 + signer.length);
  return new RecordValue(name, RRType.RRSIG, 1, 300, rd);
}

export function soa(zone: Name): RecordValue {
  const m = Name.fromText('ns1.example.test.').wire;
  const r = Name.fromText('hostmaster.example.test.').wire;
  const rd = new Uint8Array(m.length + r.length + 20);
  rd.set(m);
  rd.set(r, m.length);
  new DataView(rd.buffer).setUint32(m.length + r.length + 16, 300);
  return new RecordValue(zone, RRType.SOA, 1, 300, rd);
}

export function nsec(owner: Name, next: Name): RecordValue {
  const rd = new Uint8Array(next.wire.length + 3);
  rd.set(next.wire);
  rd.set([0, 1, 0x40], next.wire.length); // window 0, bitmap: A
  return new RecordValue(owner, RRType.NSEC, 1, 300, rd);
}

export const SECURE: Outcome = secure('example.test.');
export const INSECURE: Outcome = outcomeFor('NO_DS_PROVEN', 'example.test.');
export const BOGUS: Outcome = outcomeFor('SIG_EXPIRED', 'example.test.');

export function answer(outcome: Outcome, records: RecordValue[], rcode = 0, authority: RecordValue[] = [], name = QNAME): Answer {
  return {
    question: { name, type: RRType.A, class: 1 }, rcode, answer: records, authority, outcome,
    ede: outcomeEde(outcome), fromCache: false, steps: [],
  };
}

export interface Req {
  id?: number; type?: number; cls?: number; opcode?: number; rd?: boolean; cd?: boolean; ad?: boolean;
  edns?: boolean; dnssecOk?: boolean; udpSize?: number; version?: number; questions?: number; name?: Name;
}

export function reqWire(r: Req = {}): Uint8Array {
  const b = new MessageBuilder({ id: r.id ?? 4242, opcode: r.opcode ?? 0, rd: r.rd ?? true, cd: r.cd ?? false, ad: r.ad ?? false });
  const n = r.questions ?? 1;
  for (let i = 0; i < n; i++) b.question(r.name ?? QNAME, r.type ?? RRType.A, r.cls ?? 1);
  if (r.edns !== false) b.edns({ udpSize: r.udpSize ?? 1232, dnssecOk: r.dnssecOk ?? false, version: r.version ?? 0 });
  return b.toWire();
}

export function req(r: Req = {}): Message {
  const p = Message.fromWire(reqWire(r));
  if (!p.ok) throw new Error(p.reason);
  return p.message;
}

export function parse(w: Uint8Array): Message {
  const p = Message.fromWire(w);
  if (!p.ok) throw new Error(`reply does not parse: ${p.reason}`);
  return p.message;
}
