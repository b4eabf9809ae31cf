// dane-check.test.ts — daneCheck (RFC 7672) end to end on the signed test hierarchy: every MX/TLSA
// scenario of dane.test. through the in-process resolver + validator and the STARTTLS servers on
// 127.21.0.x, the same through a remote validating resolver (Unbound with AD), and the CLI's JSON
// contract and exit codes (issue 8).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { daneCheck, type DaneReport } from '../../src/apps/dane/check.js';
import { RemoteSource, ResolverSource, type DnsSource } from '../../src/apps/source.js';
import { RRType } from '../../src/wire/constants.js';
import { RecordValue } from '../../src/wire/message.js';
import { Name } from '../../src/wire/name.js';
import { useHierarchy } from '../hierarchy/fixture.js';
import { hierarchySource } from '../helpers/hierarchy-resolver.js';

const hierarchy = useHierarchy(test);
const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const TIMEOUTS = { connectMs: 2000, greetingMs: 3000, ehloMs: 3000, starttlsMs: 3000, handshakeMs: 3000, quitMs: 1000 };
let shared: ResolverSource | undefined;
test.after.always(() => shared?.close());

async function source(): Promise<DnsSource> {
  if (shared !== undefined) return shared;
  shared = await hierarchySource(hierarchy());
  return shared;
}

async function check(domain: string, strict = false, src?: DnsSource): Promise<DaneReport> {
  return daneCheck(domain, { source: src ?? await source(), heloName: 'client.test', timeouts: TIMEOUTS, strict });
}

function summary(r: DaneReport): string {
  return JSON.stringify({ verdict: r.verdict, reason: r.reason, hosts: r.hosts.map((h) => [h.host, h.verdict, h.reason, h.addresses.map((a) => `${a.address} ${a.status} ${a.detail}`)]) }, null, 1);
}

const CASES: readonly { domain: string; verdict: DaneReport['verdict']; hosts: [string, string][]; note: string }[] = [
  { domain: 'd311.dane.test', verdict: 'dane-verified', hosts: [['mx311.dane.test', 'verified']], note: 'TLSA 3 1 1' },
  { domain: 'd301.dane.test', verdict: 'dane-verified', hosts: [['mx301.dane.test', 'verified']], note: 'TLSA 3 0 1' },
  { domain: 'd2.dane.test', verdict: 'dane-verified', hosts: [['mx2.dane.test', 'verified']], note: 'DANE-TA 2 0 1 + 2 1 1 with name check' },
  { domain: 'dmismatch.dane.test', verdict: 'dane-failed', hosts: [['mxbad.dane.test', 'failed']], note: 'TLSA matching nothing' },
  { domain: 'dinsecure.dane.test', verdict: 'no-dane', hosts: [['mx.insec-nsec.test', 'no-tlsa']], note: 'secure MX, host in an unsigned zone' },
  { domain: 'mail.insec-nsec.test', verdict: 'no-dane', hosts: [['mx.insec-nsec.test', 'no-tlsa']], note: 'insecure MX RRset' },
  { domain: 'dbogus.dane.test', verdict: 'dnssec-bogus', hosts: [['mx.bogus-data.test', 'bogus']], note: 'bogus TLSA / address' },
  { domain: 'dcname.dane.test', verdict: 'dane-verified', hosts: [['mxalias.dane.test', 'verified']], note: 'MX target is a CNAME' },
  { domain: 'dtwo.dane.test', verdict: 'dane-verified', hosts: [['mxdead.dane.test', 'unreachable'], ['mx311.dane.test', 'verified']], note: 'one MX dead' },
  { domain: 'dnone.dane.test', verdict: 'no-dane', hosts: [['mxnotls.dane.test', 'no-tlsa']], note: 'secure proof of no TLSA' },
];

for (const c of CASES) {
  test.serial(`in process: ${c.domain} → ${c.verdict} (${c.note})`, async (t) => {
    const r = await check(c.domain);
    t.is(r.verdict, c.verdict, summary(r));
    t.deepEqual(r.hosts.map((h) => [h.host, h.verdict]), c.hosts, summary(r));
  });
}

test.serial('dcname: TLSA base domain and SNI are the CNAME-expanded name, the MX name is kept', async (t) => {
  const r = await check('dcname.dane.test');
  const h = r.hosts[0];
  t.is(h?.policy.tlsaBaseDomain, 'mx311.dane.test');
  t.is(h?.host, 'mxalias.dane.test');
  t.is(h?.addresses[0]?.status, 'verified', summary(r));
});

test.serial('d2: DANE-TA matched the private CA in the presented chain', async (t) => {
  const r = await check('d2.dane.test');
  const a = r.hosts[0]?.addresses[0];
  t.is(a?.matched?.usage, 2);
  t.is(a?.chain.length, 2);
});

test.serial('dtwo --strict: the dead MX makes the operator view dane-failed', async (t) => {
  const r = await check('dtwo.dane.test', true);
  t.is(r.verdict, 'dane-failed', summary(r));
});

/** Wraps a source and answers one TLSA question from another name (a secure TLSA set for a host that has none). */
class BorrowTlsa implements DnsSource {
  readonly #inner: DnsSource;
  readonly #at: string;
  readonly #from: string;
  constructor(inner: DnsSource, at: string, from: string) {
    this.#inner = inner;
    this.#at = at;
    this.#from = from;
  }
  async lookup(name: Name, type: number, opts?: { signal?: AbortSignal }): ReturnType<DnsSource['lookup']> {
    if (type !== RRType.TLSA || name.toText() !== this.#at) return this.#inner.lookup(name, type, opts);
    const l = await this.#inner.lookup(Name.fromText(this.#from), type, opts);
    const answer = l.value.answer.map((r) => new RecordValue(name, r.type, r.class, r.ttl, r.rdata));
    return { ...l, value: { ...l.value, answer } };
  }
  close(): void {}
}

test.serial('secure TLSA but the server offers no STARTTLS → failed (no plaintext fallback)', async (t) => {
  const src = new BorrowTlsa(await source(), '_25._tcp.mxnotls.dane.test.', '_25._tcp.mx311.dane.test.');
  const r = await check('dnone.dane.test', false, src);
  t.is(r.verdict, 'dane-failed', summary(r));
  t.is(r.hosts[0]?.verdict, 'failed');
  t.regex(r.hosts[0]?.reason ?? '', /no-starttls/);
});

test.serial('remote source (Unbound, AD bit): same verdicts for verified, insecure and bogus', async (t) => {
  const remote = new RemoteSource({ server: { address: hierarchy().unboundAddr, port: 53 }, timeoutMs: 5000 });
  try {
    for (const [d, v] of [['d311.dane.test', 'dane-verified'], ['dcname.dane.test', 'dane-verified'], ['dinsecure.dane.test', 'no-dane'],
      ['dbogus.dane.test', 'dnssec-bogus'], ['dmismatch.dane.test', 'dane-failed'], ['dnone.dane.test', 'no-dane']] as const) {
      const r = await check(d, false, remote);
      t.is(r.verdict, v, `${d}: ${summary(r)}`);
    }
  } finally {
    remote.close();
  }
});

test.serial('remote source that does not answer: MX lookup is an operational failure, never no-dane', async (t) => {
  const remote = new RemoteSource({ server: { address: '127.20.250.9', port: 53 }, timeoutMs: 300 });
  try {
    const r = await check('d311.dane.test', false, remote);
    t.is(r.verdict, 'dnssec-bogus');
    t.deepEqual(r.hosts, []);
    t.truthy(r.sourceFailure);
  } finally {
    remote.close();
  }
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, 'dane-check', ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr });
    });
  });
}

function inProcessArgs(): string[] {
  const h = hierarchy();
  return ['--root-hints', h.rootHintsFile, '--trust-anchor', h.trustAnchorDsFile, '--timeout', '3000'];
}

test.serial('CLI --json: contract keys, hosts as written, exit codes 0/1/3', async (t) => {
  for (const [d, code, verdict] of [['d311.dane.test', 0, 'dane-verified'], ['dmismatch.dane.test', 1, 'dane-failed'],
    ['dbogus.dane.test', 1, 'dnssec-bogus'], ['dnone.dane.test', 3, 'no-dane'], ['dcname.dane.test', 0, 'dane-verified']] as const) {
    const r = await cli([d, '--json', ...inProcessArgs()]);
    t.is(r.code, code, `${d}: ${r.stdout}${r.stderr}`);
    const j = JSON.parse(r.stdout) as { domain: string; verdict: string; hosts: Record<string, unknown>[] };
    t.deepEqual(Object.keys(j), ['domain', 'verdict', 'hosts']);
    t.is(j.domain, d);
    t.is(j.verdict, verdict);
    for (const h of j.hosts) t.deepEqual(Object.keys(h), ['host', 'verdict', 'reason', 'addresses', 'tlsa']);
  }
  const c = JSON.parse((await cli(['dcname.dane.test', '--json', ...inProcessArgs()])).stdout) as { hosts: { host: string }[] };
  t.is(c.hosts[0]?.host, 'mxalias.dane.test');
});

test.serial('CLI: --strict, --server, human output, usage errors', async (t) => {
  const strict = await cli(['dtwo.dane.test', '--json', '--strict', ...inProcessArgs()]);
  t.is(strict.code, 1, strict.stdout + strict.stderr);
  t.is((JSON.parse(strict.stdout) as { verdict: string }).verdict, 'dane-failed');
  const remote = await cli(['d301.dane.test', '--server', `${hierarchy().unboundAddr}:53`]);
  t.is(remote.code, 0, remote.stdout + remote.stderr);
  t.regex(remote.stdout, /mx301\.dane\.test/);
  t.regex(remote.stdout, /3 0 1 [0-9a-f]{64}/);
  t.regex(remote.stdout, /verified/i);
  t.is((await cli([])).code, 2);
  t.is((await cli(['a.test', '--server', '127.0.0.1:53', '--root-hints', 'x'])).code, 2);
  t.is((await cli(['d311.dane.test', '--server', '127.20.250.9:53', '--timeout', '300'])).code, 2);
});

test.serial('CLI --list: one JSON line per domain, concurrently, exit 0; no progress bar when stderr is not a TTY', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'adbit-list-'));
  try {
    const file = join(dir, 'domains.txt');
    writeFileSync(file, '# survey\nd311.dane.test\ndnone.dane.test\n\ndbogus.dane.test\nmail.insec-nsec.test\n');
    const r = await cli(['--list', file, '--concurrency', '3', ...inProcessArgs()]);
    t.is(r.code, 0, r.stderr);
    t.is(r.stderr, '');
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { domain: string; verdict: string });
    t.deepEqual(lines.map((l) => `${l.domain} ${l.verdict}`).sort(),
      ['d311.dane.test dane-verified', 'dbogus.dane.test dnssec-bogus', 'dnone.dane.test no-dane', 'mail.insec-nsec.test no-dane']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
