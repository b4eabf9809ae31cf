// iterator.ts — one step of iterative resolution (RFC 1034 §5.3.3): from the closest known cut,
// ask its servers, follow referrals down (with RFC 9156 QNAME minimisation and Unbound's relaxed
// fallback), until a server of the right zone answers, denies, or points elsewhere by CNAME/DNAME.
// DS is asked at the parent side of the cut (RFC 4035 §4.2). Glueless NS addresses are resolved
// through the resolver's sub-resolution callback with a cap per delegation (NXNS) and loop checks.
import type { InfraCache } from '../cache/infra-cache.js';
import { Rank } from '../cache/rank.js';
import type { RRsetCache } from '../cache/rrset-cache.js';
import type { UpstreamResponse } from '../dnssec/fetcher.js';
import type { Clock } from '../util/clock.js';
import type { Random } from '../util/random.js';
import { RRType } from '../wire/constants.js';
import { Message } from '../wire/message.js';
import type { Name } from '../wire/name.js';
import { groupRRsets } from '../wire/rrset.js';
import type { Transport } from '../transport/transport.js';
import type { ServerAddress } from '../transport/types.js';
import type { ResolveFailure } from './answer.js';
import { InFlight } from './inflight.js';
import { type Delegation, closestDelegation, delegationFromReferral, gluelessTargets } from './delegation.js';
import type { RootHints } from './hints.js';
import type { ResolverLimits } from './limits.js';
import { ExistingNames, nextMinimisedName } from './qmin.js';
import { type ResponseType, classifyResponse } from './response-type.js';
import { type Scrubbed, scrubResponse } from './scrub.js';
import { orderServers, tryTimeoutMs } from './selection.js';
import { buildUpstreamQuery, rebuildScrubbed } from './upstream.js';

/** Shared by every upstream query of one client question (sub-resolutions included). */
export interface Budget {
  queriesLeft: number;
  readonly deadlineMs: number;
  readonly signal?: AbortSignal;
  /** Upstream queries sent so far (for tests and logs). */
  sent: number;
}

/** Per-resolution context: the budget, and the stack of questions being resolved (loop detection). */
export interface IterContext {
  readonly budget: Budget;
  readonly depth: number;
  readonly stack: ReadonlySet<string>;
}

/** A final response for one question: its type, the scrubbed records, the response for the validator. */
export interface StepOk {
  readonly ok: true;
  readonly type: Extract<ResponseType, { kind: 'answer' | 'cname' | 'nxdomain' | 'nodata' }>;
  readonly scrubbed: Scrubbed;
  readonly response: UpstreamResponse;
  readonly aa: boolean;
}
export interface StepFail {
  readonly ok: false;
  readonly failure: ResolveFailure;
  readonly detail: string;
}
export type StepResult = StepOk | StepFail;

/** Resolves the addresses of a name server (A and AAAA) in a sub-resolution. */
export type AddressResolver = (name: Name, ctx: IterContext) => Promise<string[]>;

export interface IteratorDeps {
  readonly transport: Transport;
  readonly infra: InfraCache;
  readonly rrsets: RRsetCache;
  readonly clock: Clock;
  readonly random: Random;
  readonly limits: ResolverLimits;
  readonly hints: RootHints;
  readonly qnameMinimisation: boolean;
  readonly use0x20: boolean;
  readonly port?: number;
  readonly resolveAddresses: AddressResolver;
}

type Asked =
  | { ok: true; type: ResponseType; scrubbed: Scrubbed; message: Message; aa: boolean }
  | StepFail;

const fail = (failure: ResolveFailure, detail: string): StepFail => ({ ok: false, failure, detail });

/** The iterative resolution engine. */
export class Iterator {
  readonly #d: IteratorDeps;
  /** Names a minimised query proved to exist in a zone (their queries are skipped while fresh). */
  readonly #existing: ExistingNames;
  /** Identical upstream questions to the same server, merged across client questions (a leaf: it waits on nothing). */
  readonly #exchanges = new InFlight<Asked>();

  constructor(deps: IteratorDeps) {
    this.#d = deps;
    this.#existing = new ExistingNames(deps.clock);
  }

  /** Resolves one question (no CNAME following across responses). */
  async step(qname: Name, qtype: number, qclass: number, ctx: IterContext): Promise<StepResult> {
    const d = this.#d;
    // RFC 4035 §4.2: DS lives on the parent side, so start above a cut at qname itself.
    const start = qtype === RRType.DS && !qname.isRoot() ? qname.parent() : qname;
    let del = closestDelegation(d.rrsets, start, qclass, d.hints);
    let minimise = d.qnameMinimisation;
    let known = del.zone.labelCount();
    let minCount = 0;
    for (let referrals = 0; referrals <= d.limits.maxReferralDepth;) {
      const next = minimise ? nextMinimisedName(qname, known, minCount) : null;
      const sendName = next ?? qname;
      // RFC 9156 §2.1: minimised queries use QTYPE A (NS triggers broken servers more often).
      const sendType = next === null ? qtype : RRType.A;
      if (next !== null) minCount++;
      // RFC 9156 §2.3: a name already seen to exist inside this zone (no cut there) need not be asked again.
      if (next !== null && this.#existing.has(del.zone, next, qclass)) { known = next.labelCount(); continue; }
      const r = await this.#ask(del, sendName, sendType, qclass, ctx);
      if (!r.ok) {
        // Relaxed fallback (Unbound): a minimised query every server refused or failed is retried in full.
        if (next !== null && r.failure === 'servfail') { minimise = false; continue; }
        return r;
      }
      const t = r.type;
      if (t.kind === 'referral') {
        if (qtype === RRType.DS && t.cut.equals(qname)) return fail('servfail', `${del.zone.toText()} referred the DS query to the child`);
        this.#cacheReferral(r.scrubbed, t.cut);
        del = delegationFromReferral(r.scrubbed.authority, r.scrubbed.additional, t.cut);
        known = t.cut.labelCount();
        referrals++;
        continue;
      }
      if (t.kind === 'lame' || t.kind === 'error') return fail('servfail', 'unreachable'); // #ask never returns these
      if (next !== null) {
        if (t.kind === 'answer' || t.kind === 'nodata') {
          this.#existing.add(del.zone, next, qclass, r.scrubbed);
          known = next.labelCount();
          continue;
        }
        // NXDOMAIN or CNAME on a minimised name: retry in full (RFC 9156 §2.3 relaxed mode).
        minimise = false;
        continue;
      }
      const response: UpstreamResponse = { message: r.message, zone: del.zone, qname, qtype };
      return { ok: true, type: t, scrubbed: r.scrubbed, response, aa: r.aa };
    }
    return fail('budget', `referral depth over ${d.limits.maxReferralDepth}`);
  }

  /** Asks the servers of `del` until one gives a usable response. */
  async #ask(del: Delegation, qname: Name, qtype: number, qclass: number, ctx: IterContext): Promise<Asked> {
    const d = this.#d;
    const tried = new Set<string>();
    let lastFailure: ResolveFailure = 'no-reachable-authority';
    let detail = `no server of ${del.zone.toText()} answered`;
    let gluelessDone = false;
    for (let round = 0; round < d.limits.maxServerRounds;) {
      const servers = orderServers(d.infra, del, tried, d.port);
      if (servers.length === 0) {
        if (!gluelessDone) {
          gluelessDone = true;
          await this.#resolveGlueless(del, ctx);
          if (orderServers(d.infra, del, tried, d.port).length > 0) continue;
        }
        round++;
        tried.clear();
        if (orderServers(d.infra, del, tried, d.port).length === 0) break;
        continue;
      }
      for (const s of servers) {
        tried.add(s.address.toLowerCase());
        const b = ctx.budget;
        const left = b.deadlineMs - d.clock.nowMs();
        if (left <= 0) return fail(lastFailure, `deadline passed: ${detail}`);
        if (b.queriesLeft <= 0) return fail('budget', `upstream query limit ${d.limits.maxUpstreamQueries} reached`);
        b.queriesLeft--;
        b.sent++;
        const r = await this.#exchange(s, del, qname, qtype, qclass, tryTimeoutMs(d.infra, s, d.limits, left), b.signal);
        if (r.ok) return r;
        lastFailure = r.failure;
        detail = r.detail;
      }
    }
    return fail(lastFailure, detail);
  }

  #exchange(
    s: ServerAddress, del: Delegation, qname: Name, qtype: number, qclass: number, timeoutMs: number, signal: AbortSignal | undefined,
  ): Promise<Asked> {
    const key = `${s.address}|${s.port}|${del.zone.key()}|${qname.key()}|${qtype}|${qclass}`;
    return this.#exchanges.run(key, (sig) => this.#exchangeOnce(s, del, qname, qtype, qclass, timeoutMs, sig), signal);
  }

  async #exchangeOnce(
    s: ServerAddress, del: Delegation, qname: Name, qtype: number, qclass: number, timeoutMs: number, signal: AbortSignal,
  ): Promise<Asked> {
    const d = this.#d;
    const q = buildUpstreamQuery(d.random, qname, qtype, qclass, d.use0x20);
    const res = await d.transport.exchange(s, q.wire, { timeoutMs, exactCase: d.use0x20, signal });
    // Only failures print it: the zone's presentation form is not built on the success path.
    const where = (): string => `${s.address} for ${del.zone.toText()}`;
    if (res.kind === 'timeout') {
      d.infra.recordTimeout(s, timeoutMs);
      return fail('no-reachable-authority', `timeout from ${where()}`);
    }
    if (res.kind === 'network-error' || res.kind === 'local-limit') {
      return fail('network-error', `${res.kind === 'local-limit' ? res.limit : res.error.message} (${where()})`);
    }
    if (res.kind === 'truncated') return fail('network-error', `truncated reply and no TCP from ${where()}`);
    const parsed = Message.fromWire(res.wire);
    if (!parsed.ok) {
      d.infra.recordRtt(s, res.rttMs);
      return fail('malformed', `malformed reply from ${where()}: ${parsed.reason}`);
    }
    const m = parsed.message;
    d.infra.recordReply(s, res.rttMs, m.edns === undefined ? 'no-edns' : 'edns');
    const scrubbed = scrubResponse(m, qname, qtype, qclass, del.zone);
    const type = classifyResponse({ rcode: m.rcode, aa: m.aa }, scrubbed, qname, qtype, del.zone);
    if (type.kind === 'lame') {
      d.infra.markLame(s, del.zone.toText(), 'lame');
      return fail('servfail', `lame server ${where()}: ${type.why}`);
    }
    if (type.kind === 'error') return fail('servfail', `rcode ${type.rcode} from ${where()}`);
    const message = scrubbed.dropped === 0 ? m : rebuildScrubbed(m, qname, qtype, qclass, scrubbed);
    return { ok: true, type, scrubbed, message, aa: m.aa };
  }

  /** Resolves up to maxGluelessPerDelegation NS names of `del` in parallel; adds what they yield. */
  async #resolveGlueless(del: Delegation, ctx: IterContext): Promise<void> {
    const d = this.#d;
    if (ctx.depth >= d.limits.maxDependencyDepth) return;
    const names = gluelessTargets(del, d.limits.maxGluelessPerDelegation);
    await Promise.all(names.map(async (n) => {
      const key = `${n.key()}|addr`;
      if (ctx.stack.has(key)) return; // the name's resolution would need itself
      const sub: IterContext = { budget: ctx.budget, depth: ctx.depth + 1, stack: new Set([...ctx.stack, key]) };
      const addrs = await d.resolveAddresses(n, sub);
      const entry = del.servers.find((s) => s.name.equals(n));
      if (entry !== undefined) entry.addresses.push(...addrs.filter((a) => !entry.addresses.includes(a)));
    }));
  }

  /** Caches a referral's NS set, glue and DS (RFC 2181 §5.4.1 ranks: non-authoritative). */
  #cacheReferral(s: Scrubbed, cut: Name): void {
    const rr = this.#d.rrsets;
    for (const set of groupRRsets(s.authority)) {
      if ((set.type === RRType.NS || set.type === RRType.DS) && set.name.equals(cut)) rr.put(set, { rank: Rank.AuthorityNoAA });
    }
    for (const set of groupRRsets(s.additional)) {
      if (set.type === RRType.A || set.type === RRType.AAAA) rr.put(set, { rank: Rank.AdditionalNoAA });
    }
  }
}

