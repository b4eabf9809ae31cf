// cookies.test.ts — client cookie derivation, per-server difference, rotation, reply verdicts.
import test from 'ava';
import { ClientCookies } from '../../../src/transport/cookies.js';
import { cryptoRandom } from '../../../src/util/random.js';

test('client cookie: 8 bytes, stable per server, different per server, rotated with the secret', (t) => {
  let nowSec = 1_000_000;
  const clock = { nowMs: () => nowSec * 1000, nowSec: () => nowSec };
  const c = new ClientCookies({ clock, random: cryptoRandom, rotateSec: 3600 });
  const a = { address: '192.0.2.1', port: 53 };
  const b = { address: '192.0.2.2', port: 53 };
  const ca = c.clientCookie(a);
  t.is(ca.length, 8);
  t.deepEqual(c.clientCookie(a), ca);
  t.notDeepEqual(c.clientCookie(b), ca);
  t.is(c.onReply(a, new Uint8Array([...ca, 1, 2, 3, 4, 5, 6, 7, 8])), 'ok');
  t.deepEqual(c.cookieFor(a), new Uint8Array([...ca, 1, 2, 3, 4, 5, 6, 7, 8]));
  nowSec += 3600;
  t.notDeepEqual(c.clientCookie(a), ca, 'new period, new cookie');
  t.is(c.serverCookie(a), undefined, 'server cookie bound to the old client cookie is dropped');
});

test('reply verdicts per RFC 7873 §5.3', (t) => {
  const clock = { nowMs: () => 0, nowSec: () => 0 };
  const c = new ClientCookies({ clock, random: cryptoRandom });
  const s = { address: '::1', port: 5353 };
  const mine = c.clientCookie(s);
  t.is(c.onReply(s, undefined), 'absent');
  t.is(c.onReply(s, new Uint8Array(5)), 'malformed');
  t.is(c.onReply(s, new Uint8Array(16)), 'mismatch');
  t.is(c.onReply(s, new Uint8Array([...mine, 1, 2, 3])), 'malformed', 'server cookie shorter than 8');
  t.is(c.onReply(s, new Uint8Array([...mine, ...new Uint8Array(33)])), 'malformed', 'server cookie longer than 32');
  t.is(c.onReply(s, mine), 'ok');
  t.is(c.serverCookie(s), undefined);
});
