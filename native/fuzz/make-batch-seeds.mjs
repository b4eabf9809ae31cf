// make-batch-seeds.mjs — writes the seed corpus of fuzz_batch (native/fuzz/corpus-batch/): valid job
// tables in the input layout documented in fuzz_batch.cc, signed with fresh keys (RFC 8080 Ed25519,
// RFC 6605 P-256, RFC 5702 RSA/SHA-256), plus DS digests, NSEC3 hashes and key tags. When the addon
// is built, every seed is also run through runBatchSync and its statuses checked, so the seeds are
// known to reach the success paths. Usage: node native/fuzz/make-batch-seeds.mjs
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const here = new URL('.', import.meta.url);
const outDir = new URL('corpus-batch/', here);
const OP = { VERIFY: 1, DS: 2, NSEC3: 3, KEYTAG: 4 };
const ST = { OK: 0, BAD_SIGNATURE: 1, DIGEST_UNSUPPORTED: 13, SKIPPED: 15, ITER: 16 };
const NOW = 1_700_000_000;

const u16 = (v) => Buffer.from([v >> 8, v & 0xff]);
const u32 = (v) => { const b = Buffer.alloc(4); b.writeUInt32BE(v >>> 0); return b; };
const wireName = (s) => Buffer.concat([...s.split('.').filter(Boolean).map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])), Buffer.from([0])]);
const b64u = (s) => Buffer.from(s, 'base64url');

// RFC 4034 Appendix B.
function keyTag(rdata) {
  let ac = 0;
  for (let i = 0; i < rdata.length; i++) ac += i & 1 ? rdata[i] : rdata[i] << 8;
  ac += (ac >> 16) & 0xffff;
  return ac & 0xffff;
}

function makeKey(alg) {
  if (alg === 15) {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    return { privateKey, pub: b64u(publicKey.export({ format: 'jwk' }).x), hash: null, opts: {} };
  }
  if (alg === 13) {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const j = publicKey.export({ format: 'jwk' });
    return { privateKey, pub: Buffer.concat([b64u(j.x), b64u(j.y)]), hash: 'sha256', opts: { dsaEncoding: 'ieee-p1363' } };
  }
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const j = publicKey.export({ format: 'jwk' });
  const e = b64u(j.e);
  return { privateKey, pub: Buffer.concat([Buffer.from([e.length]), e, b64u(j.n)]), hash: 'sha256', opts: {} };
}

// One VERIFY_RRSIG "b" blob (abi.h) over an A RRset at example., signed per RFC 4034 §3.1.8.1.
function verifyBlob(alg, key, dnskey, tamper) {
  const owner = wireName('example.');
  const rdatas = [Buffer.from([192, 0, 2, 1]), Buffer.from([192, 0, 2, 2])];
  const ttl = 3600;
  const head = Buffer.concat([u16(1), Buffer.from([alg, 1]), u32(ttl), u32(NOW + 86400), u32(NOW - 86400),
    u16(keyTag(dnskey)), owner]);
  const tbs = Buffer.concat([head, ...rdatas.map((rd) => Buffer.concat([owner, u16(1), u16(1), u32(ttl), u16(rd.length), rd]))]);
  const sig = sign(key.hash, tbs, { key: key.privateKey, ...key.opts });
  const rrsig = Buffer.concat([head, sig]);
  const recs = rdatas.map((rd, i) => (tamper && i === 1 ? Buffer.from([192, 0, 2, 9]) : rd));
  return Buffer.concat([u16(rrsig.length), rrsig, owner, u16(1), u16(recs.length),
    ...recs.map((rd) => Buffer.concat([u16(rd.length), rd]))]);
}

const OUT_SIZE = { [OP.DS]: { 1: 20, 2: 32, 4: 48 }, [OP.NSEC3]: 20, [OP.KEYTAG]: 2 };
const outSize = (op, alg) => (op === OP.DS ? OUT_SIZE[op][alg] ?? 0 : OUT_SIZE[op] ?? 0);

// jobs: { op, alg, a: Buffer, b: Buffer, extra } -> the fuzz input and the abi arrays.
function seed(params, jobs) {
  const parts = [];
  let blobLen = 0;
  const put = (buf) => { const off = blobLen; parts.push(buf); blobLen += buf.length; return off; };
  const words = [];
  let outAt = 0;
  for (const j of jobs) {
    const aOff = put(j.a);
    const bOff = put(j.b ?? Buffer.alloc(0));
    words.push(j.op, j.alg, aOff, j.a.length, bOff, (j.b ?? Buffer.alloc(0)).length, outAt, j.extra ?? 0);
    outAt += outSize(j.op, j.alg);
  }
  const le = (arr) => Buffer.from(new Uint32Array(arr).buffer);
  const blob = Buffer.concat(parts);
  const head = Buffer.concat([le(params), Buffer.from([outAt & 0xff, outAt >> 8, jobs.length])]);
  return { input: Buffer.concat([head, le(words), blob]), words, blob, outAt, params };
}

function dnskeyFor(alg, key) {
  return Buffer.concat([u16(257), Buffer.from([3, alg]), key.pub]);
}

const seeds = {};
for (const alg of [15, 13, 8]) {
  const key = makeKey(alg);
  const dnskey = dnskeyFor(alg, key);
  const owner = wireName('example.');
  seeds[`verify-alg${alg}`] = {
    expect: [ST.OK, ST.BAD_SIGNATURE, ST.OK, ST.OK],
    ...seed([NOW, 8, 16, 150], [
      { op: OP.VERIFY, alg: 0, a: dnskey, b: verifyBlob(alg, key, dnskey, false), extra: 1 },
      { op: OP.VERIFY, alg: 0, a: dnskey, b: verifyBlob(alg, key, dnskey, true), extra: 1 },
      { op: OP.KEYTAG, alg: 0, a: dnskey },
      { op: OP.DS, alg: 2, a: owner, b: dnskey },
    ]),
  };
}
{
  const key = makeKey(15);
  const dnskey = dnskeyFor(15, key);
  const b = verifyBlob(15, key, dnskey, false);
  // maxPerGroup 2, maxTotal 3 (CVE-2023-50387): the third check of group 1 is skipped, group 2's runs.
  seeds['verify-budget'] = {
    expect: [ST.OK, ST.OK, ST.SKIPPED, ST.OK],
    ...seed([NOW, 2, 3, 150], [1, 1, 1, 2].map((g) => ({ op: OP.VERIFY, alg: 0, a: dnskey, b, extra: g }))),
  };
  const owner = wireName('WWW.Example.');
  const salt = Buffer.from('aabbccdd', 'hex');
  seeds['digests-nsec3'] = {
    expect: [ST.OK, ST.OK, ST.OK, ST.DIGEST_UNSUPPORTED, ST.OK, ST.OK, ST.ITER, ST.OK],
    ...seed([0, 0, 0, 150], [
      { op: OP.DS, alg: 1, a: owner, b: dnskey },
      { op: OP.DS, alg: 2, a: owner, b: dnskey },
      { op: OP.DS, alg: 4, a: owner, b: dnskey },
      { op: OP.DS, alg: 3, a: owner, b: dnskey },
      { op: OP.NSEC3, alg: 1, a: owner, b: salt, extra: 0 },
      { op: OP.NSEC3, alg: 1, a: owner, b: Buffer.alloc(0), extra: 10 },
      { op: OP.NSEC3, alg: 1, a: owner, b: salt, extra: 0xffffffff },
      { op: OP.KEYTAG, alg: 0, a: dnskey },
    ]),
  };
}

let addon = null;
try {
  addon = createRequire(import.meta.url)(new URL('../../build/Release/adbit_native.node', here).pathname);
} catch {
  console.warn('addon not built: seeds written without the runBatchSync check');
}
mkdirSync(outDir, { recursive: true });
for (const [name, s] of Object.entries(seeds)) {
  if (addon) {
    const r = addon.runBatchSync(new Uint32Array(s.words), new Uint8Array(s.blob), s.outAt, new Uint32Array(s.params));
    const got = Array.from(r.status);
    if (got.join() !== s.expect.join()) throw new Error(`${name}: statuses ${got} != expected ${s.expect}`);
  }
  writeFileSync(new URL(`${name}.bin`, outDir), s.input);
  console.log(`${name}.bin: ${s.input.length} bytes, ${s.words.length / 8} jobs`);
}
