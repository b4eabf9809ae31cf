// hierarchy-resolver.ts — the validating resolver every integration test builds over the signed
// test hierarchy: its root hints, and a trust-anchor store loaded from its root DS file.
import { ResolverSource } from '../../src/apps/source.js';
import type { KeyCache } from '../../src/dnssec/key-cache.js';
import { TrustAnchorStore } from '../../src/dnssec/trust-anchors.js';
import { Validator } from '../../src/dnssec/validator.js';
import { readRootHintsFile } from '../../src/resolver/hints.js';
import { Resolver } from '../../src/resolver/resolver.js';
import type { Hierarchy } from '../hierarchy/fixture.js';

/** The hierarchy's root DS anchor as a store on the wall clock. */
export async function hierarchyAnchors(h: Hierarchy): Promise<TrustAnchorStore> {
  const anchors = new TrustAnchorStore({ nowSec: () => Math.floor(Date.now() / 1000) });
  await anchors.loadFile(h.trustAnchorDsFile);
  return anchors;
}

/** A Resolver from the hierarchy's root hints with a Validator over its anchor. */
export async function validatingResolver(h: Hierarchy, keyCache?: KeyCache): Promise<Resolver> {
  const anchors = await hierarchyAnchors(h);
  const validator = new Validator(keyCache === undefined ? { anchors } : { anchors, keyCache });
  return new Resolver({ rootHints: readRootHintsFile(h.rootHintsFile), validator });
}

/** The DANE lookups' in-process source over validatingResolver(h); close() closes the resolver. */
export async function hierarchySource(h: Hierarchy): Promise<ResolverSource> {
  const resolver = await validatingResolver(h);
  return new ResolverSource(resolver, () => resolver.close());
}
