// anchor-updater.test.ts — the RFC 5011 driver over a simulated clock and a Fetcher serving a
// really signed DNSKEY RRset: a KSK rollover observed over 30+ days (add hold-down, §2.4.1), a
// revoked key removed (§2.1), restart from the state file, an unvalidated set ignored, DS-anchor
// seeding, and a corrupt state file → AnchorStateError (never a silent fallback).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import type { TrustAnchor } from '../../../src/dnssec/anchor-files.js';
import { AnchorStateError } from '../../../src/dnssec/anchor-state.js';
import { AnchorUpdater, startAnchorUpdater } from '../../../src/dnssec/anchor-updater.js';
import type { Fetcher } from '../../../src/dnssec/fetcher.js';
import type { Transition } from '../../../src/dnssec/rfc5011.js';
import { TrustAnchorStore } from '../../../src/dnssec/trust-anchors.js';
import { MessageBuilder } from '../../../src/wire/encode.js';
import { Message } from '../../../src/wire/message.js';
import { Name } from '../../../src/wire/name.js';
import { decodeDNSKEY } from '../../../src/wire/rdata/dnskey.js';
import { decodeDS } from '../../../src/wire/rdata/ds.js';
import { fakeClock } from '../../helpers/fake-clock.js';
import { dnskeyRecord, dsRdata, generateKey, signRRset, withFlags, type TestKey } from '../../helpers/signer.js';

const DAY = 86_400;
const START = 1_780_000_000;
const ZONE = Name.fromText('example.');

interface World {
  keys: TestKey[];
  signers: TestKey[];
  fetches: number;
  /** Keys to forge an RRSIG for: made by the first signer, carrying the forged key's tag. */
  forge?: TestKey[];
}

const sim = (startSec = START) => fakeClock(startSec * 1000);

/** Serves the zone's DNSKEY RRset (TTL 2 days → RFC 5011 §2.3 refresh every day), signed at "now". */
function fetcherFor(w: World, clock: { nowSec(): number }): Fetcher {
  return {
    fetch: async (name, type) => {
      w.fetches++;
      const now = clock.nowSec();
      const recs = w.keys.map((k) => dnskeyRecord(name, k, 2 * DAY));
      const win = { inception: now - 3600, expiration: now + 14 * DAY };
      const sigs = w.signers.map((k) => signRRset(recs, k, name, win));
      for (const f of w.forge ?? []) sigs.push(signRRset(recs, w.signers[0]!, name, { ...win, keyTag: f.tag }));
      const wire = new MessageBuilder({ qr: true, aa: true }).question(name, type).answer([...recs, ...sigs]).edns({ dnssecOk: true }).toWire();
      const m = Message.fromWire(wire);
      if (!m.ok) throw new Error(m.reason);
      return { ok: true, response: { message: m.message, zone: name, qname: name, qtype: type } };
    },
  };
}

function dnskeyAnchor(k: TestKey): TrustAnchor {
  return { type: 'DNSKEY', owner: ZONE, dnskey: decodeDNSKEY('DNSKEY', k.rdata)!, rdata: k.rdata, keyTag: k.tag, source: 'test' };
}

const tags = (s: TrustAnchorStore): number[] => s.anchorsAt(ZONE).map((a) => (a.type === 'DNSKEY' ? a.keyTag : -a.ds.keyTag)).sort((a, b) => a - b);

async function tmpState(t: import('ava').ExecutionContext): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'adbit-5011-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return path.join(dir, 'anchors.json');
}

test('KSK rollover over 30+ days, then revocation of the old KSK, then a restart from the state file', async (t) => {
  const stateFile = await tmpState(t);
  const clock = sim();
  const k1 = generateKey(13, 257);
  const k2 = generateKey(13, 257);
  const zsk = generateKey(13, 256);
  const w: World = { keys: [k1, zsk], signers: [k1], fetches: 0 };
  const store = new TrustAnchorStore(clock);
  store.add(dnskeyAnchor(k1));
  const seen: Transition[] = [];
  const errors: Error[] = [];
  const opts = { store, fetcher: fetcherFor(w, clock), stateFile, clock, onError: (e: Error) => errors.push(e), onTransitions: (_z: string, tr: readonly Transition[]) => seen.push(...tr) };
  const u = new AnchorUpdater(opts);
  await u.init();
  await u.runDue();
  t.deepEqual(tags(store), [k1.tag]);
  // Day 1: the new KSK appears, signed by the old one (and itself).
  clock.advanceSec(DAY);
  w.keys = [k1, k2, zsk];
  w.signers = [k1, k2];
  await u.runDue();
  t.true(seen.some((x) => x.keyTag === k2.tag && x.from === 'Start' && x.to === 'AddPend'));
  let day = 1;
  for (; day <= 40; day++) {
    const before = tags(store);
    if (day === 20) t.deepEqual(before, [k1.tag], 'still in add hold-down on day 20');
    if (before.includes(k2.tag)) break;
    clock.advanceSec(DAY);
    await u.runDue();
  }
  t.true(day >= 31 && day <= 33, `new key trusted after ${day} days`);
  t.deepEqual(tags(store), [k1.tag, k2.tag].sort((a, b) => a - b));
  t.true(seen.some((x) => x.keyTag === k2.tag && x.from === 'AddPend' && x.to === 'Valid'));
  // The old KSK is published revoked, self-signed (RFC 5011 §2.1): it leaves the store at once.
  clock.advanceSec(DAY);
  const k1r = withFlags(k1, 257 | 0x80);
  w.keys = [k1r, k2, zsk];
  w.signers = [k1r, k2];
  await u.runDue();
  t.deepEqual(tags(store), [k2.tag]);
  t.true(seen.some((x) => x.keyTag === k1.tag && x.to === 'Revoked'));
  t.deepEqual(errors, []);
  // Restart: a new store configured with the OLD key; the state file supersedes it.
  const text = await readFile(stateFile, 'utf8');
  t.true(text.includes('"Revoked"'));
  const store2 = new TrustAnchorStore(clock);
  store2.add(dnskeyAnchor(k1));
  const u2 = new AnchorUpdater({ ...opts, store: store2 });
  await u2.init();
  t.deepEqual(tags(store2), [k2.tag]);
  clock.advanceSec(DAY);
  const fetchesBefore = w.fetches;
  await u2.runDue();
  t.is(w.fetches, fetchesBefore + 1, 'the restored timer is due after a day');
  t.deepEqual(tags(store2), [k2.tag]);
});

test('a DNSKEY RRset not signed by a trusted key changes nothing and is reported', async (t) => {
  const stateFile = await tmpState(t);
  const clock = sim();
  const k1 = generateKey(13, 257);
  const evil = generateKey(13, 257);
  const w: World = { keys: [evil], signers: [evil], fetches: 0 };
  const store = new TrustAnchorStore(clock);
  store.add(dnskeyAnchor(k1));
  const errors: Error[] = [];
  const u = new AnchorUpdater({ store, fetcher: fetcherFor(w, clock), stateFile, clock, onError: (e) => errors.push(e) });
  await u.init();
  const next = await u.runDue();
  t.deepEqual(tags(store), [k1.tag]);
  t.is(next, clock.nowSec() + 3600, 'RFC 5011 §2.3 retry after a failed refresh');
  t.true(errors.some((e) => /not signed by a trusted key/.test(e.message)));
  t.true(u.trustPoints[0]!.keys.every((k) => k.keyTag === k1.tag));
});

test('first start from a DS anchor seeds the trust point with the DS-matched, self-signing KSK', async (t) => {
  const stateFile = await tmpState(t);
  const clock = sim();
  const k1 = generateKey(15, 257);
  const zsk = generateKey(15, 256);
  const w: World = { keys: [k1, zsk], signers: [k1], fetches: 0 };
  const store = new TrustAnchorStore(clock);
  store.add({ type: 'DS', owner: ZONE, ds: decodeDS('DS', dsRdata(ZONE, k1))!, source: 'test' });
  const u = new AnchorUpdater({ store, fetcher: fetcherFor(w, clock), stateFile, clock });
  await u.init();
  t.deepEqual(u.trustPoints[0]!.keys.map((k) => [k.keyTag, k.state]), [[k1.tag, 'Valid']]);
  t.deepEqual(tags(store), [k1.tag], 'the DS anchor is replaced by the validated key');
});

test('a corrupt or truncated state file is an AnchorStateError; the store keeps its anchors', async (t) => {
  const stateFile = await tmpState(t);
  const clock = sim();
  const k1 = generateKey(13, 257);
  const store = new TrustAnchorStore(clock);
  store.add(dnskeyAnchor(k1));
  const w: World = { keys: [k1], signers: [k1], fetches: 0 };
  const corrupt = '{"format":"adbit-rfc5011-state","version":1,"trustPoints":[{"zone":"exa';
  await writeFile(stateFile, corrupt);
  const u = new AnchorUpdater({ store, fetcher: fetcherFor(w, clock), stateFile, clock });
  const err = await t.throwsAsync(u.init(), { instanceOf: AnchorStateError });
  t.is(err?.code, 'ADBIT_ERR_ANCHOR_STATE');
  t.true(err?.message.includes(stateFile));
  t.is(w.fetches, 0);
  const errors: Error[] = [];
  const running = startAnchorUpdater({ store, fetcher: fetcherFor(w, clock), stateFile, clock, onError: (e) => errors.push(e) });
  await t.throwsAsync(running.ready, { instanceOf: AnchorStateError });
  running.stop();
  t.true(errors[0] instanceof AnchorStateError);
  t.is(await readFile(stateFile, 'utf8'), corrupt, 'the corrupt file is left for the operator');
});

test('startAnchorUpdater: ready after init writes the state file; stop() ends the timer', async (t) => {
  const stateFile = await tmpState(t);
  const clock = sim();
  const k1 = generateKey(13, 257);
  const store = new TrustAnchorStore(clock);
  store.add(dnskeyAnchor(k1));
  const running = startAnchorUpdater({ store, fetcher: fetcherFor({ keys: [k1], signers: [k1], fetches: 0 }, clock), stateFile, clock });
  await running.ready;
  running.stop();
  t.regex(await readFile(stateFile, 'utf8'), /adbit-rfc5011-state/);
});

test('a REVOKE-bit key whose self-signature does not verify revokes nothing (RFC 5011 §2.1)', async (t) => {
  const stateFile = await tmpState(t);
  const clock = sim();
  const k1 = generateKey(13, 257);
  const k2 = generateKey(13, 257);
  const zsk = generateKey(13, 256);
  const store = new TrustAnchorStore(clock);
  store.add(dnskeyAnchor(k1));
  store.add(dnskeyAnchor(k2));
  const k1r = withFlags(k1, 257 | 0x80);
  // k1 appears revoked, but its "self-signature" was made by k2 with k1r's key tag: a forgery.
  const w: World = { keys: [k1r, k2, zsk], signers: [k2], forge: [k1r], fetches: 0 };
  const seen: Transition[] = [];
  const u = new AnchorUpdater({ store, fetcher: fetcherFor(w, clock), stateFile, clock, onTransitions: (_z, tr) => seen.push(...tr) });
  await u.init();
  clock.advanceSec(DAY);
  await u.runDue();
  t.false(seen.some((x) => x.keyTag === k1.tag && x.to === 'Revoked'), JSON.stringify(seen));
  t.true(tags(store).includes(k1.tag), 'k1 is still trusted (at most Missing)');
});

test('the only trusted key revoking itself is seen, and the trust point reports no valid key', async (t) => {
  const stateFile = await tmpState(t);
  const clock = sim();
  const k1 = generateKey(13, 257);
  const zsk = generateKey(13, 256);
  const store = new TrustAnchorStore(clock);
  store.add(dnskeyAnchor(k1));
  const w: World = { keys: [k1, zsk], signers: [k1], fetches: 0 };
  const seen: Transition[] = [];
  const errors: Error[] = [];
  const u = new AnchorUpdater({ store, fetcher: fetcherFor(w, clock), stateFile, clock,
    onError: (e) => errors.push(e), onTransitions: (_z, tr) => seen.push(...tr) });
  await u.init();
  const k1r = withFlags(k1, 257 | 0x80);
  w.keys = [k1r, zsk];
  w.signers = [k1r];
  clock.advanceSec(DAY);
  await u.runDue();
  t.true(seen.some((x) => x.keyTag === k1.tag && x.to === 'Revoked'), JSON.stringify(seen));
  t.deepEqual(tags(store), []);
  t.true(errors.some((e) => /no valid key/.test(e.message)), errors.map((e) => e.message).join('; '));
});
