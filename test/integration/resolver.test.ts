// Integration tests of the iterative resolver on the signed test hierarchy (NSD on 127.20.x.x):
// every manifest scenario (rcode, and answer data against Unbound queried with +cd), lame server,
// TC → TCP, CNAME across zones, negative caching without upstream traffic, merging, timeouts,
// aggressive NSEC (RFC 8198) with a validator, root priming (RFC 8109), 0x20 end to end.
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { promisify } from 'node:util';
import test from 'ava';
import { Validator } from '../../src/dnssec/validator.js';
import { Resolver } from '../../src/resolver/resolver.js';
import { closestDelegation } from '../../src/resolver/delegation.js';
import { parseRootHints, readRootHintsFile } from '../../src/resolver/hints.js';
import { NetTransport, type Transport } from '../../src/transport/transport.js';
import type { ExchangeOptions, ExchangeResult, ServerAddress } from '../../src/transport/types.js';
import { type Random, cryptoRandom } from '../../src/util/random.js';
import { Rcode, RRType, rcodeToText, typeFromText, typeToText } from '../../src/wire/constants.js';
import { Message } from '../../src/wire/message.js';
import { Name } from '../../src/wire/name.js';
import { rdataToText } from '../../src/wire/rdata/codec.js';
import { useHierarchy } from '../hierarchy/fixture.js';
import { hierarchyAnchors } from '../helpers/hierarchy-resolver.js';
import { SCENARIOS } from '../hierarchy/scenarios.js';

const run = promisify(execFile);
const hierarchy = useHierarchy(test);

/** A NetTransport that remembers which servers were asked and how. */
class RecordingTransport implements Transport {
  readonly net = new NetTransport();
  readonly log: Array<{ server: string; kind: string; viaTcp: boolean; bytes: number }> = [];
  async exchange(server: ServerAddress, query: Uint8Array, options: ExchangeOptions): Promise<ExchangeResult> {
    const r = await this.net.exchange(server, query, options);
    this.log.push({
      server: server.address, kind: r.kind, viaTcp: r.kind === 'reply' && r.viaTcp,
      bytes: r.kind === 'reply' || r.kind === 'truncated' ? r.wire.length : 0,
    });
    return r;
  }
}

function makeResolver(transport?: Transport, extra: Partial<ConstructorParameters<typeof Resolver>[0]> = {}): Resolver {
  return new Resolver({ rootHints: readRootHintsFile(hierarchy().rootHintsFile), ...(transport === undefined ? {} : { transport }), ...extra });
}

/** Answer records (no RRSIG) as "owner TYPE rdata" lines, sorted, lower-cased. */
function ourLines(records: readonly { name: Name; type: number; decode(): Parameters<typeof rdataToText>[0] }[]): string[] {
  return records.filter((r) => r.type !== RRType.RRSIG).map((r) => `${r.name.toText()} ${typeToText(r.type)} ${rdataToText(r.decode())}`.toLowerCase()).sort();
}

async function unboundCd(qname: string, qtype: string): Promise<{ rcode: string; lines: string[] }> {
  const { stdout } = await run('dig', ['+cd', '+time=5', '+tries=1', '+noall', '+comments', '+answer', '+nottlid', '+nocl', '+nosplit',
    `@${hierarchy().unboundAddr}`, qname, qtype]);
  const rcode = /status: ([A-Z]+)/.exec(stdout)?.[1] ?? 'NONE';
  const lines = stdout.split('\n').filter((l) => l !== '' && !l.startsWith(';'))
    .map((l) => l.trim().split(/\s+/)).map(([o, t, ...rd]) => `${o} ${t} ${rd.join(' ')}`.toLowerCase()).sort();
  return { rcode, lines };
}

test('named.root parser reads the hierarchy hints', (t) => {
  const h = parseRootHints('. 3600 NS a.x.\na.x. 3600 A 127.0.0.9\n; c\n. 3600 IN NS b.x.\n');
  t.is(h.servers.length, 1);
  t.deepEqual(h.servers[0]!.addresses, ['127.0.0.9']);
  t.true(readRootHintsFile(hierarchy().rootHintsFile).servers.length >= 2);
});

const shared = { resolver: undefined as Resolver | undefined };
test.after.always(() => shared.resolver?.close());

for (const sc of SCENARIOS) {
  test(`resolver: ${sc.id} (${sc.qname} ${sc.qtype})`, async (t) => {
    shared.resolver ??= makeResolver();
    const type = typeFromText(sc.qtype)!;
    const [a, u] = await Promise.all([shared.resolver.resolve({ name: Name.fromText(sc.qname), type }), unboundCd(sc.qname, sc.qtype)]);
    const info = `${rcodeToText(a.rcode)} ${JSON.stringify(a.ede)}\nours: ${ourLines(a.answer).join('\n')}\nunbound: ${u.lines.join('\n')}`;
    // No validator: bogus data is returned like Unbound with +cd does.
    t.is(rcodeToText(a.rcode), sc.security === 'bogus' ? u.rcode : sc.rcode, info);
    t.deepEqual(ourLines(a.answer), u.lines, info);
    t.is(a.outcome.security, 'indeterminate');
    if (!a.fromCache) t.true(a.steps.length >= 1);
  });
}

test('negative answers are cached: the second NXDOMAIN/NODATA sends nothing upstream', async (t) => {
  const tr = new RecordingTransport();
  const r = makeResolver(tr);
  for (const [q, type, rc] of [['nx2.alg13.test.', RRType.A, Rcode.NXDOMAIN], ['www.alg13.test.', RRType.MX, Rcode.NOERROR]] as const) {
    const first = await r.resolve({ name: Name.fromText(q), type });
    t.is(first.rcode, rc);
    t.true(first.authority.some((x) => x.type === RRType.SOA));
    const sent = tr.net.stats.sent;
    const second = await r.resolve({ name: Name.fromText(q), type });
    t.is(second.rcode, rc);
    t.true(second.fromCache);
    t.is(second.answer.length, 0);
    t.is(tr.net.stats.sent, sent, 'no upstream query for the cached negative answer');
  }
  r.close();
  tr.net.close();
});

test('TC → TCP: the ~3000-byte TXT arrives over TCP', async (t) => {
  const tr = new RecordingTransport();
  const r = makeResolver(tr);
  const a = await r.resolve({ name: Name.fromText('txt.big.test.'), type: RRType.TXT });
  t.is(a.rcode, Rcode.NOERROR);
  t.true(tr.log.some((l) => l.viaTcp && l.bytes > 1232), JSON.stringify(tr.log));
  r.close();
  tr.net.close();
});

test('lame server next to a good one: the answer comes and the lame one is remembered', async (t) => {
  let askedLame = 0;
  for (let i = 0; i < 4; i++) {
    const tr = new RecordingTransport();
    const r = makeResolver(tr);
    const a = await r.resolve({ name: Name.fromText('www.lame.test.'), type: RRType.A });
    t.is(a.rcode, Rcode.NOERROR);
    t.is(a.answer.filter((x) => x.type === RRType.A).length, 1);
    if (tr.log.some((l) => l.server === '127.20.3.1')) {
      askedLame++;
      t.is(r.infra.lameness({ address: '127.20.3.1', port: 53 }, 'lame.test.'), 'lame');
    }
    r.close();
    tr.net.close();
  }
  t.log(`lame server asked in ${askedLame} of 4 runs`);
});

test('CNAME across zones: one step per zone, chain in the answer', async (t) => {
  const r = makeResolver();
  const a = await r.resolve({ name: Name.fromText('across.cname.test.'), type: RRType.A });
  t.is(a.rcode, Rcode.NOERROR);
  t.true(a.steps.length >= 2);
  t.not(a.steps[0]!.zone.toText(), a.steps[a.steps.length - 1]!.zone.toText());
  t.true(a.answer.some((x) => x.type === RRType.CNAME));
  t.true(a.answer.some((x) => x.type === RRType.A));
  r.close();
});

test('identical concurrent questions are merged into one resolution', async (t) => {
  const tr = new RecordingTransport();
  const r = makeResolver(tr);
  const q = { name: Name.fromText('www.alg14.test.'), type: RRType.A };
  const answers = await Promise.all(Array.from({ length: 8 }, () => r.resolve(q)));
  t.true(answers.every((a) => a.rcode === Rcode.NOERROR && a === answers[0]));
  const sent = tr.net.stats.sent;
  tr.log.length = 0;
  const again = await r.resolve(q);
  t.true(again.fromCache);
  t.is(tr.net.stats.sent, sent);
  t.true(sent <= 8, `sent ${sent}`);
  r.close();
  tr.net.close();
});

test('a server that never answers gives SERVFAIL (EDE 22) within the deadline', async (t) => {
  const sock = createSocket('udp4');
  await new Promise<void>((res) => sock.bind(53, '127.20.250.1', res));
  try {
    const r = new Resolver({
      rootHints: parseRootHints('. 3600 NS a.dead.\na.dead. 3600 A 127.20.250.1\n'), limits: { deadlineMs: 1500 },
    });
    const t0 = Date.now();
    const a = await r.resolve({ name: Name.fromText('www.alg8.test.'), type: RRType.A });
    const ms = Date.now() - t0;
    t.is(a.rcode, Rcode.SERVFAIL);
    t.is(a.ede[0]?.code, 22);
    t.true(ms < 2500, `${ms} ms`);
    r.close();
  } finally {
    sock.close();
  }
});

async function validator(): Promise<Validator> {
  const anchors = await hierarchyAnchors(hierarchy());
  return new Validator({ anchors });
}

test('aggressive NSEC (RFC 8198): a covered name is a secure NXDOMAIN with zero upstream sends', async (t) => {
  const tr = new RecordingTransport();
  const r = makeResolver(tr, { validator: await validator() });
  const first = await r.resolve({ name: Name.fromText('nx.alg8.test.'), type: RRType.A });
  t.is(first.rcode, Rcode.NXDOMAIN);
  t.is(first.outcome.security, 'secure');
  t.true(r.nsecStore.size > 0, 'validated NSECs stored');
  let sent = tr.net.stats.sent;
  // 'nxa' sorts right after 'nx' (RFC 4034 §6.1), so the same NSEC covers it.
  const covered = await r.resolve({ name: Name.fromText('nxa.alg8.test.'), type: RRType.A });
  t.is(tr.net.stats.sent, sent, 'no upstream query');
  t.is(covered.rcode, Rcode.NXDOMAIN);
  t.is(covered.outcome.security, 'secure');
  t.deepEqual(covered.ede, []);
  t.true(covered.authority.some((x) => x.type === RRType.SOA));
  t.true(covered.authority.some((x) => x.type === RRType.NSEC));
  t.true(covered.authority.some((x) => x.type === RRType.RRSIG));
  t.true(covered.authority.every((x) => x.ttl <= 3600 && x.ttl > 0));
  // After www (the last name), so not covered by what the first answer proved.
  const other = await r.resolve({ name: Name.fromText('zz.alg8.test.'), type: RRType.A });
  t.true(tr.net.stats.sent > sent, 'uncovered name goes upstream');
  t.is(other.rcode, Rcode.NXDOMAIN);
  t.is(other.outcome.security, 'secure');
  // NSEC3 zones always go upstream (AGGRESSIVE_NSEC3 = false).
  t.is((await r.resolve({ name: Name.fromText('nx.nsec3.test.'), type: RRType.A })).outcome.security, 'secure');
  sent = tr.net.stats.sent;
  const n3 = await r.resolve({ name: Name.fromText('nxa.nsec3.test.'), type: RRType.A });
  t.is(n3.rcode, Rcode.NXDOMAIN);
  t.true(tr.net.stats.sent > sent, 'NSEC3 denial not synthesized');
  // CD clients are never answered from the aggressive path (nothing validated for them).
  sent = tr.net.stats.sent;
  const cd = await r.resolve({ name: Name.fromText('nxb.alg8.test.'), type: RRType.A }, { cd: true });
  t.is(cd.rcode, Rcode.NXDOMAIN);
  t.true(tr.net.stats.sent > sent);
  r.close();
  tr.net.close();
});

test('root priming (RFC 8109): the root NS set from the test root servers replaces the hints', async (t) => {
  const hintAddr = readRootHintsFile(hierarchy().rootHintsFile).servers[0]!.addresses[0]!;
  const hints = parseRootHints(`. 3600 NS hint-only.invalid.\nhint-only.invalid. 3600 A ${hintAddr}\n`);
  const r = new Resolver({ rootHints: hints });
  const a = await r.resolve({ name: Name.fromText('www.alg8.test.'), type: RRType.A });
  t.is(a.rcode, Rcode.NOERROR);
  t.is(r.primer?.last, 'primed');
  const ns = r.rrsets.get(Name.ROOT, RRType.NS, 1)!.entry.rrset.records.map((x) => rdataToText(x.decode())).sort();
  t.log(ns.join(' '));
  t.false(ns.includes('hint-only.invalid.'));
  t.true(ns.length >= 2);
  const del = closestDelegation(r.rrsets, Name.fromText('example.'), 1, hints);
  t.true(del.zone.isRoot());
  t.deepEqual(del.servers.map((s) => s.name.toText()).sort(), ns, 'the primed set is what the iterator uses');
  t.true(del.servers.every((s) => s.addresses.length > 0), JSON.stringify(del.servers));
  r.close();
});

test('root priming failure falls back to the hints', async (t) => {
  // Every ". NS" query is lost; everything else goes to the hierarchy.
  const net = new NetTransport();
  let dropped = 0;
  const tr: Transport = {
    async exchange(server, query, options) {
      const m = Message.fromWire(query);
      if (m.ok && m.message.question[0]?.name.isRoot() === true && m.message.question[0].type === RRType.NS) {
        dropped++;
        return { kind: 'timeout' };
      }
      return net.exchange(server, query, options);
    },
  };
  const r = makeResolver(tr);
  const a = await r.resolve({ name: Name.fromText('www.alg8.test.'), type: RRType.A });
  t.is(a.rcode, Rcode.NOERROR);
  t.is(r.primer?.last, 'failed');
  t.true(dropped >= 1);
  t.is(r.rrsets.get(Name.ROOT, RRType.NS, 1), undefined);
  const before = dropped;
  t.is((await r.resolve({ name: Name.fromText('www.alg13.test.'), type: RRType.A })).rcode, Rcode.NOERROR);
  t.is(dropped, before, 'no new priming attempt during the back-off');
  r.close();
  net.close();
});

test('0x20 end to end: NSD echoes the case, answers are correct and nothing is rejected', async (t) => {
  const net = new NetTransport();
  const r = makeResolver(net, { use0x20: true });
  for (const [q, type, rc] of [['www.alg8.test.', RRType.A, Rcode.NOERROR], ['across.cname.test.', RRType.A, Rcode.NOERROR],
    ['nx.nsec3.test.', RRType.A, Rcode.NXDOMAIN]] as const) {
    const [a, u] = await Promise.all([r.resolve({ name: Name.fromText(q), type }), unboundCd(q, typeToText(type))]);
    t.is(a.rcode, rc, q);
    t.deepEqual(ourLines(a.answer), u.lines, q);
  }
  t.is(net.stats.wrongQuestion, 0);
  t.true(net.stats.accepted > 0);
  r.close();
  net.close();
});

test('0x20: a server that lowercases the question is rejected (wrongQuestion), giving SERVFAIL', async (t) => {
  const upstream = readRootHintsFile(hierarchy().rootHintsFile).servers[0]!.addresses[0]!;
  // A proxy to a real root server that folds the echoed question name to lower case.
  const proxy = createSocket('udp4');
  await new Promise<void>((res) => proxy.bind(53, '127.20.250.17', res));
  proxy.on('message', (query, client) => {
    const up = createSocket('udp4');
    up.on('message', (reply) => {
      for (let p = 12; reply[p] !== 0 && p < reply.length; p += 1 + reply[p]!) {
        for (let i = p + 1; i <= p + reply[p]!; i++) if (reply[i]! >= 0x41 && reply[i]! <= 0x5a) reply[i]! += 0x20;
      }
      proxy.send(reply, client.port, client.address);
      up.close();
    });
    up.send(query, 53, upstream);
  });
  // Every letter of every query upper-cased: the lowered echo can never match by chance.
  const random: Random = {
    u16: () => cryptoRandom.u16(), u32: () => cryptoRandom.u32(), int: (m) => cryptoRandom.int(m),
    shuffle: (xs) => cryptoRandom.shuffle(xs), bytes: (n) => new Uint8Array(n).fill(0xff),
  };
  const net = new NetTransport({ random });
  try {
    const r = new Resolver({
      rootHints: parseRootHints('. 3600 NS a.proxy.\na.proxy. 3600 A 127.20.250.17\n'), transport: net, random, use0x20: true,
      primeRoot: false, limits: { deadlineMs: 2000 },
    });
    const a = await r.resolve({ name: Name.fromText('www.alg8.test.'), type: RRType.A });
    t.is(a.rcode, Rcode.SERVFAIL);
    t.true(net.stats.wrongQuestion >= 1, JSON.stringify(net.stats));
    t.is(net.stats.accepted, 0);
    r.close();
  } finally {
    proxy.close();
    net.close();
  }
});
