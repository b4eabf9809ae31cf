// respond.ts — pure reply construction for adbit serve (ARCHITECTURE §8): request checks (RFC 1035
// §4.1.1 opcodes, RFC 6891 §6.1.3/§7 EDNS version and FORMERR), AD/CD rules (RFC 6840 §5.7–5.9,
// RFC 4035 §3.2.2), SERVFAIL + EDE for bogus (RFC 8914), DNSSEC records only with DO (RFC 4035
// §3.2.1), EDNS echo with our payload size and the client's buffer honoured (RFC 6891 §6.2.3–6.2.5),
// TC by whole RRsets, and the RFC 8482 §4.2 minimal answer for ANY. No I/O, no clock.
import type { Answer } from '../resolver/answer.js';
import { Opcode, Rcode, RRClass, RRType } from '../wire/constants.js';
import { DEFAULT_EDNS_UDP_SIZE, type ExtendedError } from '../wire/edns.js';
import { MessageBuilder } from '../wire/encode.js';
import { type Message, type Question, type ResourceRecord, RecordValue } from '../wire/message.js';

/** Our advertised and maximum UDP payload (DNS Flag Day 2020 value, RFC 6891 §6.2.5). */
export const SERVER_UDP_PAYLOAD = DEFAULT_EDNS_UDP_SIZE;
/** RFC 1035 §4.2.1: the UDP limit without EDNS; RFC 6891 §6.2.5: smaller advertised values mean 512. */
export const MIN_UDP_PAYLOAD = 512;
/** RFC 8482 §4.2: TTL of the synthesised HINFO ("SHOULD" be long; one hour like Unbound). */
export const ANY_HINFO_TTL_SEC = 3600;
/** RFC 8914 §4.19 Prohibited (ACL refusal), §4.1 Other, §4.21 Not Supported. */
export const EDE_PROHIBITED = 18;
export const EDE_OTHER = 0;
export const EDE_NOT_SUPPORTED = 21;

/** Query types that a recursive server does not serve (zone transfers, RFC 1035 §3.2.3 meta types). */
const NOT_IMPLEMENTED_QTYPES: ReadonlySet<number> = new Set([RRType.AXFR, RRType.IXFR, 253, 254, RRType.TKEY, RRType.TSIG]);
const DNSSEC_TYPES: ReadonlySet<number> = new Set([RRType.RRSIG, RRType.NSEC, RRType.NSEC3]);
const HINFO_RFC8482 = Uint8Array.of(7, 0x52, 0x46, 0x43, 0x38, 0x34, 0x38, 0x32, 0);

export type Transport = 'udp' | 'tcp';

/** What preflight() decided about raw request bytes. */
export type Preflight =
  | { readonly kind: 'drop'; readonly why: string }
  | { readonly kind: 'reply'; readonly wire: Uint8Array; readonly rcode: number; readonly why: string }
  | { readonly kind: 'query'; readonly message: Message; readonly question: Question };

/** The request facts every reply needs. */
interface RequestView {
  readonly id: number;
  readonly opcode: number;
  readonly rd: boolean;
  readonly cd: boolean;
  readonly question: readonly Question[];
  readonly edns: boolean;
  readonly dnssecOk: boolean;
  readonly udpSize: number;
}

function viewOf(m: Message): RequestView {
  return {
    id: m.id, opcode: m.opcode, rd: m.rd, cd: m.cd, question: m.question,
    edns: m.edns !== undefined, dnssecOk: m.edns?.dnssecOk ?? false, udpSize: m.edns?.udpSize ?? 0,
  };
}

/** Size limit of a reply: TCP 65535; UDP the client's EDNS buffer clamped to [512, ours] (RFC 6891 §6.2.5). */
export function replyLimit(req: { readonly edns: boolean; readonly udpSize: number }, transport: Transport): number {
  if (transport === 'tcp') return 65535;
  if (!req.edns) return MIN_UDP_PAYLOAD;
  return Math.min(Math.max(req.udpSize, MIN_UDP_PAYLOAD), SERVER_UDP_PAYLOAD);
}

function builderFor(req: RequestView, rcode: number, ad: boolean, ede: readonly ExtendedError[]): MessageBuilder {
  const b = new MessageBuilder({ id: req.id, qr: true, opcode: req.opcode, rd: req.rd, ra: true, cd: req.cd, ad, rcode });
  for (const q of req.question) b.question(q.name, q.type, q.class);
  // RFC 6891 §7: a responder answers with OPT only when the request had one; RFC 3225 §3: DO is copied.
  if (req.edns) b.edns({ udpSize: SERVER_UDP_PAYLOAD, dnssecOk: req.dnssecOk, extendedErrors: ede });
  return b;
}

/** An error reply (no data): FORMERR, NOTIMP, REFUSED, SERVFAIL, BADVERS... with EDE when EDNS was sent. */
export function errorReply(req: Message, rcode: number, ede: readonly ExtendedError[] = []): Uint8Array {
  return errorFromView(viewOf(req), rcode, ede);
}

function errorFromView(v: RequestView, rcode: number, ede: readonly ExtendedError[]): Uint8Array {
  // RCODEs above 15 only exist with OPT (RFC 6891 §6.1.3); BADVERS always has EDNS here.
  return builderFor(v, rcode, false, ede).build().wire;
}

/** Header-only FORMERR echoing the ID and opcode of bytes we could not parse (best effort). */
export function formerrFromBytes(wire: Uint8Array): Uint8Array | null {
  if (wire.length < 12) return null; // RFC 1035 §4.1.1: no header, nothing to answer to
  const id = ((wire[0] ?? 0) << 8) | (wire[1] ?? 0);
  const flags = ((wire[2] ?? 0) << 8) | (wire[3] ?? 0);
  return new MessageBuilder({
    id, qr: true, opcode: (flags >> 11) & 0xf, rd: (flags & 0x0100) !== 0, ra: true, rcode: Rcode.FORMERR,
  }).build().wire;
}

/** Checks raw request bytes; returns a ready reply for requests that never reach the resolver. */
export function preflight(wire: Uint8Array, parse: (w: Uint8Array) => ReturnType<typeof Message.fromWire>): Preflight {
  if (wire.length < 12) return { kind: 'drop', why: 'shorter than a header' };
  if ((wire[2]! & 0x80) !== 0) return { kind: 'drop', why: 'QR set: a response, never answered (no loops)' };
  const parsed = parse(wire);
  if (!parsed.ok) {
    const f = formerrFromBytes(wire);
    return f === null ? { kind: 'drop', why: parsed.reason } : { kind: 'reply', wire: f, rcode: Rcode.FORMERR, why: parsed.reason };
  }
  const m = parsed.message;
  const v = viewOf(m);
  const reply = (rcode: number, why: string, ede: ExtendedError[] = []): Preflight =>
    ({ kind: 'reply', wire: errorFromView(v, rcode, ede), rcode, why });
  // RFC 6891 §6.1.3/§7: an unknown EDNS version is answered BADVERS with version 0 and no data.
  if (m.edns !== undefined && m.edns.version > 0) return reply(Rcode.BADVERS, `EDNS version ${m.edns.version}`);
  if (m.opcode !== Opcode.QUERY) return reply(Rcode.NOTIMP, `opcode ${m.opcode}`);
  if (m.question.length !== 1) return reply(Rcode.FORMERR, `QDCOUNT ${m.question.length}`);
  // A query carries no answer or authority data (RFC 1035 §4.1.1; 7766 servers see junk otherwise).
  if (m.answer.length > 0 || m.authority.length > 0) return reply(Rcode.FORMERR, 'records in a query');
  const q = m.question[0]!;
  if (q.type === RRType.OPT) return reply(Rcode.FORMERR, 'OPT as QTYPE (RFC 6891 §6.1.1)');
  if (NOT_IMPLEMENTED_QTYPES.has(q.type)) return reply(Rcode.NOTIMP, `QTYPE ${q.type}`, [{ code: EDE_NOT_SUPPORTED, text: 'zone transfer and meta types are not served' }]);
  if (q.class !== RRClass.IN) return reply(Rcode.REFUSED, `class ${q.class}`, [{ code: EDE_NOT_SUPPORTED, text: 'only class IN' }]);
  return { kind: 'query', message: m, question: q };
}

/** RFC 8482 §4.2: one synthesised HINFO "RFC8482" "" at the QNAME instead of every RRset. */
export function anyReply(req: Message, transport: Transport): Uint8Array {
  const v = viewOf(req);
  const q = v.question[0];
  const b = builderFor(v, Rcode.NOERROR, false, []);
  if (q !== undefined) b.answer([new RecordValue(q.name, RRType.HINFO, RRClass.IN, ANY_HINFO_TTL_SEC, HINFO_RFC8482)]);
  return b.build({ maxSize: replyLimit(v, transport) }).wire;
}

/** RFC 4035 §3.2.1: without DO, leave out RRSIG/NSEC/NSEC3 unless the query asked for that type. */
function stripDnssec(rs: readonly ResourceRecord[], qtype: number): readonly ResourceRecord[] {
  return rs.filter((r) => !DNSSEC_TYPES.has(r.type) || r.type === qtype);
}

export interface AnswerReply {
  readonly wire: Uint8Array;
  readonly rcode: number;
  readonly ad: boolean;
  readonly truncated: boolean;
}

/**
 * The reply to a query the handler answered. AD is set only for secure data and only when the
 * client asked with DO or AD (RFC 6840 §5.7, §5.8). Bogus without CD is SERVFAIL with no data;
 * with CD the data goes out unvalidated with AD=0 (RFC 4035 §3.2.2, RFC 6840 §5.9).
 */
export function answerReply(req: Message, a: Answer, transport: Transport): AnswerReply {
  const v = viewOf(req);
  const qtype = v.question[0]?.type ?? 0;
  const withEde = v.edns ? a.ede.map((e) => ({ code: e.code, text: e.text })) : [];
  const bogus = a.outcome.security === 'bogus';
  if (bogus && !v.cd) {
    const wire = errorFromView(v, Rcode.SERVFAIL, withEde);
    return { wire, rcode: Rcode.SERVFAIL, ad: false, truncated: false };
  }
  const ad = a.outcome.security === 'secure' && !bogus && (req.ad || v.dnssecOk) && a.rcode !== Rcode.SERVFAIL;
  const b = builderFor(v, a.rcode, ad, withEde);
  b.answer(v.dnssecOk ? a.answer : stripDnssec(a.answer, qtype));
  b.authority(v.dnssecOk ? a.authority : stripDnssec(a.authority, qtype));
  const r = b.build({ maxSize: replyLimit(v, transport) });
  return { wire: r.wire, rcode: a.rcode, ad, truncated: r.truncated };
}

/** SERVFAIL for a handler that failed or timed out (EDE 0 Other with a short text, RFC 8914 §4.1). */
export function servfailReply(req: Message, text: string): Uint8Array {
  return errorReply(req, Rcode.SERVFAIL, [{ code: EDE_OTHER, text }]);
}

/** REFUSED for a client outside the ACL (RFC 8914 §4.19 Prohibited). */
export function refusedReply(req: Message): Uint8Array {
  return errorReply(req, Rcode.REFUSED, [{ code: EDE_PROHIBITED, text: 'client not in allow list' }]);
}
