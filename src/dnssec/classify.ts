// classify.ts — response classification (Unbound val_classify_response): positive, cname, dname,
// nodata, nxdomain, referral or any; and the CNAME/DNAME chain inside one response from the
// hop's qname (RFC 1034 §3.6.2, RFC 6672 §3.2 synthesized CNAMEs). The classification decides
// which RRsets the result depends on.
import { Rcode, RRType } from '../wire/constants.js';
import type { Message } from '../wire/message.js';
import { Name } from '../wire/name.js';
import { decodeNameRdata } from '../wire/rdata/names.js';
import { groupRRsets, type RRset } from '../wire/rrset.js';

export type ResponseKind = 'positive' | 'cname' | 'dname' | 'nodata' | 'nxdomain' | 'referral' | 'any';

/** One link of the chain inside a response. */
export interface ChainLink {
  readonly rrset: RRset;
  /** True for a CNAME synthesized from a DNAME (unsigned by design, RFC 6672 §5.3.3). */
  readonly synthesized: boolean;
}

export interface Classified {
  readonly kind: ResponseKind;
  /** CNAME/DNAME RRsets followed from qname, then the final answer RRset(s) when positive. */
  readonly links: readonly ChainLink[];
  /** The RRsets answering `sname` (positive / any). */
  readonly answers: readonly RRset[];
  /** The name the rest of the response is about (end of the chain). */
  readonly sname: Name;
  readonly authority: readonly RRset[];
}

/** `qname` rewritten by a DNAME at `owner` to `target` (RFC 6672 §2.2), or null if too long. */
export function dnameRewrite(qname: Name, owner: Name, target: Name): Name | null {
  const keep = qname.labelCount() - owner.labelCount();
  try {
    return keep <= 0 ? null : Name.fromLabels(qname.labels().slice(0, keep)).concat(target);
  } catch {
    return null;
  }
}

function targetOf(set: RRset): Name | null {
  const r = set.records[0];
  if (r === undefined) return null;
  return decodeNameRdata('CNAME', r.rdata)?.target ?? null;
}

/** Classifies one upstream response to (qname, qtype). */
export function classify(msg: Message, qname: Name, qtype: number): Classified {
  const answer = groupRRsets(msg.answer);
  const authority = groupRRsets(msg.authority);
  const links: ChainLink[] = [];
  let sname = qname;
  let kind: ResponseKind | null = null;
  // Follow the chain; bounded by the number of answer RRsets (each used at most once).
  for (let hop = 0; hop <= answer.length; hop++) {
    const direct = answer.find((s) => s.name.equals(sname) && (s.type === qtype || (qtype === RRType.ANY && s.type !== RRType.RRSIG)));
    if (direct !== undefined) break;
    const dname = answer.find((s) => s.type === RRType.DNAME && sname.isSubdomainOf(s.name) && !sname.equals(s.name));
    if (dname !== undefined && qtype !== RRType.DNAME) {
      const t = targetOf(dname);
      const next = t === null ? null : dnameRewrite(sname, dname.name, t);
      if (next === null) break;
      links.push({ rrset: dname, synthesized: false });
      const cname = answer.find((s) => s.type === RRType.CNAME && s.name.equals(sname));
      // RFC 6672 §5.3.3: the unsigned CNAME is accepted only when it is exactly what the signed
      // DNAME synthesizes; any other CNAME must carry its own valid signature.
      if (cname !== undefined) links.push({ rrset: cname, synthesized: targetOf(cname)?.equals(next) === true });
      kind ??= 'dname';
      sname = next;
      continue;
    }
    const cname = answer.find((s) => s.type === RRType.CNAME && s.name.equals(sname));
    if (cname === undefined || qtype === RRType.CNAME) break;
    const t = targetOf(cname);
    if (t === null) break;
    links.push({ rrset: cname, synthesized: false });
    kind ??= 'cname';
    sname = t;
  }
  const answers = answer.filter((s) => s.name.equals(sname) && (qtype === RRType.ANY ? s.type !== RRType.RRSIG : s.type === qtype));
  if (answers.length > 0) kind = qtype === RRType.ANY ? 'any' : links.length > 0 ? kind : 'positive';
  else if (msg.rcode === Rcode.NXDOMAIN) kind = links.length > 0 ? kind : 'nxdomain';
  else if (links.length === 0) {
    const ns = authority.some((s) => s.type === RRType.NS);
    const soa = authority.some((s) => s.type === RRType.SOA);
    kind = ns && !soa && !msg.aa ? 'referral' : 'nodata';
  }
  return { kind: kind ?? 'nodata', links, answers, sname, authority };
}

/** True when the chain ends without an answer, so the response must prove a denial for `sname`. */
export function endsInDenial(c: Classified, msg: Message): 'nxdomain' | 'nodata' | null {
  if (c.answers.length > 0 || c.kind === 'referral') return null;
  if (msg.rcode === Rcode.NXDOMAIN) return 'nxdomain';
  return msg.rcode === Rcode.NOERROR ? 'nodata' : null;
}
