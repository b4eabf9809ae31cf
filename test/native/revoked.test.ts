// revoked.test.ts — the VERIFY_ALLOW_REVOKED job flag (abi.h): a DNSKEY with the REVOKE bit is
// refused for validation (KEY_REVOKED, RFC 5011 §2.1 "MUST NOT use"), and accepted only when the job
// asks for the revocation self-signature check; a wrong signature still fails under the flag.
import test from 'ava';
import { CryptoBatch } from '../../src/native/batch.js';
import { Name } from '../../src/wire/name.js';
import { dnskeyRecord, generateKey, signRRset, withFlags } from '../helpers/signer.js';

const ZONE = Name.fromText('example.');
const NOW = 1_780_000_000;

test('a revoked key verifies its self-signature only with allowRevoked', (t) => {
  const k = withFlags(generateKey(13, 257), 257 | 0x80);
  const other = generateKey(13, 257);
  const recs = [dnskeyRecord(ZONE, k), dnskeyRecord(ZONE, other)];
  const win = { inception: NOW - 3600, expiration: NOW + 86_400 };
  const good = signRRset(recs, k, ZONE, win);
  const forged = signRRset(recs, other, ZONE, { ...win, keyTag: k.tag });
  const b = new CryptoBatch();
  const job = (sig: Uint8Array, allowRevoked: boolean): number =>
    b.addVerify({ dnskeyRdata: k.rdata, rrsigRdata: sig, owner: ZONE.wire, rrClass: 1, rdatas: recs.map((r) => r.rdata), group: 0, allowRevoked });
  const plain = job(good.rdata, false);
  const allowed = job(good.rdata, true);
  const forgedAllowed = job(forged.rdata, true);
  const r = b.runSync({ nowSec: NOW });
  t.is(r.status(plain), 'KEY_REVOKED');
  t.is(r.status(allowed), 'OK');
  t.is(r.status(forgedAllowed), 'BAD_SIGNATURE');
});
