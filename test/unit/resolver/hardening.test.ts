// Regression and feature tests of the resolver's hardening: a reply that is already in the socket
// when the timer fires is still accepted (the load-test wrong answers), single-server zones survive
// lost datagrams (retry rounds), serve-stale (RFC 8767 §4: EDE 3, TTL 30), and QNAME-minimisation
// queries skipped for names a previous minimised query proved to exist (RFC 9156 §2.3).
import { Worker } from 'node:worker_threads';
import test from 'ava';
import { fakeClock } from '../../helpers/fake-clock.js';
import { parseRootHints } from '../../../src/resolver/hints.js';
import { Resolver } from '../../../src/resolver/resolver.js';
import { NetTransport } from '../../../src/transport/transport.js';
import type { ExchangeOptions, ExchangeResult, ServerAddress } from '../../../src/transport/types.js';
import { Rcode, RRType } from '../../../src/wire/constants.js';
import { buildQuery } from '../../../src/wire/encode.js';
import { Name } from '../../../src/wire/name.js';
import { FakeTransport } from './fake-auth.js';

const N = (s: string): Name => Name.fromText(s);
const hints = parseRootHints('. 3600 NS a.root.\na.root. 3600 A 10.0.0.1\n');

function world(): FakeTransport {
  return new FakeTransport()
    .serve('10.0.0.1', { origin: '.', records: ['. 3600 SOA a.root. h.root. 60', 'test. 3600 NS ns.test.', 'ns.test. 3600 A 10.0.0.2'] })
    .serve('10.0.0.2', { origin: 'test.', records: [
      'test. 3600 SOA ns.test. h.test. 60', 'www.test. 300 A 192.0.2.7', 'a.wild.test. 300 A 192.0.2.8', 'b.wild.test. 300 A 192.0.2.9',
    ] });
}

/** A clock tests move by hand. */
const manualClock = (startMs = 1_700_000_000_000) => fakeClock(startMs);

/** Times out the first `drops` queries to each address, then passes through (lost datagrams). */
class Lossy {
  readonly #inner: FakeTransport;
  readonly #left = new Map<string, number>();
  readonly #drops: number;
  constructor(inner: FakeTransport, drops: number) {
    this.#inner = inner;
    this.#drops = drops;
  }

  async exchange(server: ServerAddress, query: Uint8Array, options: ExchangeOptions): Promise<ExchangeResult> {
    const left = this.#left.get(server.address) ?? this.#drops;
    if (left > 0) {
      this.#left.set(server.address, left - 1);
      return { kind: 'timeout' };
    }
    return this.#inner.exchange(server, query, options);
  }
}

// The echo server runs in a worker thread, so it answers while the test's own loop is blocked.
const ECHO_SERVER = `
const dgram = require('node:dgram');
const { parentPort } = require('node:worker_threads');
const s = dgram.createSocket('udp4');
s.on('message', (m, r) => { const b = Buffer.from(m); b[2] |= 0x80; s.send(b, r.port, r.address); });
s.bind(0, '127.0.0.1', () => parentPort.postMessage(s.address().port));
`;

test.serial('a reply already in the socket when the try timer fires is accepted (event loop blocked)', async (t) => {
  const worker = new Worker(ECHO_SERVER, { eval: true });
  const port = await new Promise<number>((r) => worker.once('message', r));
  const nt = new NetTransport({ localAddress: '127.0.0.1' });
  try {
    const q = buildQuery({ id: 1, name: N('x.test.'), type: RRType.A });
    const pending = nt.exchange({ address: '127.0.0.1', port }, q, { timeoutMs: 30 });
    while (nt.stats.sent === 0) await new Promise((r) => setImmediate(r));
    // Block past the timeout: the reply arrives meanwhile and waits in the socket buffer.
    const until = Date.now() + 150;
    while (Date.now() < until) { /* busy */ }
    t.is((await pending).kind, 'reply');
  } finally {
    nt.close();
    await worker.terminate();
  }
});

test('single-server zone: lost datagrams are retried (more than two tries) and answered', async (t) => {
  const fake = world();
  const r = new Resolver({ rootHints: hints, transport: new Lossy(fake, 3), qnameMinimisation: false });
  const a = await r.resolve({ name: N('www.test.'), type: RRType.A });
  t.is(a.rcode, Rcode.NOERROR);
  t.true(a.answer.some((x) => x.type === RRType.A));
});

test('serve-stale: upstreams unreachable after expiry → stale answer, EDE 3, TTL 30 (RFC 8767 §4)', async (t) => {
  const fake = world();
  const clock = manualClock();
  const r = new Resolver({ rootHints: hints, transport: fake, clock, serveStale: true, limits: { deadlineMs: 500 } });
  const fresh = await r.resolve({ name: N('www.test.'), type: RRType.A });
  t.is(fresh.rcode, Rcode.NOERROR);
  t.false(fresh.ede.some((e) => e.code === 3));
  clock.advanceMs(400_000); // past the 300 s TTL, and past the NS TTL too
  fake.silent.add('10.0.0.1');
  fake.silent.add('10.0.0.2');
  const stale = await r.resolve({ name: N('www.test.'), type: RRType.A });
  t.is(stale.rcode, Rcode.NOERROR);
  t.true(stale.fromCache);
  t.true(stale.ede.some((e) => e.code === 3));
  const a = stale.answer.find((x) => x.type === RRType.A);
  t.is(a?.ttl, 30);
});

test('serve-stale off: the same outage gives SERVFAIL', async (t) => {
  const fake = world();
  const clock = manualClock();
  const r = new Resolver({ rootHints: hints, transport: fake, clock, limits: { deadlineMs: 500 } });
  t.is((await r.resolve({ name: N('www.test.'), type: RRType.A })).rcode, Rcode.NOERROR);
  clock.advanceMs(400_000);
  fake.silent.add('10.0.0.1');
  fake.silent.add('10.0.0.2');
  const a = await r.resolve({ name: N('www.test.'), type: RRType.A });
  t.is(a.rcode, Rcode.SERVFAIL);
  t.false(a.ede.some((e) => e.code === 3));
});

test('QNAME minimisation: a name proved to exist is not asked again for the next question below it', async (t) => {
  const fake = world();
  const r = new Resolver({ rootHints: hints, transport: fake });
  t.is((await r.resolve({ name: N('a.wild.test.'), type: RRType.A })).rcode, Rcode.NOERROR);
  const before = fake.log.length;
  t.is((await r.resolve({ name: N('b.wild.test.'), type: RRType.A })).rcode, Rcode.NOERROR);
  const second = fake.log.slice(before);
  t.deepEqual(second.map((x) => x.qname), ['b.wild.test.']);
});
