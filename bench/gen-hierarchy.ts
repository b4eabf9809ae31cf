// bench/gen-hierarchy.ts — a generated signed hierarchy for resolver benchmarks: root (alg 8,
// KSK+ZSK) → bench. (alg 13) → N leaf zones z<i>-of-<N>.bench. (alg 13 CSK, NSEC) holding M A names in
// total, each delegation with DS (RFC 4035 §2.4). Reuses test/hierarchy's keygen, signer and NSD
// code; leaf zones share one key pair (renamed per zone) so 10,000 zones sign in minutes.
// Three NSDs on loopback (127.30.0.1 root, 127.30.1.1 bench., 127.30.2.1 leaves), so resolution iterates.
import { type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startNsd, waitReady, writeNsdConfig } from '../test/hierarchy/nsd.js';
import { dnskeyLine, dsLines, prepareKeys, signZone, type Dnskey, type ZoneKeys } from '../test/hierarchy/sign.js';
import type { ZoneSpec } from '../test/hierarchy/zones.js';

const HERE = dirname(fileURLToPath(import.meta.url));
/** bench/.cache beside the sources (this file runs from dist/bench/). */
export const GEN_CACHE = join(resolve(HERE, '..', '..'), 'bench', '.cache');
export const ROOT_ADDR = '127.30.0.1';
export const TLD_ADDR = '127.30.1.1';
export const LEAF_ADDR = '127.30.2.1';
export const MIN_ZONES = 10;
export const MAX_ZONES = 10_000;
const DAY_MS = 86_400_000;
const BUCKET_DAYS = 23; // as test/hierarchy/build.ts: ≥ 7 days of signature validity remain

export interface GenHierarchy {
  readonly dir: string;
  readonly zones: number;
  readonly names: number;
  readonly rootHintsFile: string;
  readonly trustAnchorFile: string;
  /** One `name A` line per name (dnsperf's input format). */
  readonly namesFile: string;
  readonly nsdDirs: readonly { addr: string; dir: string; zone: string }[];
}

/** Leaf zone i of a hierarchy of N; N is in the name so that sizes never share cached data. */
export const leafZone = (i: number, zones: number): string => `z${i}-of-${zones}.bench.`;
/** Name i of M spread round-robin over the N leaf zones. */
export const nameAt = (i: number, zones: number): string => `h${Math.floor(i / zones)}.${leafZone(i % zones, zones)}`;

const spec = (name: string, parent: string | null, alg: 8 | 13, keys: 'ksk-zsk' | 'csk', ns: string, addr: string): ZoneSpec =>
  ({ name, parent, signer: 'ldns', alg, keys, denial: 'nsec', dsDigests: [2], servers: [{ name: ns, addr }], records: () => [] });

function soa(zone: string, ns: string): string[] {
  return [`$ORIGIN ${zone}`, '$TTL 3600', `${zone} 3600 IN SOA ${ns} hostmaster.${zone === '.' ? '' : zone} 1 3600 900 604800 300`];
}

async function pool<T>(items: readonly T[], width: number, fn: (t: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (i < items.length) { const t = items[i++]; if (t !== undefined) await fn(t); }
  }));
}

/** The leaf key re-owned for one zone: ldns-signzone insists the key file names the zone. */
function keyFor(tmpl: Dnskey, zone: string, dir: string): ZoneKeys {
  const src = tmpl.base ?? '';
  const base = join(dir, `K${zone}+013+${tmpl.tag}`);
  writeFileSync(`${base}.key`, readFileSync(`${src}.key`, 'utf8').replace(/^tmpl\.bench\./m, zone));
  writeFileSync(`${base}.private`, readFileSync(`${src}.private`));
  const k = { ...tmpl, base };
  return { signWith: [k], publish: [k], dsFor: [k] };
}

interface SharedKeys { rootKeys: ZoneKeys; tldKeys: ZoneKeys; tmplKeys: ZoneKeys }

/** Root, bench. and leaf keys shared by every N of one validity bucket, so a --target resolver
 *  configured once (root hints + trust anchor printed by the harness) serves every size. */
async function sharedKeys(bucket: number, root: ZoneSpec, tld: ZoneSpec): Promise<SharedKeys> {
  const dir = join(GEN_CACHE, `keys-${bucket}`);
  const file = join(dir, 'keys.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as SharedKeys;
  for (const old of existsSync(GEN_CACHE) ? readdirSync(GEN_CACHE) : []) if (old.startsWith('keys-')) rmSync(join(GEN_CACHE, old), { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const [rootKeys, tldKeys, tmplKeys] = await Promise.all([prepareKeys(root, dir), prepareKeys(tld, dir),
    prepareKeys(spec('tmpl.bench.', 'bench.', 13, 'csk', 'ns1.tmpl.bench.', LEAF_ADDR), dir)]);
  writeFileSync(join(dir, 'root.hints'), `; generated bench root hints\n.  3600000  NS  a.root-servers.bench.\na.root-servers.bench.  3600000  A  ${ROOT_ADDR}\n`);
  writeFileSync(join(dir, 'root-ds.txt'), `${dsLines({ ...root, dsDigests: [2] }, rootKeys).join('\n')}\n`);
  const keys = { rootKeys, tldKeys, tmplKeys };
  writeFileSync(file, JSON.stringify(keys));
  return keys;
}

/** Builds (or reuses) the hierarchy for N zones and M names under bench/.cache/. */
export async function generateHierarchy(zones: number, names: number, now = Date.now(),
  progress: (done: number, total: number) => void = () => {}): Promise<GenHierarchy> {
  if (!Number.isInteger(zones) || zones < MIN_ZONES || zones > MAX_ZONES) throw new RangeError(`zones must be ${MIN_ZONES}..${MAX_ZONES}`);
  if (!Number.isInteger(names) || names < zones) throw new RangeError('names must be an integer ≥ zones');
  const bucket = Math.floor(now / (BUCKET_DAYS * DAY_MS));
  const dir = join(GEN_CACHE, `gen-${zones}-${names}-${bucket}`);
  const result: GenHierarchy = {
    dir, zones, names, rootHintsFile: join(GEN_CACHE, `keys-${bucket}`, 'root.hints'),
    trustAnchorFile: join(GEN_CACHE, `keys-${bucket}`, 'root-ds.txt'),
    namesFile: join(dir, 'names.txt'),
    nsdDirs: [{ addr: ROOT_ADDR, dir: join(dir, 'nsd', 'root'), zone: '.' }, { addr: TLD_ADDR, dir: join(dir, 'nsd', 'tld'), zone: 'bench.' },
      { addr: LEAF_ADDR, dir: join(dir, 'nsd', 'leaf'), zone: leafZone(0, zones) }],
  };
  if (existsSync(join(dir, 'done'))) return result;
  mkdirSync(GEN_CACHE, { recursive: true });
  for (const old of readdirSync(GEN_CACHE)) if (old.startsWith(`gen-${zones}-${names}-`)) rmSync(join(GEN_CACHE, old), { recursive: true, force: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  for (const sub of ['keys', 'zones']) mkdirSync(join(tmp, sub), { recursive: true });
  const keysDir = join(tmp, 'keys');
  const root = spec('.', null, 8, 'ksk-zsk', 'a.root-servers.bench.', ROOT_ADDR);
  const tld = spec('bench.', '.', 13, 'ksk-zsk', 'ns1.bench.', TLD_ADDR);
  const { rootKeys, tldKeys, tmplKeys } = await sharedKeys(bucket, root, tld);
  const tmpl = tmplKeys.signWith[0];
  if (tmpl === undefined) throw new Error('leaf key generation failed');
  const window = { inception: new Date((bucket * BUCKET_DAYS - 1) * DAY_MS), expiration: new Date((bucket * BUCKET_DAYS + 30) * DAY_MS) };
  const per = Math.ceil(names / zones);
  const jobs: { z: ZoneSpec; keys: ZoneKeys; text: string[] }[] = [];
  const tldBody = [...soa('bench.', 'ns1.bench.'), 'bench. 3600 IN NS ns1.bench.', `ns1.bench. 3600 IN A ${TLD_ADDR}`,
    `a.root-servers.bench. 3600 IN A ${ROOT_ADDR}`, ...tldKeys.publish.map((k) => dnskeyLine('bench.', k))];
  for (let i = 0; i < zones; i++) {
    const name = leafZone(i, zones);
    const z = spec(name, 'bench.', 13, 'csk', `ns1.${name}`, LEAF_ADDR);
    const keys = keyFor(tmpl, name, keysDir);
    tldBody.push(`${name} 3600 IN NS ns1.${name}`, `ns1.${name} 3600 IN A ${LEAF_ADDR}`, ...dsLines(z, keys));
    const body = [...soa(name, `ns1.${name}`), `${name} 3600 IN NS ns1.${name}`, `ns1.${name} 3600 IN A ${LEAF_ADDR}`,
      dnskeyLine(name, tmpl)];
    for (let j = 0; j < per && i + j * zones < names; j++) body.push(`h${j} 3600 IN A 192.0.${(j >> 8) & 255}.${j & 255}`);
    jobs.push({ z, keys, text: body });
  }
  const rootBody = [...soa('.', 'a.root-servers.bench.'), '. 3600 IN NS a.root-servers.bench.',
    `a.root-servers.bench. 3600 IN A ${ROOT_ADDR}`, ...rootKeys.publish.map((k) => dnskeyLine('.', k)),
    'bench. 3600 IN NS ns1.bench.', `ns1.bench. 3600 IN A ${TLD_ADDR}`, ...dsLines(tld, tldKeys)];
  jobs.push({ z: root, keys: rootKeys, text: rootBody }, { z: tld, keys: tldKeys, text: tldBody });
  let done = 0;
  await pool(jobs, 2, async (j) => {
    const f = join(tmp, 'zones', j.z.name === '.' ? 'root' : j.z.name.replace(/\.$/, ''));
    writeFileSync(`${f}.zone`, [...j.text, ''].join('\n'));
    await signZone(j.z, j.keys, `${f}.zone`, `${f}.signed`, window);
    progress(++done, jobs.length);
  });
  const signed = (zone: string): string => join(dir, 'zones', `${zone === '.' ? 'root' : zone.replace(/\.$/, '')}.signed`);
  writeNsdConfig(join(tmp, 'nsd', 'root'), join(dir, 'nsd', 'root'), ROOT_ADDR, [{ name: '.', file: signed('.') }]);
  writeNsdConfig(join(tmp, 'nsd', 'tld'), join(dir, 'nsd', 'tld'), TLD_ADDR, [{ name: 'bench.', file: signed('bench.') }]);
  writeNsdConfig(join(tmp, 'nsd', 'leaf'), join(dir, 'nsd', 'leaf'), LEAF_ADDR,
    Array.from({ length: zones }, (_, i) => ({ name: leafZone(i, zones), file: signed(leafZone(i, zones)) })));
  writeFileSync(join(tmp, 'names.txt'), Array.from({ length: names }, (_, i) => `${nameAt(i, zones)} A`).join('\n') + '\n');
  writeFileSync(join(tmp, 'done'), new Date().toISOString());
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return result;
}

/** Starts the three NSDs (children of this process) and waits until each answers for its zone. */
export async function startAuthorities(g: GenHierarchy): Promise<{ stop(): Promise<void> }> {
  const kids: ChildProcess[] = g.nsdDirs.map((n) => startNsd(n.dir));
  const stop = async (): Promise<void> => {
    await Promise.all(kids.map((c) => new Promise<void>((res) => {
      if (c.exitCode !== null || c.signalCode !== null) { res(); return; }
      const t = setTimeout(() => c.kill('SIGKILL'), 5000);
      c.once('exit', () => { clearTimeout(t); res(); });
      c.kill('SIGTERM');
    })));
  };
  try {
    // NSD loads every zone before answering: allow ~1 s per 1,000 zones on a busy 2-core machine.
    const deadline = Date.now() + 20_000 + g.zones * 5;
    await Promise.all(g.nsdDirs.map((n) => waitReady(n.addr, n.zone, deadline)));
  } catch (e) {
    await stop();
    throw e;
  }
  return { stop };
}
