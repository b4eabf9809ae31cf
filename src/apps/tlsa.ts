// tlsa.ts — validated address and TLSA lookups for an SMTP server (RFC 7672 §2.2.1–2.2.3,
// RFC 6698 §3): the host's A/AAAA with their CNAME expansion, the TLSA RRset at
// _port._tcp.<base>, and the TLSA base domain rule (RFC 7672 §2.2.3, RFC 7671 §7): the
// CNAME-expanded name first when the whole expansion is secure, then the original name. Only a
// validated NOERROR/NODATA or NXDOMAIN is "no TLSA"; anything else stops the search (§2.1.1).
import { type Proven, weakest } from '../dnssec/outcome.js';
import { InvalidArgumentError } from '../util/errors.js';
import { Rcode, RRType } from '../wire/constants.js';
import { Name } from '../wire/name.js';
import type { TlsaRecord } from './dane/types.js';
import { toName } from './mx.js';
import { cnameChain, type DnsLookup, type DnsSource, type LookupOptions } from './source.js';

export interface HostAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** A host's addresses and names: `original` as asked, `expanded` after CNAMEs (same when none). */
export interface HostAddresses {
  readonly original: Name;
  readonly expanded: Name;
  readonly addresses: readonly HostAddress[];
}

/** The TLSA RRset chosen for a host and the TLSA base domain it was found at (RFC 7672 §2.2.3). */
export interface TlsaResult extends Proven<TlsaRecord[]> {
  readonly baseDomain: Name;
  /** Base domains asked, in order. */
  readonly tried: readonly Name[];
}

/** Usage 255 marks RDATA too short to be a TLSA record: it counts as present but unusable. */
export const MALFORMED_TLSA_USAGE = 255;

/** `_port._tcp.base` (RFC 6698 §3). */
export function tlsaName(base: Name, port: number): Name {
  return Name.fromText(`_${port}._tcp`, base);
}

function usable(l: DnsLookup): boolean {
  const s = l.outcome.security;
  return (s === 'secure' || s === 'insecure') && (l.value.rcode === Rcode.NOERROR || l.value.rcode === Rcode.NXDOMAIN);
}

/** Pure: A and AAAA lookups of one host → its addresses; the outcome is the weaker of the two. */
export function addressesFromLookups(host: Name, a: DnsLookup, aaaa: DnsLookup): Proven<HostAddresses> {
  const outcome = weakest(a.outcome, aaaa.outcome);
  const chain = cnameChain(host, a.value.answer.length > 0 ? a.value.answer : aaaa.value.answer);
  const expanded = chain[chain.length - 1] as Name;
  const addresses: HostAddress[] = [];
  for (const [l, type, family] of [[a, RRType.A, 4], [aaaa, RRType.AAAA, 6]] as const) {
    if (!usable(l)) continue;
    for (const r of l.value.answer) {
      if (r.type !== type) continue;
      const d = r.decode();
      if ((d.type === 'A' || d.type === 'AAAA') && !addresses.some((x) => x.address === d.address)) addresses.push({ address: d.address, family });
    }
  }
  return { value: { original: host, expanded, addresses }, outcome };
}

/** A and AAAA of `host`, asked in parallel (each family is tried and reported on its own, §2.2.1). */
export async function resolveHostAddresses(source: DnsSource, host: Name | string, opts: LookupOptions = {}): Promise<Proven<HostAddresses>> {
  const name = toName(host);
  const [a, aaaa] = await Promise.all([source.lookup(name, RRType.A, opts), source.lookup(name, RRType.AAAA, opts)]);
  return addressesFromLookups(name, a, aaaa);
}

/** Pure: one TLSA lookup → the records at the end of its CNAME chain (RFC 7671 §7 allows TLSA CNAMEs). */
export function tlsaFromLookup(qname: Name, lookup: DnsLookup): Proven<TlsaRecord[]> {
  if (!usable(lookup)) return { value: [], outcome: lookup.outcome };
  const chain = cnameChain(qname, lookup.value.answer);
  const owner = chain[chain.length - 1] as Name;
  const out: TlsaRecord[] = [];
  for (const r of lookup.value.answer) {
    if (r.type !== RRType.TLSA || !r.name.equals(owner)) continue;
    const d = r.decode();
    out.push(d.type === 'TLSA'
      ? { usage: d.usage, selector: d.selector, matchingType: d.matchingType, data: d.data }
      : { usage: MALFORMED_TLSA_USAGE, selector: MALFORMED_TLSA_USAGE, matchingType: MALFORMED_TLSA_USAGE, data: r.rdata });
  }
  return { value: out, outcome: lookup.outcome };
}

/**
 * TLSA base domains to try, in order (RFC 7672 §2.2.3): the CNAME-expanded name first, but only
 * when the address lookup (and so every CNAME of the expansion) is secure; then the original name.
 */
export function tlsaCandidates(addrs: Proven<HostAddresses>): Name[] {
  const { original, expanded } = addrs.value;
  return addrs.outcome.security === 'secure' && !expanded.equals(original) ? [expanded, original] : [original];
}

/**
 * Pure: picks the TLSA RRset from lookups made in candidate order. A secure non-empty RRset wins;
 * an unusable lookup (SERVFAIL, timeout, bogus, indeterminate) ends the search and is returned as
 * is — the host is then unusable, never "no TLSA" (RFC 7672 §2.1.1); a validated denial or an
 * insecure RRset lets the next candidate be tried. With nothing secure found, the first insecure
 * RRset (for reporting) or else the last denial is returned.
 */
export function chooseTlsa(results: readonly { base: Name; tlsa: Proven<TlsaRecord[]> }[]): TlsaResult {
  const tried: Name[] = [];
  let insecure: TlsaResult | undefined;
  let last: TlsaResult | undefined;
  for (const { base, tlsa } of results) {
    tried.push(base);
    const r: TlsaResult = { ...tlsa, baseDomain: base, tried: [...tried] };
    const s = tlsa.outcome.security;
    if (s === 'bogus' || s === 'indeterminate') return r;
    if (s === 'secure' && tlsa.value.length > 0) return r;
    if (s === 'insecure' && tlsa.value.length > 0) insecure ??= r;
    last = r;
  }
  if (last === undefined) throw new InvalidArgumentError('chooseTlsa needs at least one lookup');
  return insecure === undefined ? last : { ...insecure, tried };
}

/** TLSA for a host whose addresses are known, applying the base domain rule; lookups stop early. */
export async function resolveTlsaFor(source: DnsSource, addrs: Proven<HostAddresses>, port = 25, opts: LookupOptions = {}): Promise<TlsaResult> {
  const results: { base: Name; tlsa: Proven<TlsaRecord[]> }[] = [];
  for (const base of tlsaCandidates(addrs)) {
    const q = tlsaName(base, port);
    const tlsa = tlsaFromLookup(q, await source.lookup(q, RRType.TLSA, opts));
    results.push({ base, tlsa });
    const s = tlsa.outcome.security;
    if (s === 'bogus' || s === 'indeterminate' || (s === 'secure' && tlsa.value.length > 0)) break;
  }
  return chooseTlsa(results);
}

/** resolveTlsa(host, port = 25): address lookup for the CNAME rule, then the TLSA RRset. */
export async function resolveTlsa(source: DnsSource, host: Name | string, port = 25, opts: LookupOptions = {}): Promise<TlsaResult> {
  return resolveTlsaFor(source, await resolveHostAddresses(source, host, opts), port, opts);
}
