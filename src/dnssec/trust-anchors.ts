// trust-anchors.ts — TrustAnchorStore: DS and DNSKEY anchors per zone, the closest anchor above a
// name (RFC 4035 §4.4, §5), and negative trust anchors with optional expiry (RFC 7646 §2). Loads
// zone-file anchor files, RFC 7958 root-anchors.xml (only KeyDigests valid "now"), or the built-in
// IANA root anchors. Time comes from an injected Clock.
import { readFile } from 'node:fs/promises';
import type { Clock } from '../util/clock.js';
import { InvalidArgumentError } from '../util/errors.js';
import { Name } from '../wire/name.js';
import { anchorsFromXml, parseAnchorZoneText, parseRootAnchorsXml, type TrustAnchor } from './anchor-files.js';
import { builtinRootAnchors } from './builtin-anchors.js';

/** The anchors configured at one zone. */
export interface ZoneAnchors {
  readonly zone: Name;
  readonly anchors: readonly TrustAnchor[];
}

interface Nta {
  readonly zone: Name;
  readonly expiresSec: number | null;
}

/** Anchors and negative anchors, keyed by lower-cased zone name. */
export class TrustAnchorStore {
  readonly #anchors = new Map<string, { zone: Name; anchors: TrustAnchor[] }>();
  readonly #ntas = new Map<string, Nta>();
  readonly #clock: Pick<Clock, 'nowSec'>;

  constructor(clock: Pick<Clock, 'nowSec'>) {
    this.#clock = clock;
  }

  /** A store holding the built-in IANA root anchors (KSK-2017, KSK-2024). */
  static withBuiltinRoot(clock: Pick<Clock, 'nowSec'>): TrustAnchorStore {
    const s = new TrustAnchorStore(clock);
    s.addAll(builtinRootAnchors());
    return s;
  }

  /** Adds one anchor (duplicates of the same RDATA are kept once). */
  add(a: TrustAnchor): void {
    const key = a.owner.key();
    let entry = this.#anchors.get(key);
    if (entry === undefined) {
      entry = { zone: a.owner.lower(), anchors: [] };
      this.#anchors.set(key, entry);
    }
    if (!entry.anchors.some((b) => sameAnchor(a, b))) entry.anchors.push(a);
  }

  addAll(list: readonly TrustAnchor[]): void {
    for (const a of list) this.add(a);
  }

  /** Replaces every anchor of `zone` (used when RFC 5011 state supersedes the configured keys). */
  replaceZone(zone: Name, list: readonly TrustAnchor[]): void {
    this.#anchors.delete(zone.key());
    this.addAll(list.filter((a) => a.owner.equals(zone)));
  }

  /** Zone-file DS/DNSKEY text (Debian root.ds / root.key style). Returns what was added. */
  addZoneFileText(text: string, source: string): TrustAnchor[] {
    const list = parseAnchorZoneText(text, source);
    this.addAll(list);
    return list;
  }

  /** RFC 7958 XML: adds the KeyDigests valid at the clock's now (RFC 7958 §2.3 validFrom/validUntil). */
  addRootAnchorsXml(text: string, source: string): TrustAnchor[] {
    const list = anchorsFromXml(parseRootAnchorsXml(text, source), this.#clock.nowSec(), source);
    this.addAll(list);
    return list;
  }

  /** Loads a file, choosing the XML reader when the content starts with `<`. */
  async loadFile(file: string): Promise<TrustAnchor[]> {
    const text = await readFile(file, 'utf8');
    return /^\uFEFF?\s*</.test(text) ? this.addRootAnchorsXml(text, file) : this.addZoneFileText(text, file);
  }

  /** The anchors at exactly `zone`. */
  anchorsAt(zone: Name): readonly TrustAnchor[] {
    return this.#anchors.get(zone.key())?.anchors ?? [];
  }

  /** Every zone with anchors. */
  zones(): Name[] {
    return [...this.#anchors.values()].map((e) => e.zone);
  }

  /** The deepest zone at or above `name` holding anchors, or null (→ NO_TRUST_ANCHOR). */
  closestAnchor(name: Name): ZoneAnchors | null {
    for (let n = name.lower(); ; n = n.parent()) {
      const e = this.#anchors.get(n.key());
      if (e !== undefined && e.anchors.length > 0) return { zone: e.zone, anchors: e.anchors };
      if (n.isRoot()) return null;
    }
  }

  /**
   * Adds a negative trust anchor (RFC 7646 §2): validation stops at `zone` and everything below
   * is treated as insecure. `lifetimeSec` null = until removed (configuration); otherwise it
   * expires (RFC 7646 §2 asks for limited lifetimes on operator-added NTAs).
   */
  addNegative(zone: Name, lifetimeSec: number | null = null): void {
    if (lifetimeSec !== null && (!Number.isFinite(lifetimeSec) || lifetimeSec <= 0)) {
      throw new InvalidArgumentError(`NTA lifetime must be positive seconds, got ${lifetimeSec}`);
    }
    const expiresSec = lifetimeSec === null ? null : this.#clock.nowSec() + lifetimeSec;
    this.#ntas.set(zone.key(), { zone: zone.lower(), expiresSec });
  }

  removeNegative(zone: Name): boolean {
    return this.#ntas.delete(zone.key());
  }

  /** Unexpired negative anchors (expired ones are dropped here). */
  negativeAnchors(): { zone: Name; expiresSec: number | null }[] {
    const now = this.#clock.nowSec();
    for (const [k, v] of this.#ntas) if (v.expiresSec !== null && now >= v.expiresSec) this.#ntas.delete(k);
    return [...this.#ntas.values()].map((v) => ({ ...v }));
  }

  /**
   * The NTA zone covering `name`, or null. A positive anchor configured strictly below the NTA
   * and at or above the name wins (it is closer, so validation starts there — the behaviour of
   * Unbound's domain-insecure with a child trust anchor).
   */
  ntaFor(name: Name): Name | null {
    const now = this.#clock.nowSec();
    for (let n = name.lower(); ; n = n.parent()) {
      const a = this.#anchors.get(n.key());
      const nta = this.#ntas.get(n.key());
      if (nta !== undefined && (nta.expiresSec === null || now < nta.expiresSec)) return nta.zone;
      if (a !== undefined && a.anchors.length > 0) return null;
      if (n.isRoot()) return null;
    }
  }

  /** True when `name` is at or below an unexpired NTA (→ NTA_INSECURE). */
  isUnderNta(name: Name): boolean {
    return this.ntaFor(name) !== null;
  }
}

function bytesEq(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function sameAnchor(a: TrustAnchor, b: TrustAnchor): boolean {
  if (a.type === 'DS' && b.type === 'DS') {
    return a.ds.keyTag === b.ds.keyTag && a.ds.algorithm === b.ds.algorithm && a.ds.digestType === b.ds.digestType && bytesEq(a.ds.digest, b.ds.digest);
  }
  return a.type === 'DNSKEY' && b.type === 'DNSKEY' && bytesEq(a.rdata, b.rdata);
}
