// The manifest: every query the hierarchy is built to answer, with the expected rcode,
// security status (RFC 4035 §4.3) and, for bogus or insecure-by-algorithm outcomes, the
// RFC 8914 Extended DNS Error code. The Unbound oracle test checks each entry.

export type Security = 'secure' | 'insecure' | 'bogus';
export type Rcode = 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL';

export interface Scenario {
  readonly id: string;
  readonly qname: string;
  readonly qtype: string;
  readonly rcode: Rcode;
  readonly security: Security;
  /** RFC 8914 code: 1 DNSKEY alg, 2 DS digest, 6 bogus, 7 expired, 8 not yet valid, 9 DNSKEY
   * missing, 10 RRSIGs missing, 12 NSEC missing, 27 unsupported NSEC3 iterations. */
  readonly ede?: number;
  /** What Unbound (1.17) reports when it differs from `ede`: it attaches no EDE to insecure
   * answers (RFC 8914 §3 makes EDE optional), so these entries say null. */
  readonly unboundEde?: number | null;
  readonly description: string;
}

/** `labels` labels d0.d1.… above `suffix`: deep names whose closest-encloser proof hashes each ancestor. */
export const deepName = (labels: number, suffix: string, tag = 'd'): string =>
  `${Array.from({ length: labels }, (_, i) => `${tag}${i}`).join('.')}.${suffix}`;

const s = (id: string, qname: string, qtype: string, rcode: Rcode, security: Security, description: string,
  extra: { ede?: number; unboundEde?: number | null } = {}): Scenario => ({ id, qname, qtype, rcode, security, description, ...extra });

export const SCENARIOS: readonly Scenario[] = [
  s('root-soa', '.', 'SOA', 'NOERROR', 'secure', 'root SOA, RSASHA256 KSK/ZSK (ldns), anchored by the test trust anchor'),
  s('tld-nsec3-nxdomain', 'nx.example.', 'A', 'NXDOMAIN', 'secure', 'NSEC3 NXDOMAIN in a dnssec-signzone TLD (DS digests 2 and 4)'),
  s('alg8', 'www.alg8.test.', 'A', 'NOERROR', 'secure', 'RSASHA256 (8), KSK+ZSK, ldns-signzone, DS digest 2'),
  s('alg10', 'www.alg10.test.', 'A', 'NOERROR', 'secure', 'RSASHA512 (10), KSK+ZSK, dnssec-signzone NSEC3'),
  s('alg13', 'www.alg13.test.', 'A', 'NOERROR', 'secure', 'ECDSAP256SHA256 (13), single key (CSK), ldns, DS digest 4'),
  s('alg14', 'www.alg14.test.', 'A', 'NOERROR', 'secure', 'ECDSAP384SHA384 (14), CSK, dnssec-signzone, DS digest 4'),
  s('alg15', 'www.alg15.test.', 'AAAA', 'NOERROR', 'secure', 'ED25519 (15), CSK, ldns, DS digests 2 and 4'),
  s('alg16', 'www.alg16.test.', 'TXT', 'NOERROR', 'secure', 'ED448 (16), KSK+ZSK, dnssec-signzone'),
  s('nsec-nxdomain', 'nx.alg8.test.', 'A', 'NXDOMAIN', 'secure', 'NSEC proves the name does not exist'),
  s('nsec-nodata', 'www.alg8.test.', 'MX', 'NOERROR', 'secure', 'NSEC proves the type does not exist (NODATA)'),
  s('nsec3-nxdomain', 'nx.nsec3.test.', 'A', 'NXDOMAIN', 'secure', 'NSEC3 closest-encloser NXDOMAIN proof (ldns)'),
  s('nsec3-nodata', 'www.nsec3.test.', 'MX', 'NOERROR', 'secure', 'NSEC3 NODATA proof'),
  s('nsec3-bind-nodata', 'www.alg10.test.', 'MX', 'NOERROR', 'secure', 'NSEC3 NODATA from dnssec-signzone'),
  s('wildcard-nsec', 'foo.wild.alg8.test.', 'A', 'NOERROR', 'secure', 'wildcard expansion with NSEC proof of no closer match'),
  s('wildcard-nsec-nodata', 'foo.wild.alg8.test.', 'MX', 'NOERROR', 'secure', 'wildcard NODATA under NSEC'),
  s('wildcard-nsec3', 'foo.wild.nsec3.test.', 'A', 'NOERROR', 'secure', 'wildcard expansion under NSEC3'),
  s('wildcard-nsec3-nodata', 'foo.wild.nsec3.test.', 'MX', 'NOERROR', 'secure', 'wildcard NODATA under NSEC3'),
  s('nsec3-optout', 'www.unsigned.optout.test.', 'A', 'NOERROR', 'insecure', 'unsigned delegation covered by an NSEC3 opt-out span'),
  s('nsec3-iter-positive', 'www.iter.test.', 'A', 'NOERROR', 'secure', 'positive answer in an NSEC3 zone with 200 iterations'),
  s('nsec3-iter-nxdomain', 'nx.iter.test.', 'A', 'NXDOMAIN', 'insecure',
    'NSEC3 with 200 iterations (> 150): RFC 9276 §3.2 lets validators treat the proof as insecure',
    { ede: 27, unboundEde: null }),
  s('cname-within', 'a.cname.test.', 'A', 'NOERROR', 'secure', 'CNAME chain a -> b -> www inside one zone'),
  s('cname-across', 'across.cname.test.', 'A', 'NOERROR', 'secure', 'CNAME into another signed zone'),
  s('cname-to-insecure', 'toinsecure.cname.test.', 'A', 'NOERROR', 'insecure', 'secure CNAME to a name in an unsigned zone'),
  s('dname', 'www.sub.dname.test.', 'A', 'NOERROR', 'secure', 'DNAME sub.dname.test -> alg13.test, synthesized CNAME'),
  s('insecure-nsec', 'www.insec-nsec.test.', 'A', 'NOERROR', 'insecure', 'unsigned delegation, no DS proven by NSEC'),
  s('insecure-nsec3', 'www.insec-nsec3.example.', 'A', 'NOERROR', 'insecure', 'unsigned delegation, no DS proven by NSEC3'),
  s('bogus-changed-data', 'www.bogus-data.test.', 'A', 'SERVFAIL', 'bogus', 'A rdata edited after signing', { ede: 6 }),
  s('bogus-expired', 'www.expired.test.', 'A', 'SERVFAIL', 'bogus', 'all RRSIGs expired', { ede: 7 }),
  s('bogus-not-yet-valid', 'www.future.test.', 'A', 'SERVFAIL', 'bogus', 'all RRSIGs have an inception in the future', { ede: 8 }),
  s('bogus-ds-nomatch', 'www.ds-nomatch.test.', 'A', 'SERVFAIL', 'bogus', 'DS names a key the zone does not publish', { ede: 9 }),
  s('bogus-rrsig-stripped', 'www.stripped.test.', 'A', 'SERVFAIL', 'bogus', 'RRSIGs over www A removed', { ede: 10 }),
  s('bogus-dnskey-not-signed-by-ds-key', 'www.wrongksk.test.', 'A', 'SERVFAIL', 'bogus',
    'DS names the KSK, but the DNSKEY RRset is signed only by the ZSK (no RRSIG by the DS key)', { ede: 10 }),
  s('unknown-dnskey-alg', 'www.unknown-alg.test.', 'A', 'NOERROR', 'insecure',
    'DS and DNSKEY use unassigned algorithm 100 (RFC 4035 §5.2: treat as unsigned)', { ede: 1, unboundEde: null }),
  s('unknown-ds-digest', 'www.unknown-digest.test.', 'A', 'NOERROR', 'insecure',
    'DS digest type 200 only (RFC 4509 §3: treat as unsigned)', { ede: 2, unboundEde: null }),
  s('tc-tcp', 'txt.big.test.', 'TXT', 'NOERROR', 'secure', '~3000-byte TXT RRset: UDP answer truncated, retried over TCP'),
  s('lame-server', 'www.lame.test.', 'A', 'NOERROR', 'secure', 'NS set has a good server and one answering REFUSED'),
  // RFC 7672 MX/TLSA scenarios (SMTP servers listed in zones.ts SMTP_SERVERS).
  s('mx-ee311', 'd311.dane.test.', 'MX', 'NOERROR', 'secure', 'MX host mx311 with DANE-EE TLSA 3 1 1'),
  s('tlsa-ee311', '_25._tcp.mx311.dane.test.', 'TLSA', 'NOERROR', 'secure', 'TLSA 3 1 1 (SPKI SHA-256 of the self-signed leaf)'),
  s('a-ee311', 'mx311.dane.test.', 'A', 'NOERROR', 'secure', 'MX host address, signed'),
  s('mx-ee301', 'd301.dane.test.', 'MX', 'NOERROR', 'secure', 'MX host mx301 with DANE-EE TLSA 3 0 1'),
  s('tlsa-ee301', '_25._tcp.mx301.dane.test.', 'TLSA', 'NOERROR', 'secure', 'TLSA 3 0 1 (full certificate SHA-256)'),
  s('mx-ta2', 'd2.dane.test.', 'MX', 'NOERROR', 'secure', 'MX host mx2 with DANE-TA TLSA 2 0 1 and 2 1 1 (private CA)'),
  s('tlsa-ta2', '_25._tcp.mx2.dane.test.', 'TLSA', 'NOERROR', 'secure', 'TLSA 2 x 1 naming the private CA'),
  s('tlsa-mismatch', '_25._tcp.mxbad.dane.test.', 'TLSA', 'NOERROR', 'secure', 'secure TLSA matching no certificate the server has'),
  s('mx-insecure-zone', 'mail.insec-nsec.test.', 'MX', 'NOERROR', 'insecure', 'MX and TLSA in an unsigned zone'),
  s('tlsa-insecure-zone', '_25._tcp.mx.insec-nsec.test.', 'TLSA', 'NOERROR', 'insecure', 'TLSA in an unsigned zone (must not be used)'),
  s('mx-bogus-tlsa', 'dbogus.dane.test.', 'MX', 'NOERROR', 'secure', 'secure MX to a host whose TLSA is bogus'),
  s('tlsa-bogus', '_25._tcp.mx.bogus-data.test.', 'TLSA', 'SERVFAIL', 'bogus', 'TLSA rdata edited after signing', { ede: 6 }),
  s('mx-via-cname', 'dcname.dane.test.', 'MX', 'NOERROR', 'secure', 'MX target mxalias is a CNAME to mx311 (RFC 7672 §2.2.2)'),
  s('cname-mx-host', 'mxalias.dane.test.', 'A', 'NOERROR', 'secure', 'the MX alias resolves securely to mx311'),
  s('tlsa-cname-original', '_25._tcp.mxalias.dane.test.', 'TLSA', 'NXDOMAIN', 'secure', 'no TLSA at the unexpanded alias name'),
  s('mx-two-one-failing', 'dtwo.dane.test.', 'MX', 'NOERROR', 'secure', 'MX 10 mxdead (nothing listens) and MX 20 mx311'),
  s('tlsa-dead', '_25._tcp.mxdead.dane.test.', 'TLSA', 'NOERROR', 'secure', 'TLSA of the failing MX host'),
  s('mx-none', 'dnone.dane.test.', 'MX', 'NOERROR', 'secure', 'MX host mxnotls: no TLSA, no STARTTLS'),
  s('tlsa-none', '_25._tcp.mxnotls.dane.test.', 'TLSA', 'NXDOMAIN', 'secure', 'secure proof that no TLSA exists'),
  // Hostile zones (issue 6).
  s('keytrap-www', 'www.keytrap.test.', 'A', 'SERVFAIL', 'bogus',
    'KeyTrap (CVE-2023-50387): 40 DNSKEYs share the ZSK tag, 40 garbage RRSIGs with that tag over www A', { ede: 6 }),
  s('keytrap-wildcard', 'fresh.keytrap.test.', 'A', 'SERVFAIL', 'bogus',
    'KeyTrap via wildcard *.keytrap.test (fresh names per query), same colliding keys and garbage RRSIGs', { ede: 6 }),
  // NSEC3 hashing (CVE-2023-50868): 150 iterations and a 255-octet salt (accepted), 151 (not).
  s('nsec3trap-wildcard-deep', deepName(20, 'nsec3trap.test.'), 'A', 'NOERROR', 'secure',
    '20-label name expanded from *.nsec3trap.test (NSEC3, 150 iterations, 255-octet salt): next closer covered'),
  s('nsec3trap-wildcard-nodata-deep', deepName(20, 'nsec3trap.test.'), 'MX', 'NOERROR', 'secure',
    'wildcard NODATA for a 20-label name (RFC 5155 §8.7) at 150 iterations'),
  s('nsec3trap-nxdomain-deep', deepName(20, 'www.nsec3trap.test.'), 'A', 'NXDOMAIN', 'secure',
    '20 labels below www (no *.www): closest encloser www, next closer and *.www covered, 150 iterations'),
  s('nsec3trap-nodata', 'www.nsec3trap.test.', 'MX', 'NOERROR', 'secure', 'NSEC3 NODATA at 150 iterations, 255-octet salt'),
  // 100 single-letter labels (under 255 octets): RFC 5155 §8.8 hashes only the next closer name.
  // The 100-label NXDOMAIN / wildcard NODATA (≈102 hashes) are compared with Unbound in
  // nsec3-hostile.test.ts: Unbound validates them secure but takes longer than its discard-timeout.
  s('nsec3trap-wildcard-100', `${'a.'.repeat(100)}nsec3trap.test.`, 'A', 'NOERROR', 'secure',
    '100-label name expanded from *.nsec3trap.test at 150 iterations: only the next closer name is hashed'),
  s('nsec3trap-over-nxdomain', deepName(20, 'www.nsec3trap-over.test.'), 'A', 'NXDOMAIN', 'insecure',
    'NSEC3 with 151 iterations (one above the cap): RFC 9276 §3.2 insecure, nothing hashed', { ede: 27, unboundEde: null }),
  s('nsec3trap-over-wildcard', deepName(20, 'nsec3trap-over.test.'), 'A', 'NOERROR', 'insecure',
    'wildcard answer whose NSEC3 proof has 151 iterations: insecure (RFC 9276 §3.2)', { ede: 27, unboundEde: null }),
  s('nsec3trap-over-positive', 'www.nsec3trap-over.test.', 'A', 'NOERROR', 'secure', 'a plain answer needs no NSEC3: secure at 151 iterations'),
  // Delegation shapes (issue 5): name servers in nshost.test., no glue at the parents.
  s('deleg-out-of-bailiwick', 'www.oob.example.', 'A', 'NOERROR', 'secure',
    'NS ns-oob.nshost.test. is in another TLD: no glue, its address needs a resolution from the root'),
  s('deleg-glueless', 'www.glueless.test.', 'A', 'NOERROR', 'secure',
    'NS ns-glueless.nshost.test. is under the parent but inside a sibling zone: no glue at test.'),
  s('deleg-poisoned-glue', 'www.victim.rogue.test.', 'A', 'NOERROR', 'secure',
    'the rogue.test. referral carries forged out-of-bailiwick glue ns-victim.nshost.test. A 127.20.250.2 (ignored)'),
  s('deleg-ns-a-aaaa', 'www.dual.test.', 'AAAA', 'NOERROR', 'secure', 'NS ns-dual.nshost.test. has A and AAAA (no CNAME)'),
  s('deleg-ns-host-aaaa', 'ns-dual.nshost.test.', 'AAAA', 'NOERROR', 'secure', 'the name server name\'s own AAAA, signed'),
  s('keytrap-dnskey', 'keytrap.test.', 'DNSKEY', 'NOERROR', 'secure',
    'the KeyTrap zone\'s DNSKEY RRset (KSK + ZSK + 40 colliders) is really signed by the DS-named KSK'),
];
