// validation.test.ts — the validator through the real resolver on the signed test hierarchy
// (NSD on loopback): every manifest scenario must get the manifest's security status and RFC 8914
// EDE code (the manifest is checked against Unbound by hierarchy-oracle.test.ts), with the
// hierarchy's trust anchor loaded from root-ds.txt like a deployment would.
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

const hierarchy = useHierarchy(test);
const shared = { resolver: undefined as Resolver | undefined, keyCache: new KeyCache() };
test.after.always(() => shared.resolver?.close());

async function resolver(): Promise<Resolver> {
  if (shared.resolver !== undefined) return shared.resolver;
  const h = hierarchy();
  const anchors = await hierarchyAnchors(h);
  const validator = new Validator({ anchors, keyCache: shared.keyCache });
  shared.resolver = new Resolver({ rootHints: readRootHintsFile(h.rootHintsFile), validator });
  return shared.resolver;
}

for (const sc of SCENARIOS) {
  test.serial(`validation: ${sc.id} (${sc.qname} ${sc.qtype}) → ${sc.security}${sc.ede === undefined ? '' : ` EDE ${sc.ede}`}`, async (t) => {
    const r = await resolver();
    const a = await r.resolve({ name: Name.fromText(sc.qname), type: typeFromText(sc.qtype)! });
    const info = `${rcodeToText(a.rcode)} ${JSON.stringify(a.outcome)}`;
    t.is(a.outcome.security, sc.security, info);
    const ede = a.outcome.security === 'secure' ? undefined : (a.outcome.reason.ede ?? undefined);
    t.is(ede as number | undefined, sc.ede, info);
    t.is(rcodeToText(a.rcode), sc.rcode, info);
  });
}

test.serial('a second pass over every scenario is answered from caches with the same status', async (t) => {
  const r = await resolver();
  for (const sc of SCENARIOS) {
    const a = await r.resolve({ name: Name.fromText(sc.qname), type: typeFromText(sc.qtype)! });
    t.is(a.outcome.security, sc.security, sc.id);
  }
  t.true(shared.keyCache.size > 5);
});
