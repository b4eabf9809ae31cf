// mx.ts — resolveMx: the MX hosts of a mail domain with the DNSSEC proof of the MX lookup.
// RFC 5321 §5.1: ascending preference; no MX records (NODATA) → the domain itself is the implicit
// MX (after CNAME expansion); RFC 7505: a lone "MX 0 ." (null MX) means the domain takes no mail.
// Security comes with the value (Proven); a failed lookup never turns into "implicit MX".
import type { Proven } from '../dnssec/outcome.js';
import { Rcode, RRType } from '../wire/constants.js';
import { Name } from '../wire/name.js';
import { cnameChain, type DnsLookup, type DnsSource, type LookupOptions } from './source.js';

/** One MX host: `exchange` exactly as the MX RRset names it (not CNAME-expanded, RFC 7672 §2.2.1). */
export interface MxHost {
  readonly preference: number;
  readonly exchange: Name;
  /** true for the implicit MX of RFC 5321 §5.1 (no MX RRset: the domain's own address records). */
  readonly implicit: boolean;
}

/** How the host list came about: MX RRset, implicit MX, null MX, no such domain, or lookup failure. */
export type MxKind = 'mx' | 'implicit' | 'null-mx' | 'nxdomain' | 'failed';

/** The hosts (empty for null-mx, nxdomain, failed) with the outcome of the MX lookup. */
export interface MxResult extends Proven<MxHost[]> {
  readonly kind: MxKind;
}

/** Presentation name from user input: a trailing dot is optional. Throws InvalidArgumentError. */
export function toName(domain: Name | string): Name {
  if (typeof domain !== 'string') return domain;
  return Name.fromText(domain.endsWith('.') ? domain : `${domain}.`);
}

/** Pure part of resolveMx: turns one MX lookup into the ordered host list (RFC 5321 §5.1, RFC 7505). */
export function mxFromLookup(domain: Name, lookup: DnsLookup): MxResult {
  const { value, outcome } = lookup;
  if (outcome.security === 'bogus' || outcome.security === 'indeterminate' || (value.rcode !== Rcode.NOERROR && value.rcode !== Rcode.NXDOMAIN)) {
    return { value: [], outcome, kind: 'failed' };
  }
  if (value.rcode === Rcode.NXDOMAIN) return { value: [], outcome, kind: 'nxdomain' };
  const chain = cnameChain(domain, value.answer);
  const owner = chain[chain.length - 1] as Name;
  const mx: { preference: number; exchange: Name }[] = [];
  for (const r of value.answer) {
    if (r.type !== RRType.MX || !r.name.equals(owner)) continue;
    const d = r.decode();
    if (d.type === 'MX') mx.push({ preference: d.preference, exchange: d.exchange });
  }
  if (mx.length === 0) {
    // RFC 5321 §5.1: "the domain is treated as if it had an MX with preference 0 pointing to itself"
    // — the CNAME-expanded name, since "the resulting name is processed as if it were the initial name".
    return { value: [{ preference: 0, exchange: owner, implicit: true }], outcome, kind: 'implicit' };
  }
  // RFC 7505 §3: a null MX is the only MX record; a stray "." among real hosts is just dropped.
  const real = mx.filter((m) => !m.exchange.isRoot());
  if (real.length === 0) return { value: [], outcome, kind: 'null-mx' };
  real.sort((a, b) => a.preference - b.preference); // stable: equal preferences keep RRset order
  const seen = new Set<string>();
  const hosts: MxHost[] = [];
  for (const m of real) {
    if (seen.has(m.exchange.key())) continue;
    seen.add(m.exchange.key());
    hosts.push({ preference: m.preference, exchange: m.exchange, implicit: false });
  }
  return { value: hosts, outcome, kind: 'mx' };
}

/** The MX hosts of `domain` in RFC 5321 §5.1 order, with the security of the MX lookup. */
export async function resolveMx(source: DnsSource, domain: Name | string, opts: LookupOptions = {}): Promise<MxResult> {
  const name = toName(domain);
  return mxFromLookup(name, await source.lookup(name, RRType.MX, opts));
}
