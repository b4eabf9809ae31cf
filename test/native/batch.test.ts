// batch.test.ts — the native job runner through CryptoBatch: every status code, single-bit flips of
// data/signature/key, KeyTrap budgets (CVE-2023-50387) stopping exactly at the limit, sync/async
// equality on a large mixed batch, the RFC 4035 §5.3.2 wildcard rule and argument contracts.
import test from 'ava';
import { CryptoBatch, JOB_STATUS_NAMES, type JobStatus } from '../../src/native/batch.js';
import { native } from '../../src/native/binding.js';
import * as abi from '../../src/native/abi.js';
import { dnskeyRdata, keyTag, makeKey, rrsigRdata, signedJob, wireName, type TestKey } from '../../bench/lib/verify-keys.js';
import type { VerifyJob } from '../../src/native/batch.js';

const A = (a: number, b: number, c: number, d: number): Uint8Array => Uint8Array.from([a, b, c, d]);
const keys: Record<number, TestKey> = {};
for (const alg of [8, 13, 15]) keys[alg] = makeKey(alg, 256, 1024);
const k = (alg: number): TestKey => { const x = keys[alg]; if (x === undefined) throw new Error('key'); return x; };
const NOW = 1500000000;

function job(alg = 13, over: Partial<Parameters<typeof signedJob>[1]> = {}): VerifyJob {
  return signedJob(k(alg), { owner: 'www.example.com.', signer: 'example.com.', rdatas: [A(192, 0, 2, 1), A(192, 0, 2, 2)], ...over });
}

function withKey(j: VerifyJob, flags: number, protocol = 3, key?: Uint8Array): VerifyJob {
  const rd = dnskeyRdata(flags, j.dnskeyRdata[3] ?? 0, key ?? j.dnskeyRdata.subarray(4), protocol);
  // Keep the RRSIG key tag in step so that the check under test is the one that fires.
  const sig = Uint8Array.from(j.rrsigRdata);
  const tag = keyTag(rd);
  sig[16] = tag >> 8; sig[17] = tag & 0xff;
  return { ...j, dnskeyRdata: rd, rrsigRdata: sig };
}

test('every status code is produced by at least one job', (t) => {
  const b = new CryptoBatch();
  const expect: [number, JobStatus][] = [];
  const add = (i: number, s: JobStatus) => expect.push([i, s]);
  // Each verify job in its own group so that only the last pair meets the per-group budget.
  let g = 100;
  const addVerify = b.addVerify.bind(b);
  b.addVerify = (j: VerifyJob) => addVerify(j.group === 7 ? j : { ...j, group: g++ });
  const good = job(13);
  add(b.addVerify(good), 'OK');
  const bad = Uint8Array.from(good.rrsigRdata); bad[bad.length - 1]! ^= 1;
  add(b.addVerify({ ...good, rrsigRdata: bad }), 'BAD_SIGNATURE');
  add(b.addVerify(job(13, { inception: NOW - 100, expiration: NOW - 10 })), 'SIG_EXPIRED');
  add(b.addVerify(job(13, { inception: NOW + 10, expiration: NOW + 100 })), 'SIG_NOT_YET_VALID');
  add(b.addVerify(job(13, { inception: NOW + 100, expiration: NOW - 100 })), 'EXPIRED_BEFORE_INCEPTION');
  const alg3 = { ...good, dnskeyRdata: dnskeyRdata(256, 3, good.dnskeyRdata.subarray(4)) };
  const sig3 = Uint8Array.from(good.rrsigRdata); sig3[2] = 3;
  add(b.addVerify(withKey({ ...alg3, rrsigRdata: sig3 }, 256)), 'ALG_UNSUPPORTED');
  const sigAlg = Uint8Array.from(good.rrsigRdata); sigAlg[2] = 14;
  add(b.addVerify({ ...good, rrsigRdata: sigAlg }), 'ALG_MISMATCH');
  const sigTag = Uint8Array.from(good.rrsigRdata); sigTag[17]! ^= 1;
  add(b.addVerify({ ...good, rrsigRdata: sigTag }), 'KEYTAG_MISMATCH');
  add(b.addVerify(withKey(good, 256, 2)), 'KEY_INVALID');
  add(b.addVerify(withKey(good, 256, 3, good.dnskeyRdata.subarray(5))), 'KEY_INVALID');
  add(b.addVerify(withKey(good, 0)), 'KEY_NOT_ZONE_KEY');
  add(b.addVerify(withKey(good, 0x0180)), 'KEY_REVOKED');
  add(b.addVerify(job(13, { labels: 4 })), 'LABELS_INVALID');
  const small = Buffer.concat([Buffer.from([3, 1, 0, 1]), Buffer.alloc(64, 0xc5)]);
  add(b.addVerify(withKey(job(8), 256, 3, small)), 'KEY_SIZE');
  const big = Buffer.concat([Buffer.from([3, 1, 0, 1]), Buffer.alloc(513, 0xc5)]);
  add(b.addVerify(withKey(job(8), 256, 3, big)), 'KEY_SIZE');
  add(b.addDsDigest(wireName('example.com.'), good.dnskeyRdata, 3), 'DIGEST_UNSUPPORTED');
  add(b.addVerify({ ...good, rrsigRdata: good.rrsigRdata.subarray(0, 17) }), 'MALFORMED');
  add(b.addNsec3Hash(wireName('example.'), new Uint8Array(0), 151), 'ITERATIONS_EXCEEDED');
  add(b.addVerify({ ...job(15, { group: 7 }) }), 'OK');
  add(b.addVerify({ ...job(15, { group: 7 }) }), 'SKIPPED_BUDGET');
  const r = b.runSync({ nowSec: NOW, maxSigsPerGroup: 1, maxSigsTotal: 0 });
  for (const [i, s] of expect) t.is(r.status(i), s, `job ${i}`);
  const seen = new Set(expect.map(([, s]) => s));
  for (const name of JOB_STATUS_NAMES) t.true(seen.has(name), name);
});

test('flipping any single bit of data, signature or key fails', (t) => {
  for (const alg of [8, 13, 15]) {
    const good = job(alg);
    const b = new CryptoBatch();
    const ok = b.addVerify(good);
    const flips: number[] = [];
    const rd0 = good.rdatas[0] ?? new Uint8Array(0);
    for (let bit = 0; bit < rd0.length * 8; bit++) {
      const rd = Uint8Array.from(rd0); rd[bit >> 3]! ^= 1 << (bit & 7);
      flips.push(b.addVerify({ ...good, rdatas: [rd, ...good.rdatas.slice(1)] }));
    }
    // every bit of the signature field and of the RRSIG fixed fields (18 octets) and signer
    for (let bit = 0; bit < good.rrsigRdata.length * 8; bit++) {
      const s = Uint8Array.from(good.rrsigRdata); s[bit >> 3]! ^= 1 << (bit & 7);
      flips.push(b.addVerify({ ...good, rrsigRdata: s }));
    }
    for (let bit = 0; bit < good.dnskeyRdata.length * 8; bit++) {
      const kk = Uint8Array.from(good.dnskeyRdata); kk[bit >> 3]! ^= 1 << (bit & 7);
      flips.push(b.addVerify({ ...good, dnskeyRdata: kk }));
    }
    const r = b.runSync({ maxSigsPerGroup: 0, maxSigsTotal: 0 });
    t.is(r.status(ok), 'OK');
    const passed = flips.filter((i) => r.status(i) === 'OK');
    // Case bits of the owner-derived signer name are the one legitimate exception (RFC 4034 §6.2
    // lower-cases the signer): the 0x20 bit of a letter in the signer name still verifies.
    const signerStart = 18;
    const signerLen = wireName('example.com.').length;
    const allowed = new Set<number>();
    for (let i = 0; i < signerLen; i++) {
      const c = good.rrsigRdata[signerStart + i] ?? 0;
      if (c >= 0x61 && c <= 0x7a) allowed.add(1 + rd0.length * 8 + (signerStart + i) * 8 + 5);
    }
    t.true(passed.every((i) => allowed.has(i)), `alg ${alg}: ${passed.length} flips verified`);
  }
});

test('budgets stop exactly at the limit, per group and per batch, in job order', (t) => {
  const b = new CryptoBatch();
  const ids: number[] = [];
  for (let g = 0; g < 4; g++) for (let i = 0; i < 5; i++) ids.push(b.addVerify(job(15, { group: g })));
  const r = b.runSync({ maxSigsPerGroup: 3, maxSigsTotal: 10 });
  const st = ids.map((i) => r.status(i));
  // group 0: 3 OK, 2 skipped; group 1: 3 OK; group 2: 3 OK; group 3: 1 OK (total 10), rest skipped
  const expected = [...'OOOSS', ...'OOOSS', ...'OOOSS', ...'OSSSS'].map((c) => (c === 'O' ? 'OK' : 'SKIPPED_BUDGET'));
  t.deepEqual(st, expected);
  // Jobs failing cheap checks do not spend budget.
  const c = new CryptoBatch();
  const bad = withKey(job(15), 0);
  const first = c.addVerify(bad);
  const second = c.addVerify(job(15));
  const rr = c.runSync({ maxSigsPerGroup: 1, maxSigsTotal: 1 });
  t.is(rr.status(first), 'KEY_NOT_ZONE_KEY');
  t.is(rr.status(second), 'OK');
});

test('async and sync results are identical on a batch of 600 mixed jobs, budgets included', async (t) => {
  const b = new CryptoBatch();
  const good = [job(8), job(13), job(15)];
  for (let i = 0; i < 600; i++) {
    const g = good[i % 3] as VerifyJob;
    const kind = i % 7;
    if (kind === 0) b.addNsec3Hash(wireName(`n${i}.example.`), Uint8Array.from([i & 0xff]), i % 20);
    else if (kind === 1) b.addDsDigest(wireName(`d${i}.example.`), g.dnskeyRdata, [1, 2, 4][i % 3] ?? 2);
    else if (kind === 2) { const s = Uint8Array.from(g.rrsigRdata); s[s.length - 1]! ^= 1; b.addVerify({ ...g, rrsigRdata: s, group: i % 50 }); }
    else b.addVerify({ ...g, group: i % 50 });
  }
  const params = { maxSigsPerGroup: 6, maxSigsTotal: 300 };
  const s = b.runSync(params);
  const a = await b.runAsync(params);
  const statuses = (r: typeof s) => Array.from({ length: r.length }, (_, i) => r.code(i));
  t.deepEqual(statuses(a), statuses(s));
  for (let i = 0; i < s.length; i++) t.deepEqual(Buffer.from(a.output(i)), Buffer.from(s.output(i)));
  t.true(statuses(s).filter((x) => x === abi.ST_SKIPPED_BUDGET).length > 0);
  t.is(statuses(s).filter((x) => x === abi.ST_OK).length > 300, true);
});

test('wildcard rule: labels below the owner count verify a signature over "*." + the rightmost labels', (t) => {
  // Signed as *.example.com. (labels 2); served as a.b.example.com. with the same RRSIG.
  const wild = job(13, { owner: '*.example.com.', labels: 2 });
  const b = new CryptoBatch();
  const expanded = b.addVerify({ ...wild, owner: wireName('a.b.example.com.') });
  const upper = b.addVerify({ ...wild, owner: wireName('A.B.EXAMPLE.COM.') });
  const other = b.addVerify({ ...wild, owner: wireName('a.b.example.net.') });
  const exact = b.addVerify({ ...wild, owner: wireName('x.example.com.') });
  const r = b.runSync();
  t.is(r.status(expanded), 'OK');
  t.is(r.status(upper), 'OK');
  t.is(r.status(other), 'BAD_SIGNATURE');
  t.is(r.status(exact), 'OK');
});

test('canonical order: RRset order and duplicates do not matter, RDATA names are lower-cased', (t) => {
  const mx = (pref: number, name: string) => Buffer.concat([Buffer.from([0, pref]), wireName(name)]);
  const j = job(15, { type: 15, rdatas: [mx(10, 'mail.example.com.'), mx(20, 'mx2.example.com.')] });
  const b = new CryptoBatch();
  const reordered = b.addVerify({ ...j, rdatas: [mx(20, 'MX2.Example.COM.'), mx(10, 'mail.example.com.'), mx(20, 'mx2.example.com.')] });
  const changed = b.addVerify({ ...j, rdatas: [mx(10, 'mail.example.com.')] });
  const r = b.runSync();
  t.is(r.status(reordered), 'OK');
  t.is(r.status(changed), 'BAD_SIGNATURE');
});

test('contract violations throw TypeError/RangeError; the key cache is bounded and used', (t) => {
  const p = new Uint32Array(abi.PARAM_WORDS);
  t.throws(() => native.runBatchSync(new Uint32Array(7), new Uint8Array(0), 0, p), { instanceOf: RangeError });
  t.throws(() => native.runBatchSync(Uint32Array.from([9, 0, 0, 0, 0, 0, 0, 0]), new Uint8Array(0), 0, p), { instanceOf: TypeError });
  t.throws(() => native.runBatchSync(Uint32Array.from([1, 0, 0, 5, 0, 0, 0, 0]), new Uint8Array(4), 0, p), { instanceOf: RangeError });
  t.throws(() => native.runBatchSync(Uint32Array.from([4, 0, 0, 0, 0, 0, 1, 0]), new Uint8Array(4), 2, p), { instanceOf: RangeError });
  t.throws(() => native.runBatchSync(Uint32Array.from([4, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 1, 0]), new Uint8Array(4), 4, p), { instanceOf: RangeError });
  t.throws(() => native.runBatchSync(new Uint32Array(0), new Uint8Array(0), 0, new Uint32Array(3)), { instanceOf: RangeError });
  t.throws(() => native.runBatchSync(new Uint8Array(0) as unknown as Uint32Array, new Uint8Array(0), 0, p), { instanceOf: TypeError });
  t.throws(() => native.signedData('x' as unknown as Uint8Array), { instanceOf: TypeError });
  const before = native.capabilities().keyCacheSize;
  t.true(before >= 1 && before <= 1024);
  t.is(rrsigRdata({ typeCovered: 1, alg: 8, labels: 1, originalTtl: 1, expiration: 1, inception: 1, keyTag: 1, signer: wireName('.'), signature: new Uint8Array(1) }).length, 20);
});
