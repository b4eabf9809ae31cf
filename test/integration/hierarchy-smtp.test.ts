// The SMTP test servers of the hierarchy: each STARTTLS server (RFC 3207) presents the
// certificate its TLSA scenario expects (RFC 7672 §3, RFC 7671 §5.1/§5.2), checked with
// `openssl s_client -starttls smtp` against the TLSA RRset Unbound resolves.
import { execFile, spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import test from 'ava';
import { certDigest } from '../hierarchy/certs.js';
import { useHierarchy } from '../hierarchy/fixture.js';
import { DEAD_MX_ADDR } from '../hierarchy/zones.js';

const run = promisify(execFile);
const hierarchy = useHierarchy(test);

function server(id: string): { addr: string; host: string } {
  const s = hierarchy().smtpServers.find((x) => x.id === id);
  if (s === undefined) throw new Error(`no SMTP server ${id}`);
  return { addr: s.addr, host: s.host.replace(/\.$/, '') };
}

/** The chain the server presents after STARTTLS, leaf first. */
async function presented(id: string): Promise<string[]> {
  const { addr, host } = server(id);
  // stdin is /dev/null so s_client ends the session right after the handshake.
  const stdout = await new Promise<string>((resolve) => {
    const c = spawn('openssl', ['s_client', '-starttls', 'smtp', '-connect', `${addr}:25`, '-servername', host, '-showcerts'],
      { stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
    let out = '';
    c.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    c.on('close', () => resolve(out));
  });
  return stdout.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

async function tlsa(name: string, cd = false): Promise<string[]> {
  const { stdout } = await run('dig', ['+short', '+time=5', '+tries=1', ...(cd ? ['+cd'] : []), `@${hierarchy().unboundAddr}`, name, 'TLSA']);
  return stdout.trim().split('\n').filter((l) => l !== '').map((l) => l.replace(/\s+/g, ' ').toLowerCase());
}

/** RFC 6698 §2.1 matching: usage 3 against the leaf, usage 2 against an issuer in the chain. */
function matches(chain: readonly string[], rr: string): boolean {
  const [usage, selector, mtype, ...hex] = rr.split(' ');
  if (mtype !== '1') return false;
  const want = hex.join('');
  const candidates = usage === '3' ? chain.slice(0, 1) : usage === '2' ? chain.slice(1) : [];
  return candidates.some((pem) => certDigest(pem, Number(selector)) === want);
}

async function ehlo(addr: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(25, addr);
    let text = '';
    let step = 0;
    sock.on('data', (d) => {
      text += d.toString();
      if (step === 0 && /^220 /m.test(text)) { step = 1; sock.write('EHLO client.test\r\n'); }
      if (step === 1 && /^250 /m.test(text)) { step = 2; sock.end('QUIT\r\n'); }
    });
    sock.on('close', () => resolve(text));
    sock.on('error', reject);
  });
}

for (const [id, rrname] of [['ee311', '_25._tcp.mx311.dane.test'], ['ee301', '_25._tcp.mx301.dane.test'],
  ['insecure', '_25._tcp.mx.insec-nsec.test']] as const) {
  test(`${id}: the DANE-EE TLSA record matches the presented leaf`, async (t) => {
    const chain = await presented(id);
    t.is(chain.length, 1);
    const rrs = await tlsa(rrname);
    t.true(rrs.length > 0);
    t.true(rrs.every((rr) => matches(chain, rr)), rrs.join('\n'));
  });
}

test('ta2: DANE-TA 2 0 1 and 2 1 1 match the private CA, which issued the leaf', async (t) => {
  const chain = await presented('ta2');
  t.is(chain.length, 2);
  const rrs = await tlsa('_25._tcp.mx2.dane.test');
  t.is(rrs.length, 2);
  t.true(rrs.every((rr) => rr.startsWith('2 ') && matches(chain, rr)), rrs.join('\n'));
  const [leaf, ca] = chain.map((p) => new X509Certificate(p));
  t.true(leaf !== undefined && ca !== undefined && leaf.verify(ca.publicKey));
  t.true(leaf?.checkHost('mx2.dane.test') === 'mx2.dane.test');
});

test('mismatch: the secure TLSA record matches nothing the server presents', async (t) => {
  const chain = await presented('mismatch');
  t.is(chain.length, 1);
  const rrs = await tlsa('_25._tcp.mxbad.dane.test');
  t.is(rrs.length, 1);
  t.false(rrs.some((rr) => matches(chain, rr)));
});

test('bogus: the TLSA is SERVFAIL when validated, and its altered data matches no certificate', async (t) => {
  t.deepEqual(await tlsa('_25._tcp.mx.bogus-data.test'), []);
  const chain = await presented('bogus');
  t.is(chain.length, 1);
  const altered = await tlsa('_25._tcp.mx.bogus-data.test', true);
  t.is(altered.length, 1);
  t.false(altered.some((rr) => matches(chain, rr)));
});

test('notls: the server greets and answers EHLO without offering STARTTLS', async (t) => {
  const reply = await ehlo(server('notls').addr);
  t.regex(reply, /^220 /m);
  t.regex(reply, /^250 /m);
  t.false(reply.includes('STARTTLS'));
  t.deepEqual(await presented('notls'), []);
});

test('the failing MX host refuses connections', async (t) => {
  await t.throwsAsync(ehlo(DEAD_MX_ADDR), { message: /ECONNREFUSED/ });
});
