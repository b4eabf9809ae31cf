// posttls-finger.test.ts — cross-check of daneCheck against Postfix's posttls-finger (RFC 7672
// reference implementation) on the same hierarchy: posttls-finger resolves once through the
// hierarchy's Unbound and once through `adbit serve` (issue 7: a real MTA trusting adbit's AD bit),
// each with `options trust-ad` (a private resolv.conf bind-mounted in a new mount namespace, the
// host's /etc/resolv.conf untouched), and its per-host results, mapped to our host verdicts and
// folded with the same domain rule, must equal adbit's. No Postfix service runs:
// the binary comes from the unpacked postfix .deb (see POSTFIX_ROOT), configured by a temp main.cf.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { daneCheck, domainVerdict, type HostReport, type HostVerdict } from '../../src/apps/dane/check.js';
import { ResolverSource } from '../../src/apps/source.js';
import { useHierarchy } from '../hierarchy/fixture.js';
import { hierarchySource } from '../helpers/hierarchy-resolver.js';
import { type ServeProcess, spawnServe } from '../helpers/serve-process.js';

/** Unpacked postfix package (`dpkg-deb -x postfix_*.deb $POSTFIX_ROOT`); "/" for an installed Postfix. */
const POSTFIX_ROOT = process.env['ADBIT_POSTFIX_ROOT'] ?? (existsSync('/opt/adbit-postfix/usr/sbin/posttls-finger') ? '/opt/adbit-postfix' : '/');
const FINGER = join(POSTFIX_ROOT, 'usr/sbin/posttls-finger');
const LIBS = join(POSTFIX_ROOT, 'usr/lib/postfix');

const hierarchy = useHierarchy(test);
const tmp = mkdtempSync(join(tmpdir(), 'adbit-posttls-'));
let source: ResolverSource | undefined;
/** Where `adbit serve` listens for posttls-finger (resolv.conf has no port: it must be 53). */
const ADBIT_ADDR = '127.20.9.2';
let served: ServeProcess | undefined;
test.after.always(async () => {
  source?.close();
  rmSync(tmp, { recursive: true, force: true });
  if (served !== undefined && served.proc.exitCode === null) {
    served.proc.kill('SIGTERM');
    await served.exit;
  }
});

async function adbitServer(): Promise<string> {
  if (served === undefined) {
    const h = hierarchy();
    served = spawnServe(['--listen', `${ADBIT_ADDR}:53`, '--root-hints', h.rootHintsFile, '--trust-anchor', h.trustAnchorDsFile]);
  }
  await served.port;
  return ADBIT_ADDR;
}

async function src(): Promise<ResolverSource> {
  if (source !== undefined) return source;
  source = await hierarchySource(hierarchy());
  return source;
}

function finger(domain: string, nameserver: string): Promise<string> {
  // Users/groups that exist on Debian without the postfix package's postinst having run.
  writeFileSync(join(tmp, 'main.cf'), 'compatibility_level = 3.6\nmail_owner = daemon\nsetgid_group = mail\nsmtp_dns_support_level = dnssec\n');
  const conf = join(tmp, `resolv-${nameserver}.conf`);
  writeFileSync(conf, `nameserver ${nameserver}\noptions trust-ad\n`);
  const script = 'mount --bind "$1" /etc/resolv.conf && exec "$2" -t 5 -T 5 -l dane -L summary,certmatch -c "$3"';
  return new Promise((resolve) => {
    execFile('unshare', ['-m', 'sh', '-c', script, 'sh', conf, FINGER, domain],
      { timeout: 60_000, env: { ...process.env, MAIL_CONFIG: tmp, LD_LIBRARY_PATH: LIBS } }, (_e, stdout, stderr) => resolve(stdout + stderr));
  });
}

/** posttls-finger's log lines for one MX host → our host verdict vocabulary. */
function fingerVerdict(out: string, host: string): HostVerdict {
  const h = host.replace(/\./g, '\\.');
  if (new RegExp(`Verified TLS connection established to ${h}\\[`).test(out)) return 'verified';
  if (new RegExp(`TLSA lookup error for ${h}:`).test(out)) return 'bogus';
  if (new RegExp(`verification failed for ${h}\\[[^\\]]+\\]:\\d+: num=\\d+:no matching DANE TLSA`).test(out)) return 'failed';
  if (new RegExp(`connect to ${h}\\[[^\\]]+\\]:\\d+: Connection refused`).test(out)) return 'unreachable';
  return 'no-tlsa';
}

test.serial('posttls-finger is available', (t) => {
  t.true(existsSync(FINGER), `posttls-finger not found at ${FINGER}; unpack the postfix .deb into ADBIT_POSTFIX_ROOT`);
});

for (const domain of ['d311.dane.test', 'd301.dane.test', 'd2.dane.test', 'dmismatch.dane.test', 'dinsecure.dane.test', 'mail.insec-nsec.test',
  'dbogus.dane.test', 'dcname.dane.test', 'dtwo.dane.test', 'dnone.dane.test']) {
  test.serial(`${domain}: adbit and posttls-finger agree per host and on the domain verdict`, async (t) => {
    const ours = await daneCheck(domain, { source: await src(), heloName: 'client.test', timeouts: { connectMs: 3000, greetingMs: 3000, ehloMs: 3000, starttlsMs: 3000, handshakeMs: 3000 } });
    for (const [label, ns] of [['unbound', hierarchy().unboundAddr], ['adbit serve', await adbitServer()]] as const) {
      const out = await finger(domain, ns);
      t.false(/fatal:/.test(out), `${label}: ${out}`);
      const theirs: HostReport[] = ours.hosts.map((h) => ({ ...h, verdict: fingerVerdict(out, h.host) }));
      t.deepEqual(theirs.map((h) => [h.host, h.verdict]), ours.hosts.map((h) => [h.host, h.verdict]), `${label}: ${out}`);
      t.is(domainVerdict(theirs, false), ours.verdict, `${label}: ${out}`);
    }
  });
}
