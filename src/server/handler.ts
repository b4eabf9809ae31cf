// handler.ts — the server's only dependency on resolution (ARCHITECTURE §6): a QueryHandler that
// turns one question into an Answer (the hickory RequestHandler idea, §1.3), and the adapter over
// the iterative Resolver + Validator, with trust anchors swappable on SIGHUP without dropping the
// caches. A native hit path can implement QueryHandler later without touching the listeners.
import { readFileSync } from 'node:fs';
import { TrustAnchorStore } from '../dnssec/trust-anchors.js';
import { Validator } from '../dnssec/validator.js';
import type { Fetcher, ValidationInput } from '../dnssec/fetcher.js';
import type { Outcome } from '../dnssec/outcome.js';
import type { Answer } from '../resolver/answer.js';
import { readRootHintsFile } from '../resolver/hints.js';
import { Resolver, type ResolverValidator } from '../resolver/resolver.js';
import { systemClock } from '../util/clock.js';
import type { Name } from '../wire/name.js';

/** The question handed to a handler (class is always IN after preflight). */
export interface HandlerQuestion {
  readonly name: Name;
  readonly type: number;
  readonly class: number;
}

export interface HandlerOptions {
  /** Checking Disabled from the client (RFC 4035 §3.2.2): skip validation. */
  readonly cd: boolean;
  /** DO from the client: keep RRSIG/NSEC/NSEC3 in the Answer. */
  readonly dnssecOk: boolean;
  readonly signal: AbortSignal;
}

/** What the listeners need from the resolving side. */
export interface QueryHandler {
  answer(q: HandlerQuestion, opts: HandlerOptions): Promise<Answer>;
  /** Cache and upstream counters for metrics (optional). */
  stats?(): HandlerStats;
  close(): void;
}

export interface HandlerStats {
  readonly cacheHits: number;
  readonly cacheMisses: number;
  readonly upstreamQueries: number;
}

/** A validator whose trust anchors can be replaced at run time (SIGHUP) while the resolver lives. */
export class ReloadableValidator implements ResolverValidator {
  #inner: Validator;
  #anchors: TrustAnchorStore;

  constructor(anchors: TrustAnchorStore) {
    this.#anchors = anchors;
    this.#inner = new Validator({ anchors });
  }

  /** The store in use (the RFC 5011 updater writes the keys it trusts into it). */
  get anchors(): TrustAnchorStore { return this.#anchors; }

  /** New anchors take effect for the next validation; the key cache starts fresh with them. */
  setAnchors(anchors: TrustAnchorStore): void {
    this.#anchors = anchors;
    this.#inner = new Validator({ anchors });
  }

  validate(input: ValidationInput, fetcher: Fetcher, opts: { nowSec: number; signal?: AbortSignal }): Promise<Outcome> {
    return this.#inner.validate(input, fetcher, opts);
  }
}

/** Loads the anchor store: the file's DS/DNSKEY lines (zone-file format) or the built-in root. */
export function loadAnchors(file: string | undefined): TrustAnchorStore {
  if (file === undefined) return TrustAnchorStore.withBuiltinRoot(systemClock);
  const store = new TrustAnchorStore(systemClock);
  const text = readFileSync(file, 'utf8');
  if (text.trimStart().startsWith('<')) store.addRootAnchorsXml(text, file);
  else store.addZoneFileText(text, file);
  return store;
}

export interface ResolverHandlerOptions {
  readonly rootHintsFile?: string;
  readonly trustAnchorFile?: string;
  readonly cacheSizes?: { readonly rrsetBytes?: number; readonly messageBytes?: number };
}

/** QueryHandler over the iterative Resolver with a validator (one per process/worker). */
export class ResolverHandler implements QueryHandler {
  readonly resolver: Resolver;
  readonly validator: ReloadableValidator;
  #hits = 0;
  #misses = 0;
  #upstream = 0;

  constructor(opts: ResolverHandlerOptions = {}) {
    this.validator = new ReloadableValidator(loadAnchors(opts.trustAnchorFile));
    this.resolver = new Resolver({
      ...(opts.rootHintsFile === undefined ? {} : { rootHints: readRootHintsFile(opts.rootHintsFile) }),
      validator: this.validator,
      ...(opts.cacheSizes === undefined ? {} : { cacheSizes: opts.cacheSizes }),
    });
  }

  /** SIGHUP: re-read the trust anchors; caches stay. Throws on a bad file (the old anchors stay). */
  reloadAnchors(file: string | undefined): void {
    this.validator.setAnchors(loadAnchors(file));
  }

  async answer(q: HandlerQuestion, opts: HandlerOptions): Promise<Answer> {
    const a = await this.resolver.resolve(q, { cd: opts.cd, dnssecOk: opts.dnssecOk, signal: opts.signal });
    if (a.fromCache) this.#hits++;
    else this.#misses++;
    this.#upstream += a.steps.length;
    return a;
  }

  stats(): HandlerStats {
    return { cacheHits: this.#hits, cacheMisses: this.#misses, upstreamQueries: this.#upstream };
  }

  close(): void {
    this.resolver.close();
  }
}
