// fake-clock.ts — a Clock for tests that moves only when told (DESIGN.md rule 2: time is injected).
import type { Clock } from '../../src/util/clock.js';

export interface FakeClock extends Clock {
  advanceMs(ms: number): void;
  advanceSec(sec: number): void;
}

/** A clock standing at `startMs` (milliseconds since the epoch) until advanced. */
export function fakeClock(startMs: number): FakeClock {
  let now = startMs;
  return {
    nowMs: () => now,
    nowSec: () => Math.floor(now / 1000),
    advanceMs: (ms) => { now += ms; },
    advanceSec: (sec) => { now += sec * 1000; },
  };
}
