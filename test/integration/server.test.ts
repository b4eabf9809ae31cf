// server.test.ts — adbit serve (in process, Resolver + Validator) on the real signed hierarchy:
// every manifest scenario over UDP and TCP with DO set: RCODE as in the manifest, AD exactly for
// secure ones (RFC 6840 §5.7), SERVFAIL + the manifest's EDE for bogus (RFC 8914), CD=1 returns
// the bogus data with AD=0 (RFC 4035 §3.2.2), no AD without DO/AD, TC over UDP for the big TXT.
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import test from 'ava';
import { useHierarchy } from '../hierarchy/fixture.js';
import type { Scenario } from '../hierarchy/scenarios.js';
import { startServer, type RunningServer } from '../../src/server/run.js';
import { createJsonLogger } from '../../src/util/log.js';
import { rcodeToText, typeFromText } from '../../src/wire/constants.js';
import { buildQuery } from '../../src/wire/encode.js';
import { Message } from '../../src/wire/message.js';
import { Name } from '../../src/wire/name.js';

const hierarchy = useHierarchy(test);
let srv: RunningServer | undefined;
let starting: Promise<RunningServer> | undefined;

/** ava runs before-hooks concurrently, so the server starts lazily once the hierarchy is up. */
async function server(): Promise<RunningServer> {
  const h = hierarchy();
  starting ??= startServer({
    listen: [{ host: '127.0.0.1', port: 0 }], allow: ['127.0.0.0/8'], openResolver: false, logLevel: 'error',
    metricsPublic: false, workers: 1, rootHints: h.rootHintsFile, trustAnchor: h.trustAnchorDsFile,
  }, { log: createJsonLogger({ level: 'error' }) });
  srv = await starting;
  return srv;
}

test.after.always(async () => {
  await srv?.shutdown(1000);
});

interface Ask { name: string; type: string; dnssecOk?: boolean; cd?: boolean; ad?: boolean; tcp?: boolean }

let nextId = 1;
async function ask(o: Ask): Promise<Message> {
  const srv = await server();
  const wire = buildQuery({ id: nextId++ & 0xffff, name: Name.fromText(o.name), type: typeFromText(o.type)!, rd: true,
    dnssecOk: o.dnssecOk ?? true, cd: o.cd ?? false, ad: o.ad ?? false, udpSize: 1232 });
  const port = o.tcp === true ? srv.tcp[0]!.port : srv.udp[0]!.port;
  return new Promise((resolve, reject) => {
    const done = (b: Uint8Array): void => {
      const p = Message.fromWire(b);
      if (p.ok) resolve(p.message);
      else reject(new Error(p.reason));
    };
    const timer = setTimeout(() => reject(new Error(`timeout ${o.name} ${o.type}`)), 15000);
    if (o.tcp === true) {
      const s = connect({ host: '127.0.0.1', port }, () => {
        const f = Buffer.alloc(2 + wire.length);
        f.writeUInt16BE(wire.length);
        f.set(wire, 2);
        s.write(f);
      });
      let buf = Buffer.alloc(0);
      s.on('data', (c: Buffer) => {
        buf = Buffer.concat([buf, c]);
        if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          clearTimeout(timer);
          s.destroy();
          done(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        }
      });
      s.on('error', reject);
    } else {
      const s = createSocket('udp4');
      s.on('message', (m) => { clearTimeout(timer); s.close(); done(m); });
      s.send(wire, port, '127.0.0.1');
    }
  });
}

function check(t: import('ava').ExecutionContext, sc: Scenario, m: Message, via: string): void {
  const what = `${sc.id} via ${via}`;
  t.is(rcodeToText(m.rcode), sc.rcode, `${what}: rcode`);
  t.is(m.ad, sc.security === 'secure', `${what}: AD`);
  if (sc.security === 'bogus') {
    t.true(m.edns?.extendedErrors.some((e) => e.code === sc.ede) ?? false,
      `${what}: EDE ${sc.ede} in ${JSON.stringify(m.edns?.extendedErrors)}`);
    t.is(m.answer.length, 0, `${what}: no data for bogus`);
  }
}

test('every manifest scenario over UDP (DO=1): rcode, AD iff secure, EDE for bogus', async (t) => {
  for (const sc of hierarchy().manifest) {
    const m = await ask({ name: sc.qname, type: sc.qtype });
    if (sc.id === 'tc-tcp') {
      t.true(m.tc, 'big TXT truncated over UDP');
      continue;
    }
    check(t, sc, m, 'UDP');
  }
});

test('every manifest scenario over TCP (DO=1)', async (t) => {
  for (const sc of hierarchy().manifest) check(t, sc, await ask({ name: sc.qname, type: sc.qtype, tcp: true }), 'TCP');
});

test('CD=1 returns bogus data unvalidated with AD=0', async (t) => {
  for (const sc of hierarchy().manifest.filter((s) => s.security === 'bogus')) {
    // KeyTrap-style answers carry dozens of RRSIGs: TC over UDP, so the data comes over TCP (RFC 7766).
    let m = await ask({ name: sc.qname, type: sc.qtype, cd: true });
    if (m.tc) m = await ask({ name: sc.qname, type: sc.qtype, cd: true, tcp: true });
    t.is(rcodeToText(m.rcode), 'NOERROR', `${sc.id}: rcode with CD`);
    t.false(m.ad, `${sc.id}: AD with CD`);
    t.true(m.answer.length > 0, `${sc.id}: data with CD`);
  }
});

test('secure data: AD only when DO or AD was set; RRSIGs only with DO', async (t) => {
  const plain = await ask({ name: 'www.alg13.test.', type: 'A', dnssecOk: false });
  t.false(plain.ad);
  t.false(plain.answer.some((r) => r.type === 46));
  const adOnly = await ask({ name: 'www.alg13.test.', type: 'A', dnssecOk: false, ad: true });
  t.true(adOnly.ad);
  const withDo = await ask({ name: 'www.alg13.test.', type: 'A' });
  t.true(withDo.ad);
  t.true(withDo.answer.some((r) => r.type === 46));
  const s = srv!.snapshot();
  t.true((s.security['secure'] ?? 0) > 0);
  t.true(s.upstreamQueries > 0);
});
