// delegation.test.ts — delegation shapes of the test hierarchy through the real Resolver, without
// and with the validator: an out-of-bailiwick NS (another TLD), a glueless NS in a sibling zone, NS
// names with A and AAAA, and a referral carrying forged out-of-bailiwick glue (RFC 2181 §5.4.1,
// RFC 5452 §6) that must never be used: a UDP socket on the forged address counts datagrams.
import { execFile } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { promisify } from 'node:util';
import test from 'ava';
import { KeyCache } from '../../src/dnssec/key-cache.js';
import { Validator } from '../../src/dnssec/validator.js';
import { readRootHintsFile } from '../../src/resolver/hints.js';
import { Resolver } from '../../src/resolver/resolver.js';
import { rcodeToText, typeFromText } from '../../src/wire/constants.js';
import type { ResourceRecord } from '../../src/wire/message.js';
import { Name } from '../../src/wire/name.js';
import { useHierarchy } from '../hierarchy/fixture.js';
import { hierarchyAnchors } from '../helpers/hierarchy-resolver.js';
import { SCENARIOS } from '../hierarchy/scenarios.js';
import { POISON_GLUE_ADDR } from '../hierarchy/zones.js';

const run = promisify(execFile);
const hierarchy = useHierarchy(test);
const DELEG = SCENARIOS.filter((s) => s.id.startsWith('deleg-'));
/** The addresses each answer must hold (zones.ts: WWW records; ns-dual's AAAA is ::1). */
const WANT: Record<string, string> = {
  'deleg-out-of-bailiwick': '192.0.2.1', 'deleg-glueless': '192.0.2.1', 'deleg-poisoned-glue': '192.0.2.1',
  'deleg-ns-a-aaaa': '2001:db8::1', 'deleg-ns-host-aaaa': '::1',
};

let trap: Socket | undefined;
let trapped = 0;
const resolvers: Resolver[] = [];

test.before(async () => {
  // Nothing of the hierarchy listens on the forged glue address; count whatever arrives there.
  const s = createSocket('udp4');
  s.on('message', () => { trapped++; });
  await new Promise<void>((res, rej) => { s.once('error', rej); s.bind(53, POISON_GLUE_ADDR, () => res()); });
  trap = s;
});
test.after.always(() => {
  for (const r of resolvers) r.close();
  trap?.close();
});

async function makeResolver(validate: boolean): Promise<Resolver> {
  const h = hierarchy();
  const rootHints = readRootHintsFile(h.rootHintsFile);
  let r: Resolver;
  if (validate) {
    const anchors = await hierarchyAnchors(h);
    r = new Resolver({ rootHints, validator: new Validator({ anchors, keyCache: new KeyCache() }) });
  } else {
    r = new Resolver({ rootHints });
  }
  resolvers.push(r);
  return r;
}

function addresses(rrs: readonly ResourceRecord[]): string[] {
  return rrs.flatMap((r) => {
    const d = r.decode() as { type: string; address?: string };
    return (d.type === 'A' || d.type === 'AAAA') && d.address !== undefined ? [d.address] : [];
  });
}

test.serial('the rogue.test. referral really carries the forged out-of-bailiwick glue', async (t) => {
  const { stdout } = await run('dig', ['+norec', '+time=2', '+tries=1', '@127.20.4.5', 'www.victim.rogue.test.', 'A']);
  t.regex(stdout, new RegExp(`ns-victim\\.nshost\\.test\\.\\s+\\d+\\s+IN\\s+A\\s+${POISON_GLUE_ADDR.replace(/\./g, '\\.')}`), stdout);
  t.regex(stdout, /flags: qr;/, 'a referral, not an authoritative answer');
});

for (const validate of [false, true]) {
  for (const sc of DELEG) {
    test.serial(`${validate ? 'validating' : 'plain'}: ${sc.id} (${sc.qname} ${sc.qtype})`, async (t) => {
      const r = await makeResolver(validate); // fresh caches: each shape is resolved from the root
      const a = await r.resolve({ name: Name.fromText(sc.qname), type: typeFromText(sc.qtype)! });
      const info = `${rcodeToText(a.rcode)} ${JSON.stringify(a.outcome)} ${JSON.stringify(a.ede)}`;
      t.is(rcodeToText(a.rcode), sc.rcode, info);
      t.deepEqual(addresses(a.answer), [WANT[sc.id]], info);
      t.is(a.outcome.security, validate ? sc.security : 'indeterminate', info);
    });
  }
}

test.serial('no query ever went to the forged glue address (and the trap does count)', async (t) => {
  t.is(trapped, 0);
  const probe = createSocket('udp4');
  await new Promise<void>((res) => probe.send(Buffer.from([0]), 53, POISON_GLUE_ADDR, () => res()));
  probe.close();
  for (let i = 0; i < 40 && trapped === 0; i++) await new Promise((r) => setTimeout(r, 25));
  t.is(trapped, 1, 'the counting socket receives datagrams sent to the forged address');
});
