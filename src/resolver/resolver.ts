// resolver.ts — the public Resolver: merges identical in-flight questions, answers from the caches,
// drives the iterator over CNAME/DNAME hops (bounded, RFC 1034 §3.6.2, RFC 6672), runs the injected
// validator unless CD is set (RFC 4035 §3.2.2), caches with the validated status, serves stale on
// failure when enabled (RFC 8767 §4), and implements the validator's Fetcher (RFC 4035 §4.2).
import { InfraCache } from '../cache/infra-cache.js';
import { MessageCache } from '../cache/message-cache.js';
import { NsecStore } from '../cache/nsec-store.js';
import { RRsetCache } from '../cache/rrset-cache.js';
import { storableNsecs } from '../dnssec/aggressive.js';
import type { FetchResult, Fetcher, ValidationInput } from '../dnssec/fetcher.js';
import type { Outcome } from '../dnssec/outcome.js';
import type { Clock } from '../util/clock.js';
import { systemClock } from '../util/clock.js';
import { AbortedError, ClosedError } from '../util/errors.js';
import type { Random } from '../util/random.js';
import { cryptoRandom } from '../util/random.js';
import { LruCache } from '../util/lru.js';
import { NetTransport, type Transport } from '../transport/transport.js';
import { Rcode, RRClass, RRType } from '../wire/constants.js';
import type { ResourceRecord } from '../wire/message.js';
import type { Name } from '../wire/name.js';
import { type Answer, type ResolveQuestion, outcomeEde, servfailAnswer, unvalidatedOutcome } from './answer.js';
import { aggressiveAnswer } from './aggressive-answer.js';
import { type ChainResult, answerFromCache, negativeTtl, storeAnswer } from './answer-cache.js';
import { cachedAddresses } from './delegation.js';
import { IANA_ROOT_HINTS, type RootHints } from './hints.js';
import { InFlight } from './inflight.js';
import { RootPrimer } from './priming.js';
import { type Budget, type IterContext, Iterator, type StepFail } from './iterator.js';
import { type ResolverLimits, resolverLimits } from './limits.js';

/** The validation hook (the validator helper's Validator satisfies it). */
export interface ResolverValidator {
  validate(input: ValidationInput, fetcher: Fetcher, opts: { nowSec: number; signal?: AbortSignal }): Promise<Outcome>;
}

export interface ResolverOptions {
  /** Root hints; the built-in IANA set when omitted (tests always pass the hierarchy's). */
  readonly rootHints?: RootHints;
  readonly transport?: Transport;
  readonly clock?: Clock;
  readonly random?: Random;
  /** Without one every outcome is indeterminate / NO_TRUST_ANCHOR (nothing was validated). */
  readonly validator?: ResolverValidator;
  readonly limits?: Partial<ResolverLimits>;
  readonly cacheSizes?: { readonly rrsetBytes?: number; readonly messageBytes?: number; readonly fetchBytes?: number; readonly nsecBytes?: number };
  readonly qnameMinimisation?: boolean;
  readonly use0x20?: boolean;
  /** Prime the root NS set from the hints before resolving (RFC 8109; default true). */
  readonly primeRoot?: boolean;
  readonly serveStale?: boolean;
  /** Upstream port (53; tests with fake servers may change it). */
  readonly port?: number;
}

export interface ResolveOptions {
  readonly signal?: AbortSignal;
  /** Checking Disabled: skip validation (RFC 4035 §3.2.2). */
  readonly cd?: boolean;
  /** Keep RRSIG/NSEC/NSEC3 records in the Answer (default true). */
  readonly dnssecOk?: boolean;
}

/** RFC 8914 §4.4: Stale Answer. */
const EDE_STALE_ANSWER = 3;
const DNSSEC_TYPES: ReadonlySet<number> = new Set([RRType.RRSIG, RRType.NSEC, RRType.NSEC3]);
const DEFAULT_FETCH_CACHE_BYTES = 2 * 1024 * 1024;
/**
 * How long a sub-resolution waits for another question's identical NS-address lookup before doing
 * its own. Bounded so that two lookups waiting on each other (A's servers need B's address, B's
 * need A's) cannot deadlock: each falls back to its own, loop-checked resolution.
 */
export const ADDRESS_JOIN_WAIT_MS = 1_500;

type Chain = ({ ok: true } & ChainResult) | StepFail;

/** A DNSSEC-aware iterative resolver. */
export class Resolver implements Fetcher {
  readonly limits: ResolverLimits;
  readonly rrsets: RRsetCache;
  readonly messages: MessageCache;
  readonly infra: InfraCache;
  /** Validated NSEC records for aggressive negative answers (RFC 8198). */
  readonly nsecStore: NsecStore;
  readonly #hints: RootHints;
  readonly #clock: Clock;
  readonly #transport: Transport;
  readonly #ownTransport: NetTransport | undefined;
  readonly #validator: ResolverValidator | undefined;
  readonly #iterator: Iterator;
  /** Root priming (RFC 8109); undefined when disabled. */
  readonly primer: RootPrimer | undefined;
  readonly #serveStale: boolean;
  readonly #clients = new InFlight<Answer>();
  readonly #fetches = new InFlight<FetchResult>();
  /** NS-address sub-resolutions shared by all client questions (Unbound's mesh shares them too). */
  readonly #addresses = new InFlight<string[]>();
  readonly #fetchCache: LruCache<string, FetchResult>;
  #closed = false;

  constructor(options: ResolverOptions = {}) {
    this.limits = resolverLimits(options.limits);
    this.#clock = options.clock ?? systemClock;
    const random = options.random ?? cryptoRandom;
    this.#ownTransport = options.transport === undefined
      ? new NetTransport({ clock: this.#clock, random, maxOutstanding: this.limits.maxOutstandingQueries })
      : undefined;
    this.#transport = options.transport ?? this.#ownTransport!;
    this.#validator = options.validator;
    this.#serveStale = options.serveStale ?? false;
    this.rrsets = new RRsetCache({
      clock: this.#clock, limits: { serveStale: this.#serveStale },
      ...(options.cacheSizes?.rrsetBytes === undefined ? {} : { maxBytes: options.cacheSizes.rrsetBytes }),
    });
    this.messages = new MessageCache({
      clock: this.#clock, rrsets: this.rrsets,
      ...(options.cacheSizes?.messageBytes === undefined ? {} : { maxBytes: options.cacheSizes.messageBytes }),
    });
    this.#fetchCache = new LruCache({ maxBytes: options.cacheSizes?.fetchBytes ?? DEFAULT_FETCH_CACHE_BYTES, clock: this.#clock });
    this.infra = new InfraCache({ clock: this.#clock, random });
    this.nsecStore = new NsecStore({
      clock: this.#clock, ...(options.cacheSizes?.nsecBytes === undefined ? {} : { maxBytes: options.cacheSizes.nsecBytes }),
    });
    this.#hints = options.rootHints ?? IANA_ROOT_HINTS;
    this.#iterator = new Iterator({
      transport: this.#transport, infra: this.infra, rrsets: this.rrsets, clock: this.#clock, random, limits: this.limits,
      hints: this.#hints, qnameMinimisation: options.qnameMinimisation ?? true,
      use0x20: options.use0x20 ?? false, resolveAddresses: (n, ctx) => this.#resolveAddresses(n, ctx),
      ...(options.port === undefined ? {} : { port: options.port }),
    });
    this.primer = options.primeRoot === false
      ? undefined
      : new RootPrimer({ iterator: this.#iterator, rrsets: this.rrsets, clock: this.#clock, deadlineMs: this.limits.deadlineMs });
  }

  /** Entries and accounted bytes of the validator's DS/DNSKEY fetch cache (for memory reports). */
  get fetchCacheSize(): { entries: number; bytes: number } {
    return { entries: this.#fetchCache.size, bytes: this.#fetchCache.bytes };
  }

  /** Client questions currently being resolved (after merging). */
  get inFlight(): number {
    return this.#clients.size;
  }

  /** Resolves a question; DNS failures are values (SERVFAIL + EDE), only abort and misuse throw. */
  async resolve(q: ResolveQuestion, opts: ResolveOptions = {}): Promise<Answer> {
    if (this.#closed) throw new ClosedError();
    const question = { name: q.name, type: q.type, class: q.class ?? RRClass.IN };
    const cd = opts.cd ?? false;
    const key = `${question.name.key()}|${question.type}|${question.class}|${cd ? 1 : 0}`;
    const a = await this.#clients.run(key, (signal) => this.#resolveClient(question, cd, signal), opts.signal);
    if (opts.dnssecOk !== false) return a;
    const strip = (rs: readonly ResourceRecord[]): ResourceRecord[] => rs.filter((r) => !DNSSEC_TYPES.has(r.type));
    return { ...a, answer: strip(a.answer), authority: strip(a.authority) };
  }

  /** Fetcher for the validator: DS from the parent's servers, anything else from the zone's own. */
  async fetch(name: Name, type: number, signal?: AbortSignal): Promise<FetchResult> {
    if (this.#closed) throw new ClosedError();
    const key = `${name.key()}|${type}`;
    const hit = this.#fetchCache.get(key);
    if (hit !== undefined) return hit;
    return this.#fetches.run(key, async (sig) => {
      await this.primer?.ensure();
      const r = await this.#iterator.step(name, type, RRClass.IN, { budget: this.#budget(sig), depth: 0, stack: new Set([key]) });
      if (!r.ok) return { ok: false, failure: r.failure, detail: r.detail };
      const res: FetchResult = { ok: true, response: r.response };
      const recs = [...r.scrubbed.answer, ...r.scrubbed.authority];
      const ttl = r.scrubbed.answer.length > 0 ? Math.min(...recs.map((x) => x.ttl)) : negativeTtl(r.scrubbed.authority) ?? 0;
      if (ttl > 0) this.#fetchCache.set(key, res, r.response.message.wire.length + 200, this.#clock.nowMs() + Math.min(ttl, 3600) * 1000);
      return res;
    }, signal);
  }

  /** Closes the transport if the resolver created it; later calls throw ClosedError. */
  close(): void {
    this.#closed = true;
    this.#ownTransport?.close();
  }

  #budget(signal: AbortSignal | undefined): Budget {
    return {
      queriesLeft: this.limits.maxUpstreamQueries, deadlineMs: this.#clock.nowMs() + this.limits.deadlineMs, sent: 0,
      ...(signal === undefined ? {} : { signal }),
    };
  }

  async #resolveClient(question: Answer['question'], cd: boolean, signal: AbortSignal): Promise<Answer> {
    const mkey = { ...question, cd };
    const hit = this.messages.get(mkey);
    if (hit !== undefined) return answerFromCache(question, hit);
    const validated = this.#validator !== undefined && !cd;
    // RFC 8198: a denial provable from validated NSEC records needs no upstream query.
    const synth = validated ? aggressiveAnswer(this.nsecStore, this.rrsets, this.#hints, question, this.#clock.nowSec()) : null;
    if (synth !== null) return synth;
    const ctx: IterContext = { budget: this.#budget(signal), depth: 0, stack: new Set([`${question.name.key()}|${question.type}`]) };
    await this.primer?.ensure(); // counts against this question's deadline
    const steps: Answer['steps'][number][] = [];
    const chain = await this.#chain(question, ctx, steps);
    if (!chain.ok) {
      const stale = this.#serveStale ? this.messages.get(mkey, { stale: true }) : undefined;
      if (stale !== undefined) return answerFromCache(question, stale, [{ code: EDE_STALE_ANSWER, text: chain.detail }]);
      return servfailAnswer(question, chain.failure, chain.detail, steps);
    }
    const outcome = validated
      ? await this.#validator!.validate({ qname: question.name, qtype: question.type, steps }, this, { nowSec: this.#clock.nowSec(), signal })
      : unvalidatedOutcome(steps[steps.length - 1]?.zone ?? question.name);
    for (const s of storableNsecs(steps, outcome)) {
      this.nsecStore.add(s.zone, s.rrset, 'secure', s.maxTtlSec === undefined ? {} : { maxTtlSec: s.maxTtlSec });
    }
    storeAnswer(this.rrsets, this.messages, mkey, chain, outcome, validated, this.rrsets.limits.negativeMaxTtlSec);
    if (outcome.security === 'bogus') {
      return { question, rcode: Rcode.SERVFAIL, answer: [], authority: [], outcome, ede: outcomeEde(outcome), fromCache: false, steps };
    }
    return {
      question, rcode: chain.rcode, answer: chain.answer, authority: chain.authority, outcome,
      ede: outcomeEde(outcome), fromCache: false, steps,
    };
  }

  /** Follows the question through CNAME/DNAME hops, one iterator step per hop. */
  async #chain(question: Answer['question'], ctx: IterContext, steps: Answer['steps'][number][]): Promise<Chain> {
    const answer: ResourceRecord[] = [];
    const seen = new Set<string>([question.name.key()]);
    let cur = question.name;
    for (let hop = 0; ; hop++) {
      const r = await this.#iterator.step(cur, question.type, question.class, ctx);
      if (!r.ok) return r;
      steps.push(r.response);
      answer.push(...r.scrubbed.answer);
      const cnames = answer.filter((x) => x.type === RRType.CNAME).length;
      if (cnames > this.limits.maxCnameChain || (r.type.kind === 'cname' && hop + 1 > this.limits.maxCnameChain)) {
        return { ok: false, failure: 'budget', detail: `CNAME chain longer than ${this.limits.maxCnameChain}` };
      }
      if (r.type.kind === 'cname') {
        const target = r.type.target;
        if (seen.has(target.key())) return { ok: false, failure: 'servfail', detail: `CNAME loop at ${target.toText()}` };
        seen.add(target.key());
        cur = target;
        continue;
      }
      const negative = r.type.kind === 'nxdomain' || r.type.kind === 'nodata';
      const authority = negative
        ? r.scrubbed.authority.filter((x) => x.type === RRType.SOA || x.type === RRType.NSEC || x.type === RRType.NSEC3 || x.type === RRType.RRSIG)
        : [];
      const rcode = r.type.kind === 'nxdomain' ? Rcode.NXDOMAIN : Rcode.NOERROR;
      return { ok: true, rcode, answer, authority, aa: r.aa };
    }
  }

  /** A and AAAA of a glueless name server, from cache or a sub-resolution sharing the budget. */
  async #resolveAddresses(name: Name, ctx: IterContext): Promise<string[]> {
    const cached = cachedAddresses(this.rrsets, name, RRClass.IN);
    if (cached.length > 0) return cached;
    const key = name.key();
    if (!this.#addresses.has(key)) return this.#addresses.run(key, () => this.#lookupAddresses(name, ctx), ctx.budget.signal);
    // Join the lookup in flight for another question, but only for a bounded time (no deadlock).
    const left = ctx.budget.deadlineMs - this.#clock.nowMs();
    const wait = new AbortController();
    const timer = setTimeout(() => wait.abort(), Math.max(0, Math.min(ADDRESS_JOIN_WAIT_MS, left)));
    const onAbort = (): void => wait.abort();
    ctx.budget.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.#addresses.run(key, () => this.#lookupAddresses(name, ctx), wait.signal);
    } catch (e) {
      if (!(e instanceof AbortedError) || ctx.budget.signal?.aborted === true) throw e;
      return this.#lookupAddresses(name, ctx);
    } finally {
      clearTimeout(timer);
      ctx.budget.signal?.removeEventListener('abort', onAbort);
    }
  }

  async #lookupAddresses(name: Name, ctx: IterContext): Promise<string[]> {
    const out: string[] = [];
    await Promise.all([RRType.A, RRType.AAAA].map(async (type) => {
      const q = { name, type, class: RRClass.IN };
      const chain = await this.#chain(q, ctx, []);
      if (!chain.ok) return;
      storeAnswer(this.rrsets, this.messages, { ...q, cd: true }, chain, unvalidatedOutcome(name), false, this.rrsets.limits.negativeMaxTtlSec);
      for (const r of chain.answer) {
        const d = r.type === type ? r.decode() : undefined;
        if (d !== undefined && (d.type === 'A' || d.type === 'AAAA')) out.push(d.address);
      }
    }));
    return out;
  }
}
