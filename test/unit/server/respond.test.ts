// respond.test.ts — every reply rule of respond.ts, table-driven over canned answers: AD rules
// (RFC 6840 §5.7/5.8), CD (RFC 4035 §3.2.2), bogus → SERVFAIL + EDE, DO stripping (RFC 4035 §3.2.1),
// EDNS echo and buffer sizes (RFC 6891), TC, FORMERR/NOTIMP/BADVERS/REFUSED, RFC 8482 ANY.
import test from 'ava';
import { anyReply, answerReply, preflight, refusedReply, replyLimit } from '../../../src/server/respond.js';
import { Rcode, RRType } from '../../../src/wire/constants.js';
import { Message } from '../../../src/wire/message.js';
import { Name } from '../../../src/wire/name.js';
import { BOGUS, INSECURE, QNAME, SECURE, a, answer, nsec, parse, req, reqWire, rrsig, soa, type Req } from './helpers.js';
import type { Outcome } from '../../../src/dnssec/outcome.js';

const DATA = [a(QNAME, '192.0.2.1'), rrsig(QNAME, RRType.A)];

interface Row { name: string; req: Req; outcome: Outcome; rcode: number; ad: boolean; answers: number; rrsig: boolean; ede: number[]; opt: boolean }
const rows: Row[] = [
  { name: 'secure + DO → AD, RRSIG kept', req: { dnssecOk: true }, outcome: SECURE, rcode: 0, ad: true, answers: 2, rrsig: true, ede: [], opt: true },
  { name: 'secure + AD bit, no EDNS → AD, RRSIG stripped, no OPT', req: { edns: false, ad: true }, outcome: SECURE, rcode: 0, ad: true, answers: 1, rrsig: false, ede: [], opt: false },
  { name: 'secure, neither DO nor AD → AD=0 (RFC 6840 §5.8)', req: {}, outcome: SECURE, rcode: 0, ad: false, answers: 1, rrsig: false, ede: [], opt: true },
  { name: 'insecure + DO → AD=0, data', req: { dnssecOk: true }, outcome: INSECURE, rcode: 0, ad: false, answers: 2, rrsig: true, ede: [], opt: true },
  { name: 'bogus + EDNS → SERVFAIL + EDE 7, no data', req: { dnssecOk: true }, outcome: BOGUS, rcode: 2, ad: false, answers: 0, rrsig: false, ede: [7], opt: true },
  { name: 'bogus without EDNS → SERVFAIL, no OPT', req: { edns: false }, outcome: BOGUS, rcode: 2, ad: false, answers: 0, rrsig: false, ede: [], opt: false },
  { name: 'bogus with CD → data, AD=0 (RFC 4035 §3.2.2)', req: { cd: true, dnssecOk: true }, outcome: BOGUS, rcode: 0, ad: false, answers: 2, rrsig: true, ede: [7], opt: true },
];

for (const row of rows) {
  test(`answerReply: ${row.name}`, (t) => {
    const r = answerReply(req(row.req), answer(row.outcome, DATA), 'udp');
    const m = parse(r.wire);
    t.is(m.rcode, row.rcode);
    t.is(m.ad, row.ad);
    t.true(m.qr && m.ra);
    t.is(m.id, 4242);
    t.is(m.cd, row.req.cd ?? false);
    t.is(m.answer.length, row.answers);
    t.is(m.answer.some((x) => x.type === RRType.RRSIG), row.rrsig);
    t.is(m.edns !== undefined, row.opt);
    t.deepEqual((m.edns?.extendedErrors ?? []).map((e) => e.code), row.ede);
    if (row.ede.length > 0) t.is(m.edns?.extendedErrors[0]?.text, 'SIG_EXPIRED example.test.');
    t.is(m.question[0]?.name.toText(), 'www.example.test.');
  });
}

test('EDNS echo: our payload size 1232, DO copied, version 0', (t) => {
  const m = parse(answerReply(req({ dnssecOk: true, udpSize: 4096 }), answer(SECURE, DATA), 'udp').wire);
  t.is(m.edns?.udpSize, 1232);
  t.true(m.edns?.dnssecOk);
  t.is(m.edns?.version, 0);
  const m2 = parse(answerReply(req({ dnssecOk: false }), answer(SECURE, DATA), 'udp').wire);
  t.false(m2.edns?.dnssecOk);
});

test('replyLimit honours the client buffer within [512, 1232], 65535 on TCP', (t) => {
  t.is(replyLimit({ edns: false, udpSize: 0 }, 'udp'), 512);
  t.is(replyLimit({ edns: true, udpSize: 100 }, 'udp'), 512);
  t.is(replyLimit({ edns: true, udpSize: 900 }, 'udp'), 900);
  t.is(replyLimit({ edns: true, udpSize: 4096 }, 'udp'), 1232);
  t.is(replyLimit({ edns: true, udpSize: 512 }, 'tcp'), 65535);
});

test('TC when the answer does not fit the client buffer; whole over TCP', (t) => {
  const many = Array.from({ length: 60 }, (_, i) => a(QNAME, `192.0.2.${i + 1}`));
  const big = answer(SECURE, [...many, rrsig(QNAME, RRType.A)]);
  const noEdns = answerReply(req({ edns: false }), big, 'udp');
  t.true(noEdns.wire.length <= 512);
  t.true(parse(noEdns.wire).tc);
  const small = answerReply(req({ udpSize: 600, dnssecOk: true }), big, 'udp');
  t.true(small.wire.length <= 600);
  t.true(parse(small.wire).tc);
  const tcp = answerReply(req({ udpSize: 600, dnssecOk: true }), big, 'tcp');
  const m = parse(tcp.wire);
  t.false(m.tc);
  t.is(m.answer.length, 61);
});

test('negative answer without DO keeps SOA and drops NSEC/RRSIG', (t) => {
  const auth = [soa(Name.fromText('example.test.')), rrsig(Name.fromText('example.test.'), RRType.SOA), nsec(Name.fromText('example.test.'), Name.fromText('zz.example.test.'))];
  const m = parse(answerReply(req({}), answer(SECURE, [], Rcode.NXDOMAIN, auth), 'udp').wire);
  t.is(m.rcode, Rcode.NXDOMAIN);
  t.deepEqual(m.authority.map((r) => r.type), [RRType.SOA]);
  const d = parse(answerReply(req({ dnssecOk: true }), answer(SECURE, [], Rcode.NXDOMAIN, auth), 'udp').wire);
  t.deepEqual(d.authority.map((r) => r.type).sort(), [RRType.SOA, RRType.RRSIG, RRType.NSEC].sort());
  t.true(d.ad);
});

test('RRSIG asked for explicitly is kept without DO (RFC 4035 §3.2.1)', (t) => {
  const m = parse(answerReply(req({ type: RRType.RRSIG }), answer(SECURE, [rrsig(QNAME, RRType.A)]), 'udp').wire);
  t.is(m.answer.length, 1);
});

const pf = (w: Uint8Array): ReturnType<typeof preflight> => preflight(w, Message.fromWire);

function replyOf(w: Uint8Array): Message {
  const r = pf(w);
  if (r.kind !== 'reply') throw new Error(`expected a reply, got ${r.kind}`);
  return parse(r.wire);
}

test('preflight: short datagrams and responses are dropped', (t) => {
  t.is(pf(new Uint8Array(5)).kind, 'drop');
  const w = reqWire();
  w[2]! |= 0x80;
  t.is(pf(w).kind, 'drop');
});

test('preflight: malformed query → FORMERR echoing the ID', (t) => {
  const w = reqWire({ id: 0xbeef }).slice(0, 20); // question cut off
  const m = replyOf(w);
  t.is(m.rcode, Rcode.FORMERR);
  t.is(m.id, 0xbeef);
  t.true(m.qr);
});

test('preflight: QDCOUNT 0 and 2 → FORMERR', (t) => {
  t.is(replyOf(reqWire({ questions: 0 })).rcode, Rcode.FORMERR);
  t.is(replyOf(reqWire({ questions: 2 })).rcode, Rcode.FORMERR);
});

test('preflight: other opcodes → NOTIMP with the opcode echoed', (t) => {
  for (const opcode of [1, 2, 4, 5]) {
    const m = replyOf(reqWire({ opcode }));
    t.is(m.rcode, Rcode.NOTIMP);
    t.is(m.opcode, opcode);
  }
});

test('preflight: EDNS version 1 → BADVERS (extended RCODE 16) with OPT version 0', (t) => {
  const m = replyOf(reqWire({ version: 1 }));
  t.is(m.rcode, Rcode.BADVERS);
  t.is(m.edns?.version, 0);
  t.is(m.answer.length, 0);
});

test('preflight: AXFR/IXFR → NOTIMP, class CH → REFUSED, QTYPE OPT → FORMERR', (t) => {
  t.is(replyOf(reqWire({ type: RRType.AXFR })).rcode, Rcode.NOTIMP);
  t.is(replyOf(reqWire({ type: RRType.IXFR })).rcode, Rcode.NOTIMP);
  t.is(replyOf(reqWire({ cls: 3 })).rcode, Rcode.REFUSED);
  t.is(replyOf(reqWire({ type: RRType.OPT })).rcode, Rcode.FORMERR);
});

test('preflight: a good query passes with its question', (t) => {
  const r = pf(reqWire({ type: RRType.MX }));
  t.is(r.kind, 'query');
  if (r.kind === 'query') t.is(r.question.type, RRType.MX);
});

test('ANY → RFC 8482 HINFO "RFC8482" ""', (t) => {
  const m = parse(anyReply(req({ type: RRType.ANY }), 'udp'));
  t.is(m.rcode, 0);
  t.is(m.answer.length, 1);
  t.is(m.answer[0]?.type, RRType.HINFO);
  t.deepEqual([...m.answer[0]!.rdata], [7, ...Buffer.from('RFC8482'), 0]);
  t.false(m.ad);
});

test('REFUSED carries EDE 18 Prohibited when EDNS was sent', (t) => {
  const m = parse(refusedReply(req({})));
  t.is(m.rcode, Rcode.REFUSED);
  t.deepEqual(m.edns?.extendedErrors.map((e) => e.code), [18]);
  const n = parse(refusedReply(req({ edns: false })));
  t.is(n.edns, undefined);
});
