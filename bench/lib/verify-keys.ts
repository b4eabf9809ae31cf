// verify-keys.ts — test/bench helpers: DNSSEC keys made with node:crypto (RFC 3110 RSA, RFC 6605
// ECDSA, RFC 8080 EdDSA public key encodings), RRSIG RDATA assembly (RFC 4034 §3.1) and signing of
// the signed data the native core builds (native.signedData, RFC 4034 §3.1.8.1).
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { native } from '../../src/native/binding.js';
import type { VerifyJob } from '../../src/native/batch.js';

export interface TestKey {
  readonly alg: number;
  readonly rdata: Uint8Array;
  readonly tag: number;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

const HASH: Readonly<Record<number, string | null>> = { 5: 'sha1', 7: 'sha1', 8: 'sha256', 10: 'sha512', 13: 'sha256', 14: 'sha384', 15: null, 16: null };

/** RFC 4034 Appendix B (not the algorithm-1 special case). */
export function keyTag(rdata: Uint8Array): number {
  let ac = 0;
  rdata.forEach((b, i) => { ac += i & 1 ? b : b << 8; });
  ac += (ac >>> 16) & 0xffff;
  return ac & 0xffff;
}

export function dnskeyRdata(flags: number, alg: number, key: Uint8Array, protocol = 3): Uint8Array {
  const out = new Uint8Array(4 + key.length);
  out[0] = flags >> 8; out[1] = flags & 0xff; out[2] = protocol; out[3] = alg;
  out.set(key, 4);
  return out;
}

function b64u(s: string | undefined): Buffer { return Buffer.from(s ?? '', 'base64url'); }

export function makeKey(alg: number, flags = 256, rsaBits = 2048): TestKey {
  let pair: { publicKey: KeyObject; privateKey: KeyObject };
  let key: Uint8Array;
  if (alg === 5 || alg === 7 || alg === 8 || alg === 10) {
    pair = generateKeyPairSync('rsa', { modulusLength: rsaBits });
    const j = pair.publicKey.export({ format: 'jwk' });
    const e = b64u(j.e);
    key = Buffer.concat([Buffer.from([e.length]), e, b64u(j.n)]);
  } else if (alg === 13 || alg === 14) {
    pair = generateKeyPairSync('ec', { namedCurve: alg === 13 ? 'P-256' : 'P-384' });
    const j = pair.publicKey.export({ format: 'jwk' });
    key = Buffer.concat([b64u(j.x), b64u(j.y)]);
  } else if (alg === 15 || alg === 16) {
    pair = alg === 15 ? generateKeyPairSync('ed25519') : generateKeyPairSync('ed448');
    key = b64u(pair.publicKey.export({ format: 'jwk' }).x);
  } else {
    throw new RangeError(`no key generator for algorithm ${alg}`);
  }
  const rdata = dnskeyRdata(flags, alg, key);
  return { alg, rdata, tag: keyTag(rdata), ...pair };
}

export function wireName(name: string): Uint8Array {
  const labels = name.replace(/\.$/, '').split('.').filter((l) => l.length > 0);
  const out: number[] = [];
  for (const l of labels) out.push(l.length, ...Buffer.from(l, 'ascii'));
  out.push(0);
  return Uint8Array.from(out);
}

export interface RrsigFields {
  typeCovered: number; alg: number; labels: number; originalTtl: number;
  expiration: number; inception: number; keyTag: number; signer: Uint8Array; signature: Uint8Array;
}

export function rrsigRdata(f: RrsigFields): Uint8Array {
  const head = Buffer.alloc(18);
  head.writeUInt16BE(f.typeCovered, 0); head[2] = f.alg; head[3] = f.labels;
  head.writeUInt32BE(f.originalTtl >>> 0, 4); head.writeUInt32BE(f.expiration >>> 0, 8);
  head.writeUInt32BE(f.inception >>> 0, 12); head.writeUInt16BE(f.keyTag, 16);
  return Buffer.concat([head, f.signer, f.signature]);
}

/** The VERIFY "b" blob of abi.h for a job. */
export function verifyBlob(job: VerifyJob): Uint8Array {
  const h = Buffer.alloc(2); h.writeUInt16BE(job.rrsigRdata.length);
  const t = Buffer.alloc(4); t.writeUInt16BE(job.rrClass); t.writeUInt16BE(job.rdatas.length, 2);
  const parts: Uint8Array[] = [h, job.rrsigRdata, job.owner, t];
  for (const r of job.rdatas) { const l = Buffer.alloc(2); l.writeUInt16BE(r.length); parts.push(l, r); }
  return Buffer.concat(parts);
}

export interface SignOptions { owner: string; signer: string; type?: number; rdatas: Uint8Array[]; labels?: number; inception?: number; expiration?: number; group?: number }

/** Signs an RRset with key: the signature covers the core's own signed data. */
export function signedJob(key: TestKey, o: SignOptions): VerifyJob {
  const owner = wireName(o.owner);
  const labels = o.labels ?? o.owner.replace(/\.$/, '').split('.').filter((l) => l.length > 0 && l !== '*').length;
  const fields: RrsigFields = {
    typeCovered: o.type ?? 1, alg: key.alg, labels, originalTtl: 3600,
    expiration: o.expiration ?? 2000000000, inception: o.inception ?? 1000000000, keyTag: key.tag,
    signer: wireName(o.signer), signature: new Uint8Array(0),
  };
  const unsigned: VerifyJob = { dnskeyRdata: key.rdata, rrsigRdata: rrsigRdata({ ...fields, signature: new Uint8Array(1) }), owner, rrClass: 1, rdatas: o.rdatas, group: o.group ?? 0 };
  // A job built to fail (e.g. labels too large) has no signed data: sign an empty message.
  const sd = native.signedData(verifyBlob(unsigned));
  const hash = HASH[key.alg] ?? null;
  const sig = key.alg === 13 || key.alg === 14
    ? sign(hash, sd.data, { key: key.privateKey, dsaEncoding: 'ieee-p1363' })
    : sign(hash, sd.data, key.privateKey);
  return { ...unsigned, rrsigRdata: rrsigRdata({ ...fields, signature: sig }) };
}
