// cli.test.ts — the adbit command line as other tools drive it: `query --json` contract (in process
// and via --server) and exit codes, `serve` start/bind/config errors, SIGHUP reload (ACL), SIGTERM
// exit 0, `stats` against --metrics, the subcommand table's "not available yet" path.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import test from 'ava';
import { useHierarchy } from '../hierarchy/fixture.js';
import { ADBIT_MAIN, spawnServe } from '../helpers/serve-process.js';

const hierarchy = useHierarchy(test);
const MAIN = ADBIT_MAIN;

function adbit(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface Served { proc: ChildProcess; port: number; log: string[]; exit: Promise<number | null> }

/** Starts `adbit serve` with the hierarchy's root hints and anchor; resolves once it listens. */
async function serve(extra: string[]): Promise<Served> {
  const h = hierarchy();
  const s = spawnServe(['--root-hints', h.rootHintsFile, '--trust-anchor', h.trustAnchorDsFile, ...extra]);
  return { proc: s.proc, port: await s.port, log: s.log, exit: s.exit };
}

const KEYS = ['name', 'type', 'rcode', 'security', 'ad', 'answer', 'ede'];

test('help, unknown command, missing command module', (t) => {
  t.is(adbit(['--help']).code, 0);
  t.regex(adbit(['--help']).out, /serve.*\n.*query/s);
  t.is(adbit([]).code, 2);
  const u = adbit(['frobnicate']);
  t.is(u.code, 2);
  t.regex(u.err, /unknown command "frobnicate"/);
  for (const name of ['dane-check', 'bench']) {
    const present = existsSync(join(dirname(MAIN), 'commands', `${name}.js`));
    const r = adbit([name, '--help']);
    if (present) t.not(r.err, `adbit ${name}: not available yet`);
    else {
      t.is(r.code, 2);
      t.regex(r.err, /not available yet/);
    }
  }
});

test('query usage errors exit 2', (t) => {
  t.is(adbit(['query']).code, 2);
  t.regex(adbit(['query', 'x.test', 'NOTATYPE']).err, /unknown type/);
  t.is(adbit(['query', 'x.test', '--server', '127.0.0.1:53', '--root-hints', 'f']).code, 2);
});

test('query in process (--root-hints/--trust-anchor) --json: contract and exit codes', (t) => {
  const h = hierarchy();
  const base = ['--root-hints', h.rootHintsFile, '--trust-anchor', h.trustAnchorDsFile, '--json'];
  const ok = adbit(['query', 'www.alg13.test', 'A', ...base]);
  t.is(ok.code, 0, ok.err);
  const j = JSON.parse(ok.out) as Record<string, unknown>;
  t.deepEqual(Object.keys(j), KEYS);
  t.like(j, { name: 'www.alg13.test.', type: 'A', rcode: 'NOERROR', security: 'secure', ad: true, ede: [] });
  const ans = j['answer'] as { name: string; type: string; ttl: number; data: string }[];
  t.true(ans.length > 0 && ans.every((r) => r.type === 'A' && /^\d+\.\d+\.\d+\.\d+$/.test(r.data) && r.ttl > 0));
  const bad = adbit(['query', 'www.expired.test', 'A', ...base]);
  t.is(bad.code, 1);
  t.like(JSON.parse(bad.out), { rcode: 'SERVFAIL', security: 'bogus', ad: false, answer: [] });
  t.is((JSON.parse(bad.out) as { ede: { code: number }[] }).ede[0]?.code, 7);
});

test.serial('serve + query --server + stats + SIGHUP reload + SIGTERM exit 0', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'adbit-cli-'));
  const cfg = join(dir, 'adbit.toml');
  writeFileSync(cfg, 'allow = ["127.0.0.0/8"]\nlog-level = "info"\n');
  const metricsPort = 19000 + (process.pid % 1000);
  const s = await serve(['--listen', '127.0.0.1:0', '--config', cfg, '--metrics', `127.0.0.1:${metricsPort}`]);
  t.teardown(() => { if (s.proc.exitCode === null) s.proc.kill('SIGKILL'); });
  const server = `127.0.0.1:${s.port}`;
  const q = (name: string, type: string, ...more: string[]): { code: number | null; j: Record<string, unknown> } => {
    const r = adbit(['query', name, type, '--server', server, '--json', ...more]);
    return { code: r.code, j: r.out === '' ? {} : JSON.parse(r.out) as Record<string, unknown> };
  };
  const sec = q('www.alg13.test', 'A');
  t.is(sec.code, 0);
  t.deepEqual(Object.keys(sec.j), KEYS);
  t.like(sec.j, { security: 'secure', ad: true, rcode: 'NOERROR' });
  t.like(q('www.insec-nsec.test', 'A'), { code: 0, j: { security: 'insecure', ad: false } });
  const bog = q('www.ds-nomatch.test', 'A');
  t.like(bog, { code: 1, j: { security: 'bogus', rcode: 'SERVFAIL' } });
  t.is((bog.j['ede'] as { code: number; text: string }[])[0]?.code, 9);
  t.like(q('www.ds-nomatch.test', 'A', '--cd'), { code: 0, j: { rcode: 'NOERROR', ad: false } });
  const st = adbit(['stats', '--metrics', `127.0.0.1:${metricsPort}`]);
  t.is(st.code, 0, st.err);
  t.regex(st.out, /adbit_queries_total\{transport="udp"\} \d+/);
  t.regex(st.out, /adbit_answers_security_total\{security="bogus"\} [1-9]/);
  const sj = JSON.parse(adbit(['stats', '--metrics', `127.0.0.1:${metricsPort}`, '--json']).out) as Record<string, number>;
  t.true((sj['adbit_cache_misses_total'] ?? 0) > 0);
  // SIGHUP: the new allow list no longer covers loopback → REFUSED.
  writeFileSync(cfg, 'allow = ["10.0.0.0/8"]\n');
  s.proc.kill('SIGHUP');
  await new Promise((r) => setTimeout(r, 500));
  t.like(q('www.alg13.test', 'A'), { code: 1, j: { rcode: 'REFUSED' } });
  // A broken file on SIGHUP keeps the running configuration.
  writeFileSync(cfg, 'allow = [\n');
  s.proc.kill('SIGHUP');
  await new Promise((r) => setTimeout(r, 300));
  t.true(s.log.some((l) => l.includes('reload failed')));
  s.proc.kill('SIGTERM');
  t.is(await s.exit, 0);
  t.is(adbit(['stats', '--metrics', `127.0.0.1:${metricsPort}`]).code, 1);
});

test.serial('serve refuses an open ACL and reports a busy port with exit 2', async (t) => {
  const open = adbit(['serve', '--listen', '127.0.0.1:0', '--allow', '0.0.0.0/0']);
  t.is(open.code, 2);
  t.regex(open.err, /open resolver.*--i-know-this-is-an-open-resolver/);
  const s = await serve(['--listen', '127.0.0.1:0']);
  t.teardown(() => { if (s.proc.exitCode === null) s.proc.kill('SIGKILL'); });
  const busy = adbit(['serve', '--listen', `127.0.0.1:${s.port}`, '--root-hints', hierarchy().rootHintsFile]);
  t.is(busy.code, 2);
  t.regex(busy.err, /in use/);
  const badCfg = adbit(['serve', '--config', '/nonexistent/adbit.toml']);
  t.is(badCfg.code, 2);
  t.regex(badCfg.err, /cannot read config file/);
  s.proc.kill('SIGTERM');
  t.is(await s.exit, 0);
});

test.serial('serve --workers 2: workers share the port, metrics are summed, SIGHUP/SIGTERM handled', async (t) => {
  const metricsPort = 20000 + (process.pid % 1000);
  const s = await serve(['--listen', '127.0.0.1:0', '--workers', '2', '--metrics', `127.0.0.1:${metricsPort}`]);
  t.teardown(() => { if (s.proc.exitCode === null) s.proc.kill('SIGKILL'); });
  await new Promise((r) => setTimeout(r, 1000)); // the second worker and the primary's metrics endpoint
  for (let i = 0; i < 4; i++) {
    const r = adbit(['query', 'www.alg13.test', 'A', '--server', `127.0.0.1:${s.port}`, '--json']);
    t.is(r.code, 0, r.err);
    if (r.code === 0) t.like(JSON.parse(r.out), { security: 'secure', ad: true });
  }
  const sj = JSON.parse(adbit(['stats', '--metrics', `127.0.0.1:${metricsPort}`, '--json']).out) as Record<string, number>;
  t.is(sj['adbit_queries_total{transport="udp"}'], 4);
  t.is((sj['adbit_cache_hits_total'] ?? 0) + (sj['adbit_cache_misses_total'] ?? 0), 4);
  s.proc.kill('SIGHUP');
  await new Promise((r) => setTimeout(r, 300));
  s.proc.kill('SIGTERM');
  t.is(await s.exit, 0);
  t.true(s.log.filter((l) => l.includes('configuration reloaded')).length === 2);
});
