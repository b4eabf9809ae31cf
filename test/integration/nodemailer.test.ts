// nodemailer.test.ts — the README's Nodemailer example against the hierarchy's STARTTLS servers:
// daneNextHop gives the policy, tls options (SNI = TLSA base domain) and the post-handshake check;
// Nodemailer's SMTPConnection does EHLO/STARTTLS; mail may be sent only when accept() says so
// (RFC 7672 §2.2). A verified host (TLSA 3 1 1) passes, a mismatching one is refused.
import type { TLSSocket } from 'node:tls';
import test from 'ava';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { daneNextHop, type MtaNextHop } from '../../src/apps/dane/mta.js';
import { ResolverSource } from '../../src/apps/source.js';
import { useHierarchy } from '../hierarchy/fixture.js';
import { hierarchySource } from '../helpers/hierarchy-resolver.js';

const hierarchy = useHierarchy(test);
let source: ResolverSource | undefined;
test.after.always(() => source?.close());

async function src(): Promise<ResolverSource> {
  if (source !== undefined) return source;
  source = await hierarchySource(hierarchy());
  return source;
}

/** The README example: connect with Nodemailer and decide before MAIL FROM. */
async function deliverCheck(hop: MtaNextHop): Promise<{ ok: boolean; detail: string }> {
  if (hop.policy === 'defer' || hop.addresses.length === 0) return { ok: false, detail: hop.reason };
  const conn = new SMTPConnection({
    host: hop.addresses[0]!.address, port: 25, name: 'client.test',
    requireTLS: hop.requireTls, tls: { ...hop.tlsOptions }, connectionTimeout: 5000, greetingTimeout: 5000,
  });
  try {
    return await new Promise((resolve) => {
      conn.once('error', (e: Error) => resolve({ ok: false, detail: e.message }));
      conn.connect(() => {
        // After EHLO → STARTTLS → handshake → EHLO; nothing has been sent yet beyond EHLO.
        const verdict = hop.accept(conn._socket as TLSSocket);
        // Here a real MTA calls conn.send(envelope, message, cb) when verdict.ok.
        resolve(verdict);
      });
    });
  } finally {
    conn.quit();
    conn.close();
  }
}

test.serial('DANE-EE host mx311: dane-only, SNI is the TLSA base domain, Nodemailer connection accepted', async (t) => {
  const hop = await daneNextHop(await src(), 'mx311.dane.test');
  t.is(hop.policy, 'dane-only', hop.reason);
  t.is(hop.tlsOptions.servername, 'mx311.dane.test');
  t.false(hop.tlsOptions.rejectUnauthorized);
  const r = await deliverCheck(hop);
  t.true(r.ok, r.detail);
  t.regex(r.detail, /DANE EE match/);
});

test.serial('DANE-TA host mx2 (private CA, name checked): accepted', async (t) => {
  const r = await deliverCheck(await daneNextHop(await src(), 'mx2.dane.test'));
  t.true(r.ok, r.detail);
  t.regex(r.detail, /DANE TA match/);
});

test.serial('mismatching TLSA (mxbad): the connection is refused before any mail', async (t) => {
  const hop = await daneNextHop(await src(), 'mxbad.dane.test');
  t.is(hop.policy, 'dane-only');
  const r = await deliverCheck(hop);
  t.false(r.ok);
  t.regex(r.detail, /no-match/);
});

test.serial('MX host via CNAME (mxalias → mx311): accepted with the expanded name as SNI', async (t) => {
  const hop = await daneNextHop(await src(), 'mxalias.dane.test');
  t.is(hop.tlsOptions.servername, 'mx311.dane.test');
  t.true((await deliverCheck(hop)).ok);
});

test.serial('no TLSA (mxnotls): policy may, Nodemailer need not require TLS', async (t) => {
  const hop = await daneNextHop(await src(), 'mxnotls.dane.test');
  t.is(hop.policy, 'may');
  t.false(hop.requireTls);
});

test.serial('bogus host (mx.bogus-data.test): defer, no connection attempted', async (t) => {
  const hop = await daneNextHop(await src(), 'mx.bogus-data.test');
  t.is(hop.policy, 'defer');
  t.false((await deliverCheck(hop)).ok);
});
