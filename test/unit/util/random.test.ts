// random.test.ts — ranges and uniformity sanity of the crypto Random; the seeded one is repeatable.
import test from 'ava';
import { CryptoRandom, seededRandom } from '../../../src/util/random.js';
import { serialGte, systemClock } from '../../../src/util/clock.js';

test('crypto random values stay in range and vary', (t) => {
  const r = new CryptoRandom();
  const ids = new Set<number>();
  for (let i = 0; i < 5000; i++) {
    const v = r.u16();
    t.true(v >= 0 && v <= 0xffff);
    ids.add(v);
    const w = r.u32();
    t.true(w >= 0 && w <= 0xffffffff && Number.isInteger(w));
    const k = r.int(7);
    t.true(k >= 0 && k < 7);
  }
  t.true(ids.size > 4500, `distinct IDs ${ids.size}`);
  t.is(r.bytes(16).length, 16);
  t.is(r.bytes(5000).length, 5000);
  t.throws(() => r.int(0));
});

test('int() is roughly uniform', (t) => {
  const r = new CryptoRandom();
  const counts = [0, 0, 0, 0, 0, 0];
  for (let i = 0; i < 60_000; i++) counts[r.int(6)]! += 1;
  for (const c of counts) t.true(c > 9_000 && c < 11_000, `count ${c}`);
});

test('shuffle is a permutation; seeded random repeats', (t) => {
  const r = new CryptoRandom();
  const a = Array.from({ length: 50 }, (_, i) => i);
  t.deepEqual([...r.shuffle([...a])].sort((x, y) => x - y), a);
  const s1 = seededRandom(42);
  const s2 = seededRandom(42);
  t.deepEqual([s1.u32(), s1.u16(), s1.int(1000)], [s2.u32(), s2.u16(), s2.int(1000)]);
  t.deepEqual(s1.shuffle([...a]), s2.shuffle([...a]));
});

test('clock: system clock is sane; RFC 1982 serial comparison wraps', (t) => {
  t.true(Math.abs(systemClock.nowSec() - Math.floor(systemClock.nowMs() / 1000)) <= 1);
  t.true(serialGte(10, 5));
  t.false(serialGte(5, 10));
  t.true(serialGte(3, 0xfffffff0), 'after wrap-around');
});
