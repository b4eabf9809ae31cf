// trust-anchors.test.ts — TrustAnchorStore: built-in root, closest anchor, loading files (zone
// text and XML detected by content), negative trust anchors with expiry on a fake clock (RFC 7646).
import test from 'ava';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TrustAnchorStore } from '../../../src/dnssec/trust-anchors.js';
import { Name } from '../../../src/wire/name.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../test/fixtures/anchors');

function fakeClock(start: number) {
  let now = start;
  return { nowSec: () => now, advance: (s: number) => { now += s; } };
}
const n = (s: string) => Name.fromText(s);

test('built-in root anchors and closestAnchor()', (t) => {
  const store = TrustAnchorStore.withBuiltinRoot(fakeClock(0));
  const root = store.closestAnchor(n('mail.example.com.'));
  t.true(root?.zone.isRoot());
  t.deepEqual(root?.anchors.map((a) => (a.type === 'DS' ? a.ds.keyTag : 0)), [20326, 38696]);
  store.addZoneFileText('Example.COM. IN DS 1 13 2 00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF', 'inline');
  t.is(store.closestAnchor(n('a.b.example.com.'))?.zone.toText(), 'example.com.');
  t.is(store.closestAnchor(n('example.org.'))?.zone.toText(), '.');
  t.is(store.closestAnchor(n('EXAMPLE.com.'))?.zone.toText(), 'example.com.');
  store.addAll(store.anchorsAt(Name.ROOT));
  t.is(store.anchorsAt(Name.ROOT).length, 2, 'duplicates kept once');
});

test('no anchor → null', (t) => {
  const store = new TrustAnchorStore(fakeClock(0));
  t.is(store.closestAnchor(n('example.')), null);
  store.addZoneFileText('example. IN DS 1 13 2 00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF', 'x');
  t.is(store.closestAnchor(n('example.org.')), null);
});

test('loadFile() reads zone text and XML (validity at the clock)', async (t) => {
  const store = new TrustAnchorStore(fakeClock(Math.floor(Date.parse('2018-06-01T00:00:00Z') / 1000)));
  const xml = await store.loadFile(path.join(dir, 'root-anchors.xml'));
  t.deepEqual(xml.map((a) => (a.type === 'DS' ? a.ds.keyTag : 0)), [19036, 20326]);
  const key = await store.loadFile(path.join(dir, 'root.key'));
  t.is(key.length, 2);
  t.is(store.anchorsAt(Name.ROOT).length, 4);
  store.replaceZone(Name.ROOT, key);
  t.deepEqual(store.anchorsAt(Name.ROOT).map((a) => a.type), ['DNSKEY', 'DNSKEY']);
  t.deepEqual(store.zones().map((z) => z.toText()), ['.']);
});

test('negative trust anchors: coverage, expiry, and a deeper positive anchor wins', (t) => {
  const clock = fakeClock(1000);
  const store = TrustAnchorStore.withBuiltinRoot(clock);
  store.addNegative(n('broken.example.'), 3600);
  store.addNegative(n('perm.example.'));
  t.true(store.isUnderNta(n('broken.example.')));
  t.true(store.isUnderNta(n('www.Broken.example.')));
  t.false(store.isUnderNta(n('example.')));
  t.false(store.isUnderNta(n('notbroken.example.')));
  clock.advance(3599);
  t.true(store.isUnderNta(n('broken.example.')));
  clock.advance(1);
  t.false(store.isUnderNta(n('broken.example.')), 'expired at exactly the lifetime');
  t.deepEqual(store.negativeAnchors().map((x) => x.zone.toText()), ['perm.example.']);
  t.true(store.isUnderNta(n('a.perm.example.')));
  store.addZoneFileText('signed.perm.example. IN DS 1 13 2 00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF', 'x');
  t.false(store.isUnderNta(n('www.signed.perm.example.')));
  t.is(store.ntaFor(n('other.perm.example.'))?.toText(), 'perm.example.');
  t.true(store.removeNegative(n('perm.example.')));
  t.false(store.isUnderNta(n('a.perm.example.')));
  t.throws(() => store.addNegative(n('x.'), 0), { code: 'ADBIT_ERR_INVALID_ARG' });
});
