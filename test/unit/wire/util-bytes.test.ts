// util-bytes.test.ts — src/util/bytes.ts: compare order, concat, hex/base64/base32hex codecs with
// RFC 4648 §10 vectors, big-endian helpers.
import test from 'ava';
import {
  bytesEqual, compareBytes, concatBytes, fromBase32Hex, fromBase64, fromHex, readU16, readU32, toBase32Hex, toBase64, toHex, writeU16, writeU32,
} from '../../../src/util/bytes.js';
import { InvalidArgumentError } from '../../../src/util/errors.js';

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

test('compare is unsigned lexicographic with shorter prefix first', (t) => {
  t.is(compareBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2)), 0);
  t.is(compareBytes(Uint8Array.of(1), Uint8Array.of(1, 0)), -1);
  t.is(compareBytes(Uint8Array.of(0x80), Uint8Array.of(0x7f, 0xff)), 1);
  t.true(bytesEqual(concatBytes([Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3)]), Uint8Array.of(1, 2, 3)));
  t.false(bytesEqual(Uint8Array.of(1), Uint8Array.of(2)));
});

test('hex and base64', (t) => {
  t.is(toHex(Uint8Array.of(0, 0xab, 0x10)), '00ab10');
  t.deepEqual(fromHex('00AB 10'), Uint8Array.of(0, 0xab, 0x10));
  t.throws(() => fromHex('abc'), { instanceOf: InvalidArgumentError });
  t.is(toBase64(ascii('foobar')), 'Zm9vYmFy');
  t.deepEqual(fromBase64('Zm9v YmE='), ascii('fooba'));
  t.throws(() => fromBase64('Zm9v*'), { instanceOf: InvalidArgumentError });
});

test('base32hex matches RFC 4648 §10 (lower case, no padding)', (t) => {
  const vectors: [string, string][] = [['', ''], ['f', 'co'], ['fo', 'cpng'], ['foo', 'cpnmu'], ['foob', 'cpnmuog'], ['fooba', 'cpnmuoj1'], ['foobar', 'cpnmuoj1e8']];
  for (const [plain, enc] of vectors) {
    t.is(toBase32Hex(ascii(plain)), enc);
    t.deepEqual(fromBase32Hex(enc.toUpperCase() + '='), ascii(plain));
  }
  t.throws(() => fromBase32Hex('xyz'), { instanceOf: InvalidArgumentError });
});

test('big-endian readers and writers', (t) => {
  const b = new Uint8Array(6);
  writeU16(b, 0, 0xbeef);
  writeU32(b, 2, 0xdeadbeef);
  t.is(readU16(b, 0), 0xbeef);
  t.is(readU32(b, 2), 0xdeadbeef);
});
