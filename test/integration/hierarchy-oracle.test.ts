// Differential oracle for the test hierarchy: Debian's Unbound, given only the test root hints
// and trust anchor, must agree with the manifest on rcode, AD bit (RFC 4035 §3.2.3) and, where
// Unbound reports one, the RFC 8914 Extended DNS Error of every scenario.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import test from 'ava';
import { useHierarchy } from '../hierarchy/fixture.js';
import { SCENARIOS } from '../hierarchy/scenarios.js';

const run = promisify(execFile);
const hierarchy = useHierarchy(test);

interface DigResult { readonly rcode: string; readonly ad: boolean; readonly ede: number | null; readonly text: string }

async function dig(server: string, qname: string, qtype: string): Promise<DigResult> {
  const { stdout } = await run('dig', ['+dnssec', '+time=5', '+tries=1', '+noall', '+comments', '+answer',
    `@${server}`, qname, qtype]);
  const rcode = /status: ([A-Z]+)/.exec(stdout)?.[1] ?? 'NONE';
  const flags = /;; flags: ([a-z ]+);/.exec(stdout)?.[1]?.split(' ') ?? [];
  const ede = /; EDE: (\d+)/.exec(stdout)?.[1];
  return { rcode, ad: flags.includes('ad'), ede: ede === undefined ? null : Number(ede), text: stdout };
}

test('the hierarchy publishes hints, trust anchors and a server per address', (t) => {
  const h = hierarchy();
  const addrs = h.servers.map((s) => s.addr);
  t.is(new Set(addrs).size, addrs.length);
  t.true(addrs.every((a) => /^127\.2\d\.\d+\.\d+$/.test(a)));
  t.true(h.manifest.length >= 50);
  t.log(`build ${h.timings.buildMs} ms (cached: ${h.timings.cached}), start ${h.timings.startMs} ms, ${addrs.length} NSDs`);
});

for (const sc of SCENARIOS) {
  test(`oracle: ${sc.id} (${sc.qname} ${sc.qtype} -> ${sc.rcode} ${sc.security})`, async (t) => {
    const r = await dig(hierarchy().unboundAddr, sc.qname, sc.qtype);
    t.is(r.rcode, sc.rcode, r.text);
    t.is(r.ad, sc.security === 'secure', r.text);
    const wantEde = sc.unboundEde === undefined ? sc.ede : sc.unboundEde;
    // No EDE expected (secure answers) means Unbound must not report one either.
    t.is(r.ede, wantEde ?? null, r.text);
  });
}
