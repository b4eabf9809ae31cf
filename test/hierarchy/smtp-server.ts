// Minimal SMTP test server (RFC 5321 greeting/EHLO/QUIT) with STARTTLS (RFC 3207) for the DANE
// scenarios (RFC 7672): it presents its generated certificate chain; it accepts no mail.
import { createServer, type Server, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { TLSSocket } from 'node:tls';

export interface SmtpServerOptions {
  readonly addr: string;
  readonly port: number;
  readonly host: string; // name used in the greeting
  readonly keyFile: string | null; // null: STARTTLS not offered
  readonly certFile: string | null;
}

function converse(sock: Socket | TLSSocket, opts: SmtpServerOptions, tls: { key: Buffer; cert: Buffer } | null,
  secure: boolean): void {
  let buf = '';
  const say = (line: string): void => { sock.write(`${line}\r\n`); };
  const onData = (chunk: Buffer): void => {
    buf += chunk.toString('latin1');
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i).replace(/\r$/, '');
      buf = buf.slice(i + 1);
      const verb = line.split(' ')[0]?.toUpperCase() ?? '';
      if (verb === 'EHLO') {
        const ext = ['PIPELINING', ...(tls !== null && !secure ? ['STARTTLS'] : []), '8BITMIME'];
        say(`250-${opts.host}`);
        ext.forEach((e, n) => say(`${n === ext.length - 1 ? '250 ' : '250-'}${e}`));
      } else if (verb === 'HELO') say(`250 ${opts.host}`);
      else if (verb === 'STARTTLS' && tls !== null && !secure) {
        say('220 2.0.0 Ready to start TLS');
        sock.removeListener('data', onData);
        // RFC 3207 §4.2: forget everything learnt before TLS; the client must EHLO again.
        const t = new TLSSocket(sock, { isServer: true, key: tls.key, cert: tls.cert });
        t.on('error', () => sock.destroy());
        converse(t, opts, tls, true);
        return;
      } else if (verb === 'NOOP' || verb === 'RSET') say('250 2.0.0 OK');
      else if (verb === 'QUIT') { say('221 2.0.0 Bye'); sock.end(); return; }
      else say('502 5.5.2 Command not implemented by the adbit test server');
    }
  };
  sock.on('data', onData);
}

/** Starts listening; resolves with the server once bound. */
export function startSmtpServer(opts: SmtpServerOptions): Promise<Server> {
  const tls = opts.keyFile !== null && opts.certFile !== null
    ? { key: readFileSync(opts.keyFile), cert: readFileSync(opts.certFile) } : null;
  const server = createServer((sock) => {
    sock.on('error', () => sock.destroy());
    sock.write(`220 ${opts.host} ESMTP adbit test server\r\n`);
    converse(sock, opts, tls, false);
  });
  return new Promise((res, rej) => {
    server.once('error', rej);
    server.listen(opts.port, opts.addr, () => res(server));
  });
}
