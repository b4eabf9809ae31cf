// dane-check.ts — `adbit dane-check DOMAIN | --list FILE`: DANE for SMTP (RFC 7672) per MX host
// and address, printed like posttls-finger/danecheck or as the stable JSON of issue 8. Exit codes:
// 0 dane-verified, 1 dane-failed or dnssec-bogus, 3 no-dane, 2 usage or operational error
// (--list: 0 when every domain was checked). DNS from --server (AD bit) or an in-process resolver.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { daneCheck, type DaneCheckOptions, type DaneReport, type DomainVerdict } from '../../apps/dane/check.js';
import { RemoteSource, ResolverSource, type DnsSource } from '../../apps/source.js';
import { describe as describeReason } from '../../dnssec/outcome.js';
import { parseListen } from '../../server/config.js';
import { ResolverHandler } from '../../server/handler.js';
import { toHex } from '../../util/bytes.js';
import type { TlsaRecord } from '../../apps/dane/types.js';

export const usage = `usage: adbit dane-check DOMAIN [--port 25] [--server ADDR:PORT | --root-hints FILE --trust-anchor FILE]
                         [--json] [--strict] [--list FILE] [--timeout MS] [--helo NAME] [--concurrency N]

  --server ADDR:PORT   use a running validating resolver (RD+DO+AD); secure iff AD=1
  --root-hints FILE    resolve in process from these root servers (named.root format)
  --trust-anchor FILE  DS/DNSKEY records in zone-file format (default: built-in root anchors)
  --json               {"domain","verdict","hosts":[{"host","verdict","reason","addresses":[...],"tlsa":[...]}]}
  --strict             operator view: any failed or bogus host (or failed/unreachable DANE address) → dane-failed
  --list FILE          check every domain in FILE (one a line, # comments) concurrently, one JSON line each
  --timeout MS         per SMTP step and per DNS query to --server (default 10000)
  --helo NAME          EHLO name (default: this host's name)
  --concurrency N      domains checked at once with --list (default 8)
exit codes: 0 dane-verified, 1 dane-failed or dnssec-bogus, 3 no-dane, 2 usage or operational error`;

export const EXIT_FOR: Readonly<Record<DomainVerdict, number>> = { 'dane-verified': 0, 'dane-failed': 1, 'dnssec-bogus': 1, 'no-dane': 3 };
const MAX_CONCURRENCY = 256;

function tlsaText(r: TlsaRecord): string {
  return `${r.usage} ${r.selector} ${r.matchingType} ${toHex(r.data)}`;
}

/** The JSON contract of issue 8: these keys, in this order, at the top level and per host. */
export function reportJson(r: DaneReport): object {
  return {
    domain: r.domain,
    verdict: r.verdict,
    hosts: r.hosts.map((h) => ({
      host: h.host,
      verdict: h.verdict,
      reason: h.reason,
      addresses: h.addresses.map((a) => ({
        address: a.address, family: a.family, status: a.status, detail: a.detail,
        matched: a.matched === undefined ? null : tlsaText(a.matched),
        chain: a.chain.map((c) => ({ subject: c.subject.replace(/\n/g, ', '), issuer: c.issuer.replace(/\n/g, ', '), notAfter: c.validTo, fingerprint256: c.fingerprint256 })),
      })),
      tlsa: h.policy.tlsa.map(tlsaText),
    })),
  };
}

/** Human output in the spirit of posttls-finger / danecheck. */
export function reportText(r: DaneReport): string {
  const out: string[] = [];
  const sec = r.mx.outcome.security;
  out.push(`${r.domain}: ${r.verdict} — ${r.reason}`);
  const mxWhy = r.mx.outcome.security === 'secure' ? '' : ` (${describeReason(r.mx.outcome.reason)})`;
  out.push(`  MX ${r.mx.kind} ${sec}${mxWhy}`);
  for (const h of r.hosts) {
    const p = h.policy;
    out.push(`  ${h.host}: ${h.verdict} — policy ${p.policy}, ${h.reason}`);
    if (p.tlsaBaseDomain.toLowerCase() !== h.host.toLowerCase()) out.push(`    TLSA base domain (SNI): ${p.tlsaBaseDomain}`);
    for (const t of p.tlsa) out.push(`    TLSA ${p.security} ${tlsaText(t)}${p.usable.includes(t) ? '' : ' (unusable)'}`);
    for (const a of h.addresses) {
      out.push(`    ${a.address}: ${a.status} — ${a.detail}`);
      a.chain.forEach((c, i) => out.push(`      depth=${i} subject=${c.subject.replace(/\n/g, ', ')} issuer=${c.issuer.replace(/\n/g, ', ')} notAfter=${c.validTo}`));
      if (a.matched !== undefined) out.push(`      matched TLSA ${tlsaText(a.matched)}`);
    }
  }
  return out.join('\n');
}

function makeSource(v: { server?: string; 'root-hints'?: string; 'trust-anchor'?: string }, timeoutMs: number): DnsSource {
  if (v.server !== undefined) {
    const a = parseListen(v.server, '--server');
    return new RemoteSource({ server: { address: a.host, port: a.port }, timeoutMs });
  }
  const h = new ResolverHandler({
    ...(v['root-hints'] === undefined ? {} : { rootHintsFile: v['root-hints'] }), ...(v['trust-anchor'] === undefined ? {} : { trustAnchorFile: v['trust-anchor'] }),
  });
  return new ResolverSource(h.resolver, () => h.close());
}

function progress(done: number, total: number): void {
  const width = 30;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
}

async function runList(file: string, opts: DaneCheckOptions, concurrency: number): Promise<number> {
  const domains = readFileSync(file, 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter((l) => l !== '');
  const tty = process.stderr.isTTY === true;
  let next = 0;
  let done = 0;
  if (tty) progress(0, domains.length);
  const worker = async (): Promise<void> => {
    while (next < domains.length) {
      const d = domains[next++] as string;
      let line: object;
      try {
        const r = await daneCheck(d, opts);
        line = r.sourceFailure === undefined ? reportJson(r) : { domain: d, verdict: null, error: r.sourceFailure };
      } catch (e) {
        line = { domain: d, verdict: null, error: (e as Error).message };
      }
      process.stdout.write(JSON.stringify(line) + '\n');
      done++;
      if (tty) progress(done, domains.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, domains.length)) }, worker));
  if (tty) process.stderr.write('\n');
  return 0;
}

export async function run(args: string[]): Promise<number> {
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args, allowPositionals: true, strict: true, options: {
        port: { type: 'string' }, server: { type: 'string' }, 'root-hints': { type: 'string' }, 'trust-anchor': { type: 'string' },
        json: { type: 'boolean' }, strict: { type: 'boolean' }, list: { type: 'string' }, timeout: { type: 'string' },
        helo: { type: 'string' }, concurrency: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    process.stderr.write(`adbit dane-check: ${(e as Error).message}\n${usage}\n`);
    return 2;
  }
  if (values.help === true) {
    process.stdout.write(usage + '\n');
    return 0;
  }
  const port = values.port === undefined ? 25 : Number(values.port);
  const timeoutMs = values.timeout === undefined ? 10_000 : Number(values.timeout);
  const concurrency = values.concurrency === undefined ? 8 : Number(values.concurrency);
  const list = values.list;
  let problem: string | undefined;
  if (list === undefined ? positionals.length !== 1 : positionals.length !== 0) problem = 'expected exactly one DOMAIN, or --list FILE';
  else if (values.server !== undefined && (values['root-hints'] !== undefined || values['trust-anchor'] !== undefined)) {
    problem = '--server cannot be combined with --root-hints/--trust-anchor';
  } else if (!Number.isInteger(port) || port < 1 || port > 65535) problem = '--port must be 1..65535';
  else if (!(timeoutMs > 0)) problem = '--timeout must be a positive number of milliseconds';
  else if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) problem = `--concurrency must be 1..${MAX_CONCURRENCY}`;
  if (problem !== undefined) {
    process.stderr.write(`adbit dane-check: ${problem}\n${usage}\n`);
    return 2;
  }
  let source: DnsSource;
  try {
    source = makeSource(values, timeoutMs);
  } catch (e) {
    process.stderr.write(`adbit dane-check: ${(e as Error).message}\n`);
    return 2;
  }
  const t = { connectMs: timeoutMs, greetingMs: timeoutMs, ehloMs: timeoutMs, starttlsMs: timeoutMs, handshakeMs: timeoutMs, quitMs: Math.min(timeoutMs, 5000) };
  const opts: DaneCheckOptions = { source, port, strict: values.strict === true, timeouts: t, ...(values.helo === undefined ? {} : { heloName: values.helo }) };
  try {
    if (list !== undefined) return await runList(list, opts, concurrency);
    const r = await daneCheck(positionals[0] as string, opts);
    if (r.sourceFailure !== undefined) {
      process.stderr.write(`adbit dane-check: DNS source failed: ${r.sourceFailure}\n`);
      return 2;
    }
    process.stdout.write((values.json === true ? JSON.stringify(reportJson(r)) : reportText(r)) + '\n');
    return EXIT_FOR[r.verdict];
  } catch (e) {
    process.stderr.write(`adbit dane-check: ${(e as Error).message}\n`);
    return 2;
  } finally {
    source.close();
  }
}
