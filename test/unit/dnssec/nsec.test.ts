// nsec.test.ts — NSEC proofs on hand-built chains (RFC 4035 §5.4, RFC 6840 §4.1/§4.3/§4.4):
// covering with the last NSEC wrapping to the apex, NXDOMAIN with the wildcard at the closest
// encloser, NODATA incl. empty non-terminals, apex NSEC, wildcard NODATA, parent/child-side rules.
import test from 'ava';
import { closestEncloserFromNsec, nsecCovers, proveDsAbsence, proveNodata, proveNxdomain, proveWildcardNoMatch, type NsecRec } from '../../../src/dnssec/nsec.js';
import { Name } from '../../../src/wire/name.js';
import { T } from '../../helpers/memory-zones.js';

const n = (s: string): Name => Name.fromText(s);
const rec = (owner: string, next: string, types: number[]): NsecRec => ({ owner: n(owner), next: n(next), types: new Set(types) });

// Zone example.: apex, a (A), b.c (TXT; c is an empty non-terminal), d (delegation, no DS),
// e (delegation with DS), *.w (TXT), z (A). Last NSEC wraps to the apex.
const CHAIN: NsecRec[] = [
  rec('example.', 'a.example.', [T.SOA, T.NS, T.DNSKEY, T.RRSIG, T.NSEC]),
  rec('a.example.', 'b.c.example.', [T.A, T.RRSIG, T.NSEC]),
  rec('b.c.example.', 'd.example.', [T.TXT, T.RRSIG, T.NSEC]),
  rec('d.example.', 'e.example.', [T.NS, T.NSEC]),
  rec('e.example.', '*.w.example.', [T.NS, T.DS, T.RRSIG, T.NSEC]),
  rec('*.w.example.', 'z.example.', [T.TXT, T.RRSIG, T.NSEC]),
  rec('z.example.', 'example.', [T.A, T.RRSIG, T.NSEC]),
];

test('covering: inside a span, the wrap to the apex, not the owner itself', (t) => {
  t.true(nsecCovers(CHAIN[1]!, n('aa.example.')));
  t.false(nsecCovers(CHAIN[1]!, n('a.example.')));
  t.true(nsecCovers(CHAIN[6]!, n('zz.example.')), 'last NSEC wraps');
  t.false(nsecCovers(CHAIN[6]!, n('b.example.')));
  t.true(nsecCovers(CHAIN[1]!, n('x.a.example.')), 'names below an ordinary owner are covered');
});

test('RFC 6840 §4.1: a delegation NSEC does not cover names below the cut', (t) => {
  t.false(nsecCovers(CHAIN[3]!, n('x.d.example.')));
  t.false(proveNxdomain(CHAIN, n('x.d.example.')).ok);
});

test('NXDOMAIN needs the name and the wildcard at the closest encloser covered', (t) => {
  t.true(proveNxdomain(CHAIN, n('b.example.')).ok);
  t.is(closestEncloserFromNsec(CHAIN[1]!, n('b.example.')).toText(), 'example.');
  // *.example. sorts before a.example: covered by the apex NSEC.
  t.false(proveNxdomain([CHAIN[1]!], n('b.example.')).ok, 'missing wildcard proof');
  t.false(proveNxdomain(CHAIN, n('a.example.')).ok, 'an existing name is not NXDOMAIN');
  // x.w.example. is matched by *.w: the wildcard is not covered → not NXDOMAIN.
  t.false(proveNxdomain(CHAIN, n('x.w.example.')).ok);
});

test('NODATA: matching NSEC without the type or CNAME; apex NSEC', (t) => {
  t.true(proveNodata(CHAIN, n('a.example.'), T.AAAA).ok);
  t.false(proveNodata(CHAIN, n('a.example.'), T.A).ok);
  t.true(proveNodata(CHAIN, n('example.'), T.TXT).ok, 'apex NSEC');
  t.false(proveNodata([rec('a.example.', 'b.example.', [T.CNAME, T.RRSIG, T.NSEC])], n('a.example.'), T.AAAA).ok, 'CNAME bit');
});

test('NODATA for an empty non-terminal: covering NSEC whose next is below the name', (t) => {
  t.true(proveNodata(CHAIN, n('c.example.'), T.A).ok);
  t.false(proveNodata(CHAIN, n('q.example.'), T.A).ok, 'q is not an ENT (next name is not below it)');
});

test('wildcard NODATA: qname covered and the *.ce NSEC without the type', (t) => {
  t.true(proveNodata(CHAIN, n('x.w.example.'), T.A).ok);
  t.false(proveNodata(CHAIN, n('x.w.example.'), T.TXT).ok);
});

test('RFC 6840 §4.3/§4.4: parent-side NSEC only proves DS absence; child apex NSEC never does', (t) => {
  t.false(proveNodata(CHAIN, n('d.example.'), T.A).ok, 'delegation NSEC for a non-DS type');
  t.true(proveNodata(CHAIN, n('d.example.'), T.DS).ok);
  t.false(proveNodata(CHAIN, n('e.example.'), T.DS).ok, 'DS bit set');
  t.false(proveNodata([rec('child.example.', 'a.child.example.', [T.SOA, T.NS, T.RRSIG, T.NSEC, T.DNSKEY])], n('child.example.'), T.DS).ok);
});

test('DS absence for the chain of trust', (t) => {
  t.is(proveDsAbsence(CHAIN, n('d.example.')), 'insecure-cut');
  t.is(proveDsAbsence(CHAIN, n('e.example.')), 'unproven');
  t.is(proveDsAbsence(CHAIN, n('a.example.')), 'not-a-cut');
  t.is(proveDsAbsence(CHAIN, n('c.example.')), 'not-a-cut', 'empty non-terminal');
  t.is(proveDsAbsence(CHAIN, n('q.example.')), 'not-a-cut', 'non-existent name');
  t.is(proveDsAbsence([CHAIN[0]!], n('q.example.')), 'unproven');
});

test('wildcard answer: expanded name covered, closest encloser = wildcard parent', (t) => {
  t.true(proveWildcardNoMatch(CHAIN, n('x.w.example.'), n('w.example.')).ok);
  t.false(proveWildcardNoMatch([CHAIN[0]!], n('x.w.example.'), n('w.example.')).ok);
});
