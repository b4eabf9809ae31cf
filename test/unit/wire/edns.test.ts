// edns.test.ts — EDNS: OPT TTL bits (RFC 6891 §6.1.3), EDE (RFC 8914 §2), cookie length rules
// (RFC 7873 §4), padding to RFC 8467 block lengths, and buildQuery's EDNS/flags on the wire.
import test from 'ava';
import { RRType } from '../../../src/wire/constants.js';
import {
  decodeCookie, decodeEdns, decodeExtendedError, encodeEdns, encodeExtendedError, encodeOptRdata, paddingLength,
} from '../../../src/wire/edns.js';
import { buildQuery } from '../../../src/wire/encode.js';
import { Message } from '../../../src/wire/message.js';
import { Name } from '../../../src/wire/name.js';

test('EDE encode/decode; short option is rejected; trailing NUL dropped', (t) => {
  const e = { code: 9, text: 'DNSKEY missing' };
  t.deepEqual(decodeExtendedError(encodeExtendedError(e)), e);
  t.is(decodeExtendedError(Uint8Array.of(0)), null);
  t.deepEqual(decodeExtendedError(Uint8Array.of(0, 6, 0x61, 0)), { code: 6, text: 'a' });
});

test('cookie lengths follow RFC 7873 §4', (t) => {
  t.truthy(decodeCookie(new Uint8Array(8)));
  t.is(decodeCookie(new Uint8Array(8))?.server, undefined);
  t.is(decodeCookie(new Uint8Array(16))?.server?.length, 8);
  t.is(decodeCookie(new Uint8Array(40))?.server?.length, 32);
  t.is(decodeCookie(new Uint8Array(9)), null);
  t.is(decodeCookie(new Uint8Array(15)), null);
  t.is(decodeCookie(new Uint8Array(41)), null);
});

test('OPT TTL carries extended RCODE, version and DO', (t) => {
  const p = encodeEdns({ rcode: 23, version: 0, dnssecOk: true, udpSize: 1400 });
  t.is(p.classField, 1400);
  t.is(p.ttlField, (1 << 24) | 0x8000); // 23 >> 4 = 1
  const e = decodeEdns(p.classField, p.ttlField | 0x0001, encodeOptRdata(p.options));
  t.is(e?.extendedRcode, 1);
  t.is(e?.z, 1);
  t.true(e?.dnssecOk);
  t.is(decodeEdns(512, 0, Uint8Array.of(0, 15, 0, 5, 1)), null);
});

test('padding length reaches the block boundary', (t) => {
  t.is(paddingLength(124, 128), 0);
  t.is(paddingLength(100, 128), 24);
  t.is(paddingLength(125, 128), 127);
  t.is(paddingLength(100, 0), 0);
});

test('buildQuery writes flags, question and EDNS options', (t) => {
  const name = Name.fromText('_25._tcp.mail.example.org.');
  const wire = buildQuery({ id: 4242, name, type: RRType.TLSA, rd: true, cd: true, dnssecOk: true, udpSize: 1232, cookie: { client: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) }, padding: true });
  t.is(wire.length % 128, 0);
  const r = Message.fromWire(wire);
  if (!r.ok) return t.fail(r.reason);
  const m = r.message;
  t.is(m.id, 4242);
  t.true(m.rd && m.cd);
  t.false(m.qr || m.ad);
  t.true(m.question[0]?.name.equals(name));
  t.is(m.question[0]?.type, RRType.TLSA);
  t.is(m.edns?.udpSize, 1232);
  t.true(m.edns?.dnssecOk);
  t.deepEqual(m.edns?.cookie?.client, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8));
  t.true((m.edns?.paddingBytes ?? -1) >= 0);
  const plain = buildQuery({ id: 1, name, type: RRType.A, edns: false });
  t.is(plain.length, 12 + name.wire.length + 4);
  const r2 = Message.fromWire(plain);
  t.true(r2.ok && r2.message.edns === undefined);
});
