// signatures.test.ts — checkResponse(): candidate (RRSIG, DNSKEY) pairs by tag/algorithm, statuses
// folded into ReasonCodes with their EDE (6, 7, 8, 9, 10, 11, 25), clock skew (limits.ts), the TTL
// cap of RFC 4035 §5.3.3, the labels rule (RFC 4035 §5.3.1), per-query crypto budget, one batch.
import test from 'ava';
import { newStats, QueryBudget } from '../../../src/dnssec/budget.js';
import { zoneKey, type ZoneKey } from '../../../src/dnssec/key-entry.js';
import { REASONS, type ReasonCode } from '../../../src/dnssec/reasons.js';
import { checkResponse, type SigVerdict } from '../../../src/dnssec/signatures.js';
import { RecordValue } from '../../../src/wire/message.js';
import { Name } from '../../../src/wire/name.js';
import { groupRRsets, type RRset } from '../../../src/wire/rrset.js';
import { T, rrFromLine } from '../../helpers/memory-zones.js';
import { generateKey, signRRset, withFlags, type SignOptions, type TestKey } from '../../helpers/signer.js';

const NOW = 1_780_000_000;
const zone = Name.fromText('sig.test.');
const zsk = generateKey(13, 256);
const ed = generateKey(15, 256);
const keysOf = (...ks: (TestKey | Uint8Array)[]): ZoneKey[] => ks.map((k) => zoneKey(k instanceof Uint8Array ? k : k.rdata)!);
const WIN = { inception: NOW - 3600, expiration: NOW + 86400 * 30 };
const recs = [rrFromLine('www 600 IN A 192.0.2.1', zone), rrFromLine('www 600 IN A 192.0.2.2', zone)];

function signed(o: Partial<SignOptions> = {}, k: TestKey = zsk, records: RecordValue[] = recs): RRset {
  return groupRRsets([...records, signRRset(records, k, zone, { ...WIN, ...o })])[0]!;
}

async function one(set: RRset, keys: ZoneKey[] = keysOf(zsk, ed), budget = new QueryBudget()): Promise<SigVerdict> {
  const r = await checkResponse([{ rrset: set, signer: zone, keys }], [], NOW, budget);
  return r.verdicts[0]!;
}

function failsWith(t: import('ava').ExecutionContext, v: SigVerdict, code: ReasonCode, ede: number): void {
  t.false(v.ok);
  if (!v.ok) { t.is(v.code, code, v.detail); t.is(REASONS[code].ede as number, ede); }
}

test('a valid signature verifies; TTL is capped by the original TTL and the expiration', async (t) => {
  const v = await one(signed({ originalTtl: 300 }));
  t.true(v.ok);
  if (v.ok) t.is(v.ttlSec, 300);
  const v2 = await one(signed({ expiration: NOW + 100 }));
  t.true(v2.ok);
  if (v2.ok) t.is(v2.ttlSec, 100);
  t.true((await one(signed({}, ed))).ok, 'Ed25519');
});

test('clock skew: 10 % of the window, at least 1 h, at most 1 day', async (t) => {
  t.true((await one(signed({ inception: NOW - 30 * 86400, expiration: NOW - 1800 }))).ok, '30 min past expiry is inside the skew');
  failsWith(t, await one(signed({ inception: NOW - 30 * 86400, expiration: NOW - 2 * 86400 })), 'SIG_EXPIRED', 7);
  t.true((await one(signed({ inception: NOW + 1800, expiration: NOW + 30 * 86400 }))).ok);
  failsWith(t, await one(signed({ inception: NOW + 2 * 86400, expiration: NOW + 30 * 86400 })), 'SIG_NOT_YET_VALID', 8);
  failsWith(t, await one(signed({ inception: NOW + 86400, expiration: NOW - 86400 })), 'SIG_EXPIRED_BEFORE_INCEPTION', 25);
});

test('key selection failures: no key with the tag (9), no Zone Key bit (11), revoked only (6)', async (t) => {
  failsWith(t, await one(signed(), keysOf(ed)), 'DNSKEY_MISSING', 9);
  // Same key with the Zone Key bit cleared: tag changes, so sign with the tag of the flag-less key.
  const noZone = withFlags(zsk, 0);
  failsWith(t, await one(signed({}, noZone), keysOf(noZone)), 'NO_ZONE_KEY_BIT', 11);
  const revoked = withFlags(zsk, 256 | 0x80);
  failsWith(t, await one(signed({}, revoked), keysOf(revoked)), 'KEY_REVOKED_ONLY', 6);
});

test('crypto failure (6), labels field above the owner labels (6), no RRSIG (10)', async (t) => {
  failsWith(t, await one(signed({ corrupt: true })), 'SIGNATURE_INVALID', 6);
  const sig = signRRset(recs, zsk, zone, WIN);
  const rd = new Uint8Array(sig.rdata);
  rd[3] = 5; // labels field above the 3 labels of www.sig.test.
  failsWith(t, await one(groupRRsets([...recs, new RecordValue(sig.name, T.RRSIG, 1, sig.ttl, rd)])[0]!), 'RRSIG_LABELS_INVALID', 6);
  failsWith(t, await one(groupRRsets(recs)[0]!), 'RRSIGS_MISSING', 10);
  // A signature by another signer name is not a candidate: RRSIGS_MISSING for this signer.
  const other = groupRRsets([...recs, signRRset(recs, zsk, Name.fromText('other.test.'), WIN)])[0]!;
  failsWith(t, await one(other), 'RRSIGS_MISSING', 10);
});

test('one good signature among bad ones is enough; bad first does not hide it', async (t) => {
  const set = groupRRsets([...recs, signRRset(recs, zsk, zone, { ...WIN, corrupt: true }), signRRset(recs, zsk, zone, WIN)])[0]!;
  t.true((await one(set)).ok);
});

test('per-query crypto budget exhausted → VALIDATION_BUDGET_EXCEEDED (EDE 6), no crypto done', async (t) => {
  const stats = newStats();
  const v = await one(signed(), keysOf(zsk), new QueryBudget(stats, 0));
  failsWith(t, v, 'VALIDATION_BUDGET_EXCEEDED', 6);
  t.is(stats.cryptoOps, 0);
});

test('every RRset of a response goes into one batch', async (t) => {
  const stats = newStats();
  const txt = [new RecordValue(Name.fromText('t.sig.test.'), T.TXT, 1, 60, Uint8Array.of(2, 0x68, 0x69))];
  const r = await checkResponse([
    { rrset: signed(), signer: zone, keys: keysOf(zsk) },
    { rrset: signed({}, zsk, txt), signer: zone, keys: keysOf(zsk) },
    { rrset: signed({}, ed), signer: zone, keys: keysOf(ed) },
  ], [], NOW, new QueryBudget(stats));
  t.true(r.verdicts.every((v) => v.ok));
  t.is(stats.batches, 1);
  t.is(stats.cryptoOps, 3);
});
