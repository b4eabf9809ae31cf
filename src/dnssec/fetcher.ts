// fetcher.ts — the seam between the validator and the resolver (DESIGN.md rule 2): the validator
// never does I/O; it asks an injected Fetcher for DS and DNSKEY RRsets, and it is given the upstream
// responses of a resolution as `ValidationInput`. The resolver implements Fetcher.
import type { Message } from '../wire/message.js';
import type { Name } from '../wire/name.js';

/** One upstream response together with the zone cut (delegation point) whose servers sent it. */
export interface UpstreamResponse {
  /** The response exactly as received (scrubbed of out-of-bailiwick data), not validated. */
  readonly message: Message;
  /** Apex of the zone the answering servers were authoritative for (the delegation point). */
  readonly zone: Name;
  /** The question this response answers (QNAME of this hop of a CNAME/DNAME chain). */
  readonly qname: Name;
  readonly qtype: number;
}

/** Why a fetch produced no usable response; mapped to EDE 22/23 by the validator. */
export type FetchFailure = 'no-reachable-authority' | 'network-error' | 'servfail' | 'malformed' | 'budget';

export type FetchResult =
  | { readonly ok: true; readonly response: UpstreamResponse }
  | { readonly ok: false; readonly failure: FetchFailure; readonly detail: string };

/**
 * Fetches DNSSEC data without validating it. `fetch(name, DS)` asks the servers of the parent of
 * `name` (RFC 4035 §4.2: the DS RRset lives on the parent side of the cut); `fetch(name, DNSKEY)`
 * asks the servers of `name` itself. Results may come from the resolver's caches.
 */
export interface Fetcher {
  fetch(name: Name, type: number, signal?: AbortSignal): Promise<FetchResult>;
}

/** What the validator is asked to judge: a full resolution, one response per chain hop. */
export interface ValidationInput {
  /** The client's question. */
  readonly qname: Name;
  readonly qtype: number;
  /** Responses in chain order: the first answers qname; each next one answers the previous CNAME/DNAME target. */
  readonly steps: readonly UpstreamResponse[];
}
