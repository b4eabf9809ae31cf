// helpers.ts — canned DNS lookups (Proven values) for the mx/tlsa/smtp-policy unit tests.
import { outcomeFor, secure, type Outcome } from '../../../src/dnssec/outcome.js';
import type { DnsLookup, DnsSource } from '../../../src/apps/source.js';
import { Rcode, typeToText } from '../../../src/wire/constants.js';
import { RecordValue, type ResourceRecord } from '../../../src/wire/message.js';
import { Name } from '../../../src/wire/name.js';
import type { Rdata } from '../../../src/wire/rdata/codec.js';

export const n = (t: string): Name => Name.fromText(t.endsWith('.') ? t : `${t}.`);
export const SECURE: Outcome = secure('example.');
export const INSECURE: Outcome = outcomeFor('NO_DS_PROVEN', 'example.');
export const BOGUS: Outcome = outcomeFor('SIGNATURE_INVALID', 'example.');
export const INDETERMINATE: Outcome = outcomeFor('DNSSEC_DATA_UNREACHABLE', 'example.', 'timeout');

export function rr(owner: string, rd: Rdata): ResourceRecord {
  return RecordValue.of(n(owner), 300, rd);
}

export function lookup(outcome: Outcome, answer: ResourceRecord[] = [], rcode: number = Rcode.NOERROR): DnsLookup {
  return { value: { rcode, answer, ede: [] }, outcome };
}

export const SERVFAIL = (o: Outcome = INDETERMINATE): DnsLookup => lookup(o, [], Rcode.SERVFAIL);

/** A DnsSource answering from a table "name TYPE" → lookup; unknown questions time out (indeterminate SERVFAIL). */
export class TableSource implements DnsSource {
  readonly asked: string[] = [];
  readonly #table: Map<string, DnsLookup>;
  constructor(table: Record<string, DnsLookup>) {
    this.#table = new Map(Object.entries(table).map(([k, v]) => [k.toLowerCase(), v]));
  }
  async lookup(name: Name, type: number): Promise<DnsLookup> {
    const key = `${name.toText()} ${typeToText(type)}`.toLowerCase();
    this.asked.push(key);
    return this.#table.get(key) ?? SERVFAIL();
  }
  close(): void {}
}
