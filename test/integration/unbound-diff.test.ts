// unbound-diff.test.ts — issue 6's differential check: for every manifest scenario of the signed
// test hierarchy, adbit's Resolver+Validator and the hierarchy's Unbound (dig +dnssec) must give
// the same rcode and the same AD bit (RFC 4035 §3.2.3: AD exactly when every RRset is secure).
// The manifest is not consulted for the verdict: the two resolvers are compared with each other.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import test from 'ava';
import { KeyCache } from '../../src/dnssec/key-cache.js';
import { Validator } from '../../src/dnssec/validator.js';
import { readRootHintsFile } from '../../src/resolver/hints.js';
import { Resolver } from '../../src/resolver/resolver.js';
import { rcodeToText, typeFromText } from '../../src/wire/constants.js';
import { Name } from '../../src/wire/name.js';
import { useHierarchy } from '../hierarchy/fixture.js';
import { hierarchyAnchors } from '../helpers/hierarchy-resolver.js';
import { SCENARIOS } from '../hierarchy/scenarios.js';

const run = promisify(execFile);
const hierarchy = useHierarchy(test);
const shared = { resolver: undefined as Resolver | undefined };
test.after.always(() => shared.resolver?.close());

async function resolver(): Promise<Resolver> {
  if (shared.resolver !== undefined) return shared.resolver;
  const h = hierarchy();
  const anchors = await hierarchyAnchors(h);
  shared.resolver = new Resolver({ rootHints: readRootHintsFile(h.rootHintsFile), validator: new Validator({ anchors, keyCache: new KeyCache() }) });
  return shared.resolver;
}

async function unbound(qname: string, qtype: string): Promise<{ rcode: string; ad: boolean; text: string }> {
  const { stdout } = await run('dig', ['+dnssec', '+time=5', '+tries=1', '+noall', '+comments', `@${hierarchy().unboundAddr}`, qname, qtype]);
  const flags = /;; flags: ([a-z ]+);/.exec(stdout)?.[1]?.split(' ') ?? [];
  return { rcode: /status: ([A-Z]+)/.exec(stdout)?.[1] ?? 'NONE', ad: flags.includes('ad'), text: stdout };
}

for (const sc of SCENARIOS) {
  test.serial(`adbit = unbound: ${sc.id} (${sc.qname} ${sc.qtype})`, async (t) => {
    const [mine, theirs] = await Promise.all([
      resolver().then((r) => r.resolve({ name: Name.fromText(sc.qname), type: typeFromText(sc.qtype)! })),
      unbound(sc.qname, sc.qtype),
    ]);
    const info = `adbit ${rcodeToText(mine.rcode)} ${JSON.stringify(mine.outcome)}\nunbound:\n${theirs.text}`;
    t.is(rcodeToText(mine.rcode), theirs.rcode, info);
    t.is(mine.outcome.security === 'secure', theirs.ad, info);
  });
}
