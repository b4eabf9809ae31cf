// A fake Transport for resolver unit tests: each address serves zones given as simple record lines
// ("owner ttl TYPE rdata"), answering like an authoritative server (referral with whatever glue
// lines the zone lists, answer, CNAME, NODATA/NXDOMAIN with SOA). Built with MessageBuilder.
import type { Transport } from '../../../src/transport/transport.js';
import type { ExchangeOptions, ExchangeResult, ServerAddress } from '../../../src/transport/types.js';
import { Rcode, RRType, typeFromText } from '../../../src/wire/constants.js';
import { MessageBuilder } from '../../../src/wire/encode.js';
import { Message, RecordValue } from '../../../src/wire/message.js';
import { Name } from '../../../src/wire/name.js';
import type { Rdata } from '../../../src/wire/rdata/codec.js';

export function rr(line: string): RecordValue {
  const [owner, ttl, type, ...rd] = line.trim().split(/\s+/);
  const name = Name.fromText(owner!);
  const t = type!.toUpperCase();
  let data: Rdata;
  if (t === 'A' || t === 'AAAA') data = { type: t, address: rd[0]! };
  else if (t === 'NS' || t === 'CNAME' || t === 'DNAME') data = { type: t, target: Name.fromText(rd[0]!) };
  else if (t === 'SOA') data = { type: 'SOA', mname: Name.fromText(rd[0]!), rname: Name.fromText(rd[1]!), serial: 1, refresh: 2, retry: 3, expire: 4, minimum: Number(rd[2] ?? 300) };
  else throw new Error(`type ${t}`);
  void typeFromText;
  return RecordValue.of(name, Number(ttl), data);
}

export interface FakeZone { readonly origin: string; readonly records: readonly string[] }

export class FakeTransport implements Transport {
  readonly servers = new Map<string, FakeZone[]>();
  readonly log: Array<{ server: string; qname: string; qtype: number }> = [];
  /** Addresses that never answer. */
  readonly silent = new Set<string>();
  delayMs = 0;

  serve(address: string, zone: FakeZone): this {
    this.servers.set(address, [...(this.servers.get(address) ?? []), zone]);
    return this;
  }

  async exchange(server: ServerAddress, query: Uint8Array, options: ExchangeOptions): Promise<ExchangeResult> {
    const m = Message.fromWire(query);
    if (!m.ok) throw new Error('bad query');
    const q = m.message.question[0]!;
    this.log.push({ server: server.address, qname: q.name.toText().toLowerCase(), qtype: q.type });
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    const zones = this.servers.get(server.address);
    if (zones === undefined || this.silent.has(server.address)) {
      await new Promise((r) => setTimeout(r, Math.min(options.timeoutMs, 50)));
      return { kind: 'timeout' };
    }
    const zone = zones.filter((z) => q.name.isSubdomainOf(Name.fromText(z.origin)))
      .sort((a, b) => Name.fromText(b.origin).labelCount() - Name.fromText(a.origin).labelCount())[0];
    const b = new MessageBuilder({ id: m.message.id, qr: true });
    b.question(q.name, q.type, q.class);
    if (zone === undefined) return { kind: 'reply', wire: new MessageBuilder({ id: m.message.id, qr: true, rcode: Rcode.REFUSED }).question(q.name, q.type).toWire(), rttMs: 1, viaTcp: false };
    const origin = Name.fromText(zone.origin);
    const recs = zone.records.map(rr);
    const soa = recs.filter((r) => r.type === RRType.SOA);
    const aa = (h: { rcode?: number } = {}): MessageBuilder => new MessageBuilder({ id: m.message.id, qr: true, aa: true, ...h }).question(q.name, q.type, q.class);
    // Referral: NS at a name between the origin and qname (excluding the origin).
    const cut = recs.find((r) => r.type === RRType.NS && !r.name.equals(origin) && q.name.isSubdomainOf(r.name) && !(q.type === RRType.DS && q.name.equals(r.name)));
    if (cut !== undefined) {
      const ns = recs.filter((r) => r.type === RRType.NS && r.name.equals(cut.name));
      const targets = ns.map((r) => (r.decode() as { target: Name }).target);
      const glue = recs.filter((r) => (r.type === RRType.A || r.type === RRType.AAAA) && targets.some((t) => t.equals(r.name)));
      const extra = recs.filter((r) => r.type === RRType.A && r.name.toText().startsWith('bogus-glue'));
      const w = b.authority(ns).additional([...glue, ...extra]).toWire();
      return { kind: 'reply', wire: w, rttMs: 1, viaTcp: false };
    }
    const exact = recs.filter((r) => r.name.equals(q.name) && r.type === q.type);
    if (exact.length > 0) return { kind: 'reply', wire: aa().answer(exact).toWire(), rttMs: 1, viaTcp: false };
    const cname = recs.filter((r) => r.name.equals(q.name) && r.type === RRType.CNAME);
    if (cname.length > 0) return { kind: 'reply', wire: aa().answer(cname).toWire(), rttMs: 1, viaTcp: false };
    const exists = recs.some((r) => r.name.isSubdomainOf(q.name));
    return { kind: 'reply', wire: aa({ rcode: exists ? Rcode.NOERROR : Rcode.NXDOMAIN }).authority(soa).toWire(), rttMs: 1, viaTcp: false };
  }
}
