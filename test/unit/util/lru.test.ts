// lru.test.ts — byte bounds, LRU order, absolute expiry and the stale window, with a fake clock.
import test from 'ava';
import { LruCache, type EvictReason } from '../../../src/util/lru.js';
import { fakeClock as clockAt } from '../../helpers/fake-clock.js';

const fakeClock = () => clockAt(1_000_000);

test('byte bound evicts least recently used first', (t) => {
  const clock = fakeClock();
  const evicted: Array<[string, EvictReason]> = [];
  const lru = new LruCache<string, number>({ maxBytes: 100, clock, onEvict: (k, _v, r) => evicted.push([k, r]) });
  const far = clock.nowMs() + 60_000;
  t.true(lru.set('a', 1, 40, far));
  t.true(lru.set('b', 2, 40, far));
  t.is(lru.get('a'), 1); // a becomes most recent
  t.true(lru.set('c', 3, 40, far)); // 120 > 100 → evict b
  t.deepEqual(evicted, [['b', 'capacity']]);
  t.is(lru.bytes, 80);
  t.is(lru.get('b'), undefined);
  t.deepEqual([...lru.keys()], ['a', 'c']);
});

test('an entry larger than the whole cache is refused; replacing adjusts bytes', (t) => {
  const clock = fakeClock();
  const lru = new LruCache<string, string>({ maxBytes: 10, clock });
  t.false(lru.set('big', 'x', 11, clock.nowMs() + 1000));
  t.is(lru.size, 0);
  lru.set('k', 'v1', 6, clock.nowMs() + 1000);
  lru.set('k', 'v2', 3, clock.nowMs() + 1000);
  t.is(lru.bytes, 3);
  t.is(lru.get('k'), 'v2');
  t.true(lru.delete('k'));
  t.is(lru.bytes, 0);
});

test('absolute expiry with a fake clock, and the serve-stale window', (t) => {
  const clock = fakeClock();
  const lru = new LruCache<string, string>({ maxBytes: 100, clock, staleRetainMs: 5_000 });
  lru.set('x', 'val', 1, clock.nowMs() + 1_000);
  clock.advanceMs(999);
  t.is(lru.get('x'), 'val');
  clock.advanceMs(1);
  t.is(lru.get('x'), undefined, 'expired at exactly expiresAtMs');
  t.false(lru.has('x'));
  t.is(lru.getStale('x')?.value, 'val', 'still readable as stale');
  clock.advanceMs(5_000);
  t.is(lru.getStale('x'), undefined);
  t.is(lru.size, 0);
  t.is(lru.bytes, 0);
});

test('prune drops only entries past the stale window', (t) => {
  const clock = fakeClock();
  const lru = new LruCache<number, number>({ maxBytes: 1000, clock });
  for (let i = 0; i < 10; i++) lru.set(i, i, 10, clock.nowMs() + i * 100);
  clock.advanceMs(450);
  t.is(lru.prune(), 5);
  t.is(lru.size, 5);
  t.is(lru.bytes, 50);
});
