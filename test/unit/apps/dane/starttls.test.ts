// starttls.test.ts — the SMTP STARTTLS client against small scripted SMTP servers on 127.0.0.1
// (port 0): normal dialogue with SNI and chain, multi-line greeting, no STARTTLS, 454 refusal,
// timeouts per step, handshake failure, plaintext injection after 220, abort; and
// verifyTlsSocket on a plain TLS server (the path Node MTAs use after their own STARTTLS).
import test from 'ava';
import net from 'node:net';
import tls from 'node:tls';
import { createHash, type X509Certificate } from 'node:crypto';
import { smtpStarttls, type StarttlsOptions } from '../../../../src/apps/dane/starttls.js';
import { matchTlsa, peerChain, verifyTlsSocket } from '../../../../src/apps/dane/match.js';
import type { TlsaRecord } from '../../../../src/apps/dane/types.js';
import { testPki } from '../../../helpers/certs.js';

const pki = testPki();
const NOW = Date.now();
const ids = { tlsaBaseDomain: 'mx.example.net', nowMs: NOW };

function spki(cert: X509Certificate): Buffer {
  return cert.publicKey.export({ type: 'spki', format: 'der' });
}
const ee311 = (c: X509Certificate): TlsaRecord => ({ usage: 3, selector: 1, matchingType: 1, data: createHash('sha256').update(spki(c)).digest() });
const ta210 = (c: X509Certificate): TlsaRecord => ({ usage: 2, selector: 1, matchingType: 0, data: spki(c) });

interface ServerScript {
  greeting?: string[] | null; // null: never greet
  ehlo?: string[];
  starttls?: string;
  afterStarttls?: 'tls' | 'garbage' | 'silent' | 'inject';
  certPem?: string;
  keyPem?: string;
}

interface TestServer { port: number; sni: Promise<string | false>; close(): Promise<void> }

async function smtpServer(script: ServerScript): Promise<TestServer> {
  let sniResolve: (v: string | false) => void = () => undefined;
  const sni = new Promise<string | false>((r) => { sniResolve = r; });
  const conns = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    conns.add(sock);
    sock.on('error', () => undefined);
    if (script.greeting !== null) sock.write((script.greeting ?? ['220 mx.example.net ESMTP test']).map((l) => `${l}\r\n`).join(''));
    let buf = '';
    const onData = (d: Buffer): void => {
      buf += d.toString('latin1');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        const verb = line.split(' ')[0]?.toUpperCase();
        if (verb === 'EHLO') sock.write((script.ehlo ?? ['250-mx.example.net', '250-PIPELINING', '250-STARTTLS', '250 8BITMIME']).map((l) => `${l}\r\n`).join(''));
        else if (verb === 'QUIT') sock.end('221 2.0.0 bye\r\n');
        else if (verb === 'STARTTLS') {
          const reply = script.starttls ?? '220 2.0.0 Ready to start TLS';
          if (!reply.startsWith('220')) { sock.write(`${reply}\r\n`); continue; }
          const mode = script.afterStarttls ?? 'tls';
          sock.off('data', onData);
          if (mode === 'inject') { sock.write(`${reply}\r\n250 injected\r\n`); return; }
          sock.write(`${reply}\r\n`);
          if (mode === 'garbage') { sock.once('data', () => sock.end('this is not TLS at all\r\n\r\n')); return; }
          if (mode === 'silent') return;
          const tsock = new tls.TLSSocket(sock, {
            isServer: true,
            secureContext: tls.createSecureContext({ key: script.keyPem ?? pki.leaf.keyPem, cert: script.certPem ?? pki.leaf.certPem + pki.intermediate.certPem }),
          });
          tsock.on('error', () => undefined);
          tsock.on('secure', () => sniResolve((tsock as unknown as { servername: string | false }).servername));
          tsock.on('data', (x: Buffer) => { if (/^QUIT/i.test(x.toString())) tsock.end('221 2.0.0 bye\r\n'); });
          return;
        } else sock.write('502 5.5.2 unknown\r\n');
      }
    };
    sock.on('data', onData);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    sni,
    close: () => new Promise<void>((r) => { for (const c of conns) c.destroy(); server.close(() => r()); }),
  };
}

const base = (port: number, extra: Partial<StarttlsOptions> = {}): StarttlsOptions => ({ host: '127.0.0.1', port, heloName: 'client.example', sni: 'mx.example.net', ...extra });

test('normal dialogue: greeting, EHLO, STARTTLS, handshake with SNI, chain, QUIT', async (t) => {
  const srv = await smtpServer({});
  const r = await smtpStarttls(base(srv.port));
  await srv.close();
  if (!r.ok) return t.fail(`${r.failure} at ${r.step}: ${r.detail}`);
  t.is(await srv.sni, 'mx.example.net');
  t.is(r.chain.length, 2);
  t.is(r.chain[0]?.fingerprint256, pki.leaf.x509.fingerprint256);
  t.is(r.chain[1]?.fingerprint256, pki.intermediate.x509.fingerprint256);
  t.regex(r.protocol ?? '', /^TLSv1\.[23]$/);
  t.true(r.cipher.length > 0);
  t.deepEqual(r.transcript.slice(0, 3), ['S: 220 mx.example.net ESMTP test', 'C: EHLO client.example', 'S: 250-mx.example.net']);
  t.true(r.transcript.includes('C: STARTTLS'));
  t.true(r.transcript.includes('S: 221 2.0.0 bye'));
  // The chain feeds straight into matching.
  t.like(matchTlsa(r.chain, [ta210(pki.root.x509)], ids), { ok: true, usage: 2, taSent: false });
});

test('multi-line greeting and a lower-case starttls keyword', async (t) => {
  const srv = await smtpServer({
    greeting: ['220-mx.example.net ESMTP', '220-no UCE', '220 welcome'],
    ehlo: ['250-mx.example.net hello', '250-SIZE 10240000', '250-starttls', '250 ENHANCEDSTATUSCODES'],
  });
  const r = await smtpStarttls(base(srv.port));
  await srv.close();
  t.true(r.ok, r.ok ? '' : r.detail);
  t.deepEqual(r.transcript.slice(0, 3), ['S: 220-mx.example.net ESMTP', 'S: 220-no UCE', 'S: 220 welcome']);
});

test('no STARTTLS advertised → no-starttls (keyword in the first line does not count)', async (t) => {
  const srv = await smtpServer({ ehlo: ['250-STARTTLS is what I am named', '250-PIPELINING', '250 8BITMIME'] });
  const r = await smtpStarttls(base(srv.port));
  await srv.close();
  t.like(r, { ok: false, failure: 'no-starttls', step: 'ehlo' });
});

test('STARTTLS refused with 454 → starttls-refused', async (t) => {
  const srv = await smtpServer({ starttls: '454 4.7.0 TLS not available due to local problem' });
  const r = await smtpStarttls(base(srv.port));
  await srv.close();
  t.like(r, { ok: false, failure: 'starttls-refused', step: 'starttls' });
  t.regex(r.ok ? '' : r.detail, /454/);
});

test('554 greeting → bad-greeting; EHLO rejected → no-starttls', async (t) => {
  const srv = await smtpServer({ greeting: ['554 5.3.2 go away'] });
  t.like(await smtpStarttls(base(srv.port)), { ok: false, failure: 'bad-greeting', step: 'greeting' });
  await srv.close();
  const srv2 = await smtpServer({ ehlo: ['500 5.5.1 what'] });
  t.like(await smtpStarttls(base(srv2.port)), { ok: false, failure: 'no-starttls', step: 'ehlo' });
  await srv2.close();
});

test('slow server → timeout naming the step', async (t) => {
  const silent = await smtpServer({ greeting: null });
  const t0 = performance.now();
  const r = await smtpStarttls(base(silent.port, { timeouts: { greetingMs: 200 } }));
  t.like(r, { ok: false, failure: 'timeout', step: 'greeting' });
  t.true(performance.now() - t0 < 2000);
  await silent.close();
  const noHandshake = await smtpServer({ afterStarttls: 'silent' });
  t.like(await smtpStarttls(base(noHandshake.port, { timeouts: { handshakeMs: 200 } })), { ok: false, failure: 'timeout', step: 'handshake' });
  await noHandshake.close();
});

test('handshake failure → handshake-failed', async (t) => {
  const srv = await smtpServer({ afterStarttls: 'garbage' });
  const r = await smtpStarttls(base(srv.port));
  await srv.close();
  t.like(r, { ok: false, failure: 'handshake-failed', step: 'handshake' });
});

test('plaintext after "220" to STARTTLS is refused (RFC 3207 §6 injection)', async (t) => {
  const srv = await smtpServer({ afterStarttls: 'inject' });
  const r = await smtpStarttls(base(srv.port));
  await srv.close();
  t.like(r, { ok: false, failure: 'protocol-error', step: 'starttls' });
});

test('connection refused → connect-failed; malformed greeting → bad-greeting', async (t) => {
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  t.like(await smtpStarttls(base(port)), { ok: false, failure: 'connect-failed', step: 'connect' });
  const srv = await smtpServer({ greeting: ['HTTP/1.1 400 Bad Request'] });
  t.like(await smtpStarttls(base(srv.port)), { ok: false, failure: 'bad-greeting', step: 'greeting' });
  await srv.close();
});

test('abort throws AbortError', async (t) => {
  const silent = await smtpServer({ greeting: null });
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 100);
  await t.throwsAsync(smtpStarttls(base(silent.port, { signal: ac.signal })), { name: 'AbortError' });
  await silent.close();
});

test('verifyTlsSocket on a plain TLS server (Node MTA path)', async (t) => {
  const server = tls.createServer({ key: pki.leaf.keyPem, cert: pki.leaf.certPem + pki.intermediate.certPem + pki.root.certPem }, (s) => s.on('error', () => undefined));
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const sock = tls.connect({ host: '127.0.0.1', port, servername: 'mx.example.net', rejectUnauthorized: false });
  await new Promise<void>((resolve, reject) => { sock.once('secureConnect', resolve); sock.once('error', reject); });
  t.like(verifyTlsSocket(sock, [ee311(pki.leaf.x509)], ids), { ok: true, usage: 3, depth: 0 });
  // The root the server sent ends the chain once (its self-loop is dropped).
  t.is(peerChain(sock).length, 3);
  t.like(verifyTlsSocket(sock, [ta210(pki.root.x509)], ids), { ok: true, usage: 2, depth: 2, taSent: true });
  t.like(verifyTlsSocket(sock, [ee311(pki.otherLeaf.x509)], ids), { ok: false, reason: 'no-match' });
  t.like(verifyTlsSocket(sock, [ta210(pki.root.x509)], { ...ids, tlsaBaseDomain: 'mx.example.com' }), { ok: false, reason: 'name-mismatch' });
  t.like(verifyTlsSocket(sock, [{ usage: 1, selector: 1, matchingType: 1, data: ee311(pki.leaf.x509).data }], ids), { ok: false, reason: 'no-usable-tlsa' });
  sock.destroy();
  await new Promise<void>((r) => server.close(() => r()));
});
