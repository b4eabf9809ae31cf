// response-type.ts — classifies a scrubbed upstream response, like Unbound's response_type_from_server:
// answer, CNAME/DNAME hop to follow, NXDOMAIN, NODATA (RFC 2308 §2), referral (RFC 1034 §4.3.2
// step 3b), lame (RFC 1034 §4.3.2; an upward or sideways referral, or no authority for the zone),
// or a server error. The iterator acts on the type; nothing else reads flags of raw responses.
import { Rcode, RRType } from '../wire/constants.js';
import type { ResourceRecord } from '../wire/message.js';
import type { Name } from '../wire/name.js';
import type { NameRdata } from '../wire/rdata/names.js';
import type { Scrubbed } from './scrub.js';

export type ResponseType =
  | { readonly kind: 'answer' }
  /** The chain in the answer ends at `target` without data of the asked type: ask again for it. */
  | { readonly kind: 'cname'; readonly target: Name }
  | { readonly kind: 'nxdomain' }
  | { readonly kind: 'nodata' }
  | { readonly kind: 'referral'; readonly cut: Name }
  | { readonly kind: 'lame'; readonly why: string }
  | { readonly kind: 'error'; readonly rcode: number };

/** Where the answer chain of `qname` ends (the last CNAME target), or qname itself. */
export function chainEnd(answer: readonly ResourceRecord[], qname: Name): Name {
  let cur = qname;
  for (let i = 0; i <= answer.length; i++) {
    const c = answer.find((r) => r.type === RRType.CNAME && r.name.equals(cur));
    if (c === undefined) break;
    cur = (c.decode() as NameRdata).target;
  }
  return cur;
}

/** Classifies `s` (scrubbed) as an answer to (qname, qtype) from servers of `zone`. */
export function classifyResponse(
  header: { readonly rcode: number; readonly aa: boolean }, s: Scrubbed, qname: Name, qtype: number, zone: Name,
): ResponseType {
  const { rcode } = header;
  if (rcode !== Rcode.NOERROR && rcode !== Rcode.NXDOMAIN) {
    if (rcode === Rcode.REFUSED || rcode === Rcode.NOTAUTH) return { kind: 'lame', why: `rcode ${rcode}` };
    return { kind: 'error', rcode };
  }
  const end = chainEnd(s.answer, qname);
  const hasData = s.answer.some((r) => r.name.equals(end) && (r.type === qtype || qtype === RRType.ANY));
  const soa = s.authority.some((r) => r.type === RRType.SOA);
  if (hasData) return { kind: 'answer' };
  if (!end.equals(qname) && !(qtype === RRType.CNAME)) {
    // RFC 6604 §3: the rcode describes the end of the chain. Data in the answer section but a
    // negative answer for the target in the same zone ends the resolution; else follow the target.
    if ((soa && header.aa) || (rcode === Rcode.NXDOMAIN)) return { kind: rcode === Rcode.NXDOMAIN ? 'nxdomain' : 'nodata' };
    return { kind: 'cname', target: end };
  }
  if (qtype === RRType.CNAME && s.answer.some((r) => r.type === RRType.CNAME && r.name.equals(qname))) return { kind: 'answer' };
  if (rcode === Rcode.NXDOMAIN) return { kind: 'nxdomain' };
  const ns = s.authority.filter((r) => r.type === RRType.NS);
  if (!soa && ns.length > 0 && !header.aa) {
    const cut = ns[0]!.name;
    // A referral must lead strictly below the zone asked (else it is upward or sideways: lame).
    if (cut.isSubdomainOf(zone) && !cut.equals(zone) && qname.isSubdomainOf(cut)) return { kind: 'referral', cut };
    return { kind: 'lame', why: `referral to ${cut.toText()} from ${zone.toText()}` };
  }
  if (soa || header.aa) return { kind: 'nodata' };
  return { kind: 'lame', why: 'no answer, no SOA, no referral and AA clear' };
}
