// starttls.ts — a minimal SMTP client that reaches TLS on port 25: 220 greeting, EHLO, STARTTLS,
// TLS handshake with the DANE SNI, peer chain, QUIT (RFC 5321 §4.2, §4.5.3.2; RFC 3207 §4–5;
// RFC 7672 §8.1 SNI). Every network condition is a result value naming the step; only
// cancellation throws (AbortedError). PKIX is off: DANE (match.ts) decides.
import net from 'node:net';
import tls from 'node:tls';
import type { X509Certificate } from 'node:crypto';
import { AbortedError } from '../../util/errors.js';
import { peerChain } from './match.js';

/** Per-step limits. RFC 5321 §4.5.3.2 asks a delivering MTA to wait 5 min for the greeting and
 *  replies (Postfix: smtp_connect_timeout 30 s, smtp_helo_timeout 300 s); a checker that probes
 *  many hosts gives up sooner. Callers override any step. */
export const STARTTLS_DEFAULT_TIMEOUTS = {
  connectMs: 30_000,
  greetingMs: 60_000,
  ehloMs: 60_000,
  starttlsMs: 60_000,
  handshakeMs: 30_000,
  quitMs: 5_000,
} as const;
export type StarttlsTimeouts = { [K in keyof typeof STARTTLS_DEFAULT_TIMEOUTS]: number };

/** RFC 5321 §4.5.3.1.5: a reply line is at most 512 octets; we tolerate 4 KiB of sloppiness. */
export const SMTP_MAX_LINE_BYTES = 4096;
/** Most lines in one multi-line reply (EHLO lists a dozen keywords in practice). */
export const SMTP_MAX_REPLY_LINES = 100;

export type StarttlsStep = 'connect' | 'greeting' | 'ehlo' | 'starttls' | 'handshake';
/** `protocol-error`: the server broke SMTP (malformed or oversized reply, connection closed
 *  mid-dialogue, or plaintext sent after "220" to STARTTLS, the RFC 3207 §6 injection risk). */
export type StarttlsFailure =
  | 'connect-failed' | 'timeout' | 'bad-greeting' | 'no-starttls' | 'starttls-refused' | 'handshake-failed' | 'protocol-error';

export type StarttlsResult =
  | {
      readonly ok: true;
      /** Peer chain, leaf first, as Node exposes it (see peerChain). */
      readonly chain: X509Certificate[];
      readonly protocol: string | null;
      readonly cipher: string;
      readonly transcript: readonly string[];
    }
  | { readonly ok: false; readonly failure: StarttlsFailure; readonly step: StarttlsStep; readonly detail: string; readonly transcript: readonly string[] };

export interface StarttlsOptions {
  /** IP address (or name) to connect to. */
  readonly host: string;
  readonly port?: number;
  /** TLS SNI; for DANE the TLSA base domain (RFC 7672 §8.1). Omitted → no SNI. */
  readonly sni?: string;
  /** Our name in EHLO (RFC 5321 §4.1.1.1). */
  readonly heloName: string;
  readonly timeouts?: Partial<StarttlsTimeouts>;
  readonly signal?: AbortSignal;
}

interface Reply { readonly code: number; readonly lines: readonly string[] }
type ReadResult = Reply | { readonly error: 'timeout' | 'closed' | 'malformed'; readonly detail: string };

/** Reads CRLF-terminated SMTP replies (RFC 5321 §4.2: "ddd-text" continues, "ddd text" ends). */
class ReplyReader {
  private buf = '';
  private closed = false;
  private wake: (() => void) | null = null;
  private readonly onData = (chunk: Buffer): void => { this.buf += chunk.toString('latin1'); this.poke(); };
  private readonly onEnd = (): void => { this.closed = true; this.poke(); };

  private readonly sock: net.Socket;

  constructor(sock: net.Socket) {
    this.sock = sock;
    sock.on('data', this.onData);
    sock.on('end', this.onEnd);
    sock.on('close', this.onEnd);
    sock.on('error', this.onEnd);
  }

  private poke(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /** Stop reading (before the TLS layer takes the socket); returns bytes still buffered. */
  detach(): string {
    this.sock.off('data', this.onData);
    this.sock.off('end', this.onEnd);
    this.sock.off('close', this.onEnd);
    this.sock.off('error', this.onEnd);
    return this.buf;
  }

  private parse(): ReadResult | null {
    const lines: string[] = [];
    let pos = 0;
    for (;;) {
      const nl = this.buf.indexOf('\n', pos);
      if (nl < 0) {
        if (this.buf.length - pos > SMTP_MAX_LINE_BYTES) return { error: 'malformed', detail: 'reply line too long' };
        return null;
      }
      const line = this.buf.slice(pos, nl).replace(/\r$/, '');
      pos = nl + 1;
      const m = /^([2-5]\d\d)([ -]|$)(.*)$/.exec(line);
      if (m === null || line.length > SMTP_MAX_LINE_BYTES) return { error: 'malformed', detail: `malformed reply line: ${JSON.stringify(line.slice(0, 80))}` };
      if (lines.length > 0 && !line.startsWith((lines[0] as string).slice(0, 3))) return { error: 'malformed', detail: 'reply code changed inside a multi-line reply' };
      lines.push(line);
      if (lines.length > SMTP_MAX_REPLY_LINES) return { error: 'malformed', detail: 'too many reply lines' };
      if (m[2] !== '-') {
        this.buf = this.buf.slice(pos);
        return { code: Number(m[1]), lines };
      }
    }
  }

  async read(timeoutMs: number): Promise<ReadResult> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const r = this.parse();
      if (r !== null) return r;
      if (this.closed) return { error: 'closed', detail: 'connection closed by the server' };
      const left = deadline - performance.now();
      if (left <= 0) return { error: 'timeout', detail: `no complete reply within ${timeoutMs} ms` };
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        timer = setTimeout(resolve, left);
      });
      clearTimeout(timer);
    }
  }
}

/** Settles on the first of `events` on `emitter`, or 'timeout'. */
function once(emitter: net.Socket, events: readonly string[], timeoutMs: number): Promise<{ event: string; arg?: unknown }> {
  return new Promise((resolve) => {
    const handlers = events.map((event) => [event, (arg?: unknown) => done({ event, arg })] as const);
    const timer = setTimeout(() => done({ event: 'timeout' }), timeoutMs);
    function done(v: { event: string; arg?: unknown }): void {
      clearTimeout(timer);
      for (const [e, h] of handlers) emitter.off(e, h);
      resolve(v);
    }
    for (const [e, h] of handlers) emitter.once(e, h);
  });
}

type StepFailure = { readonly failure: StarttlsFailure; readonly step: StarttlsStep; readonly detail: string };

function log(transcript: string[], dir: 'S' | 'C', r: Reply | string): void {
  if (typeof r === 'string') transcript.push(`${dir}: ${r}`);
  else for (const l of r.lines) transcript.push(`${dir}: ${l}`);
}

function readFail(r: { error: 'timeout' | 'closed' | 'malformed'; detail: string }, step: StarttlsStep): StepFailure {
  return { failure: r.error === 'timeout' ? 'timeout' : step === 'greeting' ? 'bad-greeting' : 'protocol-error', step, detail: r.detail };
}

/** Greeting, EHLO and STARTTLS in plaintext; null when the server said "220" to STARTTLS. */
async function plainDialogue(reader: ReplyReader, sock: net.Socket, heloName: string, t: StarttlsTimeouts, transcript: string[]): Promise<StepFailure | null> {
  const send = (line: string): void => { log(transcript, 'C', line); sock.write(`${line}\r\n`); };
  const greet = await reader.read(t.greetingMs);
  if ('error' in greet) return readFail(greet, 'greeting');
  log(transcript, 'S', greet);
  // RFC 5321 §4.2: 554 instead of 220 means "no service here".
  if (greet.code !== 220) return { failure: 'bad-greeting', step: 'greeting', detail: `greeting ${greet.code}: ${greet.lines.join(' / ')}` };

  send(`EHLO ${heloName}`);
  const ehlo = await reader.read(t.ehloMs);
  if ('error' in ehlo) return readFail(ehlo, 'ehlo');
  log(transcript, 'S', ehlo);
  if (ehlo.code !== 250) return { failure: 'no-starttls', step: 'ehlo', detail: `EHLO refused with ${ehlo.code}, so STARTTLS cannot be negotiated` };
  // RFC 5321 §4.1.1.1: keywords follow the first line; RFC 3207 §4: the keyword is STARTTLS.
  if (!ehlo.lines.slice(1).some((l) => /^starttls$/i.test(l.slice(4).trim().split(/\s+/)[0] ?? ''))) {
    send('QUIT');
    return { failure: 'no-starttls', step: 'ehlo', detail: 'the server does not offer STARTTLS' };
  }

  send('STARTTLS');
  const st = await reader.read(t.starttlsMs);
  if ('error' in st) return readFail(st, 'starttls');
  log(transcript, 'S', st);
  if (st.code !== 220) {
    send('QUIT');
    return { failure: 'starttls-refused', step: 'starttls', detail: `STARTTLS answered ${st.code}: ${st.lines.join(' / ')}` };
  }
  return null;
}

/**
 * Run one SMTP STARTTLS dialogue against `host:port` and return the TLS peer chain, or a value
 * naming the step that failed. Throws only AbortedError when `signal` aborts.
 */
export async function smtpStarttls(opts: StarttlsOptions): Promise<StarttlsResult> {
  const t: StarttlsTimeouts = { ...STARTTLS_DEFAULT_TIMEOUTS, ...opts.timeouts };
  const transcript: string[] = [];
  const sockets: net.Socket[] = [];
  opts.signal?.throwIfAborted();
  let aborted = false;
  const onAbort = (): void => { aborted = true; for (const s of sockets) s.destroy(); };
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const fail = (failure: StarttlsFailure, step: StarttlsStep, detail: string): StarttlsResult => ({ ok: false, failure, step, detail, transcript });
  try {
    const sock = net.connect({ host: opts.host, port: opts.port ?? 25 });
    sockets.push(sock);
    sock.on('error', () => { /* reported through the step results below */ });
    const c = await once(sock, ['connect', 'error', 'close'], t.connectMs);
    if (c.event !== 'connect') {
      sock.destroy();
      return c.event === 'timeout' ? fail('timeout', 'connect', `no TCP connection within ${t.connectMs} ms`) : fail('connect-failed', 'connect', c.event === 'error' ? String((c.arg as Error).message) : 'socket closed before connecting');
    }
    const reader = new ReplyReader(sock);
    const plain = await plainDialogue(reader, sock, opts.heloName, t, transcript);
    const leftover = reader.detach();
    if (plain !== null) return fail(plain.failure, plain.step, plain.detail);
    // Anything after "220 ready" and before the handshake is plaintext an attacker may have
    // injected (RFC 3207 §6; CVE-2011-0411 class): refuse rather than parse it later.
    if (leftover.length > 0) {
      sock.destroy();
      return fail('protocol-error', 'starttls', `server sent ${leftover.length} byte(s) of plaintext after 220 to STARTTLS`);
    }

    const tlsSock = tls.connect({ socket: sock, rejectUnauthorized: false, ...(opts.sni !== undefined ? { servername: opts.sni } : {}) });
    sockets.push(tlsSock);
    tlsSock.on('error', () => { /* reported through the handshake result */ });
    const h = await once(tlsSock, ['secureConnect', 'error', 'close'], t.handshakeMs);
    if (h.event !== 'secureConnect') {
      tlsSock.destroy();
      if (h.event === 'timeout') return fail('timeout', 'handshake', `no TLS handshake within ${t.handshakeMs} ms`);
      return fail('handshake-failed', 'handshake', h.event === 'error' ? String((h.arg as Error).message) : 'connection closed during the handshake');
    }
    const chain = peerChain(tlsSock);
    const protocol = tlsSock.getProtocol();
    const cipher = tlsSock.getCipher().name;
    transcript.push(`-- TLS ${protocol ?? '?'} ${cipher}, ${chain.length} certificate(s)`);
    // Polite QUIT inside TLS; its outcome does not change the result.
    const tlsReader = new ReplyReader(tlsSock);
    log(transcript, 'C', 'QUIT');
    tlsSock.write('QUIT\r\n');
    const q = await tlsReader.read(t.quitMs);
    if (!('error' in q)) log(transcript, 'S', q);
    tlsReader.detach();
    tlsSock.end();
    return { ok: true, chain, protocol, cipher, transcript };
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    if (sockets.length === 1) sockets[0]?.end();
    setTimeout(() => { for (const s of sockets) s.destroy(); }, 1000).unref();
    if (aborted) throw new AbortedError('STARTTLS dialogue aborted', { cause: opts.signal?.reason });
  }
}
