// upstream.ts — the queries the resolver sends upstream and the scrubbed copy of a reply handed to
// the validator: RD=0 (iterative, RFC 1034 §4.3.1), EDNS0 with DO=1 and a 1232-byte buffer
// (RFC 4035 §4.1, DNS Flag Day 2020), fresh random ID (RFC 5452 §9.2), optional 0x20 case bits.
import type { Random } from '../util/random.js';
import { DEFAULT_EDNS_UDP_SIZE } from '../wire/edns.js';
import { MessageBuilder, buildQuery } from '../wire/encode.js';
import { Message } from '../wire/message.js';
import { Name } from '../wire/name.js';
import type { Scrubbed } from './scrub.js';

/** Randomises the case of ASCII letters (draft-vixie-dnsext-dns0x20). */
export function randomiseCase(name: Name, random: Random): Name {
  const w = new Uint8Array(name.wire);
  const bits = random.bytes(w.length);
  let p = 0;
  while ((w[p] ?? 0) !== 0) {
    const len = w[p] ?? 0;
    for (let i = p + 1; i <= p + len; i++) {
      const c = w[i] ?? 0;
      const lower = c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
      if (lower >= 0x61 && lower <= 0x7a) w[i] = ((bits[i] ?? 0) & 1) === 1 ? lower - 0x20 : lower;
    }
    p += 1 + len;
  }
  return Name.fromWireUnchecked(w);
}

/** An upstream query for (qname, qtype, qclass). */
export function buildUpstreamQuery(random: Random, qname: Name, qtype: number, qclass: number, use0x20: boolean): { wire: Uint8Array; id: number } {
  const id = random.u16();
  const name = use0x20 ? randomiseCase(qname, random) : qname;
  return { id, wire: buildQuery({ id, name, type: qtype, class: qclass, rd: false, dnssecOk: true, udpSize: DEFAULT_EDNS_UDP_SIZE }) };
}

/** The reply with only the scrubbed records (what is given to the validator and kept as a step). */
export function rebuildScrubbed(m: Message, qname: Name, qtype: number, qclass: number, s: Scrubbed): Message {
  const b = new MessageBuilder({ id: m.id, qr: true, opcode: m.opcode, aa: m.aa, tc: false, rd: m.rd, ra: m.ra, ad: false, cd: m.cd, rcode: m.rcode });
  b.question(qname, qtype, qclass).answer(s.answer).authority(s.authority).additional(s.additional);
  if (m.edns !== undefined) b.edns({ udpSize: m.edns.udpSize, dnssecOk: m.edns.dnssecOk });
  const parsed = Message.fromWire(b.toWire({ compress: false }));
  return parsed.ok ? parsed.message : m;
}
