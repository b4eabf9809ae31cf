// The fictional DNS tree of the test hierarchy: root, TLDs and scenario zones, each with its
// signer, algorithm, denial method, fault and servers. build.ts adds SOA, NS, glue and DS.
// Addresses: 127.20.0.x root, 127.20.1.x TLDs, 127.20.2.x scenario zones, 127.20.3.x lame,
// 127.21.0.x SMTP servers (RFC 7672 scenarios). Every server is one NSD on port 53.

export type Signer = 'ldns' | 'bind' | 'none';
export type Algorithm = 8 | 10 | 13 | 14 | 15 | 16;
export type Fault =
  | 'change-data' // an A (and TLSA) rdata edited after signing
  | 'expired' // every RRSIG expired
  | 'not-yet-valid' // every RRSIG's inception in the future
  | 'strip-rrsig' // RRSIGs over www A removed
  | 'ds-nomatch' // parent DS names a key the child never publishes
  | 'dnskey-not-signed-by-ds-key' // DS names the KSK, but only the ZSK signs the DNSKEY RRset
  | 'unknown-alg' // DS and DNSKEY use unassigned algorithm 100 (RFC 4035 §5.2: insecure)
  | 'unknown-digest' // DS digest type 200 (RFC 4035 §5.2, RFC 4509 §3: insecure)
  | 'keytrap'; // CVE-2023-50387: many DNSKEYs sharing the ZSK's tag, many garbage RRSIGs with that tag

export interface NameServer {
  readonly name: string;
  readonly addr: string;
}

export interface CertContext {
  /** TLSA rdata "u s m hex" for an SMTP server's certificate (id from SMTP_SERVERS). */
  tlsa(id: string, usage: number, selector: number, mtype: number): string;
  smtpAddr(id: string): string;
}

export interface ZoneSpec {
  readonly name: string; // FQDN with trailing dot
  readonly parent: string | null;
  readonly signer: Signer;
  readonly alg?: Algorithm;
  readonly keys?: 'ksk-zsk' | 'csk';
  readonly denial?: 'nsec' | 'nsec3' | 'nsec3-optout';
  readonly nsec3Iterations?: number;
  /** NSEC3 salt, hex (default a1b2 for ldns, none for dnssec-signzone). */
  readonly nsec3Salt?: string;
  readonly dsDigests?: readonly number[]; // digest types of the DS set in the parent
  readonly servers: readonly NameServer[];
  readonly fault?: Fault;
  /** Served through a UDP proxy (servers[0].addr) in front of its NSD at `back`, which adds an
   * out-of-bailiwick A record for `name` to every referral (RFC 2181 §5.4.1 poisoning). */
  readonly injectGlue?: { readonly back: string; readonly name: string; readonly addr: string };
  /** Zone body (relative names allowed; $ORIGIN is the zone). SOA/NS/glue/DS are added. */
  readonly records: (ctx: CertContext) => readonly string[];
}

export interface SmtpServerSpec {
  readonly id: string;
  readonly host: string;
  readonly addr: string;
  /** 'self': self-signed leaf (DANE-EE); 'ca': leaf issued by the private CA (DANE-TA). */
  readonly cert: 'self' | 'ca' | null;
}

export const SMTP_SERVERS: readonly SmtpServerSpec[] = [
  { id: 'ee311', host: 'mx311.dane.test.', addr: '127.21.0.1', cert: 'self' },
  { id: 'ee301', host: 'mx301.dane.test.', addr: '127.21.0.2', cert: 'self' },
  { id: 'ta2', host: 'mx2.dane.test.', addr: '127.21.0.3', cert: 'ca' },
  { id: 'mismatch', host: 'mxbad.dane.test.', addr: '127.21.0.4', cert: 'self' },
  { id: 'insecure', host: 'mx.insec-nsec.test.', addr: '127.21.0.5', cert: 'self' },
  { id: 'bogus', host: 'mx.bogus-data.test.', addr: '127.21.0.6', cert: 'self' },
  { id: 'notls', host: 'mxnotls.dane.test.', addr: '127.21.0.7', cert: null },
];
/** Where the poisoned out-of-bailiwick glue points: nothing of the hierarchy listens here. */
export const POISON_GLUE_ADDR = '127.20.250.2';
/** Delegation-shape servers (127.20.4.x): name servers living in nshost.test. (issue 5). */
const DELEG = {
  nshost: { name: 'ns1.nshost.test.', addr: '127.20.4.1' },
  oob: { name: 'ns-oob.nshost.test.', addr: '127.20.4.2' },
  glueless: { name: 'ns-glueless.nshost.test.', addr: '127.20.4.3' },
  victim: { name: 'ns-victim.nshost.test.', addr: '127.20.4.4' },
  rogue: { name: 'ns1.rogue.test.', addr: '127.20.4.5' }, // the proxy; its NSD is at .6
  dual: { name: 'ns-dual.nshost.test.', addr: '127.20.4.7' },
} as const;
const ROGUE_BACK = '127.20.4.6';

/** CVE-2023-50868 zones: a salt of the RFC 5155 §3.1.5 maximum (255 octets, dnssec-signzone) and one
 * of 127 octets (ldns-signzone 1.8.3 aborts on salts of 128 octets or more). */
export const NSEC3_TRAP_SALT = Buffer.from(Array.from({ length: 255 }, (_, i) => (i * 37 + 11) & 0xff)).toString('hex');
const NSEC3_TRAP_SALT_LDNS = NSEC3_TRAP_SALT.slice(0, 254);

/** The failing MX host of the "two MX, one failing" scenario: nothing listens here. */
export const DEAD_MX_ADDR = '127.21.0.250';
export const UNBOUND_ADDR = '127.20.9.1';
export const LAME_ADDR = '127.20.3.1';

const ROOT_NS: readonly NameServer[] = [
  { name: 'a.root-servers.test.', addr: '127.20.0.1' },
  { name: 'b.root-servers.test.', addr: '127.20.0.2' },
];

let nextScenarioHost = 1;
/** One fresh server (own address) for a scenario zone, named ns1.<zone>. */
function own(zone: string): NameServer[] {
  return [{ name: `ns1.${zone}`, addr: `127.20.2.${nextScenarioHost++}` }];
}

const WWW = ['www 3600 IN A 192.0.2.1', 'www 3600 IN AAAA 2001:db8::1', 'www 3600 IN TXT "hello"'];
const WILD = ['*.wild 3600 IN A 192.0.2.8'];

/** A plain secure leaf zone used by the algorithm/digest scenarios. */
function leaf(name: string, signer: Signer, alg: Algorithm, keys: 'ksk-zsk' | 'csk',
  denial: 'nsec' | 'nsec3', dsDigests: readonly number[]): ZoneSpec {
  return { name, parent: 'test.', signer, alg, keys, denial, dsDigests, servers: own(name), records: () => WWW };
}

export const ZONES: readonly ZoneSpec[] = [
  {
    name: '.', parent: null, signer: 'ldns', alg: 8, keys: 'ksk-zsk', denial: 'nsec', servers: ROOT_NS,
    records: () => [],
  },
  {
    name: 'test.', parent: '.', signer: 'ldns', alg: 13, keys: 'ksk-zsk', denial: 'nsec', dsDigests: [2],
    servers: [{ name: 'ns1.test.', addr: '127.20.1.1' }, { name: 'ns2.test.', addr: '127.20.1.2' }],
    records: () => ROOT_NS.map((s) => `${s.name} 3600 IN A ${s.addr}`),
  },
  {
    name: 'example.', parent: '.', signer: 'bind', alg: 8, keys: 'ksk-zsk', denial: 'nsec3', dsDigests: [2, 4],
    servers: [{ name: 'ns1.example.', addr: '127.20.1.3' }], records: () => [],
  },
  // Algorithms, key layouts, digests and signers.
  { ...leaf('alg8.test.', 'ldns', 8, 'ksk-zsk', 'nsec', [2]), records: () => [...WWW, ...WILD] },
  leaf('alg10.test.', 'bind', 10, 'ksk-zsk', 'nsec3', [2]),
  leaf('alg13.test.', 'ldns', 13, 'csk', 'nsec', [4]),
  leaf('alg14.test.', 'bind', 14, 'csk', 'nsec', [4]),
  leaf('alg15.test.', 'ldns', 15, 'csk', 'nsec', [2, 4]),
  leaf('alg16.test.', 'bind', 16, 'ksk-zsk', 'nsec', [2]),
  { ...leaf('nsec3.test.', 'ldns', 13, 'ksk-zsk', 'nsec3', [2]), records: () => [...WWW, ...WILD] },
  {
    name: 'optout.test.', parent: 'test.', signer: 'ldns', alg: 13, keys: 'csk', denial: 'nsec3-optout',
    dsDigests: [2], servers: own('optout.test.'), records: () => WWW,
  },
  { name: 'unsigned.optout.test.', parent: 'optout.test.', signer: 'none', servers: own('unsigned.optout.test.'), records: () => WWW },
  {
    name: 'iter.test.', parent: 'test.', signer: 'ldns', alg: 13, keys: 'csk', denial: 'nsec3', nsec3Iterations: 200,
    dsDigests: [2], servers: own('iter.test.'), records: () => WWW,
  },
  {
    ...leaf('cname.test.', 'bind', 13, 'csk', 'nsec', [2]),
    records: () => [
      ...WWW, 'a 3600 IN CNAME b', 'b 3600 IN CNAME www',
      'across 3600 IN CNAME www.alg8.test.', 'toinsecure 3600 IN CNAME www.insec-nsec.test.',
    ],
  },
  { ...leaf('dname.test.', 'bind', 14, 'ksk-zsk', 'nsec3', [2]), records: () => [...WWW, 'sub 3600 IN DNAME alg13.test.'] },
  { name: 'insec-nsec.test.', parent: 'test.', signer: 'none', servers: own('insec-nsec.test.'), records: (c) => [
    ...WWW, 'mail 3600 IN MX 10 mx', `mx 3600 IN A ${c.smtpAddr('insecure')}`, `_25._tcp.mx 3600 IN TLSA ${c.tlsa('insecure', 3, 1, 1)}`,
  ] },
  { name: 'insec-nsec3.example.', parent: 'example.', signer: 'none', servers: own('insec-nsec3.example.'), records: () => WWW },
  // Bogus zones.
  {
    name: 'bogus-data.test.', parent: 'test.', signer: 'ldns', alg: 13, keys: 'csk', denial: 'nsec', dsDigests: [2],
    fault: 'change-data', servers: own('bogus-data.test.'), records: (c) => [
      ...WWW, `mx 3600 IN A ${c.smtpAddr('bogus')}`, `_25._tcp.mx 3600 IN TLSA ${c.tlsa('bogus', 3, 1, 1)}`,
    ],
  },
  { ...leaf('expired.test.', 'ldns', 13, 'csk', 'nsec', [2]), fault: 'expired' },
  { ...leaf('future.test.', 'ldns', 13, 'csk', 'nsec', [2]), fault: 'not-yet-valid' },
  { ...leaf('ds-nomatch.test.', 'ldns', 13, 'csk', 'nsec', [2]), fault: 'ds-nomatch' },
  { ...leaf('stripped.test.', 'ldns', 13, 'ksk-zsk', 'nsec', [2]), fault: 'strip-rrsig' },
  { ...leaf('wrongksk.test.', 'ldns', 13, 'ksk-zsk', 'nsec', [2]), fault: 'dnskey-not-signed-by-ds-key' },
  { name: 'unknown-alg.test.', parent: 'test.', signer: 'none', dsDigests: [2], fault: 'unknown-alg', servers: own('unknown-alg.test.'), records: () => WWW },
  { ...leaf('unknown-digest.test.', 'ldns', 13, 'csk', 'nsec', [2]), fault: 'unknown-digest' },
  // Transport: TC -> TCP, lame server.
  {
    ...leaf('big.test.', 'ldns', 13, 'csk', 'nsec', [2]),
    records: () => [...WWW, ...Array.from({ length: 12 }, (_, i) => `txt 3600 IN TXT "${String(i).padStart(2, '0')}${'x'.repeat(240)}"`)],
  },
  {
    name: 'lame.test.', parent: 'test.', signer: 'ldns', alg: 13, keys: 'csk', denial: 'nsec', dsDigests: [2],
    servers: [...own('lame.test.'), { name: 'ns2.lame.test.', addr: LAME_ADDR }], records: () => WWW,
  },
  // RFC 7672 MX/TLSA scenarios.
  {
    name: 'dane.test.', parent: 'test.', signer: 'ldns', alg: 13, keys: 'ksk-zsk', denial: 'nsec', dsDigests: [2],
    servers: own('dane.test.'), records: (c) => [
      'd311 3600 IN MX 10 mx311', `mx311 3600 IN A ${c.smtpAddr('ee311')}`, `_25._tcp.mx311 3600 IN TLSA ${c.tlsa('ee311', 3, 1, 1)}`,
      'd301 3600 IN MX 10 mx301', `mx301 3600 IN A ${c.smtpAddr('ee301')}`, `_25._tcp.mx301 3600 IN TLSA ${c.tlsa('ee301', 3, 0, 1)}`,
      'd2 3600 IN MX 10 mx2', `mx2 3600 IN A ${c.smtpAddr('ta2')}`, `_25._tcp.mx2 3600 IN TLSA ${c.tlsa('ta2', 2, 0, 1)}`,
      `_25._tcp.mx2 3600 IN TLSA ${c.tlsa('ta2', 2, 1, 1)}`,
      'dmismatch 3600 IN MX 10 mxbad', `mxbad 3600 IN A ${c.smtpAddr('mismatch')}`,
      `_25._tcp.mxbad 3600 IN TLSA 3 1 1 ${'00'.repeat(32)}`,
      'dinsecure 3600 IN MX 10 mx.insec-nsec.test.',
      'dbogus 3600 IN MX 10 mx.bogus-data.test.',
      'dcname 3600 IN MX 10 mxalias', 'mxalias 3600 IN CNAME mx311',
      'dtwo 3600 IN MX 10 mxdead', 'dtwo 3600 IN MX 20 mx311', `mxdead 3600 IN A ${DEAD_MX_ADDR}`,
      `_25._tcp.mxdead 3600 IN TLSA ${c.tlsa('ee311', 3, 1, 1)}`,
      'dnone 3600 IN MX 10 mxnotls', `mxnotls 3600 IN A ${c.smtpAddr('notls')}`,
    ],
  },
  // Hostile zones (issue 6): KeyTrap, CVE-2023-50387. The wildcard gives fresh names per query.
  { ...leaf('keytrap.test.', 'ldns', 13, 'ksk-zsk', 'nsec', [2]), fault: 'keytrap', records: () => [...WWW, '* 3600 IN A 192.0.2.9'] },
  // NSEC3 closest-encloser hashing, CVE-2023-50868: 150 iterations (the accepted maximum, RFC 9276
  // §3.2 / NSEC3_ITERATIONS_SOFT), the longest salt, an apex wildcard (every fresh name needs a
  // next-closer proof, RFC 5155 §8.8) and NXDOMAIN below www (no *.www). nsec3trap-over: 151 iterations.
  {
    name: 'nsec3trap.test.', parent: 'test.', signer: 'bind', alg: 13, keys: 'csk', denial: 'nsec3', nsec3Iterations: 150,
    nsec3Salt: NSEC3_TRAP_SALT, dsDigests: [2], servers: own('nsec3trap.test.'), records: () => [...WWW, '* 3600 IN A 192.0.2.10'],
  },
  {
    name: 'nsec3trap-over.test.', parent: 'test.', signer: 'ldns', alg: 13, keys: 'csk', denial: 'nsec3', nsec3Iterations: 151,
    nsec3Salt: NSEC3_TRAP_SALT_LDNS, dsDigests: [2], servers: own('nsec3trap-over.test.'), records: () => [...WWW, '* 3600 IN A 192.0.2.10'],
  },
  // Delegation shapes (issue 5): every NS name below lives in nshost.test., so the parents carry
  // no glue; oob.example's is out of bailiwick (another TLD), rogue.test's referral carries forged
  // out-of-bailiwick glue for ns-victim, ns-dual has A and AAAA (::1, where nothing listens).
  {
    ...leaf('nshost.test.', 'ldns', 13, 'csk', 'nsec', [2]), servers: [DELEG.nshost], records: () => [
      ...WWW, ...(['oob', 'glueless', 'victim', 'dual'] as const).map((k) => `${DELEG[k].name} 3600 IN A ${DELEG[k].addr}`),
      `${DELEG.dual.name} 3600 IN AAAA ::1`,
    ],
  },
  { ...leaf('oob.example.', 'ldns', 13, 'csk', 'nsec', [2]), parent: 'example.', servers: [DELEG.oob] },
  { ...leaf('glueless.test.', 'bind', 13, 'csk', 'nsec', [2]), servers: [DELEG.glueless] },
  {
    ...leaf('rogue.test.', 'ldns', 13, 'csk', 'nsec', [2]), servers: [DELEG.rogue],
    injectGlue: { back: ROGUE_BACK, name: DELEG.victim.name, addr: POISON_GLUE_ADDR },
  },
  { ...leaf('victim.rogue.test.', 'ldns', 13, 'csk', 'nsec', [2]), parent: 'rogue.test.', servers: [DELEG.victim] },
  { ...leaf('dual.test.', 'ldns', 13, 'csk', 'nsec', [2]), servers: [DELEG.dual] },
];

/** Every NSD instance: address -> zones it serves (the lame one serves none). */
export function serverPlan(zones: readonly ZoneSpec[]): Map<string, string[]> {
  const plan = new Map<string, string[]>();
  for (const z of zones) {
    for (const s of z.servers) {
      const addr = z.injectGlue?.back ?? s.addr; // a proxied zone's NSD sits behind the proxy
      const list = plan.get(addr) ?? [];
      if (addr !== LAME_ADDR) list.push(z.name);
      plan.set(addr, list);
    }
  }
  return plan;
}
