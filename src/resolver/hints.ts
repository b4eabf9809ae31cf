// hints.ts — root hints: the built-in IANA set (names and IPv4/IPv6 addresses as published in
// https://www.internic.net/domain/named.root, version of 2023-11, b.root's 2023 renumbering
// included) and a parser for named.root-format files (RFC 1035 §5.1 master-file subset).
// RFC 9609 (priming) says hints only bootstrap; they are never cached as authoritative data.
import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from '../util/errors.js';
import { Name } from '../wire/name.js';

/** One root server: its name and addresses. */
export interface HintServer {
  readonly name: Name;
  readonly addresses: readonly string[];
}

/** The root NS set with addresses. */
export interface RootHints {
  readonly servers: readonly HintServer[];
}

const IANA: ReadonlyArray<[string, string, string]> = [
  ['a', '198.41.0.4', '2001:503:ba3e::2:30'],
  ['b', '170.247.170.2', '2801:1b8:10::b'],
  ['c', '192.33.4.12', '2001:500:2::c'],
  ['d', '199.7.91.13', '2001:500:2d::d'],
  ['e', '192.203.230.10', '2001:500:a8::e'],
  ['f', '192.5.5.241', '2001:500:2f::f'],
  ['g', '192.112.36.4', '2001:500:12::d0d'],
  ['h', '198.97.190.53', '2001:500:1::53'],
  ['i', '192.36.148.17', '2001:7fe::53'],
  ['j', '192.58.128.30', '2001:503:c27::2:30'],
  ['k', '193.0.14.129', '2001:7fd::1'],
  ['l', '199.7.83.42', '2001:500:9f::42'],
  ['m', '202.12.27.33', '2001:dc3::35'],
];

/** The built-in IANA root hints (never used by tests: they pass the test hierarchy's file). */
export const IANA_ROOT_HINTS: RootHints = {
  servers: IANA.map(([l, v4, v6]) => ({ name: Name.fromText(`${l}.root-servers.net.`), addresses: [v4, v6] })),
};

/**
 * Parses a named.root file: `owner [ttl] [IN] type rdata` lines, `;` comments. Root NS records name
 * the servers; A/AAAA records give their addresses. Throws InvalidArgumentError on a file without
 * any usable server (a configuration error, not DNS data).
 */
export function parseRootHints(text: string): RootHints {
  const ns: Name[] = [];
  const addrs = new Map<string, string[]>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/;.*$/, '').trim();
    if (line === '') continue;
    const f = line.split(/\s+/);
    const owner = f[0] ?? '';
    let i = 1;
    while (i < f.length && (/^\d+$/.test(f[i] ?? '') || /^(IN|CH|HS)$/i.test(f[i] ?? ''))) i++;
    const type = (f[i] ?? '').toUpperCase();
    const rdata = f[i + 1];
    if (rdata === undefined) continue;
    if (type === 'NS' && Name.fromText(owner).isRoot()) ns.push(Name.fromText(rdata));
    else if (type === 'A' || type === 'AAAA') {
      const k = Name.fromText(owner).key();
      addrs.set(k, [...(addrs.get(k) ?? []), rdata]);
    }
  }
  const servers = ns.map((n) => ({ name: n, addresses: addrs.get(n.key()) ?? [] })).filter((s) => s.addresses.length > 0);
  if (servers.length === 0) throw new InvalidArgumentError('root hints: no root NS with an address');
  return { servers };
}

/** Reads and parses a named.root file (configuration, so errors throw). */
export function readRootHintsFile(path: string): RootHints {
  return parseRootHints(readFileSync(path, 'utf8'));
}
