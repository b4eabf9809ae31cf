// vectors.test.ts — known-answer tests of the native crypto core against published RFC examples:
// RFC 5702 §6 (RSA/SHA-2), RFC 6605 §6 (ECDSA), RFC 8080 §6 (EdDSA, erratum 4935), RFC 4034 §5.4 /
// RFC 4509 §2.3 DS digests, RFC 5155 App. A NSEC3 hashes, RFC 4034 App. B key tags. Also asserts the
// OpenSSL the addon runs on (ARCHITECTURE §7 caveat) passes for every algorithm it claims.
import test from 'ava';
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CryptoBatch, type JobStatus } from '../../src/native/batch.js';
import { native } from '../../src/native/binding.js';
import { rrFromText, verifyJob } from '../../bench/lib/verify-rr.js';

const fixtures = new URL('../../../test/fixtures/vectors/', import.meta.url);
const load = <T>(f: string): T => JSON.parse(readFileSync(new URL(f, fixtures), 'utf8')) as T;

interface SigVector { source: string; dnskey: string; keyTag: number; rrset: string[]; rrsig: string; nowSec: number; expect: JobStatus; nodeHash?: string; signedDataHex?: string }
interface Wildcard { source: string; dnskey: string; rdata: string; rrsigRdata: string; owners: string[]; nowSec: number }
const sigs = load<{ vectors: SigVector[]; wildcard: Wildcard }>('signatures.json');
const ds = load<{ vectors: { source: string; owner: string; dnskey: string; keyTag: number; digestType: number; digest: string }[] }>('ds.json');
const nsec3 = load<{ salt: string; iterations: number; hashes: Record<string, string> }>('nsec3.json');

function wireName(name: string): Uint8Array {
  const labels = name.replace(/\.$/, '').split('.').filter((l) => l.length > 0);
  const out: number[] = [];
  for (const l of labels) out.push(l.length, ...Buffer.from(l, 'ascii'));
  out.push(0);
  return Uint8Array.from(out);
}

const B32HEX = '0123456789abcdefghijklmnopqrstuv';
function base32hex(bytes: Uint8Array): string {
  let bits = 0, value = 0, out = '';
  for (const b of bytes) {
    value = (value << 8) | b; bits += 8;
    while (bits >= 5) { out += B32HEX[(value >>> (bits - 5)) & 31]; bits -= 5; }
  }
  if (bits > 0) out += B32HEX[(value << (5 - bits)) & 31];
  return out;
}

test('capabilities report the OpenSSL in use and every claimed algorithm', (t) => {
  const caps = native.capabilities();
  t.regex(caps.openssl, /^OpenSSL 3\./);
  t.deepEqual([...caps.algorithms], [5, 7, 8, 10, 13, 14, 15, 16]);
  t.deepEqual([...caps.digests], [1, 2, 4]);
  // Every signature algorithm claimed (except SHA-1 RSA, covered by the wildcard vector and the
  // signer tests) has a passing published vector below.
  const covered = new Set(sigs.vectors.filter((v) => v.expect === 'OK').map((v) => rrFromText(v.dnskey).rdata[3]));
  for (const alg of [10, 13, 14, 15, 16]) t.true(covered.has(alg), `alg ${alg}`);
});

for (const v of sigs.vectors) {
  test(`${v.source}: ${v.expect}`, async (t) => {
    const key = rrFromText(v.dnskey);
    const sig = rrFromText(v.rrsig);
    const rrs = v.rrset.map((l) => rrFromText(l));
    const first = rrs[0];
    if (first === undefined) throw new Error('empty rrset');
    const batch = new CryptoBatch();
    const tag = batch.addKeyTag(key.rdata);
    const job = batch.addVerify(verifyJob(key, sig, { owner: first.owner, rrClass: first.rrClass, rrs }));
    const r = await batch.run({ nowSec: v.nowSec });
    t.is(r.status(job), v.expect);
    t.is(r.status(tag), 'OK');
    t.is(Buffer.from(r.output(tag)).readUInt16BE(0), v.keyTag);
    // Also through runSync and runAsync: same answer.
    t.is(batch.runSync({ nowSec: v.nowSec }).status(job), v.expect);
    t.is((await batch.runAsync({ nowSec: v.nowSec })).status(job), v.expect);

    const head = Buffer.alloc(2);
    head.writeUInt16BE(sig.rdata.length);
    const tail = Buffer.alloc(4);
    tail.writeUInt16BE(first.rrClass);
    tail.writeUInt16BE(rrs.length, 2);
    const parts: Uint8Array[] = [head, sig.rdata, first.owner, tail];
    for (const rr of rrs) { const l = Buffer.alloc(2); l.writeUInt16BE(rr.rdata.length); parts.push(l, rr.rdata); }
    const sd = native.signedData(Buffer.concat(parts));
    t.is(sd.status, 0);
    if (v.signedDataHex !== undefined) t.is(Buffer.from(sd.data).toString('hex'), v.signedDataHex);
    if (v.nodeHash !== undefined) {
      // The key is below our size floor, but node:crypto checks our signed data with it: the
      // canonical form is right even where policy refuses the key.
      const kb = key.rdata.subarray(4);
      const eLen = kb[0] ?? 0;
      const jwk = { kty: 'RSA', e: Buffer.from(kb.subarray(1, 1 + eLen)).toString('base64url'), n: Buffer.from(kb.subarray(1 + eLen)).toString('base64url') };
      const signature = sig.rdata.subarray(18 + wireName('example.net.').length);
      t.true(nodeVerify(v.nodeHash, sd.data, createPublicKey({ key: jwk, format: 'jwk' }), signature));
    }
  });
}

test('wildcard vector: *.example.com RRSIG (labels 2) verifies for the wildcard and its expansions', (t) => {
  const w = sigs.wildcard;
  const key = rrFromText(w.dnskey);
  const batch = new CryptoBatch();
  const jobs = w.owners.map((owner, i) => {
    const rr = rrFromText(`${owner} 3600 IN ${w.rdata}`);
    const sig = rrFromText(`${owner} 3600 IN RRSIG ${w.rrsigRdata}`);
    return batch.addVerify(verifyJob(key, sig, { owner: rr.owner, rrClass: rr.rrClass, rrs: [rr] }, i));
  });
  const r = batch.runSync({ nowSec: w.nowSec });
  for (const j of jobs) t.is(r.status(j), 'OK', w.owners[j]);
  // The same signature on "com." (1 label < labels 2) breaks RFC 4035 §5.3.1.
  const bad = new CryptoBatch();
  const rr = rrFromText(`com. 3600 IN ${w.rdata}`);
  const sig = rrFromText(`com. 3600 IN RRSIG ${w.rrsigRdata}`);
  const j = bad.addVerify(verifyJob(key, sig, { owner: rr.owner, rrClass: 1, rrs: [rr] }));
  t.is(bad.runSync().status(j), 'LABELS_INVALID');
});

for (const v of ds.vectors) {
  test(`${v.source}: DS digest type ${v.digestType} and key tag ${v.keyTag}`, (t) => {
    const key = rrFromText(`${v.owner} 3600 IN DNSKEY ${v.dnskey}`);
    const batch = new CryptoBatch();
    const d = batch.addDsDigest(wireName(v.owner.toUpperCase()), key.rdata, v.digestType);
    const k = batch.addKeyTag(key.rdata);
    const r = batch.runSync();
    t.is(r.status(d), 'OK');
    t.is(Buffer.from(r.output(d)).toString('hex'), v.digest);
    t.is(Buffer.from(r.output(k)).readUInt16BE(0), v.keyTag);
  });
}

test('DS digest types other than 1, 2, 4 are DIGEST_UNSUPPORTED', (t) => {
  const key = rrFromText(`example.com. 3600 IN DNSKEY ${ds.vectors[0]?.dnskey ?? ''}`);
  const batch = new CryptoBatch();
  const jobs = [0, 3, 5, 6].map((d) => batch.addDsDigest(wireName('example.com.'), key.rdata, d));
  const r = batch.runSync();
  for (const j of jobs) t.is(r.status(j), 'DIGEST_UNSUPPORTED');
});

test('RFC 5155 Appendix A: NSEC3 hashes (SHA-1, salt aabbccdd, 12 iterations)', (t) => {
  const batch = new CryptoBatch();
  const salt = Buffer.from(nsec3.salt, 'hex');
  const names = Object.keys(nsec3.hashes);
  t.true(names.length >= 10);
  // Mixed case in: the hash is over the canonical (lower-case) name.
  const jobs = names.map((n, i) => batch.addNsec3Hash(wireName(i % 2 === 0 ? n.toUpperCase() : n), salt, nsec3.iterations));
  const r = batch.runSync();
  names.forEach((n, i) => {
    const j = jobs[i] ?? -1;
    t.is(r.status(j), 'OK');
    t.is(base32hex(r.output(j)), nsec3.hashes[n] ?? '', n);
  });
  const capped = new CryptoBatch();
  const over = capped.addNsec3Hash(wireName('example.'), salt, 151);
  t.is(capped.runSync({ maxNsec3Iterations: 150 }).status(over), 'ITERATIONS_EXCEEDED');
});
