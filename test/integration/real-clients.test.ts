// real-clients.test.ts — dig, kdig and delv against adbit serve on the test hierarchy. dig/kdig
// check flags (ad, tc), RCODE and EDE as real stub clients see them; delv validates the answers
// again from the test root's DS anchor (written as a `trust-anchors { "." static-ds ...; };` file),
// so "fully validated" means adbit passed along every RRSIG/DNSKEY/DS a validator needs.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { useHierarchy } from '../hierarchy/fixture.js';
import { startServer, type RunningServer } from '../../src/server/run.js';
import { createJsonLogger } from '../../src/util/log.js';

const run = promisify(execFile);
const hierarchy = useHierarchy(test);
let starting: Promise<RunningServer> | undefined;
let srv: RunningServer | undefined;

async function port(): Promise<number> {
  const h = hierarchy();
  starting ??= startServer({
    listen: [{ host: '127.0.0.1', port: 0 }], allow: ['127.0.0.0/8'], openResolver: false, logLevel: 'error',
    metricsPublic: false, workers: 1, rootHints: h.rootHintsFile, trustAnchor: h.trustAnchorDsFile,
  }, { log: createJsonLogger({ level: 'error' }) });
  srv = await starting;
  return srv.udp[0]!.port;
}

test.after.always(async () => {
  await srv?.shutdown(1000);
});

async function tool(cmd: string, args: string[]): Promise<string> {
  try {
    const r = await run(cmd, args, { timeout: 30_000 });
    return r.stdout + r.stderr;
  } catch (e) {
    // dig/delv exit non-zero on some failures; their output still says why.
    const x = e as { stdout?: string; stderr?: string };
    return (x.stdout ?? '') + (x.stderr ?? '');
  }
}

const flags = (out: string): string => /;; flags: ([a-z ]+);/.exec(out)?.[1] ?? '';

test('dig: secure → ad; insecure → no ad; bogus → SERVFAIL with EDE; +cd → data', async (t) => {
  const p = String(await port());
  const dig = (...a: string[]): Promise<string> => tool('dig', ['@127.0.0.1', '-p', p, '+dnssec', '+tries=1', '+time=10', ...a]);
  const sec = await dig('www.alg13.test', 'A');
  t.regex(sec, /status: NOERROR/);
  t.true(flags(sec).split(' ').includes('ad'), sec);
  t.regex(sec, /RRSIG\s+A 13/);
  const ins = await dig('www.insec-nsec.test', 'A');
  t.regex(ins, /status: NOERROR/);
  t.false(flags(ins).split(' ').includes('ad'));
  const bog = await dig('www.expired.test', 'A');
  t.regex(bog, /status: SERVFAIL/);
  t.regex(bog, /EDE: 7 \(Signature Expired\)/);
  const cd = await dig('+cd', 'www.expired.test', 'A');
  t.regex(cd, /status: NOERROR/);
  t.regex(cd, /ANSWER: [1-9]/);
  t.false(flags(cd).split(' ').includes('ad'));
  const any = await tool('dig', ['@127.0.0.1', '-p', p, 'alg13.test', 'ANY']);
  t.regex(any, /HINFO\s+"RFC8482" ""/);
  const big = await tool('dig', ['@127.0.0.1', '-p', p, '+dnssec', '+ignore', '+bufsize=1232', 'txt.big.test', 'TXT']);
  t.true(flags(big).split(' ').includes('tc'), big);
  const tcp = await dig('+tcp', 'txt.big.test', 'TXT');
  t.true(flags(tcp).split(' ').includes('ad'));
});

test('kdig: AD over UDP and TCP, EDE on bogus', async (t) => {
  const p = String(await port());
  const k = (...a: string[]): Promise<string> => tool('kdig', [`@127.0.0.1`, '-p', p, '+dnssec', ...a]);
  const u = await k('www.alg15.test', 'AAAA');
  t.regex(u, /status: NOERROR/);
  t.regex(u, /Flags: qr rd ra ad/);
  const tcp = await k('+tcp', 'www.nsec3.test', 'MX');
  t.regex(tcp, /Flags: qr rd ra ad/);
  const bog = await k('www.stripped.test', 'A');
  t.regex(bog, /status: SERVFAIL/);
  t.regex(bog, /EDE: 10/);
});

test('delv validates adbit answers again from the test root anchor', async (t) => {
  const p = String(await port());
  const dir = mkdtempSync(join(tmpdir(), 'adbit-delv-'));
  const ds = readFileSync(hierarchy().trustAnchorDsFile, 'utf8').split('\n').filter((l) => /\sDS\s/.test(l)).map((l) => {
    const f = l.trim().split(/\s+/);
    const i = f.indexOf('DS');
    return `  "." static-ds ${f[i + 1]} ${f[i + 2]} ${f[i + 3]} "${f.slice(i + 4).join('')}";`;
  });
  const anchors = join(dir, 'anchors.conf');
  writeFileSync(anchors, `trust-anchors {\n${ds.join('\n')}\n};\n`);
  const delv = (name: string, type: string): Promise<string> => tool('delv', ['@127.0.0.1', '-p', p, '-a', anchors, '+root=.', name, type]);
  for (const [name, type] of [['www.alg13.test', 'A'], ['www.alg8.test', 'A'], ['www.nsec3.test', 'MX'], ['nx.alg8.test', 'A'], ['a.cname.test', 'A']] as const) {
    t.regex(await delv(name, type), /; (negative response, )?fully validated/, `${name} ${type}`);
  }
  t.regex(await delv('www.insec-nsec.test', 'A'), /; unsigned answer/);
  // delv asks with CD=1, so adbit hands over the bogus data and delv's own validation fails it.
  const bogus = await delv('www.expired.test', 'A');
  t.regex(bogus, /resolution failed/);
  t.notRegex(bogus, /fully validated/);
});
