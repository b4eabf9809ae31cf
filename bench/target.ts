// bench/target.ts — one resolver benchmark on the generated hierarchy (gen-hierarchy.ts), run as
// its own child process by run.ts: cold validated throughput (every name new; a success needs
// NOERROR, an A record and the AD bit, RFC 4035 §3.2.3 / RFC 6840 §5.7), cache-hit QPS (dnsperf,
// or a Node UDP load loop when dnsperf is missing) and RSS growth of the resolver's processes.
// Usage: node dist/bench/target.js --resolver adbit|unbound|ADDR:PORT --zones N --names M [--repeats R] [--hit-seconds S]
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitReady } from '../test/hierarchy/nsd.js';
import { generateHierarchy, nameAt, startAuthorities, type GenHierarchy } from './gen-hierarchy.js';

const MAIN_JS = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'src', 'cli', 'main.js');
export const MANAGED_ADDR: Readonly<Record<string, string>> = { unbound: '127.30.9.1', adbit: '127.30.9.2' };

export interface TargetRun {
  readonly coldQps: number; readonly coldSecure: number; readonly coldAnswered: number;
  readonly hitQps: number; readonly rssGrowthMB: number | null;
}
export interface TargetResult {
  readonly resolver: string; readonly zones: number; readonly names: number; readonly hitTool: string;
  readonly runs: readonly TargetRun[];
}

/** Standard query, RD + AD (ask for the AD bit, RFC 6840 §5.7) and EDNS0 with DO (RFC 3225). */
export function encodeQuery(id: number, name: string, qtype = 1): Buffer {
  const labels = name.split('.').filter((l) => l !== '').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')]));
  const opt = Buffer.from([0, 0, 41, 0x04, 0xd0, 0, 0, 0x80, 0, 0, 0]);
  return Buffer.concat([Buffer.from([id >> 8, id & 0xff, 0x01, 0x20, 0, 1, 0, 0, 0, 0, 0, 1]), ...labels,
    Buffer.from([0, qtype >> 8, qtype & 0xff, 0, 1]), opt]);
}

/** Sends every name once with `conc` outstanding queries; counts answers and AD-marked answers. */
export function coldPass(host: string, port: number, names: readonly string[], conc: number, timeoutMs = 5000):
  Promise<{ qps: number; answered: number; secure: number }> {
  return new Promise((done) => {
    const sock = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    const pending = new Map<number, NodeJS.Timeout>();
    let next = 0; let finished = 0; let answered = 0; let secure = 0; let nextId = 1;
    const t0 = performance.now();
    const complete = (id: number): void => {
      const t = pending.get(id);
      if (t === undefined) return;
      clearTimeout(t); pending.delete(id); finished++;
      if (finished === names.length) { sock.close(); done({ qps: names.length / ((performance.now() - t0) / 1000), answered, secure }); return; }
      send();
    };
    const send = (): void => {
      if (next >= names.length) return;
      const name = names[next++] ?? '.';
      const id = nextId; nextId = (nextId % 65535) + 1;
      pending.set(id, setTimeout(() => complete(id), timeoutMs));
      sock.send(encodeQuery(id, name), port, host);
    };
    sock.on('message', (m) => {
      if (m.length < 12) return;
      const id = m.readUInt16BE(0);
      if (!pending.has(id)) return;
      if (((m[3] ?? 0) & 0x0f) === 0 && m.readUInt16BE(6) > 0) { answered++; if (((m[3] ?? 0) & 0x20) !== 0) secure++; }
      complete(id);
    });
    sock.bind(0, () => { for (let i = 0; i < Math.min(conc, names.length); i++) send(); });
  });
}

/** Cache-hit QPS over `seconds`: dnsperf when installed, else the Node loop cycling the names. */
export async function hitPass(host: string, port: number, g: GenHierarchy, seconds: number): Promise<{ qps: number; tool: string }> {
  let dnsperf = true;
  try { execFileSync('which', ['dnsperf'], { stdio: 'ignore' }); } catch { dnsperf = false; }
  if (dnsperf) {
    const out = execFileSync('dnsperf', ['-s', host, '-p', String(port), '-d', g.namesFile, '-l', String(seconds), '-c', '4', '-q', '200'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const m = /Queries per second:\s+([\d.]+)/.exec(out);
    return { qps: m?.[1] === undefined ? NaN : Number(m[1]), tool: 'dnsperf' };
  }
  const names = Array.from({ length: g.names }, (_, i) => nameAt(i, g.zones));
  let total = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) total += (await coldPass(host, port, names, 100)).answered;
  return { qps: total / ((performance.now() - t0) / 1000), tool: 'node-udp-loop' };
}

/** Resident set of a process and its descendants, in MB (Linux /proc). */
export function treeRssMB(pid: number): number {
  let kb = 0;
  const walk = (p: number): void => {
    try { kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0); } catch { return; }
    let kids = '';
    try { kids = readFileSync(`/proc/${p}/task/${p}/children`, 'utf8'); } catch { /* none */ }
    for (const c of kids.trim().split(/\s+/)) if (c !== '') walk(Number(c));
  };
  walk(pid);
  return kb / 1024;
}

function unboundConf(dir: string, g: GenHierarchy, addr: string): string {
  const q = JSON.stringify;
  const text = ['server:', `  interface: ${addr}`, '  port: 53', '  do-ip6: no', '  num-threads: 1', '  outgoing-interface: 127.0.0.1',
    '  access-control: 127.0.0.0/8 allow', '  username: ""', '  chroot: ""', `  directory: ${q(dir)}`, `  pidfile: ${q(join(dir, 'unbound.pid'))}`,
    '  use-syslog: no', `  logfile: ${q(join(dir, 'unbound.log'))}`, '  verbosity: 0', `  root-hints: ${q(g.rootHintsFile)}`,
    `  trust-anchor-file: ${q(g.trustAnchorFile)}`, '  do-not-query-localhost: no', '  module-config: "validator iterator"',
    '  so-reuseport: no', '  outgoing-range: 1024', '  num-queries-per-thread: 1024', 'remote-control:', '  control-enable: no', ''];
  const file = join(dir, 'unbound.conf');
  writeFileSync(file, text.join('\n'));
  return file;
}

/** Starts adbit or Unbound on its managed address with the hierarchy's hints and anchor. */
export async function startManaged(kind: 'adbit' | 'unbound', g: GenHierarchy): Promise<ChildProcess> {
  const addr = MANAGED_ADDR[kind] ?? '';
  const dir = join(g.dir, `run-${kind}-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const log = openSync(join(dir, 'stderr.log'), 'a');
  const child = kind === 'unbound'
    ? spawn('unbound', ['-d', '-c', unboundConf(dir, g, addr)], { stdio: ['ignore', log, log] })
    : spawn(process.execPath, [MAIN_JS, 'serve', '--listen', `${addr}:53`, '--root-hints', g.rootHintsFile,
      // One native I/O thread, as Unbound's num-threads: 1 above: the same cores for both.
      '--trust-anchor', g.trustAnchorFile, '--io-threads', '1', '--log-level', 'error'], { stdio: ['ignore', log, log] });
  try {
    await waitReady(addr, null, Date.now() + 20_000);
  } catch (e) {
    await stopChild(child);
    throw new Error(`${kind} did not start; see ${join(dir, 'stderr.log')}: ${(e as Error).message}`);
  }
  return child;
}

export function stopChild(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
  return new Promise((res) => {
    const t = setTimeout(() => c.kill('SIGKILL'), 5000);
    c.once('exit', () => { clearTimeout(t); res(); });
    c.kill('SIGTERM');
  });
}

export interface TargetOptions {
  readonly resolver: string; readonly host?: string; readonly port?: number; readonly zones: number; readonly names: number;
  readonly repeats: number; readonly hitSeconds: number; readonly concurrency: number;
}

/** Runs the repeats. Managed resolvers restart per repeat (a truly cold cache each time); an
 *  external target cannot be flushed, so only its first cold pass counts. */
export async function runTarget(o: TargetOptions, note: (s: string) => void): Promise<TargetResult> {
  const g = await generateHierarchy(o.zones, o.names, Date.now(), (d, t) => { if (d % 500 === 0 || d === t) note(`signing ${d}/${t} zones`); });
  const managed = o.resolver === 'adbit' || o.resolver === 'unbound';
  const auth = await startAuthorities(g);
  const runs: TargetRun[] = [];
  let tool = '';
  try {
    if (!managed) note(`target ${o.host}:${o.port} must use root hints ${g.rootHintsFile} and trust anchor ${g.trustAnchorFile}`);
    const names = Array.from({ length: g.names }, (_, i) => nameAt(i, g.zones));
    for (let r = 0; r < o.repeats; r++) {
      const child = managed ? await startManaged(o.resolver as 'adbit' | 'unbound', g) : null;
      const host = managed ? (MANAGED_ADDR[o.resolver] ?? '') : (o.host ?? '');
      const port = managed ? 53 : (o.port ?? 53);
      try {
        const rss0 = child?.pid === undefined ? null : treeRssMB(child.pid);
        const cold = managed || r === 0 ? await coldPass(host, port, names, o.concurrency) : { qps: NaN, answered: NaN, secure: NaN };
        const rss1 = child?.pid === undefined ? null : treeRssMB(child.pid);
        const hit = await hitPass(host, port, g, o.hitSeconds);
        tool = hit.tool;
        runs.push({ coldQps: cold.qps, coldSecure: cold.secure, coldAnswered: cold.answered, hitQps: hit.qps,
          rssGrowthMB: rss0 === null || rss1 === null ? null : rss1 - rss0 });
        note(`${o.resolver} N=${o.zones} repeat ${r + 1}/${o.repeats}: cold ${Math.round(cold.qps)}/s (${cold.secure}/${names.length} AD), hit ${Math.round(hit.qps)} qps`);
      } finally {
        if (child !== null) await stopChild(child);
      }
    }
  } finally {
    await auth.stop();
  }
  return { resolver: o.resolver, zones: o.zones, names: o.names, hitTool: tool, runs };
}

function arg(args: readonly string[], k: string): string | undefined {
  const i = args.indexOf(k);
  return i >= 0 ? args[i + 1] : undefined;
}

// Entry point when run as a child process: prints one TargetResult as JSON on stdout.
if (process.argv[1] !== undefined && existsSync(process.argv[1]) && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const a = process.argv.slice(2);
  const resolver = arg(a, '--resolver') ?? 'adbit';
  const hp = /^\[?([^\]]+?)\]?:(\d+)$/.exec(resolver);
  const res = await runTarget({
    resolver: hp === null ? resolver : 'target', ...(hp === null ? {} : { host: hp[1] ?? '', port: Number(hp[2]) }),
    zones: Number(arg(a, '--zones') ?? 10), names: Number(arg(a, '--names') ?? 2000), repeats: Number(arg(a, '--repeats') ?? 3),
    hitSeconds: Number(arg(a, '--hit-seconds') ?? 5), concurrency: Number(arg(a, '--concurrency') ?? 50),
  }, (s) => process.stderr.write(`${s}\n`));
  process.stdout.write(`${JSON.stringify(res)}\n`);
}
