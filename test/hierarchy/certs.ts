// Certificates for the SMTP test servers, made with the openssl CLI: a private CA (for the
// DANE-TA scenario, RFC 7671 §5.1) and self-signed leaves (DANE-EE, RFC 7671 §5.2), plus the
// TLSA association data (RFC 6698 §2.1: selector 0 = full cert, 1 = SPKI; mtype 1 = SHA-256).
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CertContext, SmtpServerSpec } from './zones.js';

export interface ServerCert {
  readonly keyFile: string;
  readonly certFile: string; // leaf first, then the CA for 'ca' servers
  readonly leafPem: string;
  readonly caPem: string | null;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Creates (or reuses) the CA and every server's key and certificate under dir. */
export function makeCerts(dir: string, servers: readonly SmtpServerSpec[]): Map<string, ServerCert> {
  mkdirSync(dir, { recursive: true });
  const caKey = join(dir, 'ca.key');
  const caCert = join(dir, 'ca.pem');
  if (!existsSync(caCert)) {
    openssl(['req', '-x509', ...EC, '-keyout', caKey, '-out', caCert, '-days', '3650',
      '-subj', '/CN=adbit test CA', '-addext', 'basicConstraints=critical,CA:TRUE',
      '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  }
  const caPem = readFileSync(caCert, 'utf8');
  const out = new Map<string, ServerCert>();
  for (const s of servers) {
    if (s.cert === null) continue;
    const host = s.host.replace(/\.$/, '');
    const keyFile = join(dir, `${s.id}.key`);
    const leafFile = join(dir, `${s.id}.leaf.pem`);
    if (!existsSync(leafFile)) {
      if (s.cert === 'self') {
        openssl(['req', '-x509', ...EC, '-keyout', keyFile, '-out', leafFile, '-days', '3650',
          '-subj', `/CN=${host}`, '-addext', `subjectAltName=DNS:${host}`]);
      } else {
        const csr = join(dir, `${s.id}.csr`);
        const ext = join(dir, `${s.id}.ext`);
        openssl(['req', '-new', ...EC, '-keyout', keyFile, '-out', csr, '-subj', `/CN=${host}`]);
        execFileSync('sh', ['-c', `printf 'subjectAltName=DNS:%s\\nbasicConstraints=CA:FALSE\\n' "$1" > "$2"`, 'sh', host, ext]);
        openssl(['x509', '-req', '-in', csr, '-CA', caCert, '-CAkey', caKey, '-CAcreateserial',
          '-out', leafFile, '-days', '3650', '-extfile', ext]);
      }
    }
    const leafPem = readFileSync(leafFile, 'utf8');
    const chainFile = join(dir, `${s.id}.chain.pem`);
    if (!existsSync(chainFile)) {
      execFileSync('sh', ['-c', 'cat "$@" > "$0"', chainFile, leafFile, ...(s.cert === 'ca' ? [caCert] : [])]);
    }
    out.set(s.id, { keyFile, certFile: chainFile, leafPem, caPem: s.cert === 'ca' ? caPem : null });
  }
  return out;
}

/** SHA-256 of the certificate (selector 0) or its SubjectPublicKeyInfo (selector 1). */
export function certDigest(pem: string, selector: number): string {
  const x = new X509Certificate(pem);
  const data = selector === 0 ? x.raw : x.publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(data).digest('hex');
}

export function certContext(certs: Map<string, ServerCert>, servers: readonly SmtpServerSpec[]): CertContext {
  return {
    tlsa(id, usage, selector, mtype) {
      const c = certs.get(id);
      if (c === undefined || mtype !== 1) throw new Error(`no certificate for ${id} / mtype ${mtype}`);
      // Usage 2 (DANE-TA) names the private CA; usage 3 (DANE-EE) the leaf itself.
      const pem = usage === 2 ? c.caPem : c.leafPem;
      if (pem === null) throw new Error(`${id} has no CA`);
      return `${usage} ${selector} ${mtype} ${certDigest(pem, selector)}`;
    },
    smtpAddr(id) {
      const s = servers.find((x) => x.id === id);
      if (s === undefined) throw new Error(`unknown SMTP server ${id}`);
      return s.addr;
    },
  };
}
