// scrub.ts — every rule that removes data from an upstream response before it is used or cached,
// in one place (Unbound iter_scrub.c style): class mismatch, out-of-bailiwick owners (RFC 2181 §5.4.1,
// RFC 5452 §6), answer RRsets not on the CNAME/DNAME chain from the question, DNAME-synthesised
// CNAMEs checked or made (RFC 6672 §3.3), authority limited to NS/SOA/DS/NSEC/NSEC3, additional to
// in-bailiwick addresses of listed name servers.
import { RRType } from '../wire/constants.js';
import { type ResourceRecord, RecordValue } from '../wire/message.js';
import { Name } from '../wire/name.js';
import type { NameRdata } from '../wire/rdata/names.js';
import { rrsigTypeCovered } from '../wire/rrset.js';

/** The parts of a response that survive scrubbing. */
export interface Scrubbed {
  readonly answer: ResourceRecord[];
  readonly authority: ResourceRecord[];
  readonly additional: ResourceRecord[];
  /** Records removed (any section); 0 means the response was used unchanged. */
  readonly dropped: number;
}

/** Authority-section types a resolver uses (referral, negative answer, DNSSEC proofs). */
const AUTHORITY_TYPES: ReadonlySet<number> = new Set([RRType.NS, RRType.SOA, RRType.DS, RRType.NSEC, RRType.NSEC3]);

/** The owner is at or below the zone whose servers were asked (the bailiwick rule). */
export function inBailiwick(owner: Name, zone: Name): boolean {
  return owner.isSubdomainOf(zone);
}

/** RFC 6672 §3.3 / §2.2: the CNAME target for `qname` under DNAME `owner` → `target`, or null when too long. */
export function dnameSubstitute(qname: Name, owner: Name, target: Name): Name | null {
  const keep = qname.labelCount() - owner.labelCount();
  const labels = qname.labels().slice(0, keep);
  try {
    return Name.fromLabels(labels).concat(target);
  } catch {
    return null; // RFC 6672 §2.2: the result would exceed 255 octets (YXDOMAIN).
  }
}

function nameTarget(r: ResourceRecord): Name | null {
  const d = r.decode();
  return d.type === 'CNAME' || d.type === 'DNAME' ? (d as NameRdata).target : null;
}

const chainMaxSteps = 32;

/**
 * Keeps the answer records on the chain from `qname`: DNAMEs above the current name (with the
 * CNAME they imply, synthesised when absent or wrong), CNAMEs at it, records of `qtype` at it;
 * each must be in bailiwick, so the chain stops where it leaves the zone (the resolver asks the
 * target's own servers). RRSIGs covering kept sets stay.
 */
function scrubAnswer(records: readonly ResourceRecord[], qname: Name, qtype: number, zone: Name): ResourceRecord[] {
  const kept: ResourceRecord[] = [];
  const keptKeys = new Set<string>();
  const keep = (rs: readonly ResourceRecord[]): void => {
    for (const r of rs) {
      kept.push(r);
      keptKeys.add(`${r.name.key()}|${r.type}`);
    }
  };
  let cur = qname;
  for (let step = 0; step < chainMaxSteps; step++) {
    if (!inBailiwick(cur, zone)) break;
    const at = records.filter((r) => r.type !== RRType.RRSIG && r.name.equals(cur));
    const exact = at.filter((r) => r.type === qtype || qtype === RRType.ANY);
    if (exact.length > 0) {
      keep(exact);
      break;
    }
    const dname = records.find((r) => r.type === RRType.DNAME && cur.isSubdomainOf(r.name) && !cur.equals(r.name) && inBailiwick(r.name, zone));
    let next: Name | null = null;
    if (dname !== undefined) {
      const dt = nameTarget(dname);
      const synth = dt === null ? null : dnameSubstitute(cur, dname.name, dt);
      if (synth === null) break;
      keep(records.filter((r) => r.type === RRType.DNAME && r.name.equals(dname.name)));
      const given = at.filter((r) => r.type === RRType.CNAME);
      const ok = given.length === 1 && nameTarget(given[0]!)?.equals(synth) === true;
      // RFC 6672 §3.3: the CNAME is derived from the DNAME; a wrong or missing one is replaced.
      keep(ok ? given : [RecordValue.of(cur, dname.ttl, { type: 'CNAME', target: synth }, dname.class)]);
      next = synth;
    } else {
      const cname = at.filter((r) => r.type === RRType.CNAME);
      if (cname.length === 0) break;
      keep(cname.slice(0, 1)); // more than one CNAME at a name is an error (RFC 2181 §10.1): use the first
      next = nameTarget(cname[0]!);
    }
    if (next === null || kept.length > 2 * chainMaxSteps) break;
    cur = next;
  }
  for (const r of records) {
    if (r.type === RRType.RRSIG && keptKeys.has(`${r.name.key()}|${rrsigTypeCovered(r.rdata)}`)) kept.push(r);
  }
  return kept;
}

/** Scrubs a response to (qname, qtype, qclass) from servers of `zone`. */
export function scrubResponse(
  msg: { readonly answer: readonly ResourceRecord[]; readonly authority: readonly ResourceRecord[]; readonly additional: readonly ResourceRecord[] },
  qname: Name, qtype: number, qclass: number, zone: Name,
): Scrubbed {
  const cls = (rs: readonly ResourceRecord[]): ResourceRecord[] => rs.filter((r) => r.class === qclass);
  const answer = scrubAnswer(cls(msg.answer), qname, qtype, zone);
  const authority = cls(msg.authority).filter((r) => {
    if (!inBailiwick(r.name, zone)) return false;
    const t = r.type === RRType.RRSIG ? rrsigTypeCovered(r.rdata) : r.type;
    if (!AUTHORITY_TYPES.has(t)) return false;
    // A delegation NS set must lie on the path to the name asked about (Unbound scrub_normalize).
    if (t === RRType.NS && !answer.some((a) => a.type === RRType.CNAME) && !qname.isSubdomainOf(r.name)) return false;
    return true;
  });
  // Addresses of NS targets: of a referral's NS set, and of an NS answer (the root priming
  // response carries the root servers' addresses this way, RFC 8109 §3.3).
  const nsAnswers = qtype === RRType.NS ? answer.filter((r) => r.type === RRType.NS) : [];
  const nsTargets = new Set([...authority.filter((r) => r.type === RRType.NS), ...nsAnswers].map((r) => nameTarget2(r)));
  const additional = cls(msg.additional).filter((r) => {
    const t = r.type === RRType.RRSIG ? rrsigTypeCovered(r.rdata) : r.type;
    return (t === RRType.A || t === RRType.AAAA) && inBailiwick(r.name, zone) && nsTargets.has(r.name.key());
  });
  const dropped = msg.answer.length + msg.authority.length + msg.additional.length
    - answer.filter((r) => r instanceof RecordValue === false).length - authority.length - additional.length;
  return { answer, authority, additional, dropped: Math.max(0, dropped) + answer.filter((r) => r instanceof RecordValue).length };
}

function nameTarget2(r: ResourceRecord): string {
  const d = r.decode();
  return d.type === 'NS' ? (d as NameRdata).target.key() : '';
}
