// Builds the signed test hierarchy into test/hierarchy/.cache/<hash>/: zone texts with SOA, NS,
// glue and DS (RFC 4035 §2.4), keys, signed zones, NSD configs, named.root-style hints and the
// trust-anchor files. The hash covers every input and a signature-validity bucket.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { certContext, makeCerts } from './certs.js';
import { writeNsdConfig } from './nsd.js';
import { SCENARIOS, type Scenario } from './scenarios.js';
import { dnskeyLine, dsLines, prepareKeys, signZone, type SigningWindow, type ZoneKeys } from './sign.js';
import { SMTP_SERVERS, ZONES, serverPlan, type ZoneSpec } from './zones.js';

const HERE = dirname(fileURLToPath(import.meta.url));
/** Repository root, from dist/test/hierarchy/ (compiled) — the cache lives beside the sources. */
export const REPO_ROOT = resolve(HERE, '..', '..', '..');
export const CACHE_ROOT = join(REPO_ROOT, 'test', 'hierarchy', '.cache');

const DAY_MS = 86_400_000;
/** Signatures are valid 30 days from a bucket start; buckets last 23 days, so ≥ 7 days remain. */
const BUCKET_DAYS = 23;

export interface NsdInstance { readonly addr: string; readonly dir: string; readonly zones: readonly string[] }
export interface SmtpInstance {
  readonly id: string; readonly host: string; readonly addr: string;
  readonly keyFile: string | null; readonly certFile: string | null; readonly leafPem: string | null;
}
export interface BuildResult {
  readonly dir: string;
  readonly rootHintsFile: string;
  readonly trustAnchorDsFile: string;
  readonly trustAnchorKeyFile: string;
  readonly manifest: readonly Scenario[];
  readonly nsd: readonly NsdInstance[];
  readonly smtp: readonly SmtpInstance[];
  readonly buildMs: number;
  readonly cached: boolean;
}

function windowFor(zone: ZoneSpec, bucketStart: number): SigningWindow {
  const at = (days: number): Date => new Date(bucketStart + days * DAY_MS);
  if (zone.fault === 'expired') return { inception: at(-40), expiration: at(-10) };
  if (zone.fault === 'not-yet-valid') return { inception: at(60), expiration: at(90) };
  return { inception: at(-1), expiration: at(30) };
}

function inputsHash(bucket: number): string {
  const h = createHash('sha256').update(`bucket ${bucket}\n`);
  for (const f of readdirSync(HERE).filter((n) => n.endsWith('.js')).sort()) h.update(f).update(readFileSync(join(HERE, f)));
  const ver = (cmd: string, args: string[]): string => {
    try { return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }); } catch (e) {
      return String((e as { stderr?: unknown }).stderr ?? e);
    }
  };
  h.update(ver('nsd', ['-v'])).update(ver('ldns-signzone', ['-v'])).update(ver('dnssec-signzone', ['-V']));
  return h.digest('hex').slice(0, 16);
}

const under = (name: string, zone: string): boolean => zone === '.' || name === zone || name.endsWith(`.${zone}`);

function zoneText(z: ZoneSpec, keys: Map<string, ZoneKeys>, body: readonly string[]): string {
  const first = z.servers[0];
  if (first === undefined) throw new Error(`${z.name} has no servers`);
  const mbox = z.name === '.' ? 'hostmaster.' : `hostmaster.${z.name}`;
  const lines = [`$ORIGIN ${z.name}`, '$TTL 3600', `${z.name} 3600 IN SOA ${first.name} ${mbox} 1 3600 900 604800 300`];
  for (const s of z.servers) {
    lines.push(`${z.name} 3600 IN NS ${s.name}`);
    if (under(s.name, z.name)) lines.push(`${s.name} 3600 IN A ${s.addr}`);
  }
  for (const k of keys.get(z.name)?.publish ?? []) lines.push(dnskeyLine(z.name, k));
  for (const c of ZONES.filter((x) => x.parent === z.name)) {
    for (const s of c.servers) {
      lines.push(`${c.name} 3600 IN NS ${s.name}`);
      if (under(s.name, c.name)) lines.push(`${s.name} 3600 IN A ${s.addr}`);
    }
    const ck = keys.get(c.name);
    if (ck !== undefined) lines.push(...dsLines(c, ck));
  }
  return [...lines, ...body, ''].join('\n');
}

async function pool<T>(items: readonly T[], width: number, fn: (t: T) => Promise<void>): Promise<void> {
  let i = 0;
  const worker = async (): Promise<void> => {
    while (i < items.length) { const t = items[i++]; if (t !== undefined) await fn(t); }
  };
  await Promise.all(Array.from({ length: width }, worker));
}

const fileName = (zone: string): string => (zone === '.' ? 'root' : zone.replace(/\.$/, ''));

/** The build directory the current sources would use (a running hierarchy elsewhere is stale). */
export function expectedBuildDir(now = Date.now()): string {
  return join(CACHE_ROOT, inputsHash(Math.floor(now / (BUCKET_DAYS * DAY_MS))));
}

/** Builds (or reuses from the cache) the whole hierarchy; returns where everything is. */
export async function buildHierarchy(now = Date.now()): Promise<BuildResult> {
  const t0 = Date.now();
  const bucket = Math.floor(now / (BUCKET_DAYS * DAY_MS));
  const dir = join(CACHE_ROOT, inputsHash(bucket));
  const doneFile = join(dir, 'build.json');
  mkdirSync(CACHE_ROOT, { recursive: true });
  if (existsSync(doneFile)) {
    return { ...(JSON.parse(readFileSync(doneFile, 'utf8')) as BuildResult), buildMs: Date.now() - t0, cached: true };
  }
  // Older builds (other inputs or an earlier validity bucket) are never used again.
  for (const old of readdirSync(CACHE_ROOT, { withFileTypes: true })) {
    if (old.isDirectory() && /^[0-9a-f]{16}/.test(old.name)) rmSync(join(CACHE_ROOT, old.name), { recursive: true, force: true });
  }
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  for (const sub of ['keys', 'zones', 'nsd', 'certs']) mkdirSync(join(tmp, sub), { recursive: true });
  const certs = makeCerts(join(tmp, 'certs'), SMTP_SERVERS);
  const ctx = certContext(certs, SMTP_SERVERS);
  const keys = new Map<string, ZoneKeys>();
  await pool(ZONES, 3, async (z) => { keys.set(z.name, await prepareKeys(z, join(tmp, 'keys'))); });
  await pool(ZONES, 3, async (z) => {
    const raw = join(tmp, 'zones', `${fileName(z.name)}.zone`);
    writeFileSync(raw, zoneText(z, keys, z.records(ctx)));
    await signZone(z, keys.get(z.name) ?? { signWith: [], publish: [], dsFor: [] }, raw,
      join(tmp, 'zones', `${fileName(z.name)}.signed`), windowFor(z, bucket * BUCKET_DAYS * DAY_MS));
  });
  const nsd: NsdInstance[] = [];
  for (const [addr, zones] of serverPlan(ZONES)) {
    const ndir = join(dir, 'nsd', addr);
    writeNsdConfig(join(tmp, 'nsd', addr), ndir, addr, zones.map((n) => ({ name: n, file: join(dir, 'zones', `${fileName(n)}.signed`) })));
    nsd.push({ addr, dir: ndir, zones });
  }
  const root = ZONES.find((z) => z.name === '.');
  const rootKeys = keys.get('.');
  if (root === undefined || rootKeys === undefined) throw new Error('no root zone');
  const hints = root.servers.flatMap((s) => [`.                        3600000      NS    ${s.name}`,
    `${s.name.padEnd(24)} 3600000      A     ${s.addr}`]);
  writeFileSync(join(tmp, 'root.hints'), `; test root hints (named.root format)\n${hints.join('\n')}\n`);
  writeFileSync(join(tmp, 'root-ds.txt'), `${dsLines({ ...root, dsDigests: [2] }, rootKeys).join('\n')}\n`);
  writeFileSync(join(tmp, 'root-dnskey.txt'), `${rootKeys.dsFor.map((k) => dnskeyLine('.', k)).join('\n')}\n`);
  const smtp: SmtpInstance[] = SMTP_SERVERS.map((s) => {
    const c = certs.get(s.id);
    return { id: s.id, host: s.host, addr: s.addr, keyFile: c ? c.keyFile.replace(tmp, dir) : null,
      certFile: c ? c.certFile.replace(tmp, dir) : null, leafPem: c?.leafPem ?? null };
  });
  const result: BuildResult = {
    dir, rootHintsFile: join(dir, 'root.hints'), trustAnchorDsFile: join(dir, 'root-ds.txt'),
    trustAnchorKeyFile: join(dir, 'root-dnskey.txt'), manifest: SCENARIOS, nsd, smtp, buildMs: 0, cached: false,
  };
  writeFileSync(join(tmp, 'manifest.json'), JSON.stringify(SCENARIOS, null, 1));
  writeFileSync(join(tmp, 'servers.json'), JSON.stringify({ nsd, smtp: smtp.map(({ leafPem: _, ...s }) => s) }, null, 1));
  writeFileSync(join(tmp, 'build.json'), JSON.stringify(result));
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return { ...result, buildMs: Date.now() - t0 };
}
