// bench/memory.ts — memory per cached name: the generated hierarchy (gen-hierarchy.ts, NSD on its
// loopback addresses) resolved with validation through the same QueryPipeline + Resolver + Validator
// that `adbit serve` runs (no sockets on our side), then forced GC. Reports retained heap, external
// and ArrayBuffer growth per name, RSS growth (with and without GC), every cache's entries/bytes and,
// from two heap snapshots, the constructors whose self size grew most (what the bytes are).
// Usage: node dist/bench/memory.js [--names N] [--zones Z] [--concurrency C] [--classes] [--json]
//   --classes adds a per-constructor breakdown from two heap snapshots (that run's RSS figures include the snapshots' own slack)
import { spawnSync } from 'node:child_process';
import { getHeapSnapshot, getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import { KeyCache } from '../src/dnssec/key-cache.js';
import { Validator } from '../src/dnssec/validator.js';
import { readRootHintsFile } from '../src/resolver/hints.js';
import { Resolver } from '../src/resolver/resolver.js';
import { Acl } from '../src/server/acl.js';
import { type HandlerOptions, type HandlerQuestion, type QueryHandler, loadAnchors } from '../src/server/handler.js';
import { Metrics } from '../src/server/metrics.js';
import { QueryPipeline } from '../src/server/pipeline.js';
import { createJsonLogger } from '../src/util/log.js';
import type { Answer } from '../src/resolver/answer.js';
import { generateHierarchy, nameAt, startAuthorities } from './gen-hierarchy.js';
import { encodeQuery } from './target.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  // Forced collection needs --expose-gc: run this same script again with it.
  const r = spawnSync(process.execPath, ['--expose-gc', ...process.execArgv, process.argv[1] ?? '', ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const args = process.argv.slice(2);
const opt = (k: string, d: number): number => { const i = args.indexOf(k); return i >= 0 ? Number(args[i + 1]) : d; };
const NAMES = opt('--names', 2000);
const ZONES = opt('--zones', 10);
const CONC = opt('--concurrency', 50);
/** Heap snapshots inflate the heap and RSS they measure around, so they are opt-in. */
const SNAPSHOT = args.includes('--classes');
const JSON_OUT = args.includes('--json');

interface Mem { rss: number; heapUsed: number; heapCommitted: number; newSpace: number; oldSpaces: number; external: number; arrayBuffers: number }

function sample(): Mem {
  const m = process.memoryUsage();
  // Committed bytes split into the young generation (semi-spaces) and everything else.
  const spaces = getHeapSpaceStatistics();
  const newSpace = spaces.filter((s) => s.space_name.startsWith('new_')).reduce((a, s) => a + s.space_size, 0);
  const total = getHeapStatistics().total_heap_size;
  return { rss: m.rss, heapUsed: m.heapUsed, heapCommitted: total, newSpace, oldSpaces: total - newSpace, external: m.external, arrayBuffers: m.arrayBuffers };
}

/** Full GCs with turns of the event loop between, so weak callbacks and backing-store frees run. */
async function collect(): Promise<Mem> {
  for (let i = 0; i < 4; i++) {
    gc!();
    await new Promise((r) => setImmediate(r));
  }
  return sample();
}

type ClassSizes = Map<string, { count: number; bytes: number }>;

/** Self size and count per constructor (non-objects grouped by node type) from a heap snapshot. */
async function classSizes(): Promise<ClassSizes> {
  const chunks: string[] = [];
  for await (const c of getHeapSnapshot()) chunks.push(typeof c === 'string' ? c : (c as Buffer).toString('utf8'));
  const snap = JSON.parse(chunks.join('')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } }; nodes: number[]; strings: string[];
  };
  const f = snap.snapshot.meta.node_fields;
  const stride = f.length;
  const [iType, iName, iSize] = [f.indexOf('type'), f.indexOf('name'), f.indexOf('self_size')];
  const types = snap.snapshot.meta.node_types[0];
  const out: ClassSizes = new Map();
  for (let i = 0; i < snap.nodes.length; i += stride) {
    const type = types[snap.nodes[i + iType] ?? 0] ?? '?';
    const name = snap.strings[snap.nodes[i + iName] ?? 0] ?? '?';
    // V8-internal nodes keep their name ("system / Map", "(object elements)"): it says what they back.
    const internal = type === 'code' || type === 'object shape' || type === 'array' || type === 'hidden';
    const key = type === 'object' || type === 'native' || type === 'closure' ? `${name}${type === 'closure' ? '()' : ''}`
      : internal ? `(${type}) ${name}` : `(${type})`;
    const e = out.get(key) ?? { count: 0, bytes: 0 };
    e.count++;
    e.bytes += snap.nodes[i + iSize] ?? 0;
    out.set(key, e);
  }
  return out;
}

function classDiff(a: ClassSizes, b: ClassSizes, perName: number): { cls: string; countPerName: number; bytesPerName: number }[] {
  const rows = [...b].map(([cls, v]) => {
    const o = a.get(cls) ?? { count: 0, bytes: 0 };
    return { cls, countPerName: (v.count - o.count) / perName, bytesPerName: (v.bytes - o.bytes) / perName };
  });
  return rows.sort((x, y) => y.bytesPerName - x.bytesPerName).slice(0, 20);
}

/** What ResolverHandler does, with the key cache kept where this bench can count it. */
class MeasuredHandler implements QueryHandler {
  readonly keyCache = new KeyCache();
  readonly resolver: Resolver;
  constructor(hintsFile: string, anchorFile: string) {
    const validator = new Validator({ anchors: loadAnchors(anchorFile), keyCache: this.keyCache });
    this.resolver = new Resolver({ rootHints: readRootHintsFile(hintsFile), validator });
  }
  answer(q: HandlerQuestion, o: HandlerOptions): Promise<Answer> {
    return this.resolver.resolve(q, { cd: o.cd, dnssecOk: o.dnssecOk, signal: o.signal });
  }
  close(): void { this.resolver.close(); }
}

const g = await generateHierarchy(ZONES, Math.max(NAMES, ZONES));
const auth = await startAuthorities(g);
const handler = new MeasuredHandler(g.rootHintsFile, g.trustAnchorFile);
const pipeline = new QueryPipeline({ handler, acl: new Acl(), metrics: new Metrics(), log: createJsonLogger({ level: 'error' }) });
const remote = { address: '127.0.0.1', port: 5353, transport: 'udp' as const };

/** Resolves names [from, to) through the pipeline, `CONC` at a time; counts NOERROR+AD answers. */
async function warm(from: number, to: number): Promise<{ secure: number; failed: number }> {
  let next = from;
  let secure = 0;
  let failed = 0;
  await Promise.all(Array.from({ length: CONC }, async () => {
    while (next < to) {
      const i = next++;
      const q = encodeQuery(i & 0xffff, nameAt(i, g.zones));
      const r = pipeline.fromCache(q, remote) ?? await pipeline.handle(q, remote);
      if (r !== null && r.length >= 12 && (r[3]! & 0x0f) === 0 && ((r[6]! << 8) | r[7]!) > 0 && (r[3]! & 0x20) !== 0) secure++;
      else failed++;
    }
  }));
  return { secure, failed };
}

function caches(): Record<string, { entries: number; bytes: number | null }> {
  const r = handler.resolver;
  return {
    rrset: { entries: r.rrsets.size, bytes: r.rrsets.bytes },
    message: { entries: r.messages.size, bytes: r.messages.bytes },
    fetch: { entries: r.fetchCacheSize.entries, bytes: r.fetchCacheSize.bytes },
    nsec: { entries: r.nsecStore.size, bytes: r.nsecStore.bytes },
    key: { entries: handler.keyCache.size, bytes: null },
    infra: { entries: r.infra.size, bytes: null },
    reply: { entries: pipeline.replies.size, bytes: pipeline.replies.bytes },
  };
}

let result: Record<string, unknown>;
try {
  const m0 = await collect();
  // Warm-up: one name per zone, so keys, DS, delegations and server state are cached before the baseline.
  const w = Math.min(ZONES, NAMES);
  const pre = await warm(0, w);
  const c1 = caches();
  const m1 = await collect();
  const s1 = SNAPSHOT ? await classSizes() : null;
  const t0 = performance.now();
  const main = await warm(w, NAMES);
  const ms = performance.now() - t0;
  const raw = sample();
  const m2 = await collect();
  const s2 = SNAPSHOT ? await classSizes() : null;
  const c2 = caches();
  const n = NAMES - w;
  const per = (k: keyof Mem, a: Mem, b: Mem): number => Math.round((b[k] - a[k]) / n);
  const delta = (a: typeof c1, b: typeof c2): Record<string, { entries: number; bytesPerName: number | null }> => Object.fromEntries(
    Object.entries(b).map(([k, v]) => {
      const o = a[k];
      return [k, { entries: v.entries, bytesPerName: v.bytes === null || o?.bytes == null ? null : Math.round((v.bytes - o.bytes) / n) }];
    }));
  result = {
    names: NAMES, zones: ZONES, concurrency: CONC, measuredNames: n, secure: pre.secure + main.secure, failed: pre.failed + main.failed,
    namesPerSec: Math.round(n / (ms / 1000)),
    perNameAfterGc: {
      heapUsed: per('heapUsed', m1, m2), heapCommitted: per('heapCommitted', m1, m2), newSpace: per('newSpace', m1, m2),
      oldSpaces: per('oldSpaces', m1, m2), external: per('external', m1, m2),
      arrayBuffers: per('arrayBuffers', m1, m2), rss: per('rss', m1, m2),
    },
    perNameBeforeGc: { heapUsed: per('heapUsed', m1, raw), heapCommitted: per('heapCommitted', m1, raw), rss: per('rss', m1, raw) },
    rssMiB: { start: +(m0.rss / 2 ** 20).toFixed(1), beforeGc: +(raw.rss / 2 ** 20).toFixed(1), afterGc: +(m2.rss / 2 ** 20).toFixed(1) },
    rssGrowthFromStartMiB: +((raw.rss - m0.rss) / 2 ** 20).toFixed(1),
    caches: delta(c1, c2),
    topClassesPerName: s1 !== null && s2 !== null ? classDiff(s1, s2, n) : [],
  };
} finally {
  pipeline.handler.close();
  await auth.stop();
}

if (JSON_OUT) console.log(JSON.stringify(result));
else {
  const r = result as {
    perNameAfterGc: Record<string, number>; perNameBeforeGc: Record<string, number>; caches: Record<string, { entries: number; bytesPerName: number | null }>;
    topClassesPerName: { cls: string; countPerName: number; bytesPerName: number }[];
  } & Record<string, unknown>;
  console.log(`names ${NAMES} (zones ${ZONES}, measured ${String(result['measuredNames'])}), secure ${String(result['secure'])}, failed ${String(result['failed'])}, ${String(result['namesPerSec'])} names/s`);
  console.log(`per name after GC (B):  ${Object.entries(r.perNameAfterGc).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(`per name before GC (B): ${Object.entries(r.perNameBeforeGc).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(`RSS MiB: ${JSON.stringify(result['rssMiB'])}; growth from start (no GC) ${String(result['rssGrowthFromStartMiB'])} MiB`);
  console.log('cache    entries  accounted B/name');
  for (const [k, v] of Object.entries(r.caches)) console.log(`${k.padEnd(8)} ${String(v.entries).padStart(7)}  ${v.bytesPerName === null ? '-' : v.bytesPerName}`);
  if (r.topClassesPerName.length > 0) {
    console.log('heap growth by constructor (self size per name)');
    for (const c of r.topClassesPerName) console.log(`  ${c.cls.padEnd(40)} ${c.countPerName.toFixed(2).padStart(8)} objs ${c.bytesPerName.toFixed(0).padStart(7)} B`);
  }
  console.log(JSON.stringify(result));
}
