// query.ts — `adbit query NAME [TYPE] [--server ADDR:PORT | --root-hints FILE --trust-anchor FILE]
// [--cd] [--json]`. In process it runs Resolver + Validator and reports the validator's Outcome.
// With --server it asks that server with RD, DO and AD (RFC 6840 §5.7) and infers `security`:
// secure if AD=1; bogus if SERVFAIL carries a DNSSEC EDE (RFC 8914 codes 1–12, 27); else insecure.
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DNSSEC_FAILURE_EDE_CODES } from '../../dnssec/ede.js';
import type { Security } from '../../dnssec/outcome.js';
import { ResolverHandler } from '../../server/handler.js';
import { parseListen } from '../../server/config.js';
import { NetTransport } from '../../transport/transport.js';
import { Rcode, RRType, rcodeToText, typeFromText, typeToText } from '../../wire/constants.js';
import { buildQuery } from '../../wire/encode.js';
import { Message, type ResourceRecord } from '../../wire/message.js';
import { Name } from '../../wire/name.js';
import { rdataToText } from '../../wire/rdata/codec.js';

export const usage = `usage: adbit query NAME [TYPE] [--server ADDR:PORT | --root-hints FILE --trust-anchor FILE] [--cd] [--json]

  --server ADDR:PORT   ask a running resolver (DO+AD set); security is inferred from AD, RCODE and EDE
  --root-hints FILE    resolve in process from these root servers (named.root format)
  --trust-anchor FILE  DS/DNSKEY records in zone-file format (default: built-in root anchors)
  --cd                 checking disabled: return data without validation
  --json               {"name","type","rcode","security","ad","answer":[{"name","type","ttl","data"}],"ede":[{"code","text"}]}
  --timeout MS         give up after MS milliseconds (default 10000)
exit codes: 0 NOERROR/NXDOMAIN and not bogus, 1 any other result, 2 usage error`;

/** The JSON contract of `adbit query --json` (keep stable: other tools parse it). */
export interface QueryJson {
  name: string;
  type: string;
  rcode: string;
  security: Security;
  ad: boolean;
  answer: { name: string; type: string; ttl: number; data: string }[];
  ede: { code: number; text: string }[];
}

/** Security as seen from outside a server: the rule documented above. */
export function inferSecurity(rcode: number, ad: boolean, ede: readonly { code: number }[]): Security {
  if (ad) return 'secure';
  if (rcode === Rcode.SERVFAIL && ede.some((e) => DNSSEC_FAILURE_EDE_CODES.has(e.code))) return 'bogus';
  return 'insecure';
}

function records(rs: readonly ResourceRecord[], qtype: number): QueryJson['answer'] {
  // RRSIGs are proof, not data; they are listed only when asked for.
  return rs.filter((r) => r.type !== RRType.RRSIG || qtype === RRType.RRSIG)
    .map((r) => ({ name: r.name.toText(), type: typeToText(r.type), ttl: r.ttl, data: rdataToText(r.decode()) }));
}

export async function queryServer(name: Name, type: number, server: string, cd: boolean, timeoutMs: number): Promise<QueryJson | string> {
  const addr = parseListen(server, '--server');
  const wire = buildQuery({ id: randomInt(0x10000), name, type, rd: true, ad: true, cd, dnssecOk: true, udpSize: 1232 });
  const t = new NetTransport();
  try {
    const r = await t.exchange({ address: addr.host, port: addr.port }, wire, { timeoutMs });
    if (r.kind !== 'reply') return `no reply from ${server}: ${r.kind}`;
    const p = Message.fromWire(r.wire);
    if (!p.ok) return `malformed reply from ${server}: ${p.reason}`;
    const m = p.message;
    const ede = (m.edns?.extendedErrors ?? []).map((e) => ({ code: e.code, text: e.text }));
    return {
      name: name.toText(), type: typeToText(type), rcode: rcodeToText(m.rcode), security: inferSecurity(m.rcode, m.ad, ede),
      ad: m.ad, answer: records(m.answer, type), ede,
    };
  } finally {
    t.close();
  }
}

async function inProcess(name: Name, type: number, hints: string | undefined, anchor: string | undefined, cd: boolean,
  timeoutMs: number): Promise<QueryJson> {
  const h = new ResolverHandler({
    ...(hints === undefined ? {} : { rootHintsFile: hints }), ...(anchor === undefined ? {} : { trustAnchorFile: anchor }),
  });
  try {
    const a = await h.answer({ name, type, class: 1 }, { cd, dnssecOk: true, signal: AbortSignal.timeout(timeoutMs) });
    const bogus = a.outcome.security === 'bogus';
    return {
      name: name.toText(), type: typeToText(type), rcode: rcodeToText(a.rcode), security: a.outcome.security,
      ad: a.outcome.security === 'secure', answer: bogus && !cd ? [] : records(a.answer, type), ede: a.ede.map((e) => ({ code: e.code, text: e.text })),
    };
  } finally {
    h.close();
  }
}

function toText(j: QueryJson): string {
  const lines = [`;; ${j.name} ${j.type}: rcode ${j.rcode}, security ${j.security}, ad ${j.ad ? 1 : 0}`];
  for (const e of j.ede) lines.push(`;; EDE ${e.code}${e.text === '' ? '' : `: ${e.text}`}`);
  for (const r of j.answer) lines.push(`${r.name}\t${r.ttl}\tIN\t${r.type}\t${r.data}`);
  return lines.join('\n');
}

export async function run(args: string[]): Promise<number> {
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args, allowPositionals: true, strict: true, options: {
        server: { type: 'string' }, 'root-hints': { type: 'string' }, 'trust-anchor': { type: 'string' },
        cd: { type: 'boolean' }, json: { type: 'boolean' }, timeout: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    process.stderr.write(`adbit query: ${(e as Error).message}\n${usage}\n`);
    return 2;
  }
  if (values.help === true) {
    process.stdout.write(usage + '\n');
    return 0;
  }
  const [nameText, typeText = 'A', extra] = positionals;
  const type = typeFromText(typeText);
  const timeoutMs = values.timeout === undefined ? 10_000 : Number(values.timeout);
  let problem: string | undefined;
  if (nameText === undefined || extra !== undefined) problem = 'expected NAME and an optional TYPE';
  else if (type === undefined) problem = `unknown type "${typeText}"`;
  else if (values.server !== undefined && (values['root-hints'] !== undefined || values['trust-anchor'] !== undefined)) {
    problem = '--server cannot be combined with --root-hints/--trust-anchor';
  } else if (!(timeoutMs > 0)) problem = '--timeout must be a positive number of milliseconds';
  let name: Name | undefined;
  try {
    if (problem === undefined) name = Name.fromText(nameText!.endsWith('.') ? nameText! : `${nameText!}.`);
  } catch (e) {
    problem = `bad name "${nameText}": ${(e as Error).message}`;
  }
  if (problem !== undefined || name === undefined || type === undefined) {
    process.stderr.write(`adbit query: ${problem ?? 'bad arguments'}\n${usage}\n`);
    return 2;
  }
  let result: QueryJson | string;
  try {
    result = values.server !== undefined
      ? await queryServer(name, type, values.server, values.cd === true, timeoutMs)
      : await inProcess(name, type, values['root-hints'], values['trust-anchor'], values.cd === true, timeoutMs);
  } catch (e) {
    process.stderr.write(`adbit query: ${(e as Error).message}\n`);
    return e instanceof Error && e.name === 'AbortError' ? 1 : 2;
  }
  if (typeof result === 'string') {
    process.stderr.write(`adbit query: ${result}\n`);
    return 1;
  }
  process.stdout.write((values.json === true ? JSON.stringify(result) : toText(result)) + '\n');
  return (result.rcode === 'NOERROR' || result.rcode === 'NXDOMAIN') && result.security !== 'bogus' ? 0 : 1;
}
