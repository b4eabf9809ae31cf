// demo.ts — `adbit demo [--keep]`: brings up the signed test hierarchy (NSD on 127.20.x.x, built by
// dist/test/hierarchy; needs root and NSD), runs adbit serve against it on 127.0.0.1:5353 (or the
// next free loopback address), and shows secure, insecure and bogus answers with their EDE reasons,
// a DANE check when dane-check is built, and the dig/Postfix lines to try. Loopback only, always.
// When stdout goes away (`adbit demo | head`: EPIPE) it kills its dane-check children, stops the
// server and releases the hierarchy at once, and exits 1 without a word.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startServer, type RunningServer } from '../../server/run.js';
import type { ServeConfig } from '../../server/config.js';
import { createJsonLogger } from '../../util/log.js';
import { typeFromText } from '../../wire/constants.js';
import { Name } from '../../wire/name.js';
import { queryServer } from './query.js';

export const usage = `usage: adbit demo [--keep]

  Starts a small signed DNS hierarchy on loopback (needs root and NSD), runs adbit serve on
  127.0.0.1:5353 against it and walks through secure, insecure and bogus answers.
  --keep   keep everything running until Ctrl-C so you can try dig and a Postfix setup by hand`;

const HERE = fileURLToPath(new URL('.', import.meta.url));
/** The hierarchy machinery compiled next to src/ in dist/ (a source checkout built with tsc). */
const FIXTURE = join(HERE, '..', '..', '..', 'test', 'hierarchy', 'fixture.js');
const MAIN = join(HERE, '..', 'main.js');

interface HierarchyHandle { rootHintsFile: string; trustAnchorDsFile: string; stop(): Promise<void> }

function onPath(cmd: string): boolean {
  return (process.env['PATH'] ?? '').split(delimiter).some((d) => d !== '' && existsSync(join(d, cmd)));
}

/** Why the demo cannot run here, or null. */
function missing(): string | null {
  if (!existsSync(FIXTURE)) return `the test hierarchy is not built (${FIXTURE} missing): run \`npx tsc -p .\` in a source checkout`;
  if (process.getuid?.() !== 0) return 'the demo runs real authoritative servers on 127.20.x.x port 53, which needs root: run `sudo adbit demo`';
  for (const tool of ['nsd', 'ldns-signzone', 'dnssec-signzone']) {
    if (!onPath(tool)) return `${tool} is not installed: apt-get install nsd ldnsutils bind9-dnsutils (see scripts/setup-debian.sh)`;
  }
  return null;
}

async function serveOnFreeAddress(cfg: Omit<ServeConfig, 'listen'>): Promise<RunningServer> {
  const candidates = [{ host: '127.0.0.1', port: 5353 }, { host: '127.0.0.53', port: 5353 }, { host: '127.0.0.2', port: 53 }, { host: '127.0.0.1', port: 0 }];
  let last: unknown;
  for (const a of candidates) {
    try {
      return await startServer({ ...cfg, listen: [a] }, { log: createJsonLogger({ level: 'warn' }) });
    } catch (e) {
      last = e;
    }
  }
  throw last;
}

/**
 * Stdout of this run. A write to a pipe whose reader is gone fails with EPIPE, reported as an
 * 'error' event on a later tick; that aborts `stop`, which kills a running dane-check child
 * (execFile's signal) and makes the walk-through return at its next check. Without the listener
 * the EPIPE was an uncaught exception: the process died before its finally block and orphaned a
 * dane-check child that then ran until its own timeout against a server that was gone.
 */
class Output {
  readonly stop = new AbortController();
  private readonly onError = (): void => { this.stop.abort(); };
  constructor() { process.stdout.on('error', this.onError); }
  get closed(): boolean { return this.stop.signal.aborted; }
  say(s = ''): void {
    if (this.closed) return;
    process.stdout.write(s + '\n');
  }
  dispose(): void {
    // Keep a listener while a failed write's error event may still be pending on the next tick.
    if (!this.closed) process.stdout.off('error', this.onError);
  }
}

/** Exit code when stdout closed early: 1, the command did not complete (main.ts exit codes). */
const EXIT_STDOUT_CLOSED = 1;

/** Runs one `adbit dane-check` child; aborting the signal kills it (SIGTERM) and still waits for it. */
function daneCheck(domain: string, server: string, signal: AbortSignal): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, 'dane-check', domain, '--server', server], { encoding: 'utf8', timeout: 30_000, signal },
      (err, stdout, stderr) => resolve({ status: err === null ? 0 : typeof err.code === 'number' ? err.code : null, stdout, stderr }));
  });
}

export async function run(args: string[]): Promise<number> {
  let keep = false;
  try {
    const { values } = parseArgs({ args, strict: true, options: { keep: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
    if (values.help === true) { process.stdout.write(usage + '\n'); return 0; }
    keep = values.keep === true;
  } catch (e) {
    process.stderr.write(`adbit demo: ${(e as Error).message}\n${usage}\n`);
    return 2;
  }
  const why = missing();
  if (why !== null) {
    process.stderr.write(`adbit demo: ${why}\n`);
    return 2;
  }
  const out = new Output();
  try {
    return await walkThrough(out, keep);
  } finally {
    out.dispose();
  }
}

async function walkThrough(out: Output, keep: boolean): Promise<number> {
  const say = (s = ''): void => { out.say(s); };
  const t0 = Date.now();
  say('Building and starting the signed test hierarchy (root, test., example., ~40 zones on 127.20.x.x)...');
  const { acquireHierarchy } = await import(FIXTURE) as { acquireHierarchy(): Promise<HierarchyHandle> };
  const h = await acquireHierarchy();
  if (out.closed) { await h.stop(); return EXIT_STDOUT_CLOSED; }
  let srv: RunningServer | undefined;
  try {
    srv = await serveOnFreeAddress({
      allow: ['127.0.0.0/8', '::1/128'], openResolver: false, logLevel: 'warn', metricsPublic: false, workers: 1,
      rootHints: h.rootHintsFile, trustAnchor: h.trustAnchorDsFile,
    });
    const a = srv.udp[0]!;
    const server = `${a.host}:${a.port}`;
    say(`adbit serve is answering on ${server} (UDP and TCP), resolving from the test root (${((Date.now() - t0) / 1000).toFixed(1)} s).\n`);
    const shows: [string, string, string][] = [
      ['www.alg13.test', 'A', 'a signed zone (ECDSA P-256): AD=1, what Postfix needs for DANE'],
      ['www.insec-nsec.test', 'A', 'an unsigned delegation, proven by NSEC: data, AD=0'],
      ['www.expired.test', 'A', 'signatures expired: SERVFAIL, the reason in an Extended DNS Error'],
      ['www.ds-nomatch.test', 'A', 'the parent\'s DS matches no key: SERVFAIL'],
    ];
    for (const [name, type, what] of shows) {
      if (out.closed) return EXIT_STDOUT_CLOSED;
      const r = await queryServer(Name.fromText(`${name}.`), typeFromText(type)!, server, false, 10_000);
      if (typeof r === 'string') { say(`  ${name} ${type}: ${r}`); continue; }
      say(`  ${name} ${type} — ${what}`);
      say(`    rcode ${r.rcode}, security ${r.security}, ad ${r.ad ? 1 : 0}${r.answer.length > 0 ? `, answer ${r.answer.filter((x) => x.type === type).map((x) => x.data).join(' ')}` : ''}`);
      for (const e of r.ede) say(`    EDE ${e.code}: ${e.text}`);
    }
    if (existsSync(join(HERE, 'dane-check.js'))) {
      say('\nDANE for SMTP (RFC 7672) through the same server:');
      for (const domain of ['d311.dane.test', 'dmismatch.dane.test']) {
        if (out.closed) return EXIT_STDOUT_CLOSED;
        // Asynchronous: the server answering dane-check runs in this very process.
        const r = await daneCheck(domain, server, out.stop.signal);
        if (out.closed) return EXIT_STDOUT_CLOSED;
        say(`  $ adbit dane-check ${domain} --server ${server}   (exit ${r.status})`);
        for (const line of (r.stdout + r.stderr).trimEnd().split('\n').slice(0, 12)) say(`    ${line}`);
      }
    }
    const port = a.port === 53 ? '' : ` -p ${a.port}`;
    say('\nTry it yourself while it runs' + (keep ? '' : ' (start with --keep to keep it up)') + ':');
    say(`  dig @${a.host}${port} +dnssec www.alg13.test A        # flags: ... ad`);
    say(`  dig @${a.host}${port} +dnssec www.expired.test A      # SERVFAIL, EDE: 7 (Signature Expired)`);
    say(`  dig @${a.host}${port} +cd www.expired.test A          # CD=1: the data, unvalidated`);
    say(`  node ${MAIN} query www.alg13.test A --server ${server} --json`);
    say('\nOn a mail host adbit listens on 127.0.0.1:53 and the MTA trusts its AD bit:');
    say('  /etc/resolv.conf:  nameserver 127.0.0.1');
    say('                     options trust-ad');
    say('  Postfix main.cf:   smtp_dns_support_level = dnssec');
    say('                     smtp_tls_security_level = dane');
    say('  Exim:              dns_dnssec_ok = 1   (and hosts_require_dane / hosts_try_dane on the smtp transport)');
    if (keep && !out.closed) {
      say('\nRunning; press Ctrl-C to stop.');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
        // A closed stdout is noticed at the next write only; nothing is written while waiting here.
      });
    }
    return out.closed ? EXIT_STDOUT_CLOSED : 0;
  } finally {
    await srv?.shutdown(1000);
    await h.stop();
    say(`Stopped (${((Date.now() - t0) / 1000).toFixed(1)} s in all).`);
  }
}
