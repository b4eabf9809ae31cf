// source.ts — DnsSource: where the mail apps (mx, tlsa, dane) get validated DNS data from. Two
// implementations: the in-process Resolver (the validator's Outcome as is) and a remote validating
// resolver such as `adbit serve` asked with RD+DO+AD (RFC 6840 §5.7, RFC 4035 §3.2.3). Downgrade
// rule (RFC 7672 §2.1.1): any rcode other than NOERROR/NXDOMAIN, a timeout or no reply is
// indeterminate or bogus, never a proven answer, so callers can never read it as "no records".
import { DNSSEC_FAILURE_EDE_CODES } from '../dnssec/ede.js';
import { REASONS, type ReasonCode } from '../dnssec/reasons.js';
import { outcomeFor, secure, type Outcome, type Proven } from '../dnssec/outcome.js';
import type { Answer, AnswerEde, ResolveQuestion } from '../resolver/answer.js';
import type { ResolveOptions } from '../resolver/resolver.js';
import { NetTransport, type ServerAddress } from '../transport/transport.js';
import { cryptoRandom, type Random } from '../util/random.js';
import { Rcode, RRType, rcodeToText } from '../wire/constants.js';
import { buildQuery } from '../wire/encode.js';
import { Message, type ResourceRecord } from '../wire/message.js';
import type { Name } from '../wire/name.js';

/** One lookup's data: the answer section without RRSIGs (CNAME chain included), rcode and EDE. */
export interface DnsData {
  readonly rcode: number;
  readonly answer: readonly ResourceRecord[];
  readonly ede: readonly AnswerEde[];
  /** Set when the source itself failed (remote server silent or unreachable): an operational error. */
  readonly sourceFailure?: string;
}

/** A validated lookup. Invariant: outcome is bogus or indeterminate unless rcode is NOERROR/NXDOMAIN. */
export type DnsLookup = Proven<DnsData>;

export interface LookupOptions {
  readonly signal?: AbortSignal;
}

/** What mx.ts, tlsa.ts and dane/ need: one validated lookup at a time. */
export interface DnsSource {
  lookup(name: Name, type: number, opts?: LookupOptions): Promise<DnsLookup>;
  close(): void;
}

/** The slice of Resolver a source needs (a Resolver with a validator satisfies it). */
export interface ResolverLike {
  resolve(q: ResolveQuestion, opts?: ResolveOptions): Promise<Answer>;
}

function isPositiveRcode(rcode: number): boolean {
  return rcode === Rcode.NOERROR || rcode === Rcode.NXDOMAIN;
}

/** Keeps the data, drops the proof records (RRSIGs are the validator's business, not the apps'). */
function dataRecords(rs: readonly ResourceRecord[]): ResourceRecord[] {
  return rs.filter((r) => r.type !== RRType.RRSIG);
}

/** Forces the downgrade invariant: a failed rcode is never secure or insecure. */
function guardOutcome(rcode: number, outcome: Outcome, zone: Name): Outcome {
  if (isPositiveRcode(rcode) || outcome.security === 'bogus' || outcome.security === 'indeterminate') return outcome;
  return outcomeFor('DNSSEC_DATA_UNREACHABLE', zone, `lookup answered ${rcodeToText(rcode)}`);
}

/** DnsSource over an in-process Resolver (give it a validator, else everything is indeterminate). */
export class ResolverSource implements DnsSource {
  readonly #resolver: ResolverLike;
  readonly #onClose: (() => void) | undefined;

  constructor(resolver: ResolverLike, onClose?: () => void) {
    this.#resolver = resolver;
    this.#onClose = onClose;
  }

  async lookup(name: Name, type: number, opts: LookupOptions = {}): Promise<DnsLookup> {
    const a = await this.#resolver.resolve({ name, type }, { dnssecOk: false, ...(opts.signal === undefined ? {} : { signal: opts.signal }) });
    return {
      value: { rcode: a.rcode, answer: dataRecords(a.answer), ede: a.ede },
      outcome: guardOutcome(a.rcode, a.outcome, name),
    };
  }

  close(): void {
    this.#onClose?.();
  }
}

/** The bogus reason code whose EDE equals the upstream's (so the EDE survives), else generic bogus. */
function bogusCodeFor(ede: readonly AnswerEde[]): ReasonCode {
  for (const e of ede) {
    for (const [code, info] of Object.entries(REASONS)) {
      if (info.security === 'bogus' && info.ede === e.code) return code as ReasonCode;
    }
  }
  return 'SIGNATURE_INVALID';
}

/**
 * Security of a remote answer (RFC 6840 §5.7 AD; RFC 8914 EDE), as an Outcome with the REMOTE_*
 * reason codes (reasons.ts), except a DNSSEC failure EDE, which keeps its own bogus code.
 */
export function remoteOutcome(name: Name, rcode: number, ad: boolean, ede: readonly AnswerEde[]): Outcome {
  const edeText = ede.map((e) => `EDE ${e.code}${e.text === '' ? '' : ` ${e.text}`}`).join('; ');
  if (isPositiveRcode(rcode)) {
    // The signer is not visible from outside; the query name stands in for it.
    if (ad) return secure(name);
    return outcomeFor('REMOTE_INSECURE', name, `upstream answered ${rcodeToText(rcode)} without AD`);
  }
  if (rcode === Rcode.SERVFAIL && ede.some((e) => DNSSEC_FAILURE_EDE_CODES.has(e.code))) {
    return outcomeFor(bogusCodeFor(ede), name, `upstream SERVFAIL: ${edeText}`);
  }
  // SERVFAIL without a DNSSEC EDE, REFUSED, NOTIMP…: "could not tell" — never "no records".
  return outcomeFor('REMOTE_NO_ANSWER', name, `upstream answered ${rcodeToText(rcode)}${edeText === '' ? '' : ` (${edeText})`}`);
}

/** Per-lookup time limit against a remote resolver (it does the recursion; 10 s like `adbit query`). */
export const REMOTE_LOOKUP_TIMEOUT_MS = 10_000;

export interface RemoteSourceOptions {
  readonly server: ServerAddress;
  readonly timeoutMs?: number;
  readonly random?: Random;
}

/** DnsSource over a remote validating resolver: secure iff AD=1, bogus iff SERVFAIL with a DNSSEC EDE. */
export class RemoteSource implements DnsSource {
  readonly #server: ServerAddress;
  readonly #timeoutMs: number;
  readonly #random: Random;
  readonly #transport = new NetTransport();

  constructor(opts: RemoteSourceOptions) {
    this.#server = opts.server;
    this.#timeoutMs = opts.timeoutMs ?? REMOTE_LOOKUP_TIMEOUT_MS;
    this.#random = opts.random ?? cryptoRandom;
  }

  async lookup(name: Name, type: number, opts: LookupOptions = {}): Promise<DnsLookup> {
    const wire = buildQuery({ id: this.#random.u16(), name, type, rd: true, ad: true, dnssecOk: true, udpSize: 1232 });
    const r = await this.#transport.exchange(this.#server, wire, { timeoutMs: this.#timeoutMs, ...(opts.signal === undefined ? {} : { signal: opts.signal }) });
    const where = `${this.#server.address}#${this.#server.port}`;
    const failed = (why: string): DnsLookup => ({
      value: { rcode: Rcode.SERVFAIL, answer: [], ede: [], sourceFailure: `${where}: ${why}` },
      outcome: outcomeFor('REMOTE_UNREACHABLE', name, `${where}: ${why}`),
    });
    if (r.kind !== 'reply') return failed(r.kind === 'network-error' ? r.error.message : r.kind);
    const p = Message.fromWire(r.wire);
    if (!p.ok) return failed(`malformed reply: ${p.reason}`);
    const m = p.message;
    const ede = (m.edns?.extendedErrors ?? []).map((e) => ({ code: e.code, text: e.text }));
    return { value: { rcode: m.rcode, answer: dataRecords(m.answer), ede }, outcome: remoteOutcome(name, m.rcode, m.ad, ede) };
  }

  close(): void {
    this.#transport.close();
  }
}

/**
 * Follows the CNAME chain of an answer from `qname` (RFC 1034 §3.6.2): the names visited in
 * order, the first being `qname` and the last the canonical name whose data the answer holds.
 * Loops and chains longer than the answer stop the walk.
 */
export function cnameChain(qname: Name, answer: readonly ResourceRecord[]): Name[] {
  const out = [qname];
  let cur = qname;
  for (let i = 0; i <= answer.length; i++) {
    const c = answer.find((r) => r.type === RRType.CNAME && r.name.equals(cur));
    const d = c?.decode();
    if (d === undefined || d.type !== 'CNAME' || out.some((n) => n.equals(d.target))) break;
    cur = d.target;
    out.push(cur);
  }
  return out;
}
