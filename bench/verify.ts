// verify.ts — verifications/s per DNSSEC algorithm (RFC 8624 set): native batch on all cores
// (runBatch), native batch on one thread (runBatchSync), node:crypto with a key import per call
// (naive) and with cached KeyObjects, and `openssl speed -multi <cores>` as the ceiling. Because the
// box is shared, single-thread rates are also given per CPU-second, next to `openssl speed` (which
// times user CPU) and the bare primitive on Node's own OpenSSL (native verifyLoop mode 2).
// All cores = one batch in flight at a time; the two-in-flight rate (see rate()) is reported next to it.
// Run: node dist/bench/verify.js [--json]. Medians of 5 repeats, spread = (max-min)/median.
import { execFileSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { native } from '../src/native/binding.js';
import { CryptoBatch, type VerifyJob } from '../src/native/batch.js';
import { makeKey, signedJob, verifyBlob } from './lib/verify-keys.js';

const BATCH = 512;
const REPEATS = 5;
const MIN_MS = 250;
const cores = availableParallelism();
const ALGS: readonly { alg: number; name: string; speed: string; col: RegExp }[] = [
  { alg: 5, name: 'RSASHA1-2048', speed: 'rsa2048', col: /^rsa\s+2048 bits\s+\S+\s+\S+\s+\S+\s+(\S+)/m },
  { alg: 7, name: 'RSASHA1-NSEC3-2048', speed: 'rsa2048', col: /^rsa\s+2048 bits\s+\S+\s+\S+\s+\S+\s+(\S+)/m },
  { alg: 8, name: 'RSASHA256-2048', speed: 'rsa2048', col: /^rsa\s+2048 bits\s+\S+\s+\S+\s+\S+\s+(\S+)/m },
  { alg: 10, name: 'RSASHA512-2048', speed: 'rsa2048', col: /^rsa\s+2048 bits\s+\S+\s+\S+\s+\S+\s+(\S+)/m },
  { alg: 13, name: 'ECDSAP256SHA256', speed: 'ecdsap256', col: /256 bits ecdsa \(nistp256\)\s+\S+\s+\S+\s+\S+\s+(\S+)/ },
  { alg: 14, name: 'ECDSAP384SHA384', speed: 'ecdsap384', col: /384 bits ecdsa \(nistp384\)\s+\S+\s+\S+\s+\S+\s+(\S+)/ },
  { alg: 15, name: 'ED25519', speed: 'ed25519', col: /253 bits EdDSA \(Ed25519\)\s+\S+\s+\S+\s+\S+\s+(\S+)/ },
  { alg: 16, name: 'ED448', speed: 'ed448', col: /456 bits EdDSA \(Ed448\)\s+\S+\s+\S+\s+\S+\s+(\S+)/ },
];
const HASH: Record<number, string | null> = { 5: 'sha1', 7: 'sha1', 8: 'sha256', 10: 'sha512', 13: 'sha256', 14: 'sha384', 15: null, 16: null };

interface Stat { median: number; spread: number }
function stat(xs: number[]): Stat {
  const s = [...xs].sort((a, b) => a - b);
  const median = s[Math.floor(s.length / 2)] ?? 0;
  return { median, spread: median === 0 ? 0 : ((s[s.length - 1] ?? 0) - (s[0] ?? 0)) / median };
}

/**
 * Wall-clock rate (`median`) and, as `cpu`, operations per CPU-second of this process. `depth` calls
 * are kept in flight (async fn only): with depth 1 each batch waits for the previous one, so the
 * cores idle during its JS set-up (job table and blob built on the main thread), its hand-off and
 * the tail where one pool thread has finished its share; depth 2 is the sustained throughput of a
 * busy resolver with several responses in flight, the analogue of `openssl speed -multi`.
 */
async function rate(fn: () => unknown | Promise<unknown>, opsPerCall: number, depth = 1): Promise<Stat & { cpu: number }> {
  const out: number[] = [];
  const cpu: number[] = [];
  await fn(); // warm-up (and the key cache)
  for (let r = 0; r < REPEATS; r++) {
    let ops = 0;
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    let ms = 0;
    const lane = async (): Promise<void> => {
      while (ms < MIN_MS) {
        await fn();
        ops += opsPerCall;
        ms = Number(process.hrtime.bigint() - t0) / 1e6;
      }
    };
    await Promise.all(Array.from({ length: depth }, lane));
    ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const c = process.cpuUsage(c0);
    out.push((ops / ms) * 1000);
    cpu.push((ops / (c.user + c.system)) * 1e6);
  }
  return { ...stat(out), cpu: stat(cpu).median };
}

const verifyLoop = native.verifyLoop.bind(native);

/** `openssl speed` verify rates: -multi <cores> by wall clock, or one process by user CPU time. */
function opensslSpeed(multi: boolean): Map<string, number> {
  const res = new Map<string, number>();
  const kinds = [...new Set(ALGS.map((a) => a.speed))];
  const args = multi ? ['speed', '-elapsed', '-seconds', '2', '-multi', String(cores), ...kinds] : ['speed', '-seconds', '2', ...kinds];
  const text = execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  for (const a of ALGS) {
    const m = a.col.exec(text);
    if (m?.[1] !== undefined) res.set(a.speed, Number(m[1]));
  }
  return res;
}

function rsaJwk(rdata: Uint8Array): KeyObject {
  const k = rdata.subarray(4);
  const eLen = k[0] ?? 0;
  return createPublicKey({ key: { kty: 'RSA', e: Buffer.from(k.subarray(1, 1 + eLen)).toString('base64url'), n: Buffer.from(k.subarray(1 + eLen)).toString('base64url') }, format: 'jwk' });
}
function importKey(alg: number, rdata: Uint8Array): KeyObject {
  const k = rdata.subarray(4);
  if (alg === 13 || alg === 14) {
    const h = k.length / 2;
    return createPublicKey({ key: { kty: 'EC', crv: alg === 13 ? 'P-256' : 'P-384', x: Buffer.from(k.subarray(0, h)).toString('base64url'), y: Buffer.from(k.subarray(h)).toString('base64url') }, format: 'jwk' });
  }
  if (alg === 15 || alg === 16) return createPublicKey({ key: { kty: 'OKP', crv: alg === 15 ? 'Ed25519' : 'Ed448', x: Buffer.from(k).toString('base64url') }, format: 'jwk' });
  return rsaJwk(rdata);
}
function nodeVerify(alg: number, key: KeyObject, data: Uint8Array, sig: Uint8Array): boolean {
  return alg === 13 || alg === 14
    ? verify(HASH[alg] ?? null, data, { key, dsaEncoding: 'ieee-p1363' }, sig)
    : verify(HASH[alg] ?? null, data, key, sig);
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const rows: Record<string, unknown>[] = [];
  const speed = opensslSpeed(true);
  const speedOne = opensslSpeed(false);
  const unlimited = { maxSigsPerGroup: 0, maxSigsTotal: 0 };
  for (const a of ALGS) {
    const key = makeKey(a.alg, 256, 2048);
    const jobs: VerifyJob[] = [];
    for (let i = 0; i < 16; i++) jobs.push(signedJob(key, { owner: `h${i}.example.com.`, signer: 'example.com.', rdatas: [Uint8Array.from([192, 0, 2, i])] }));
    const batch = new CryptoBatch();
    for (let i = 0; i < BATCH; i++) batch.addVerify(jobs[i % jobs.length] as VerifyJob);
    const check = batch.runSync(unlimited);
    for (let i = 0; i < BATCH; i++) if (check.status(i) !== 'OK') throw new Error(`${a.name}: job ${i} ${check.status(i)}`);
    const prepared = jobs.map((j) => {
      const sd = native.signedData(verifyBlob(j)).data;
      const signerLen = 13; // example.com.
      return { data: sd, sig: j.rrsigRdata.subarray(18 + signerLen) };
    });
    const cached = importKey(a.alg, key.rdata);
    const all = await rate(() => batch.runAsync(unlimited), BATCH, 1);
    const piped = await rate(() => batch.runAsync(unlimited), BATCH, 2);
    const one = await rate(() => batch.runSync(unlimited), BATCH);
    const naive = await rate(() => { for (const p of prepared) nodeVerify(a.alg, importKey(a.alg, key.rdata), p.data, p.sig); }, prepared.length);
    const cache = await rate(() => { for (const p of prepared) nodeVerify(a.alg, cached, p.data, p.sig); }, prepared.length);
    const ossl = speed.get(a.speed) ?? NaN;
    const osslOne = speedOne.get(a.speed) ?? NaN;
    // The bare primitive on Node's OpenSSL, per CPU-second: the honest per-core ceiling for adbit.
    const p0 = prepared[0];
    if (p0 === undefined || verifyLoop(key.rdata, p0.sig, p0.data, 10, 2) !== 10) throw new Error(`${a.name}: verifyLoop failed`);
    const loopN = a.alg === 14 ? 100 : 400;
    const prim = await rate(() => verifyLoop(key.rdata, p0.sig, p0.data, loopN, 2), loopN);
    rows.push({
      algorithm: a.name, alg: a.alg, nativeAllCores: Math.round(all.median), spreadAll: +all.spread.toFixed(2),
      nativeOneThread: Math.round(one.median), spreadOne: +one.spread.toFixed(2), nodeNaive: Math.round(naive.median),
      nodeCached: Math.round(cache.median), opensslMulti: ossl, vsOpenssl: +(all.median / ossl).toFixed(2),
      nativeAllCoresTwoInFlight: Math.round(piped.median), vsOpensslTwoInFlight: +(piped.median / ossl).toFixed(2),
      vsNaive: +(all.median / naive.median).toFixed(1),
      nativeOneThreadCpu: Math.round(one.cpu), nodeCachedCpu: Math.round(cache.cpu), nodeOpensslPrimitiveCpu: Math.round(prim.cpu),
      opensslOneCpu: osslOne, oneThreadVsOpensslOne: +(one.cpu / osslOne).toFixed(2),
      oneThreadVsNodePrimitive: +(one.cpu / prim.cpu).toFixed(2), nodePrimitiveVsOpensslOne: +(prim.cpu / osslOne).toFixed(2),
    });
  }
  const load = loadavg().map((x) => +x.toFixed(2));
  if (json) { console.log(JSON.stringify({ cores, openssl: native.capabilities().openssl, loadavg: load, rows }, null, 2)); return; }
  console.log(`cores=${cores} ${native.capabilities().openssl}; load ${load.join(' ')}; batch=${BATCH}, all cores = 1 batch in flight; medians of ${REPEATS} (verifications/s)`);
  console.log('| algorithm | native all cores (spread) | 2 batches in flight (vs openssl) | native 1 thread (spread) | node naive | node cached | openssl -multi | vs openssl | vs naive |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${String(r['algorithm'])} | ${String(r['nativeAllCores'])} (${String(r['spreadAll'])}) | ${String(r['nativeAllCoresTwoInFlight'])} (${String(r['vsOpensslTwoInFlight'])}) | ${String(r['nativeOneThread'])} (${String(r['spreadOne'])}) | ${String(r['nodeNaive'])} | ${String(r['nodeCached'])} | ${String(r['opensslMulti'])} | ${String(r['vsOpenssl'])} | ${String(r['vsNaive'])}× |`);
  }
  console.log('\nper CPU-second, one thread (robust to other load): native batch vs `openssl speed` (one process, user CPU) and vs the bare primitive on Node\'s OpenSSL');
  console.log('| algorithm | native 1 thread | node cached | Node-OpenSSL primitive | openssl speed (1 proc) | native/openssl | native/primitive | primitive/openssl |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const f = (k: string): string => String(r[k]);
    console.log(`| ${f('algorithm')} | ${f('nativeOneThreadCpu')} | ${f('nodeCachedCpu')} | ${f('nodeOpensslPrimitiveCpu')} | ${f('opensslOneCpu')} | ${f('oneThreadVsOpensslOne')} | ${f('oneThreadVsNodePrimitive')} | ${f('nodePrimitiveVsOpensslOne')} |`);
  }
}

await main();
