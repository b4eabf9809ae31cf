// name.test.ts — Name: text parsing with escapes, printing like ldns, lengths, case-insensitive
// equality, canonical order exactly as the RFC 4034 §6.1 example list, subdomain and parent.
import test from 'ava';
import { InvalidArgumentError } from '../../../src/util/errors.js';
import { Name } from '../../../src/wire/name.js';

test('fromText / toText with escapes', (t) => {
  const n = Name.fromText('a\\.b.c\\032d.\\065x.');
  t.deepEqual(n.labels().map((l) => Buffer.from(l).toString('latin1')), ['a.b', 'c d', 'Ax']);
  t.is(n.toText(), 'a\\.b.c\\032d.Ax.');
  t.is(Name.fromText('.').toText(), '.');
  t.true(Name.fromText('.').isRoot());
  t.is(Name.fromText('\\\\x\\;.').toText(), '\\\\x\\;.');
  t.is(Name.fromLabels([Uint8Array.of(0, 200, 0x41)]).toText(), '\\000\\200A.');
  t.deepEqual(Name.fromText('ExAmple.COM').wire, Uint8Array.of(7, 69, 120, 65, 109, 112, 108, 101, 3, 67, 79, 77, 0));
});

test('relative names and @ use the origin', (t) => {
  const origin = Name.fromText('example.com.');
  t.is(Name.fromText('www', origin).toText(), 'www.example.com.');
  t.is(Name.fromText('@', origin).toText(), 'example.com.');
  t.is(Name.fromText('www.', origin).toText(), 'www.');
});

test('length limits throw InvalidArgumentError', (t) => {
  t.throws(() => Name.fromText('a'.repeat(64) + '.'), { instanceOf: InvalidArgumentError });
  t.notThrows(() => Name.fromText('a'.repeat(63) + '.'));
  const label = 'a'.repeat(63);
  // 4 * 64 + 1 = 257 > 255
  t.throws(() => Name.fromText(`${label}.${label}.${label}.${label}.`), { instanceOf: InvalidArgumentError });
  t.notThrows(() => Name.fromText(`${label}.${label}.${label}.${'a'.repeat(61)}.`)); // exactly 255
  t.throws(() => Name.fromText('a..b.'), { instanceOf: InvalidArgumentError });
  t.throws(() => Name.fromText('\\256.'), { instanceOf: InvalidArgumentError });
});

test('fromWire rejects malformed names and accepts good ones', (t) => {
  t.is(Name.fromWire(Uint8Array.of(3, 97, 98)), null);
  t.is(Name.fromWire(Uint8Array.of(0xc0, 0)), null);
  const r = Name.fromWire(Uint8Array.of(9, 1, 97, 0, 7), 1);
  t.truthy(r);
  t.is(r?.end, 4);
  t.is(r?.name.toText(), 'a.');
});

test('equality is case-insensitive; lower() lower-cases ASCII only', (t) => {
  t.true(Name.fromText('WWW.Example.COM.').equals(Name.fromText('www.example.com.')));
  t.false(Name.fromText('www.example.com.').equals(Name.fromText('ww.example.com.')));
  t.is(Name.fromText('WwW.\\200X.').lower().toText(), 'www.\\200x.');
});

test('canonical order is exactly RFC 4034 §6.1', (t) => {
  const ordered = ['example.', 'a.example.', 'yljkjljk.a.example.', 'Z.a.example.', 'zABC.a.EXAMPLE.', 'z.example.', '\\001.z.example.', '*.z.example.', '\\200.z.example.'];
  const names = ordered.map((s) => Name.fromText(s));
  const shuffled = [...names].reverse();
  shuffled.push(shuffled.shift()!);
  shuffled.sort((a, b) => a.compare(b));
  t.deepEqual(shuffled.map((n) => n.toText()), names.map((n) => n.toText()));
  for (let i = 0; i + 1 < names.length; i++) {
    t.is(names[i]!.compare(names[i + 1]!), -1);
    t.is(names[i + 1]!.compare(names[i]!), 1);
  }
  t.is(Name.fromText('A.example.').compare(Name.fromText('a.EXAMPLE.')), 0);
  t.is(Name.ROOT.compare(Name.fromText('example.')), -1);
});

test('labels, wildcard label count, subdomain, parent, concat', (t) => {
  const w = Name.fromText('*.a.example.');
  t.is(w.labelCount(), 3);
  t.is(w.labelCount(true), 2);
  t.true(w.isWildcard());
  t.true(w.isSubdomainOf(Name.fromText('EXAMPLE.')));
  t.true(w.isSubdomainOf(Name.ROOT));
  t.true(w.isSubdomainOf(w));
  t.false(Name.fromText('example.').isSubdomainOf(w));
  t.false(Name.fromText('xexample.').isSubdomainOf(Name.fromText('example.')));
  t.is(w.parent().toText(), 'a.example.');
  t.is(w.parent(2).toText(), 'example.');
  t.is(w.parent(5).toText(), '.');
  t.is(Name.fromText('www').concat(Name.fromText('example.org.')).toText(), 'www.example.org.');
  t.is(Name.fromText('WWW.Example.').key(), Name.fromText('www.example.').key());
  t.not(Name.fromText('www.example.').key(), Name.fromText('www.example.com.').key());
});
