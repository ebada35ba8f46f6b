/**
 * Memory over a long run: W4 (784-256-128-10, batch 128, CrossEntropyLoss + Adam) for `--steps`
 * steps (default 1000), printing the resident set size, the V8 heap and the memory held outside
 * it (typed arrays' buffers) every 100 steps. Flat numbers mean nothing accumulates per step.
 * With `--gc` (run node with --expose-gc) a full collection precedes each reading, so the numbers
 * show what is live rather than what the collector has not reclaimed yet.
 *
 *   nice -n -10 node --expose-gc --import tsx/esm --conditions=@tsgrad/source bench/overhead/memory.ts [--steps 1000] [--gc]
 */
import { performance } from "node:perf_hooks";
import * as tg from "tsgrad";
import { w4 } from "./workloads.js";

const at = process.argv.indexOf("--steps");
const steps = at > 0 ? Number(process.argv[at + 1]) : 1000;
const collect = process.argv.includes("--gc") ? (globalThis as { gc?: () => void }).gc : undefined;
const mib = (b: number) => (b / 2 ** 20).toFixed(1).padStart(7);
let peak = 0;
const t0 = performance.now();
console.log("  step   rss MiB  heap MiB  external+arrayBuffers MiB   steps/s");
const { loss } = w4(tg, steps, (i) => {
  const rss = process.memoryUsage.rss();
  peak = Math.max(peak, rss);
  if (i % 100 !== 0) return;
  collect?.();
  const m = process.memoryUsage();
  console.log(`${String(i).padStart(6)}  ${mib(m.rss)}  ${mib(m.heapUsed)}  ${mib(m.external + m.arrayBuffers).padStart(26)}  ${((1000 * i) / (performance.now() - t0)).toFixed(1).padStart(8)}`);
}).run();
console.log(`peak RSS ${mib(peak).trim()} MiB over ${steps} steps; final loss ${loss.toFixed(4)}`);
