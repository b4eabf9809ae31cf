// query-match.ts — byte-level reply acceptance and 0x20 case randomisation, without the wire/
// codec: header ID (bytes 0–1), QR/TC bits, and the question section compared with the query's.
// Resources: RFC 1035 §4.1.1–4.1.2, RFC 5452 §4.3 and §9 (accept only exact matches),
// draft-vixie-dnsext-dns0x20 (QNAME case as extra entropy).
import type { Random } from '../util/random.js';

/** Size of the DNS header (RFC 1035 §4.1.1). */
export const HEADER_BYTES = 12;

/** Why a reply was not accepted ('ok' when it was). */
export type MatchVerdict = 'ok' | 'malformed' | 'wrong-id' | 'not-response' | 'wrong-question';

/** Header ID. */
export function readId(wire: Uint8Array): number {
  return ((wire[0] ?? 0) << 8) | (wire[1] ?? 0);
}

/** Write the header ID in place. */
export function writeId(wire: Uint8Array, id: number): void {
  wire[0] = (id >>> 8) & 0xff;
  wire[1] = id & 0xff;
}

/** QR bit: the message is a response. */
export function isResponse(wire: Uint8Array): boolean {
  return ((wire[2] ?? 0) & 0x80) !== 0;
}

/** TC bit: the message was truncated. */
export function isTruncated(wire: Uint8Array): boolean {
  return ((wire[2] ?? 0) & 0x02) !== 0;
}

/** 4-bit header RCODE (the OPT record may extend it, see edns-bytes.ts). */
export function headerRcode(wire: Uint8Array): number {
  return (wire[3] ?? 0) & 0x0f;
}

/** 16-bit big-endian read. */
export function u16At(wire: Uint8Array, at: number): number {
  return ((wire[at] ?? 0) << 8) | (wire[at + 1] ?? 0);
}

/**
 * Offsets of each question's name end within the question section, and the section end;
 * undefined when the section is cut short or uses compression (a question name never needs it:
 * nothing precedes the first one, and we only send one).
 */
export function questionLayout(wire: Uint8Array): { nameEnds: number[]; end: number } | undefined {
  const qdcount = u16At(wire, 4);
  if (wire.length < HEADER_BYTES) return undefined;
  const nameEnds: number[] = [];
  let at = HEADER_BYTES;
  for (let q = 0; q < qdcount; q++) {
    for (;;) {
      const len = wire[at];
      if (len === undefined || len > 63) return undefined;
      at += 1 + len;
      if (len === 0) break;
    }
    nameEnds.push(at);
    at += 4;
    if (at > wire.length) return undefined;
  }
  return { nameEnds, end: at };
}

function fold(b: number): number {
  return b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
}

/**
 * True when both messages carry the same question section. Names compare ASCII
 * case-insensitively (RFC 4343) unless `exactCase`; TYPE and CLASS always exactly.
 */
export function questionsEqual(query: Uint8Array, reply: Uint8Array, exactCase: boolean): boolean {
  if (u16At(query, 4) !== u16At(reply, 4)) return false;
  const q = questionLayout(query);
  const r = questionLayout(reply);
  if (q === undefined || r === undefined || q.end !== r.end) return false;
  let start = HEADER_BYTES;
  for (let i = 0; i < q.nameEnds.length; i++) {
    const nameEnd = q.nameEnds[i] ?? 0;
    if (r.nameEnds[i] !== nameEnd) return false;
    // Length octets are ≤ 63, below 'A' (65), so folding them too is harmless.
    for (let p = start; p < nameEnd; p++) {
      const a = query[p] ?? 0;
      const b = reply[p] ?? 0;
      if (a !== b && (exactCase || fold(a) !== fold(b))) return false;
    }
    for (let p = nameEnd; p < nameEnd + 4; p++) if (query[p] !== reply[p]) return false;
    start = nameEnd + 4;
  }
  return true;
}

/** RFC 5452 §9.1 acceptance: ID, QR and question must all match the query we sent. */
export function matchReply(query: Uint8Array, reply: Uint8Array, exactCase = false): MatchVerdict {
  if (reply.length < HEADER_BYTES) return 'malformed';
  if (readId(reply) !== readId(query)) return 'wrong-id';
  if (!isResponse(reply)) return 'not-response';
  // A FORMERR/NOTIMP reply may legitimately carry QDCOUNT=0; we still reject it, as Unbound does,
  // because without the question anybody who guessed the ID could forge it.
  if (!questionsEqual(query, reply, exactCase)) return 'wrong-question';
  return 'ok';
}

/**
 * Randomise the case of every ASCII letter of each QNAME in place (0x20 bits). Returns the number
 * of letters, i.e. the bits of entropy added; 0 means exact-case matching adds nothing.
 */
export function apply0x20(query: Uint8Array, random: Random): number {
  const layout = questionLayout(query);
  if (layout === undefined) return 0;
  let letters = 0;
  let bits = 0;
  let left = 0;
  let start = HEADER_BYTES;
  for (const nameEnd of layout.nameEnds) {
    let at = start;
    while (at < nameEnd) {
      const len = query[at] ?? 0;
      for (let p = at + 1; p <= at + len; p++) {
        const b = query[p] ?? 0;
        const lower = fold(b);
        if (lower < 0x61 || lower > 0x7a) continue;
        if (left === 0) {
          bits = random.u32();
          left = 32;
        }
        query[p] = bits & 1 ? lower & ~0x20 : lower;
        bits >>>= 1;
        left--;
        letters++;
      }
      at += 1 + len;
    }
    start = nameEnd + 4;
  }
  return letters;
}
