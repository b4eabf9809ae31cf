// types.ts — values shared by the transport files: server address, exchange options and the
// ExchangeResult union. Network conditions are results, never exceptions (DESIGN.md rule 1).
// Resources: RFC 1035 §4.2 (UDP/TCP usage), RFC 5452 (acceptance rules), RFC 7766.

/** An upstream server: IP literal (v4 or v6) and port. */
export interface ServerAddress {
  readonly address: string;
  readonly port: number;
}

/** Options of one exchange. */
export interface ExchangeOptions {
  /** Overall deadline of this exchange (UDP plus any TCP retry). */
  readonly timeoutMs: number;
  /** Cancels the exchange; exchange() then rejects with AbortedError. */
  readonly signal?: AbortSignal;
  /** Use TCP from the start (servers known to need it, or a caller-decided retry). */
  readonly tcp?: boolean;
  /** The QNAME was 0x20-randomised: accept only a reply echoing the exact case. */
  readonly exactCase?: boolean;
}

/** Outcome of one exchange. `wire` is the reply as received (the ID is the one we sent). */
export type ExchangeResult =
  | { readonly kind: 'reply'; readonly wire: Uint8Array; readonly rttMs: number; readonly viaTcp: boolean }
  /** TC=1 over UDP and TCP was not attempted (or not allowed). */
  | { readonly kind: 'truncated'; readonly wire: Uint8Array; readonly rttMs: number }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'network-error'; readonly error: Error }
  /** A local bound (connections per server / in total) refused the exchange. */
  | { readonly kind: 'local-limit'; readonly limit: string };

/** Counters of replies that were ignored; a rising count suggests spoofing (RFC 5452 §9.1). */
export interface TransportStats {
  sent: number;
  accepted: number;
  /** Datagram from an address or port other than the server's. */
  wrongSource: number;
  wrongId: number;
  notResponse: number;
  wrongQuestion: number;
  /** Shorter than a header or otherwise unreadable. */
  malformed: number;
  /** COOKIE option whose client cookie is not ours (RFC 7873 §5.3). */
  badCookie: number;
}

/** Fresh zeroed counters. */
export function createTransportStats(): TransportStats {
  return {
    sent: 0, accepted: 0, wrongSource: 0, wrongId: 0, notResponse: 0, wrongQuestion: 0, malformed: 0, badCookie: 0,
  };
}

/** Stable map key of a server: "addr#port" (the notation Unbound uses in its logs). */
export function serverKey(server: ServerAddress): string {
  return `${server.address.toLowerCase()}#${server.port}`;
}
