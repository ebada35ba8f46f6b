/**
 * Timing helpers shared by the benchmarks: medians, a repetition budget, and the tally of one
 * contestant's timings over the rounds of a round-robin (frameworks take turns round after round,
 * so a change of load on a shared machine falls on all of them alike).
 */
import { performance } from "node:perf_hooks";

/** The median (the mean of the two middle values for an even count); NaN for no values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** How often to run a step: `warmup` untimed runs, then timed runs until `minMs` have passed or `maxReps` were made (at least one). */
export interface Budget {
  warmup: number;
  minMs: number;
  maxReps: number;
}

/** The times (ms) of the timed runs of `fn` under `budget`, and the value the last run returned (a loss, say). */
export function timeReps(fn: () => number, budget: Budget): { times: number[]; value: number } {
  let value = NaN;
  for (let i = 0; i < budget.warmup; i++) value = fn();
  const times: number[] = [];
  let spent = 0;
  while (times.length < Math.max(1, budget.maxReps) && (times.length === 0 || spent < budget.minMs)) {
    const t0 = performance.now();
    value = fn();
    const ms = performance.now() - t0;
    times.push(ms);
    spent += ms;
  }
  return { times, value };
}

/** The wall time of one call of `fn` in ms, and what it returned. */
export function timeOnce<T>(fn: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

/**
 * One contestant's results over the rounds: each round adds its timed samples (ms), the result is
 * the median of the per-round medians. `value` keeps the last round's accuracy or loss; `note`
 * the error message of a contestant that could not run.
 */
export class Tally {
  readonly rounds: number[] = [];
  value = NaN;
  note?: string;

  /** Adds one round's samples (ms) and the value the round ended with. */
  add(times: readonly number[], value: number): void {
    if (times.length > 0) this.rounds.push(median(times));
    this.value = value;
  }

  /** Runs `fn`, adding what it returns; an exception becomes the note (first line of its message) and ends the contestant. */
  attempt(fn: () => { times: number[]; value: number }): void {
    if (this.note !== undefined) return;
    try {
      const r = fn();
      this.add(r.times, r.value);
    } catch (e) {
      this.note = ((e as Error).message ?? String(e)).split("\n")[0];
    }
  }

  /** The median over rounds of each round's median, in ms (NaN before any round). */
  get ms(): number {
    return median(this.rounds);
  }
}

/** Median ms of `a` and of `b`, called alternately `n` times after `n / 8` warm-up pairs (an A/B comparison in one process). */
export function alternate(a: () => void, b: () => void, n: number): [number, number] {
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < n + (n >> 3); i++) {
    const x = timeOnce(a).ms;
    const y = timeOnce(b).ms;
    if (i >= n >> 3) {
      ta.push(x);
      tb.push(y);
    }
  }
  return [median(ta), median(tb)];
}

/** Runs `turn(contestant, round)` for every contestant, round after round: the frameworks take turns. */
export async function roundRobin<C>(rounds: number, contestants: readonly C[], turn: (c: C, round: number) => void | Promise<void>): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    for (const c of contestants) await turn(c, round);
  }
}
