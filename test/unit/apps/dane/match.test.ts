// match.test.ts — TLSA matching per RFC 7672/7671 over certificate chains minted in the test
// (test/helpers/certs.ts): usage × selector × matching type, digest agility (RFC 7671 §9),
// DANE-EE without name/date checks, DANE-TA chain building (TA sent and bare key not sent,
// RFC 7671 §5.2.2), reference identifiers and wildcards (RFC 7672 §3.2.2–3.2.3), expiry.
import test from 'ava';
import { createHash, type X509Certificate } from 'node:crypto';
import { matchTlsa, usableTlsa } from '../../../../src/apps/dane/match.js';
import { selectedBytes } from '../../../../src/apps/dane/chain.js';
import type { DaneIds, TlsaRecord } from '../../../../src/apps/dane/types.js';
import { DAY_MS, testPki } from '../../../helpers/certs.js';

const pki = testPki();
const NOW = Date.now();
const ids: DaneIds = { tlsaBaseDomain: 'mx.example.net', nowMs: NOW };
const chain = [pki.leaf.x509, pki.intermediate.x509, pki.root.x509];

function tlsa(usage: number, selector: number, matchingType: number, cert: X509Certificate): TlsaRecord {
  const sel = selectedBytes(cert, selector) ?? new Uint8Array([1]);
  const data =
    matchingType === 1 ? createHash('sha256').update(sel).digest()
    : matchingType === 2 ? createHash('sha512').update(sel).digest()
    : matchingType === 0 ? sel
    : new Uint8Array(32).fill(7);
  return { usage, selector, matchingType, data: new Uint8Array(data) };
}
/** A well-formed record that matches nothing. */
function wrong(usage: number, selector: number, matchingType: number): TlsaRecord {
  const len = matchingType === 1 ? 32 : matchingType === 2 ? 64 : 100;
  return { usage, selector, matchingType, data: new Uint8Array(len).fill(0xab) };
}

for (const usage of [0, 1, 2, 3]) {
  for (const selector of [0, 1]) {
    for (const mtype of [0, 1, 2]) {
      test(`usage ${usage} selector ${selector} matching type ${mtype}`, (t) => {
        // DANE-EE pins the leaf; DANE-TA the intermediate; PKIX-* records get a record that
        // would match the leaf, which must still be ignored for SMTP (RFC 7672 §3.1.3).
        const target = usage === 2 ? pki.intermediate.x509 : pki.leaf.x509;
        const r = matchTlsa(chain, [tlsa(usage, selector, mtype, target)], ids);
        if (usage < 2) {
          t.like(r, { ok: false, reason: 'no-usable-tlsa' });
        } else {
          t.like(r, { ok: true, usage, depth: usage === 2 ? 1 : 0, taSent: true });
        }
      });
    }
  }
}

test('unknown matching type, selector and usage are unusable; malformed digest lengths too', (t) => {
  const leaf = pki.leaf.x509;
  t.like(matchTlsa(chain, [tlsa(3, 1, 3, leaf)], ids), { ok: false, reason: 'no-usable-tlsa' });
  t.like(matchTlsa(chain, [{ usage: 3, selector: 2, matchingType: 1, data: new Uint8Array(32) }], ids), { ok: false, reason: 'no-usable-tlsa' });
  t.like(matchTlsa(chain, [{ usage: 4, selector: 1, matchingType: 1, data: tlsa(3, 1, 1, leaf).data }], ids), { ok: false, reason: 'no-usable-tlsa' });
  const truncated = tlsa(3, 1, 1, leaf);
  t.like(matchTlsa(chain, [{ ...truncated, data: truncated.data.subarray(0, 31) }], ids), { ok: false, reason: 'no-usable-tlsa' });
  t.like(matchTlsa(chain, [{ usage: 3, selector: 1, matchingType: 0, data: new Uint8Array(0) }], ids), { ok: false, reason: 'no-usable-tlsa' });
  t.like(matchTlsa(chain, [], ids), { ok: false, reason: 'no-usable-tlsa' });
});

test('an unknown matching type beside a usable record is ignored, not fatal', (t) => {
  t.like(matchTlsa(chain, [tlsa(3, 1, 3, pki.leaf.x509), tlsa(3, 1, 1, pki.leaf.x509)], ids), { ok: true, usage: 3 });
  // A matching PKIX-EE record does not rescue a non-matching usable set: mismatch, not "no TLSA".
  t.like(matchTlsa(chain, [tlsa(1, 1, 1, pki.leaf.x509), wrong(3, 1, 1)], ids), { ok: false, reason: 'no-match' });
});

test('digest agility: a mismatching 3 1 2 disables a matching 3 1 1 (RFC 7671 §9)', (t) => {
  const leaf = pki.leaf.x509;
  t.like(matchTlsa(chain, [wrong(3, 1, 2), tlsa(3, 1, 1, leaf)], ids), { ok: false, reason: 'no-match' });
  t.like(matchTlsa(chain, [tlsa(3, 1, 2, leaf), wrong(3, 1, 1)], ids), { ok: true, usage: 3 });
  // Full(0) is not a digest and stays in play beside the strongest digest.
  const full = matchTlsa(chain, [wrong(3, 1, 2), wrong(3, 1, 1), tlsa(3, 1, 0, leaf)], ids);
  t.like(full, { ok: true, usage: 3 });
  t.is(full.ok && full.matched.matchingType, 0);
  // Agility is per (usage, selector): other selectors and usages are independent.
  t.like(matchTlsa(chain, [wrong(3, 0, 2), tlsa(3, 1, 1, leaf)], ids), { ok: true, usage: 3 });
  t.like(matchTlsa(chain, [wrong(2, 1, 2), tlsa(3, 1, 1, leaf)], ids), { ok: true, usage: 3 });
  t.like(matchTlsa(chain, [wrong(2, 0, 2), tlsa(2, 0, 1, pki.intermediate.x509)], ids), { ok: false, reason: 'no-match' });
  // A malformed SHA2-512 record is discarded first, so it does not disable SHA2-256.
  t.like(matchTlsa(chain, [{ usage: 3, selector: 1, matchingType: 2, data: new Uint8Array(10) }, tlsa(3, 1, 1, leaf)], ids), { ok: true });
  t.deepEqual(usableTlsa([wrong(3, 1, 1), wrong(3, 1, 2), wrong(3, 1, 0), wrong(3, 0, 1), wrong(0, 1, 2)]).map((r) => `${r.usage}${r.selector}${r.matchingType}`), ['312', '310', '301']);
});

test('DANE-EE: no name, expiry or chain checks (RFC 7671 §5.1)', (t) => {
  const rec = (c: X509Certificate): TlsaRecord[] => [tlsa(3, 1, 1, c)];
  t.like(matchTlsa([pki.leafWrongName.x509], rec(pki.leafWrongName.x509), ids), { ok: true, usage: 3, depth: 0 });
  t.like(matchTlsa([pki.leafShort.x509], rec(pki.leafShort.x509), { ...ids, nowMs: NOW + 400 * DAY_MS }), { ok: true, usage: 3 });
  t.like(matchTlsa([pki.leaf.x509], rec(pki.leaf.x509), { ...ids, nowMs: NOW - 2 * DAY_MS }), { ok: true, usage: 3 });
  t.like(matchTlsa([pki.selfSigned.x509], [tlsa(3, 0, 2, pki.selfSigned.x509)], ids), { ok: true, usage: 3 });
  // DANE-EE pins the leaf only: a record for the intermediate does not match.
  t.like(matchTlsa(chain, [tlsa(3, 1, 1, pki.intermediate.x509)], ids), { ok: false, reason: 'no-match' });
  t.like(matchTlsa([], rec(pki.leaf.x509), ids), { ok: false, reason: 'no-match' });
});

test('DANE-TA with the trust anchor in the presented chain', (t) => {
  t.like(matchTlsa(chain, [tlsa(2, 1, 1, pki.root.x509)], ids), { ok: true, usage: 2, depth: 2, taSent: true });
  // Presented out of order, with an unrelated extra certificate: the path is built by signatures.
  t.like(matchTlsa([pki.leaf.x509, pki.otherRoot.x509, pki.root.x509, pki.intermediate.x509], [tlsa(2, 0, 1, pki.root.x509)], ids), { ok: true, depth: 2 });
  // The TA is sent but the intermediate linking to it is missing → chain-invalid.
  t.like(matchTlsa([pki.leaf.x509, pki.root.x509], [tlsa(2, 0, 1, pki.root.x509)], ids), { ok: false, reason: 'chain-invalid' });
  // A leaf from another CA presented with our intermediate: the TA matches but does not sign it.
  t.like(matchTlsa([pki.otherLeaf.x509, pki.intermediate.x509], [tlsa(2, 0, 1, pki.intermediate.x509)], ids), { ok: false, reason: 'chain-invalid' });
  t.like(matchTlsa(chain, [tlsa(2, 1, 1, pki.otherRoot.x509)], ids), { ok: false, reason: 'no-match' });
  // Issuer name matches and there is no key identifier to compare: only the signature tells.
  t.true(pki.forgedLeaf.x509.checkIssued(pki.intermediate.x509));
  t.like(matchTlsa([pki.forgedLeaf.x509, pki.intermediate.x509], [tlsa(2, 0, 1, pki.intermediate.x509)], ids), { ok: false, reason: 'chain-invalid' });
  t.like(matchTlsa([pki.forgedLeaf.x509, pki.intermediate.x509], [tlsa(2, 1, 0, pki.intermediate.x509)], ids), { ok: false });
  t.like(matchTlsa([pki.forgedLeaf.x509], [tlsa(2, 1, 0, pki.intermediate.x509)], ids), { ok: false, reason: 'no-match' });
});

test('DANE-TA with a trust anchor the server does not send (RFC 7671 §5.2.2)', (t) => {
  const sent = [pki.leaf.x509, pki.intermediate.x509];
  t.like(matchTlsa(sent, [tlsa(2, 1, 0, pki.root.x509)], ids), { ok: true, usage: 2, depth: 2, taSent: false });
  t.like(matchTlsa(sent, [tlsa(2, 0, 0, pki.root.x509)], ids), { ok: true, usage: 2, depth: 2, taSent: false });
  // A digest cannot stand in for a key that was not sent.
  t.like(matchTlsa(sent, [tlsa(2, 1, 1, pki.root.x509)], ids), { ok: false, reason: 'no-match' });
  t.like(matchTlsa(sent, [tlsa(2, 1, 0, pki.otherRoot.x509)], ids), { ok: false, reason: 'no-match' });
  // Garbage SPKI data is simply a record that matches nothing.
  t.like(matchTlsa(sent, [{ usage: 2, selector: 1, matchingType: 0, data: new Uint8Array([0x30, 3, 1, 2, 3]) }], ids), { ok: false, reason: 'no-match' });
  // The bare key of the intermediate itself, with only the leaf sent.
  t.like(matchTlsa([pki.leaf.x509], [tlsa(2, 1, 0, pki.intermediate.x509)], ids), { ok: true, depth: 1, taSent: false });
});

test('DANE-TA checks reference identifiers; DANE-EE does not (RFC 7672 §3.2.2)', (t) => {
  const ta = [tlsa(2, 0, 1, pki.intermediate.x509)];
  const withInt = (c: X509Certificate): X509Certificate[] => [c, pki.intermediate.x509];
  t.like(matchTlsa(withInt(pki.leafWrongName.x509), ta, ids), { ok: false, reason: 'name-mismatch' });
  t.like(matchTlsa(withInt(pki.leafWrongName.x509), [...ta, tlsa(3, 1, 1, pki.leafWrongName.x509)], ids), { ok: true, usage: 3 });
  // The MX host name counts when it differs from the (CNAME-expanded) TLSA base domain.
  t.like(matchTlsa(withInt(pki.leafMxName.x509), ta, { ...ids, mxHost: 'mail.example.org' }), { ok: true, usage: 2 });
  t.like(matchTlsa(withInt(pki.leafMxName.x509), ta, ids), { ok: false, reason: 'name-mismatch' });
  t.like(matchTlsa(withInt(pki.leaf.x509), ta, { ...ids, tlsaBaseDomain: 'MX.Example.NET.' }), { ok: true });
  t.like(matchTlsa(withInt(pki.leafCnOnly.x509), ta, ids), { ok: true });
});

test('wildcards: whole leftmost label only', (t) => {
  const ta = [tlsa(2, 1, 2, pki.intermediate.x509)];
  const wild = [pki.leafWildcard.x509, pki.intermediate.x509];
  t.like(matchTlsa(wild, ta, ids), { ok: true });
  t.like(matchTlsa(wild, ta, { ...ids, tlsaBaseDomain: 'example.net' }), { ok: false, reason: 'name-mismatch' });
  t.like(matchTlsa(wild, ta, { ...ids, tlsaBaseDomain: 'a.b.example.net' }), { ok: false, reason: 'name-mismatch' });
  t.like(matchTlsa([pki.leafPartialWildcard.x509, pki.intermediate.x509], ta, ids), { ok: false, reason: 'name-mismatch' });
});

test('DANE-TA: every certificate on the path must be within its validity', (t) => {
  const ta = [tlsa(2, 0, 1, pki.intermediate.x509)];
  const short = [pki.leafShort.x509, pki.intermediate.x509];
  t.like(matchTlsa(short, ta, ids), { ok: true });
  t.like(matchTlsa(short, ta, { ...ids, nowMs: NOW + 2 * DAY_MS }), { ok: false, reason: 'expired' });
  t.like(matchTlsa(short, ta, { ...ids, nowMs: NOW - 2 * DAY_MS }), { ok: false, reason: 'not-yet-valid' });
  // The leaf is fine but its issuer has expired.
  const r = matchTlsa([pki.leafUnderShortInt.x509, pki.intermediateShort.x509, pki.root.x509], [tlsa(2, 1, 1, pki.root.x509)], { ...ids, nowMs: NOW + 5 * DAY_MS });
  t.like(r, { ok: false, reason: 'expired' });
  t.regex(r.ok ? '' : r.detail, /Short Intermediate/);
  // Same chain, bare root key not sent: the intermediate's expiry still counts.
  t.like(matchTlsa([pki.leafUnderShortInt.x509, pki.intermediateShort.x509], [tlsa(2, 1, 0, pki.root.x509)], { ...ids, nowMs: NOW + 5 * DAY_MS }), { ok: false, reason: 'expired' });
});

test('DANE-TA matching a self-issued leaf: the leaf is its own TA, names and dates still checked', (t) => {
  const self = [pki.selfSigned.x509];
  const ta = [tlsa(2, 0, 1, pki.selfSigned.x509)];
  t.like(matchTlsa(self, ta, ids), { ok: true, usage: 2, depth: 0 });
  t.like(matchTlsa(self, ta, { ...ids, tlsaBaseDomain: 'mx.example.com' }), { ok: false, reason: 'name-mismatch' });
  t.like(matchTlsa(self, ta, { ...ids, nowMs: NOW + 4000 * DAY_MS }), { ok: false, reason: 'expired' });
});

test('DANE-EE and DANE-TA together: either may authenticate', (t) => {
  t.like(matchTlsa(chain, [wrong(3, 1, 1), tlsa(2, 0, 1, pki.intermediate.x509)], ids), { ok: true, usage: 2 });
  t.like(matchTlsa([pki.leafWrongName.x509, pki.intermediate.x509], [tlsa(2, 0, 1, pki.intermediate.x509), tlsa(3, 0, 1, pki.leafWrongName.x509)], ids), { ok: true, usage: 3 });
  t.like(matchTlsa(chain, [wrong(3, 1, 1), wrong(2, 1, 1)], ids), { ok: false, reason: 'no-match' });
});
