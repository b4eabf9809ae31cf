// ds.test.ts — authenticateDnskeys(): DS↔DNSKEY digests computed in the batch (SHA-256, SHA-384,
// SHA-1), RFC 4509 §3 (SHA-1 ignored beside SHA-256), RFC 4035 §5.2 self-signature by a DS-matched
// key (EDE 10 when that key signed nothing, EDE 9 when no key matches), unsupported DS → insecure.
import test from 'ava';
import { newStats, QueryBudget } from '../../../src/dnssec/budget.js';
import { authenticateDnskeys } from '../../../src/dnssec/ds.js';
import { classifyDsSet, usableDs } from '../../../src/dnssec/policy.js';
import { Name } from '../../../src/wire/name.js';
import { decodeDS, type DSRdata } from '../../../src/wire/rdata/ds.js';
import { groupRRsets } from '../../../src/wire/rrset.js';
import { dnskeyRecord, dsRdata, generateKey, signRRset } from '../../helpers/signer.js';

const NOW = 1_780_000_000;
const zone = Name.fromText('ds.test.');
const ksk = generateKey(13, 257);
const zsk = generateKey(13, 256);
const WIN = { inception: NOW - 60, expiration: NOW + 86400 };
const keys = [dnskeyRecord(zone, ksk), dnskeyRecord(zone, zsk)];
const signedBy = (k: typeof ksk) => groupRRsets([...keys, signRRset(keys, k, zone, WIN)]);
const ds = (k: typeof ksk | Uint8Array, digest = 2): DSRdata => decodeDS('DS', dsRdata(zone, k, digest))!;
const run = (answer: ReturnType<typeof signedBy>, set: DSRdata[]) => authenticateDnskeys(zone, answer, { kind: 'ds', ds: usableDs(set) }, NOW, new QueryBudget(newStats()));

test('SHA-256, SHA-384 and SHA-1 DS authenticate the KSK-signed DNSKEY set', async (t) => {
  for (const d of [2, 4, 1]) {
    const e = await run(signedBy(ksk), [ds(ksk, d)]);
    t.is(e.kind, 'secure', `digest ${d}`);
    if (e.kind === 'secure') t.is(e.keys.length, 2);
  }
});

test('RFC 4509 §3: a SHA-1 DS is ignored when a SHA-256 DS exists', async (t) => {
  const wrong256 = { ...ds(ksk, 2), digest: new Uint8Array(32) };
  t.is(usableDs([ds(ksk, 1), wrong256]).length, 1);
  const e = await run(signedBy(ksk), [ds(ksk, 1), wrong256]);
  t.is(e.kind, 'bogus');
  if (e.kind === 'bogus') t.is(e.reason.code, 'DS_NO_MATCHING_DNSKEY');
});

test('DS matching no DNSKEY → EDE 9; DS-matched key that signed nothing → EDE 10', async (t) => {
  const e = await run(signedBy(ksk), [ds(generateKey(13, 257))]);
  t.is(e.kind, 'bogus');
  if (e.kind === 'bogus') { t.is(e.reason.code, 'DS_NO_MATCHING_DNSKEY'); t.is(e.reason.ede as number, 9); }
  const e2 = await run(signedBy(zsk), [ds(ksk)]);
  t.is(e2.kind, 'bogus');
  if (e2.kind === 'bogus') { t.is(e2.reason.code, 'RRSIGS_MISSING'); t.is(e2.reason.ede as number, 10); }
});

test('unsupported algorithm or digest only → the DS set is unusable (insecure per RFC 6840 §5.2)', (t) => {
  t.is(classifyDsSet([{ ...ds(ksk), algorithm: 100 }]).kind, 'unsupported-algorithm');
  t.is(classifyDsSet([{ ...ds(ksk), digestType: 200 }]).kind, 'unsupported-digest');
  t.is(classifyDsSet([{ ...ds(ksk), digestType: 200 }, ds(ksk)]).kind, 'usable');
});
