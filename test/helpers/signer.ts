// signer.ts — test-only DNSSEC signer over node:crypto: ECDSA P-256 (alg 13) and Ed25519 (alg 15)
// keys as DNSKEY RDATA (RFC 6605 §4, RFC 8080 §3), DS records (RFC 4034 §5.1.4), and RRSIGs over
// the RFC 4034 §3.1.8.1 signed data built by the native canon (`native.signedData`), so tests sign
// exactly what the validator verifies. Options mint deliberately broken signatures.
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { native } from '../../src/native/binding.js';
import { RecordValue } from '../../src/wire/message.js';
import type { Name } from '../../src/wire/name.js';
import { encodeDNSKEY, keyTag } from '../../src/wire/rdata/dnskey.js';
import { encodeDS } from '../../src/wire/rdata/ds.js';
import { encodeRRSIG } from '../../src/wire/rdata/rrsig.js';

export interface TestKey {
  readonly algorithm: 13 | 15;
  readonly flags: number;
  readonly rdata: Uint8Array;
  readonly tag: number;
  readonly privateKey: KeyObject;
}

/** A new key; flags 257 = KSK (SEP), 256 = ZSK, add 128 for REVOKE (RFC 5011 §3). */
export function generateKey(algorithm: 13 | 15 = 13, flags = 257): TestKey {
  let pub: Uint8Array;
  let privateKey: KeyObject;
  if (algorithm === 13) {
    const kp = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = kp.publicKey.export({ format: 'jwk' });
    pub = Buffer.concat([Buffer.from(jwk.x ?? '', 'base64url'), Buffer.from(jwk.y ?? '', 'base64url')]);
    privateKey = kp.privateKey;
  } else {
    const kp = generateKeyPairSync('ed25519');
    pub = Buffer.from(kp.publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
    privateKey = kp.privateKey;
  }
  const rdata = encodeDNSKEY({ type: 'DNSKEY', flags, protocol: 3, algorithm, publicKey: pub });
  return { algorithm, flags, rdata, tag: keyTag(rdata), privateKey };
}

/** The same key with other flags (e.g. REVOKE set: the tag changes, RFC 5011 §3). */
export function withFlags(k: TestKey, flags: number): TestKey {
  const rdata = new Uint8Array(k.rdata);
  rdata[0] = (flags >> 8) & 0xff;
  rdata[1] = flags & 0xff;
  return { ...k, flags, rdata, tag: keyTag(rdata) };
}

export function dnskeyRecord(owner: Name, k: TestKey | Uint8Array, ttl = 3600): RecordValue {
  return new RecordValue(owner, 48, 1, ttl, k instanceof Uint8Array ? k : k.rdata);
}

/** DS RDATA for `k` at `owner` (digest 2 = SHA-256, 4 = SHA-384, 1 = SHA-1). */
export function dsRdata(owner: Name, k: TestKey | Uint8Array, digestType = 2, algorithmOverride?: number): Uint8Array {
  const rdata = k instanceof Uint8Array ? k : k.rdata;
  const hash = digestType === 1 ? 'sha1' : digestType === 4 ? 'sha384' : 'sha256';
  const digest = digestType === 1 || digestType === 2 || digestType === 4
    ? createHash(hash).update(owner.lower().wire).update(rdata).digest()
    : new Uint8Array(32).fill(7);
  return encodeDS({ type: 'DS', keyTag: keyTag(rdata), algorithm: algorithmOverride ?? rdata[3] ?? 0, digestType, digest });
}

export interface SignOptions {
  readonly inception: number;
  readonly expiration: number;
  /** RRSIG labels field (default: owner labels without a leading `*`). */
  readonly labels?: number;
  readonly originalTtl?: number;
  /** Flip a bit of the signature (EDE 6 material). */
  readonly corrupt?: boolean;
  readonly keyTag?: number;
  readonly algorithm?: number;
}

function u16(n: number): Uint8Array {
  return Uint8Array.of((n >> 8) & 0xff, n & 0xff);
}

/** An RRSIG record over `records` (one RRset) made by `k` for zone `signer`. */
export function signRRset(records: readonly RecordValue[], k: TestKey, signer: Name, o: SignOptions): RecordValue {
  const first = records[0];
  if (first === undefined) throw new Error('empty RRset');
  const owner = first.name;
  const base = {
    type: 'RRSIG' as const, typeCovered: first.type, algorithm: o.algorithm ?? k.algorithm, labels: o.labels ?? owner.labelCount(true),
    originalTtl: o.originalTtl ?? first.ttl, expiration: o.expiration >>> 0, inception: o.inception >>> 0, keyTag: o.keyTag ?? k.tag,
    signerName: signer.lower(),
  };
  const placeholder = encodeRRSIG({ ...base, signature: new Uint8Array(1) });
  const parts: Uint8Array[] = [u16(placeholder.length), placeholder, owner.wire, u16(first.class), u16(records.length)];
  for (const r of records) parts.push(u16(r.rdata.length), r.rdata);
  const sd = native.signedData(Buffer.concat(parts));
  if (sd.status !== 0) throw new Error(`signedData status ${sd.status}`);
  const signature = k.algorithm === 13
    ? sign('sha256', sd.data, { key: k.privateKey, dsaEncoding: 'ieee-p1363' })
    : sign(null, sd.data, k.privateKey);
  if (o.corrupt === true) signature[signature.length >> 1]! ^= 0x10;
  return new RecordValue(owner, 46, first.class, first.ttl, encodeRRSIG({ ...base, signature }));
}

/**
 * DNSKEY RDATA with the same key tag as `k` but another public key (KeyTrap, CVE-2023-50387):
 * adding d to one even-offset octet and subtracting d from another keeps the RFC 4034 App. B sum.
 */
export function collidingKey(k: TestKey, i: number): Uint8Array {
  const rd = new Uint8Array(k.rdata);
  const a = 4 + 2 * ((i % 7) + 1);
  const b = a + 2 + 2 * (Math.floor(i / 7) % 5);
  const d = 1 + Math.floor(i / 35);
  if ((rd[a] ?? 0) + d > 255 || (rd[b] ?? 0) - d < 0) {
    rd[a] = (rd[a] ?? 0) - d;
    rd[b] = (rd[b] ?? 0) + d;
  } else {
    rd[a] = (rd[a] ?? 0) + d;
    rd[b] = (rd[b] ?? 0) - d;
  }
  return rd;
}
