// rdata.test.ts — every RDATA type: typed encode → decode round trip over random values, known
// vectors (RFC 4034 §4.3 type bitmap, root KSK key tag 20326, RFC 5952 IPv6 text), malformed
// RDATA falls back to opaque, and flag helpers (DNSKEY, NSEC3 opt-out, CAA critical).
import test from 'ava';
import { fromBase64, fromHex } from '../../../src/util/bytes.js';
import { ipv6FromText, ipv6ToText } from '../../../src/wire/rdata/address.js';
import { decodeRdata, encodeRdata, rdataToText, rdataType } from '../../../src/wire/rdata/codec.js';
import { isRevoked, isSep, isZoneKey, keyTag } from '../../../src/wire/rdata/dnskey.js';
import { isOptOut } from '../../../src/wire/rdata/nsec3.js';
import { decodeTypeBitmap, encodeTypeBitmap } from '../../../src/wire/rdata/typebitmap.js';
import { GEN_TYPES, Rng, randomRdata } from './gen.js';

test('encode → decode → encode is stable for every generated type', (t) => {
  const rng = new Rng(42);
  let n = 0;
  for (const type of [...GEN_TYPES, 46]) {
    for (let i = 0; i < 50; i++) {
      const rd = randomRdata(rng, type, i % 2 === 0);
      const wire = encodeRdata(rd);
      const back = decodeRdata(type, wire);
      t.is(rdataType(back), type);
      t.false(back.type === 'OPAQUE' && back.malformed, `type ${type} decoded as malformed`);
      t.deepEqual(encodeRdata(back), wire);
      if (type !== 28) t.deepEqual(back, rd);
      n++;
    }
  }
  t.is(n, (GEN_TYPES.length + 1) * 50);
});

test('type bitmap matches RFC 4034 §4.3', (t) => {
  const expected = fromHex('0006400100000003041b' + '00'.repeat(26) + '20');
  t.deepEqual(encodeTypeBitmap([1234, 15, 1, 46, 47, 1]), expected);
  t.deepEqual(decodeTypeBitmap(expected), [1, 15, 46, 47, 1234]);
  t.is(decodeTypeBitmap(fromHex('0000')), null); // zero-length window
  t.is(decodeTypeBitmap(fromHex('040140000140')), null); // windows out of order
  t.deepEqual(encodeTypeBitmap([]), new Uint8Array(0));
});

test('root KSK-2017 key tag is 20326 and flags read as SEP zone key', (t) => {
  const key = fromBase64(
    'AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3+/4RgWOq7HrxRixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kvArMtNROxVQuCaSnIDdD5LKyWbRd2n9WGe2R8PzgCmr3EgVLrjyBxWezF0jLHwVN8efS3rCj/EWgvIWgb9tarpVUDK/b58Da+sqqls3eNbuv7pr+eoZG+SrDK6nWeL3c6H5Apxz7LjVc1uTIdsIXxuOLYA4/ilBmSVIzuDWfdRUfhHdY6+cn8HFRm+2hM8AnXGXws9555KrUB5qihylGa8subX2Nn6UwNR1AkUTV74bU=',
  );
  const rd = encodeRdata({ type: 'DNSKEY', flags: 257, protocol: 3, algorithm: 8, publicKey: key });
  t.is(keyTag(rd), 20326);
  const k = decodeRdata(48, rd);
  if (k.type !== 'DNSKEY') return t.fail();
  t.true(isZoneKey(k));
  t.true(isSep(k));
  t.false(isRevoked(k));
  t.true(isRevoked({ ...k, flags: 257 | 0x80 }));
});

test('IPv6 text follows RFC 5952 and the IPv4-mapped form', (t) => {
  const cases: [string, string][] = [
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['::1', '::1'],
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
    ['fe80::', 'fe80::'],
  ];
  for (const [input, out] of cases) t.is(ipv6ToText(ipv6FromText(input)), out);
  t.throws(() => ipv6FromText('1::2::3'));
  t.throws(() => ipv6FromText('1:2:3'));
});

test('malformed RDATA of a known type decodes as opaque, flagged', (t) => {
  const a = decodeRdata(1, Uint8Array.of(1, 2, 3));
  t.is(a.type, 'OPAQUE');
  t.true(a.type === 'OPAQUE' && a.malformed);
  const mx = decodeRdata(15, Uint8Array.of(0, 10, 3, 97));
  t.true(mx.type === 'OPAQUE' && mx.malformed);
  const unknown = decodeRdata(65534, Uint8Array.of(1, 2));
  t.true(unknown.type === 'OPAQUE' && !unknown.malformed);
  t.is(rdataToText(unknown), '\\# 2 0102');
  t.is(decodeRdata(16, new Uint8Array(0)).type, 'OPAQUE');
});

test('flag helpers and field texts', (t) => {
  const n3 = decodeRdata(50, encodeRdata({ type: 'NSEC3', hashAlgorithm: 1, flags: 1, iterations: 0, salt: new Uint8Array(0), nextHashed: fromHex('00'.repeat(20)), types: [1, 46] }));
  t.true(n3.type === 'NSEC3' && isOptOut(n3));
  t.is(rdataToText(n3), `1 1 0 - ${'0'.repeat(32)} A RRSIG`);
  const caa = decodeRdata(257, encodeRdata({ type: 'CAA', flags: 128, tag: 'issue', value: Uint8Array.from('ca";x', (c) => c.charCodeAt(0)) }));
  t.is(rdataToText(caa), '128 issue "ca\\";x"');
  const txt = decodeRdata(16, Uint8Array.of(3, 0x61, 0x0a, 0x5c, 0));
  t.is(rdataToText(txt), '"a\\010\\\\" ""');
});
