// signers-diff.test.ts — differential test: zones signed at test time by ldns-signzone and by
// dnssec-signzone (every RFC 8624 algorithm both tools offer) must verify through the native batch,
// and ldns's own ldns_verify_rrsig must agree with us on valid and bit-flipped inputs.
// RFC 4034 §3.1.8.1 / §6 (canonical form), RFC 4035 §5.3 (wildcards).
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CryptoBatch } from '../../src/native/batch.js';
import { native } from '../../src/native/binding.js';
import { groupRRsets, rrFromText, rrsigKeyTag, verifyJob, type WireRr } from '../../bench/lib/verify-rr.js';
import { keyTag } from '../../bench/lib/verify-keys.js';

const ldnsVerify = native.ldnsVerifyRRset.bind(native);

const ZONE = `$ORIGIN example.com.
$TTL 3600
@ IN SOA ns1.Example.COM. hostmaster.example.com. 1 7200 3600 1209600 3600
@ IN NS ns1.EXAMPLE.com.
@ IN NS ns2.example.com.
@ IN MX 10 Mail.Example.com.
@ IN MX 20 mx2.example.com.
ns1 IN A 192.0.2.1
ns2 IN A 192.0.2.2
Mail IN A 192.0.2.3
mx2 IN AAAA 2001:db8::25
www IN CNAME Mail.example.com.
* IN TXT "wildcard"
_25._tcp.mail IN TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
txt IN TXT "a" "b"
txt IN TXT "c"
`;

const LDNS_ALGS: Record<number, string> = { 8: 'RSASHA256', 10: 'RSASHA512', 13: 'ECDSAP256SHA256', 14: 'ECDSAP384SHA384', 15: 'ED25519', 16: 'ED448' };
const BIND_ALGS: Record<number, string> = { 5: 'RSASHA1', 7: 'NSEC3RSASHA1', ...LDNS_ALGS };
const now = Math.floor(Date.now() / 1000);
const stamp = (t: number) => new Date(t * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14);

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function signLdns(dir: string, alg: number): string[] {
  const rsa = alg === 8 || alg === 10 ? ['-b', '1024'] : [];
  const base = run('ldns-keygen', ['-a', LDNS_ALGS[alg] ?? '', ...rsa, 'example.com'], dir).trim();
  writeFileSync(path.join(dir, 'zone'), ZONE);
  run('ldns-signzone', ['-i', stamp(now - 3600), '-e', stamp(now + 86400), 'zone', base], dir);
  return readFileSync(path.join(dir, 'zone.signed'), 'utf8').split('\n');
}

function signBind(dir: string, alg: number): string[] {
  const rsa = alg <= 10 ? ['-b', '1024'] : [];
  const base = run('dnssec-keygen', ['-q', '-a', BIND_ALGS[alg] ?? '', ...rsa, '-K', dir, 'example.com'], dir).trim();
  writeFileSync(path.join(dir, 'zone'), ZONE);
  appendFileSync(path.join(dir, 'zone'), readFileSync(path.join(dir, `${base}.key`), 'utf8'));
  const nsec3 = alg === 7 ? ['-3', 'aabb'] : [];
  run('dnssec-signzone', ['-q', '-P', '-K', dir, '-O', 'full', '-o', 'example.com', '-s', `${now - 3600}`, '-e', `${now + 86400}`, ...nsec3, '-f', 'zone.signed', 'zone', base], dir);
  return readFileSync(path.join(dir, 'zone.signed'), 'utf8').split('\n');
}

function records(lines: string[]): { text: string; rr: WireRr }[] {
  return lines.map((l) => l.trim()).filter((l) => l.length > 0 && !l.startsWith(';') && !l.startsWith('$'))
    .map((text) => ({ text, rr: rrFromText(text) }));
}

function flipSigText(text: string): string {
  const parts = text.split(/\s+/);
  const sig = Buffer.from(parts[parts.length - 1] ?? '', 'base64');
  sig[sig.length >> 1]! ^= 0x10;
  parts[parts.length - 1] = sig.toString('base64');
  return parts.join(' ');
}

function check(t: import('ava').ExecutionContext, signer: string, alg: number, lines: string[]): void {
  const recs = records(lines);
  const keys = recs.filter((r) => r.rr.type === 48);
  t.true(keys.length >= 1, `${signer} ${alg}: DNSKEY present`);
  const sets = groupRRsets(recs.map((r) => r.rr));
  const batch = new CryptoBatch();
  const jobs: number[] = [];
  let ldnsChecked = 0;
  sets.forEach((set, g) => {
    for (const sig of set.sigs) {
      const key = keys.find((k) => keyTag(k.rr.rdata) === rrsigKeyTag(sig));
      if (key === undefined) { t.fail(`${signer} ${alg}: no key for tag ${rrsigKeyTag(sig)}`); continue; }
      jobs.push(batch.addVerify(verifyJob(key.rr, sig, set, g)));
      if (ldnsChecked < 4) {
        // Differential against ldns on this RRset, valid and with one signature bit flipped.
        const text = (rr: WireRr) => recs.find((r) => r.rr === rr)?.text ?? '';
        const setText = set.rrs.map(text);
        const sigText = text(sig);
        t.is(ldnsVerify(setText, sigText, key.text), 0, `${signer} ${alg}: ldns accepts ${sigText.slice(0, 40)}`);
        t.not(ldnsVerify(setText, flipSigText(sigText), key.text), 0, `${signer} ${alg}: ldns rejects the flipped signature`);
        const flipped = new CryptoBatch();
        const fj = flipped.addVerify(verifyJob(key.rr, rrFromText(flipSigText(sigText)), set));
        t.is(flipped.runSync().status(fj), 'BAD_SIGNATURE');
        ldnsChecked++;
      }
    }
  });
  t.true(jobs.length >= 10, `${signer} ${alg}: ${jobs.length} signatures`);
  const r = batch.runSync({ nowSec: now, maxSigsPerGroup: 0, maxSigsTotal: 0 });
  for (const j of jobs) t.is(r.status(j), 'OK', `${signer} alg ${alg} job ${j}`);
}

const tmp = mkdtempSync(path.join(tmpdir(), 'adbit-signers-'));
test.after.always(() => rmSync(tmp, { recursive: true, force: true }));

for (const alg of Object.keys(LDNS_ALGS).map(Number)) {
  test(`ldns-signzone algorithm ${alg} (${LDNS_ALGS[alg] ?? ''}): every RRSIG verifies; ldns agrees`, (t) => {
    const dir = mkdtempSync(path.join(tmp, `ldns-${alg}-`));
    check(t, 'ldns', alg, signLdns(dir, alg));
  });
}

for (const alg of Object.keys(BIND_ALGS).map(Number)) {
  test(`dnssec-signzone algorithm ${alg} (${BIND_ALGS[alg] ?? ''}): every RRSIG verifies; ldns agrees`, (t) => {
    const dir = mkdtempSync(path.join(tmp, `bind-${alg}-`));
    check(t, 'bind', alg, signBind(dir, alg));
  });
}
