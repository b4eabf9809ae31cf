// message.test.ts — Message.fromWire on hand-made wire: header flags, compressed names (question,
// owners, CNAME RDATA), lazy records, OPT lifted into edns with extended RCODE / DO / EDE / cookie,
// malformed input as a value; and RRset grouping (RFC 2181 §5, RRSIG attachment, lowest TTL).
import test from 'ava';
import { fromHex } from '../../../src/util/bytes.js';
import { Rcode, RRType } from '../../../src/wire/constants.js';
import { Message, RecordValue } from '../../../src/wire/message.js';
import { Name } from '../../../src/wire/name.js';
import { groupRRsets } from '../../../src/wire/rrset.js';

const HAND = fromHex([
  '1234 8580 0001 0002 0000 0001', // id, QR AA RD RA, counts
  '03777777 076578616d706c65 03636f6d 00 0001 0001', // www.example.com A IN @12
  'c00c 0005 0001 0000012c 0007 046d61696c c010', // CNAME mail.example.com (RDATA compressed)
  'c02d 0001 0001 0000003c 0004 c0000201', // mail.example.com A 192.0.2.1 (pointer to RDATA name @45)
  '00 0029 1000 01008000 001c', // OPT udp 4096, ext rcode 1, DO; rdlen 28
  '000f 0004 0012 6869', // EDE 18 "hi"
  '000a 0010 0102030405060708 1112131415161718', // cookie client + server
].join(''));

test('decodes a hand-made response with compression and EDNS', (t) => {
  const r = Message.fromWire(HAND);
  if (!r.ok) return t.fail(`${r.status} at ${r.offset}: ${r.reason}`);
  const m = r.message;
  t.is(m.id, 0x1234);
  t.true(m.qr && m.aa && m.rd && m.ra);
  t.false(m.tc || m.ad || m.cd);
  t.is(m.opcode, 0);
  t.is(m.rcode, Rcode.BADVERS); // 0 in the header | 1 << 4 from OPT
  t.is(m.question.length, 1);
  t.is(m.question[0]?.name.toText(), 'www.example.com.');
  t.is(m.question[0]?.type, RRType.A);
  t.is(m.answer.length, 2);
  t.is(m.additional.length, 0); // OPT is not a record here
  const [cname, a] = m.answer;
  t.is(cname?.name.toText(), 'www.example.com.');
  t.is(cname?.ttl, 300);
  const cd = cname?.decode();
  t.true(cd?.type === 'CNAME' && cd.target.toText() === 'mail.example.com.');
  t.is(a?.name.toText(), 'mail.example.com.');
  t.deepEqual(a?.decode(), { type: 'A', address: '192.0.2.1' });
  t.is(a?.decode(), a?.decode()); // cached
  const e = m.edns;
  if (e === undefined) return t.fail('no edns');
  t.is(e.udpSize, 4096);
  t.true(e.dnssecOk);
  t.is(e.version, 0);
  t.deepEqual(e.extendedErrors, [{ code: 18, text: 'hi' }]);
  t.deepEqual(e.cookie?.client, fromHex('0102030405060708'));
  t.deepEqual(e.cookie?.server, fromHex('1112131415161718'));
  t.is(e.options.length, 2);
});

test('malformed wire is a value with status and offset', (t) => {
  const r = Message.fromWire(HAND.subarray(0, 40));
  t.false(r.ok);
  if (!r.ok) {
    t.is(r.status, 'TRUNCATED');
    t.true(r.offset <= 40);
    t.true(r.reason.length > 0);
  }
  const loop = fromHex('0000 0000 0001 0000 0000 0000 c00c 0001 0001');
  const l = Message.fromWire(loop);
  t.false(l.ok);
  if (!l.ok) t.is(l.status, 'POINTER_FORWARD');
  // OPT with an option length past its RDATA
  const badOpt = fromHex('0000 8000 0000 0000 0000 0001 00 0029 1000 00000000 0004 000f 0009');
  const b = Message.fromWire(badOpt);
  t.false(b.ok);
  if (!b.ok) t.true(['BAD_OPT', 'RDATA_LENGTH'].includes(b.status), b.status);
});

test('groupRRsets: case-insensitive owners, RRSIG attachment, lowest TTL, duplicates', (t) => {
  const n1 = Name.fromText('Example.com.');
  const n2 = Name.fromText('example.COM.');
  const recs = [
    RecordValue.of(n1, 300, { type: 'A', address: '192.0.2.1' }),
    RecordValue.of(n1, 300, { type: 'MX', preference: 10, exchange: n1 }),
    RecordValue.of(n2, 60, { type: 'A', address: '192.0.2.2' }),
    RecordValue.of(n2, 60, { type: 'A', address: '192.0.2.2' }),
    RecordValue.of(n2, 300, { type: 'RRSIG', typeCovered: 1, algorithm: 13, labels: 2, originalTtl: 300, expiration: 2, inception: 1, keyTag: 1, signerName: n1, signature: new Uint8Array(64) }),
    RecordValue.of(n2, 300, { type: 'RRSIG', typeCovered: 16, algorithm: 13, labels: 2, originalTtl: 300, expiration: 2, inception: 1, keyTag: 1, signerName: n1, signature: new Uint8Array(64) }),
  ];
  const sets = groupRRsets(recs);
  t.deepEqual(sets.map((s) => [s.type, s.records.length, s.rrsigs.length, s.ttl]), [[1, 2, 1, 60], [15, 1, 0, 300], [46, 1, 0, 300]]);
});
