// check.ts — daneCheck(domain): the whole RFC 7672 path for one mail domain, as a report: MX
// lookup → per host addresses, TLSA (smtp-policy.ts) → per address STARTTLS + TLSA match
// (starttls.ts, match.ts), and the verdicts of the `dane-check` contract (issue 8). Also
// hostPolicy(host) for MTAs that picked the next hop themselves. Each address is its own probe.
import type { X509Certificate } from 'node:crypto';
import { hostname } from 'node:os';
import type { Security } from '../../dnssec/outcome.js';
import { systemClock, type Clock } from '../../util/clock.js';
import { RRType } from '../../wire/constants.js';
import type { Name } from '../../wire/name.js';
import { mxFromLookup, toName, type MxResult } from '../mx.js';
import type { DnsSource } from '../source.js';
import { resolveHostAddresses, resolveTlsaFor, type HostAddress } from '../tlsa.js';
import { matchTlsa } from './match.js';
import { addressPolicy, hostText, insecureMxPolicy, mxDecision, tlsaPolicy, type HostPolicy } from './smtp-policy.js';
import { smtpStarttls, type StarttlsTimeouts } from './starttls.js';
import type { TlsaRecord } from './types.js';

export type DomainVerdict = 'dane-verified' | 'dane-failed' | 'dnssec-bogus' | 'no-dane';
export type HostVerdict = 'verified' | 'failed' | 'no-tlsa' | 'bogus' | 'unreachable';
/** Per address: verified/failed/unreachable for dane-only hosts, tls/failed for encrypt, skipped otherwise. */
export type AddressStatus = 'verified' | 'failed' | 'unreachable' | 'tls' | 'skipped';

export interface AddressReport extends HostAddress {
  readonly status: AddressStatus;
  readonly detail: string;
  /** The TLSA record that authenticated the peer (verified only). */
  readonly matched?: TlsaRecord;
  /** The chain the server presented, leaf first (empty when no handshake). */
  readonly chain: readonly X509Certificate[];
  readonly transcript: readonly string[];
}

export interface HostReport {
  /** MX target exactly as written in the MX RRset (not CNAME-expanded), without the final dot. */
  readonly host: string;
  readonly verdict: HostVerdict;
  readonly reason: string;
  readonly policy: HostPolicy;
  readonly addresses: readonly AddressReport[];
}

export interface DaneReport {
  readonly domain: string;
  readonly verdict: DomainVerdict;
  readonly reason: string;
  readonly mx: MxResult;
  /** Set when the DNS source itself failed (e.g. the --server did not answer): an operational error. */
  readonly sourceFailure?: string;
  readonly hosts: readonly HostReport[];
}

export interface HostPolicyOptions {
  readonly port?: number;
  /** Security of the MX RRset that named this host; 'insecure' → no DANE (default: secure). */
  readonly mxSecurity?: Security;
  readonly signal?: AbortSignal;
}

export interface DaneCheckOptions extends Omit<HostPolicyOptions, 'mxSecurity'> {
  readonly source: DnsSource;
  /** Our EHLO name (default: this machine's host name). */
  readonly heloName?: string;
  readonly timeouts?: Partial<StarttlsTimeouts>;
  readonly clock?: Clock;
  /** false: DNS only, no STARTTLS probes (dane-only hosts then report unreachable). */
  readonly connect?: boolean;
  /** Operator view: any failed or bogus host, or failed/unreachable address of a DANE host → dane-failed. */
  readonly strict?: boolean;
}

/** The DANE policy for one next-hop host (RFC 7672 §2.2): addresses, TLSA base domain, TLSA. */
export async function hostPolicy(source: DnsSource, host: Name | string, opts: HostPolicyOptions = {}): Promise<HostPolicy> {
  const name = toName(host);
  const text = hostText(name);
  const lo = opts.signal === undefined ? {} : { signal: opts.signal };
  if (opts.mxSecurity === 'insecure') return insecureMxPolicy(text, (await resolveHostAddresses(source, name, lo)).value);
  const addrs = await resolveHostAddresses(source, name, lo);
  const early = addressPolicy(text, addrs);
  if (early !== null) return early;
  return tlsaPolicy(text, addrs, await resolveTlsaFor(source, addrs, opts.port ?? 25, lo));
}

/** One STARTTLS probe of one address, judged against the host policy. */
async function probe(p: HostPolicy, addr: HostAddress, opts: DaneCheckOptions): Promise<AddressReport> {
  const r = await smtpStarttls({
    host: addr.address, port: opts.port ?? 25, sni: p.tlsaBaseDomain, heloName: opts.heloName ?? hostname(),
    ...(opts.timeouts === undefined ? {} : { timeouts: opts.timeouts }), ...(opts.signal === undefined ? {} : { signal: opts.signal }),
  });
  if (!r.ok) {
    // No TCP connection or no SMTP service: unreachable. Anything later (no STARTTLS, refused,
    // handshake) is a failure of a host whose TLSA makes TLS mandatory (RFC 7672 §2.2).
    const unreachable = r.step === 'connect' || r.step === 'greeting';
    return { ...addr, status: unreachable ? 'unreachable' : 'failed', detail: `${r.failure} at ${r.step}: ${r.detail}`, chain: [], transcript: r.transcript };
  }
  const tlsInfo = `${r.protocol ?? 'TLS'} ${r.cipher}`;
  if (p.policy !== 'dane-only') return { ...addr, status: 'tls', detail: `${tlsInfo}, unauthenticated`, chain: r.chain, transcript: r.transcript };
  const ids = {
    tlsaBaseDomain: p.tlsaBaseDomain, nowMs: (opts.clock ?? systemClock).nowMs(),
    ...(p.mxHost.toLowerCase() !== p.tlsaBaseDomain.toLowerCase() ? { mxHost: p.mxHost } : {}),
  };
  const m = matchTlsa(r.chain, p.usable, ids);
  if (m.ok) {
    const how = m.usage === 3 ? 'DANE-EE' : `DANE-TA at depth ${m.depth}${m.taSent ? '' : ' (trust anchor not sent)'}`;
    return { ...addr, status: 'verified', detail: `${tlsInfo}, ${how}`, matched: m.matched, chain: r.chain, transcript: r.transcript };
  }
  return { ...addr, status: 'failed', detail: `${tlsInfo}, ${m.reason}: ${m.detail}`, chain: r.chain, transcript: r.transcript };
}

const NO_TLSA_CAUSES: ReadonlySet<string> = new Set(['mx-insecure', 'address-insecure', 'no-tlsa', 'tlsa-insecure', 'tlsa-none-usable']);

/** Host verdict from its policy and probes: the delivery view (any verified address will do). */
export function hostVerdict(p: HostPolicy, addresses: readonly AddressReport[]): { verdict: HostVerdict; reason: string } {
  if (p.cause === 'address-unusable' || p.cause === 'tlsa-unusable') return { verdict: 'bogus', reason: p.reason };
  if (p.cause === 'no-addresses') return { verdict: 'unreachable', reason: p.reason };
  if (NO_TLSA_CAUSES.has(p.cause)) return { verdict: 'no-tlsa', reason: p.reason };
  const pick = (s: AddressStatus): AddressReport | undefined => addresses.find((a) => a.status === s);
  const v = pick('verified');
  if (v !== undefined) return { verdict: 'verified', reason: `${v.address}: ${v.detail}` };
  const f = pick('failed');
  if (f !== undefined) return { verdict: 'failed', reason: `${f.address}: ${f.detail}` };
  const u = addresses[0];
  return { verdict: 'unreachable', reason: u === undefined ? 'not probed' : `${u.address}: ${u.detail}` };
}

/** Domain verdict (issue 8): the delivery view an MTA takes, or the operator view with strict. */
export function domainVerdict(hosts: readonly HostReport[], strict: boolean): DomainVerdict {
  const has = (v: HostVerdict): boolean => hosts.some((h) => h.verdict === v);
  if (strict) {
    const addrBad = hosts.some((h) => h.policy.policy === 'dane-only' && h.addresses.some((a) => a.status === 'failed' || a.status === 'unreachable'));
    if (has('failed') || has('bogus') || addrBad) return 'dane-failed';
  }
  if (has('verified')) return 'dane-verified';
  if (has('bogus')) return 'dnssec-bogus';
  if (has('failed')) return 'dane-failed';
  return 'no-dane';
}

async function checkHost(mxHost: Name, mxSecurity: Security, opts: DaneCheckOptions): Promise<HostReport> {
  const p = await hostPolicy(opts.source, mxHost, { ...opts, mxSecurity });
  const connect = opts.connect !== false && (p.policy === 'dane-only' || p.policy === 'encrypt');
  const addresses: AddressReport[] = connect
    ? await Promise.all(p.addresses.map((a) => probe(p, a, opts)))
    : p.addresses.map((a) => ({ ...a, status: 'skipped', detail: p.policy === 'dane-only' ? 'not probed' : `policy ${p.policy}: not probed`, chain: [], transcript: [] }));
  return { host: p.mxHost, ...hostVerdict(p, addresses), policy: p, addresses };
}

/** Checks DANE for SMTP (RFC 7672) for `domain`: every MX host and every address of each. */
export async function daneCheck(domain: Name | string, opts: DaneCheckOptions): Promise<DaneReport> {
  const name = toName(domain);
  const lookup = await opts.source.lookup(name, RRType.MX, opts.signal === undefined ? {} : { signal: opts.signal });
  const mx = mxFromLookup(name, lookup);
  const text = hostText(name);
  const failure = lookup.value.sourceFailure === undefined ? {} : { sourceFailure: lookup.value.sourceFailure };
  const d = mxDecision(mx);
  if (d.kind === 'unusable') return { domain: text, verdict: 'dnssec-bogus', reason: d.reason, mx, hosts: [], ...failure };
  if (d.kind === 'no-mail') return { domain: text, verdict: 'no-dane', reason: d.reason, mx, hosts: [] };
  const hosts = await Promise.all(mx.value.map((h) => checkHost(h.exchange, mx.outcome.security, opts)));
  const verdict = domainVerdict(hosts, opts.strict === true);
  const reason = d.kind === 'no-dane' ? d.reason
    : verdict === 'no-dane' ? 'no MX host has usable secure TLSA records'
      : `${hosts.filter((h) => h.verdict === 'verified').length} of ${hosts.length} MX host(s) verified`;
  return { domain: text, verdict, reason, mx, hosts };
}
