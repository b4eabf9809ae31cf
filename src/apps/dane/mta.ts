// mta.ts — DANE for Node MTAs (Nodemailer, ZoneMTA, Haraka outbound): for a next-hop host, the
// RFC 7672 policy (dane-only / encrypt / may / defer), the tls.connect options (SNI = TLSA base
// domain, RFC 7672 §8.1; PKIX off because DANE decides, §3.1) and the check to run on the
// TLSSocket after the STARTTLS handshake, before any MAIL FROM is sent (RFC 7672 §2.2).
import type { TLSSocket } from 'node:tls';
import { systemClock, type Clock } from '../../util/clock.js';
import type { Name } from '../../wire/name.js';
import { resolveMx } from '../mx.js';
import type { DnsSource } from '../source.js';
import type { HostAddress } from '../tlsa.js';
import { hostPolicy, type HostPolicyOptions } from './check.js';
import { verifyTlsSocket } from './match.js';
import { mxDecision, type HostPolicy, type MxDecision, type PolicyWord } from './smtp-policy.js';
import type { DaneMatch } from './types.js';

/** TLS 1.2 at least on mandatory TLS (RFC 8996 deprecates 1.0/1.1; RFC 7672 leaves the floor to us). */
export const DANE_MIN_TLS_VERSION = 'TLSv1.2';

/** Options for tls.connect (or Nodemailer's `tls`): verification is done by `verify`, not PKIX. */
export interface DaneTlsOptions {
  readonly servername?: string;
  readonly rejectUnauthorized: false;
  readonly minVersion?: 'TLSv1.2';
}

export interface MtaNextHop {
  readonly policy: PolicyWord;
  readonly reason: string;
  readonly host: string;
  readonly addresses: readonly HostAddress[];
  /** true for dane-only and encrypt: no plaintext fallback (Nodemailer `requireTLS`). */
  readonly requireTls: boolean;
  readonly tlsOptions: DaneTlsOptions;
  /** The full policy (TLSA records, base domain, cause). */
  readonly detail: HostPolicy;
  /** DANE match of the connected peer; meaningful for dane-only (others: no-usable-tlsa). */
  verify(socket: TLSSocket): DaneMatch;
  /** May mail be sent on this connection? dane-only: authenticated; encrypt: TLS; may: yes; defer: no. */
  accept(socket: TLSSocket | { readonly encrypted?: boolean }): { readonly ok: boolean; readonly detail: string };
}

export interface MtaOptions extends HostPolicyOptions {
  readonly clock?: Clock;
}

function isTls(s: { readonly encrypted?: boolean }): s is TLSSocket {
  return s.encrypted === true;
}

/** Builds the next-hop object from a host policy (pure apart from the clock read in verify). */
export function nextHopFrom(p: HostPolicy, clock: Clock = systemClock): MtaNextHop {
  const mandatory = p.policy === 'dane-only' || p.policy === 'encrypt';
  const tlsOptions: DaneTlsOptions = {
    rejectUnauthorized: false,
    ...(p.policy === 'dane-only' ? { servername: p.tlsaBaseDomain } : {}),
    ...(mandatory ? { minVersion: DANE_MIN_TLS_VERSION } : {}),
  };
  const ids = () => ({
    tlsaBaseDomain: p.tlsaBaseDomain, nowMs: clock.nowMs(),
    ...(p.mxHost.toLowerCase() !== p.tlsaBaseDomain.toLowerCase() ? { mxHost: p.mxHost } : {}),
  });
  const verify = (socket: TLSSocket): DaneMatch => p.policy === 'dane-only'
    ? verifyTlsSocket(socket, p.usable, ids())
    : { ok: false, reason: 'no-usable-tlsa', detail: `policy ${p.policy}: nothing to authenticate against` };
  return {
    policy: p.policy, reason: p.reason, host: p.mxHost, addresses: p.addresses, requireTls: mandatory, tlsOptions, detail: p, verify,
    accept(socket) {
      switch (p.policy) {
        case 'defer': return { ok: false, detail: `defer: ${p.reason}` };
        case 'may': return { ok: true, detail: 'opportunistic TLS (no DANE)' };
        case 'encrypt': return isTls(socket) ? { ok: true, detail: 'TLS, unauthenticated (no usable TLSA)' } : { ok: false, detail: 'TLS is mandatory' };
        case 'dane-only': {
          if (!isTls(socket)) return { ok: false, detail: 'DANE requires STARTTLS' };
          const m = verify(socket);
          return m.ok ? { ok: true, detail: `DANE ${m.usage === 3 ? 'EE' : 'TA'} match` } : { ok: false, detail: `${m.reason}: ${m.detail}` };
        }
      }
    },
  };
}

/** The next hop for a host the MTA chose itself (a relay, or an MX it looked up; pass mxSecurity). */
export async function daneNextHop(source: DnsSource, host: Name | string, opts: MtaOptions = {}): Promise<MtaNextHop> {
  return nextHopFrom(await hostPolicy(source, host, opts), opts.clock);
}

/** Every next hop of a mail domain in MX order, with the MX-level decision (RFC 7672 §2.2.1). */
export async function daneNextHops(source: DnsSource, domain: Name | string, opts: MtaOptions = {}): Promise<{ readonly mx: MxDecision; readonly hops: readonly MtaNextHop[] }> {
  const mx = await resolveMx(source, domain, opts.signal === undefined ? {} : { signal: opts.signal });
  const decision = mxDecision(mx);
  if (decision.kind === 'unusable' || decision.kind === 'no-mail') return { mx: decision, hops: [] };
  const hops = await Promise.all(mx.value.map((h) => daneNextHop(source, h.exchange, { ...opts, mxSecurity: mx.outcome.security })));
  return { mx: decision, hops };
}
