// infra-cache.test.ts — RTT smoothing (RFC 6298), back-off doubling and cap, probe after back-off,
// lame flags with expiry, RTT banding with a fixed Random, and the entry bound — at a fake clock.
import test from 'ava';
import {
  InfraCache, RTT_BAND_MS, RTT_MAX_TIMEOUT_MS, RTT_MIN_TIMEOUT_MS, UNKNOWN_SERVER_RTT_MS,
} from '../../../src/cache/infra-cache.js';
import { seededRandom, type Random } from '../../../src/util/random.js';

function setup(extra: { maxEntries?: number; random?: Random } = {}) {
  let now = 5_000_000;
  const clock = { nowMs: () => now, nowSec: () => Math.floor(now / 1000) };
  const cache = new InfraCache({ clock, random: extra.random ?? seededRandom(1), probeIntervalMs: 60_000, ...(extra.maxEntries === undefined ? {} : { maxEntries: extra.maxEntries }) });
  return { cache, advance: (ms: number) => void (now += ms) };
}
const s = (n: number) => ({ address: `192.0.2.${n}`, port: 53 });

test('unknown server starts at the niceness; RTT smoothing follows RFC 6298', (t) => {
  const { cache } = setup();
  t.is(cache.rtoMs(s(1)), UNKNOWN_SERVER_RTT_MS);
  cache.recordRtt(s(1), 100);
  t.like(cache.info(s(1)), { srttMs: 100, rttvarMs: 50, rtoMs: 300, measured: true });
  cache.recordRtt(s(1), 20);
  // delta = -80: srtt = 100 - 10 = 90; rttvar = 50 + (80 - 50)/4 = 57.5; rto = 90 + 230 = 320
  t.like(cache.info(s(1)), { srttMs: 90, rttvarMs: 57.5, rtoMs: 320 });
  for (let i = 0; i < 60; i++) cache.recordRtt(s(1), 1);
  t.is(cache.rtoMs(s(1)), RTT_MIN_TIMEOUT_MS, 'clamped to the minimum');
});

test('timeouts double the used rto up to the cap; a reply ends the back-off', (t) => {
  const { cache } = setup();
  const seen: number[] = [];
  for (let i = 0; i < 12; i++) {
    const rto = cache.rtoMs(s(2));
    cache.recordTimeout(s(2), rto);
    seen.push(cache.rtoMs(s(2)));
  }
  t.deepEqual(seen.slice(0, 4), [752, 1504, 3008, 6016]);
  t.is(seen.at(-1), RTT_MAX_TIMEOUT_MS);
  t.true(seen.every((v) => v <= RTT_MAX_TIMEOUT_MS));
  t.is(cache.info(s(2)).timeouts, 12);
  cache.recordRtt(s(2), 40);
  t.like(cache.info(s(2)), { timeouts: 0, rtoMs: 120 }); // first sample: 40 + 4·20
});

test('simultaneous timeouts of one rto double it once (Unbound rtt_lost)', (t) => {
  const { cache } = setup();
  const used = cache.rtoMs(s(3));
  for (let i = 0; i < 5; i++) cache.recordTimeout(s(3), used);
  t.is(cache.rtoMs(s(3)), used * 2);
});

test('a server at the cap is skipped until the probe is due', (t) => {
  const { cache, advance } = setup();
  while (cache.rtoMs(s(4)) < RTT_MAX_TIMEOUT_MS) cache.recordTimeout(s(4), cache.rtoMs(s(4)));
  t.true(cache.isBackedOff(s(4)));
  let sel = cache.select([s(4), s(5)]);
  t.deepEqual(sel.ordered, [s(5)]);
  t.deepEqual(sel.skipped, [{ server: s(4), reason: 'backed-off' }]);
  advance(60_000);
  t.false(cache.isBackedOff(s(4)));
  sel = cache.select([s(4), s(5)]);
  t.true(sel.ordered.some((x) => x.address === s(4).address), 'probe allowed');
  cache.recordTimeout(s(4));
  t.true(cache.isBackedOff(s(4)), 'failed probe backs off again');
});

test('RTT banding: random within 400 ms of the best, the rest after by RTT', (t) => {
  const { cache } = setup({ random: seededRandom(99) });
  cache.recordRtt(s(10), 30); // rto 90
  cache.recordRtt(s(11), 100); // rto 300
  cache.recordRtt(s(12), 200); // rto 600 (> 90 + 400: outside band)
  cache.recordRtt(s(13), 400); // rto 1200
  const firsts = new Set<string>();
  for (let i = 0; i < 50; i++) {
    const { ordered } = cache.select([s(13), s(12), s(11), s(10)]);
    t.deepEqual(ordered.slice(2), [s(12), s(13)]);
    firsts.add(ordered[0]!.address);
  }
  t.deepEqual([...firsts].sort(), [s(10).address, s(11).address], 'both in-band servers get chosen first sometimes');
  t.true(300 - 90 <= RTT_BAND_MS);
  // Deterministic with a fixed Random.
  const a = setup({ random: seededRandom(5) }).cache;
  const b = setup({ random: seededRandom(5) }).cache;
  const cands = [s(20), s(21), s(22)];
  t.deepEqual(a.select(cands).ordered, b.select(cands).ordered);
});

test('lame flags per (server, zone) expire', (t) => {
  const { cache, advance } = setup();
  cache.markLame(s(6), 'Example.COM', 'lame', 10);
  t.is(cache.lameness(s(6), 'example.com'), 'lame');
  t.is(cache.lameness(s(6), 'example.net'), undefined);
  const sel = cache.select([s(6), s(7)], 'example.com');
  t.deepEqual(sel.ordered, [s(7)]);
  t.deepEqual(sel.skipped, [{ server: s(6), reason: 'lame' }]);
  advance(10_000);
  t.is(cache.lameness(s(6), 'example.com'), undefined);
  cache.recordEdns(s(6), 'no-edns');
  t.is(cache.info(s(6)).edns, 'no-edns');
});

test('bounded: least recently used servers are forgotten', (t) => {
  const { cache } = setup({ maxEntries: 3 });
  for (let i = 1; i <= 5; i++) cache.recordRtt(s(i), 10 * i);
  t.is(cache.size, 3);
  t.false(cache.info(s(1)).measured);
  t.true(cache.info(s(5)).measured);
});

test('recordReply is recordRtt plus recordEdns in one update', (t) => {
  const a = setup().cache;
  const b = setup().cache;
  for (const [rtt, edns] of [[100, 'edns'], [20, 'no-edns'], [35, 'edns']] as const) {
    a.recordReply(s(7), rtt, edns);
    b.recordRtt(s(7), rtt);
    b.recordEdns(s(7), edns);
    t.deepEqual(a.info(s(7)), b.info(s(7)));
  }
  t.like(a.info(s(7)), { edns: 'edns', measured: true, timeouts: 0 });
});
