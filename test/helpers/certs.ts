// certs.ts — test-time PKI for DANE tests, minted with the `openssl` CLI (EC P-256, fast) in a
// temporary directory (removed right after), cached per process: root CA → intermediate → leaf, plus variants (wrong
// name, wildcard, partial wildcard, self-signed, short-lived leaf / intermediate for expiry
// tests at an injected "now", a second unrelated CA). Nothing is written into the repository.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestCert {
  readonly name: string;
  readonly certPem: string;
  readonly keyPem: string;
  readonly x509: X509Certificate;
}

export interface TestPki {
  readonly root: TestCert;
  readonly intermediate: TestCert;
  /** SAN mx.example.net, issued by `intermediate`, valid 30 days. */
  readonly leaf: TestCert;
  /** SAN other.example.com only. */
  readonly leafWrongName: TestCert;
  /** SAN *.example.net. */
  readonly leafWildcard: TestCert;
  /** SAN m*.example.net (a partial wildcard, which RFC 7672 does not accept). */
  readonly leafPartialWildcard: TestCert;
  /** SAN mail.example.org only (the MX host, not the TLSA base domain). */
  readonly leafMxName: TestCert;
  /** No SAN, CN=mx.example.net (legacy CN-only certificate). */
  readonly leafCnOnly: TestCert;
  /** SAN mx.example.net, valid for 1 day only. */
  readonly leafShort: TestCert;
  /** Intermediate valid for 2 days, and a 30-day leaf under it. */
  readonly intermediateShort: TestCert;
  readonly leafUnderShortInt: TestCert;
  /** Self-signed, SAN mx.example.net. */
  readonly selfSigned: TestCert;
  /** An unrelated root and a leaf it issued directly (SAN mx.example.net). */
  readonly otherRoot: TestCert;
  readonly otherLeaf: TestCert;
  /** Issuer DN = the intermediate's, no AKID, but signed by another key (a forgery). */
  readonly forgedLeaf: TestCert;
}

/** One day in ms, for moving the injected "now" across validity windows. */
export const DAY_MS = 86_400_000;

let cached: TestPki | undefined;

/** The per-process test PKI (generated on first use, ~20 openssl runs). */
export function testPki(): TestPki {
  cached ??= generate();
  return cached;
}

function generate(): TestPki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adbit-certs-'));
  try {
    return mint(dir);
  } finally {
    // Everything is in memory by now; ava workers may not run 'exit' handlers, so clean up here.
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function mint(dir: string): TestPki {
  let serial = 0x1000;
  const ossl = (args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const load = (name: string): TestCert => {
    const certPem = fs.readFileSync(path.join(dir, `${name}.crt`), 'utf8');
    const keyPem = fs.readFileSync(path.join(dir, `${name}.key`), 'utf8');
    return { name, certPem, keyPem, x509: new X509Certificate(certPem) };
  };
  const keygen = (name: string): void =>
    ossl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`]);

  const selfSignedCert = (name: string, cn: string, ext: string[], days = 3650): TestCert => {
    keygen(name);
    const addext = ext.flatMap((e) => ['-addext', e]);
    ossl(['req', '-x509', '-new', '-key', `${name}.key`, '-subj', `/CN=${cn}`, '-days', String(days), '-set_serial', String(serial++), ...addext, '-out', `${name}.crt`]);
    return load(name);
  };
  const issue = (name: string, cn: string, issuer: TestCert, ext: string, days: number, akid = true): TestCert => {
    keygen(name);
    ossl(['req', '-new', '-key', `${name}.key`, '-subj', `/CN=${cn}`, '-out', `${name}.csr`]);
    fs.writeFileSync(path.join(dir, `${name}.ext`), `${ext}\nsubjectKeyIdentifier=hash\n${akid ? 'authorityKeyIdentifier=keyid,issuer' : 'authorityKeyIdentifier=none'}\n`);
    ossl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${issuer.name}.crt`, '-CAkey', `${issuer.name}.key`, '-set_serial', String(serial++), '-days', String(days), '-extfile', `${name}.ext`, '-out', `${name}.crt`]);
    return load(name);
  };
  const caExt = 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign';
  const leafExt = (san: string | null): string =>
    `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth${san === null ? '' : `\nsubjectAltName=${san}`}`;

  const rootExt = ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'];
  const root = selfSignedCert('root', 'adbit Test Root CA', rootExt);
  const intermediate = issue('intermediate', 'adbit Test Intermediate', root, caExt, 365);
  const intermediateShort = issue('intermediate-short', 'adbit Short Intermediate', root, caExt, 2);
  const otherRoot = selfSignedCert('other-root', 'adbit Other Root CA', rootExt);
  // Same subject as `intermediate`, different key: its leaf names the real intermediate as issuer
  // and carries no authorityKeyIdentifier, so only the signature check can reject it.
  const impostor = selfSignedCert('impostor', 'adbit Test Intermediate', rootExt);
  return {
    root,
    intermediate,
    leaf: issue('leaf', 'mx.example.net', intermediate, leafExt('DNS:mx.example.net'), 30),
    leafWrongName: issue('leaf-wrong', 'other.example.com', intermediate, leafExt('DNS:other.example.com'), 30),
    leafWildcard: issue('leaf-wild', 'wild.example.net', intermediate, leafExt('DNS:*.example.net'), 30),
    leafPartialWildcard: issue('leaf-partial', 'partial.example.net', intermediate, leafExt('DNS:m*.example.net'), 30),
    leafMxName: issue('leaf-mx', 'mail.example.org', intermediate, leafExt('DNS:mail.example.org'), 30),
    leafCnOnly: issue('leaf-cn', 'mx.example.net', intermediate, leafExt(null), 30),
    leafShort: issue('leaf-short', 'mx.example.net', intermediate, leafExt('DNS:mx.example.net'), 1),
    intermediateShort,
    leafUnderShortInt: issue('leaf-under-short', 'mx.example.net', intermediateShort, leafExt('DNS:mx.example.net'), 30),
    selfSigned: selfSignedCert('self', 'mx.example.net', ['subjectAltName=DNS:mx.example.net']),
    otherRoot,
    otherLeaf: issue('other-leaf', 'mx.example.net', otherRoot, leafExt('DNS:mx.example.net'), 30),
    forgedLeaf: issue('leaf-forged', 'mx.example.net', impostor, leafExt('DNS:mx.example.net'), 30, false),
  };
}
