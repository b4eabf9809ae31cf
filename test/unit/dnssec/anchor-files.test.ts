// anchor-files.test.ts — zone-file anchors through ldns (Debian root.ds/root.key, $ORIGIN,
// parentheses, continuation lines, errors with line numbers) and RFC 7958 root-anchors.xml
// (validFrom/validUntil at a given time, strict reader refusing DOCTYPE and mismatched tags).
import test from 'ava';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AnchorFileError, anchorsFromXml, parseAnchorZoneText, parseRootAnchorsXml } from '../../../src/dnssec/anchor-files.js';
import { builtinRootAnchors } from '../../../src/dnssec/builtin-anchors.js';
import { toHex } from '../../../src/util/bytes.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../test/fixtures/anchors');
const fixture = (name: string) => readFileSync(path.join(dir, name), 'utf8');
const sec = (iso: string) => Math.floor(Date.parse(iso) / 1000);

test('Debian root.ds equals the built-in anchors', (t) => {
  const list = parseAnchorZoneText(fixture('root.ds'), 'root.ds');
  const builtin = builtinRootAnchors();
  t.is(list.length, 2);
  list.forEach((a, i) => {
    const b = builtin[i];
    if (a.type !== 'DS' || b?.type !== 'DS') return t.fail('expected DS');
    t.true(a.owner.isRoot());
    t.deepEqual([a.ds.keyTag, a.ds.algorithm, a.ds.digestType, toHex(a.ds.digest)], [b.ds.keyTag, b.ds.algorithm, b.ds.digestType, toHex(b.ds.digest)]);
  });
  t.deepEqual(list.map((a) => (a.type === 'DS' ? a.ds.keyTag : 0)), [20326, 38696]);
});

test('Debian root.key gives two KSKs whose computed tags are 20326 and 38696', (t) => {
  const list = parseAnchorZoneText(fixture('root.key'), 'root.key');
  t.deepEqual(list.map((a) => (a.type === 'DNSKEY' ? [a.keyTag, a.dnskey.flags, a.dnskey.algorithm] : null)), [[20326, 257, 8], [38696, 257, 8]]);
});

test('$ORIGIN, $TTL, parentheses, continuation owner and relative names', (t) => {
  const list = parseAnchorZoneText(fixture('multi.zone'), 'multi.zone');
  t.deepEqual(list.map((a) => [a.type, a.owner.toText()]), [['DS', 'example.'], ['DS', 'example.'], ['DNSKEY', 'sub.example.']]);
  const first = list[0];
  if (first?.type !== 'DS') return t.fail();
  t.is(toHex(first.ds.digest).toUpperCase(), '0123456789ABCDEF'.repeat(4));
  const second = list[1];
  if (second?.type !== 'DS') return t.fail();
  t.is(second.ds.digestType, 4);
});

test('zone-file faults name the source and line', (t) => {
  const e = t.throws(() => parseAnchorZoneText(fixture('bad-rdata.zone'), 'bad-rdata.zone'), { instanceOf: AnchorFileError });
  t.regex(e?.message ?? '', /bad-rdata\.zone: line 2/);
  t.is(e?.code, 'ADBIT_ERR_ANCHOR_FILE');
  t.throws(() => parseAnchorZoneText('$INCLUDE /etc/other', 'x'), { message: /line 1: directive \$INCLUDE/ });
  t.throws(() => parseAnchorZoneText('. IN DS ( 1 8 2 00', 'x'), { message: /unterminated/ });
  t.throws(() => parseAnchorZoneText('. IN A 192.0.2.1', 'x'), { message: /neither DS nor DNSKEY/ });
  t.throws(() => parseAnchorZoneText('. CH DS 1 8 2 00', 'x'), { instanceOf: AnchorFileError });
  t.deepEqual(parseAnchorZoneText('; only a comment\n\n', 'x'), []);
});

test('root-anchors.xml: digests in force at a given time', (t) => {
  const doc = parseRootAnchorsXml(fixture('root-anchors.xml'), 'root-anchors.xml');
  t.is(doc.digests.length, 3);
  t.true(doc.zone.isRoot());
  const tags = (iso: string) => anchorsFromXml(doc, sec(iso), 'x').map((a) => (a.type === 'DS' ? a.ds.keyTag : 0));
  t.deepEqual(tags('2025-06-01T00:00:00Z'), [20326, 38696]);
  t.deepEqual(tags('2018-06-01T00:00:00Z'), [19036, 20326]);
  t.deepEqual(tags('2019-01-11T00:00:00Z'), [20326], 'validUntil is exclusive');
  t.deepEqual(tags('2009-01-01T00:00:00Z'), []);
  const d = doc.digests[0];
  t.is(d?.validUntilSec, sec('2019-01-11T00:00:00Z'));
  t.is(toHex(d?.digest ?? new Uint8Array()).toUpperCase(), '49AAC11D7B6F6446702E54A1607371607A1A41855200FD2CE1CDDE32F24E8FB5');
});

test('the XML reader is strict', (t) => {
  t.throws(() => parseRootAnchorsXml(fixture('bad-doctype.xml'), 'bad-doctype.xml'), { message: /bad-doctype\.xml: markup not allowed/ });
  t.throws(() => parseRootAnchorsXml(fixture('bad-mismatch.xml'), 'm'), { message: /mismatched closing tag/ });
  const ok = fixture('root-anchors.xml');
  t.throws(() => parseRootAnchorsXml(ok.replace('<Zone>.</Zone>', ''), 'x'), { message: /exactly one <Zone>/ });
  t.throws(() => parseRootAnchorsXml(ok.replace('2017-02-02T00:00:00+00:00', '2017-02-02'), 'x'), { message: /validFrom/ });
  t.throws(() => parseRootAnchorsXml(ok.replace('<KeyTag>20326', '<Foo>1</Foo><KeyTag>20326'), 'x'), { message: /unexpected <Foo>/ });
  t.throws(() => parseRootAnchorsXml(ok.replace('<Algorithm>8</Algorithm>', '<Algorithm>x</Algorithm>'), 'x'), { message: /numeric <Algorithm>/ });
  t.throws(() => parseRootAnchorsXml(`${ok}<extra/>`, 'x'), { message: /content after the root/ });
  t.throws(() => parseRootAnchorsXml(ok.replace('<Zone>.</Zone>', '<Zone>&bogus;</Zone>'), 'x'), { message: /unknown entity/ });
});
