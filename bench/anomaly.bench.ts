/**
 * Anomaly-detection overhead (not a test): a chain of small ops, forward + backward, where the
 * per-op cost of autograd bookkeeping is the largest share. Median and minimum of several runs
 * (the minimum is the steadier figure on a shared machine), with anomaly detection off (the
 * default) and on.
 *
 *   npx tsx --conditions=@tsgrad/source bench/anomaly.bench.ts [--runs 9]
 *
 * "off" against a build without the hooks is measured by running this file on both commits.
 */
import { randn, setDetectAnomaly, type Tensor } from "@tsgrad/core";

const runsArg = process.argv.indexOf("--runs");
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 9;
const ops = 4000;

function chain(): void {
  let h: Tensor = randn([16], { requiresGrad: true });
  for (let i = 0; i < ops / 2; i++) h = h.mul(1.0001).add(0.001);
  h.sum().backward();
}

function measure(fn: () => void): { median: number; min: number } {
  fn();
  fn();
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(runs / 2)], min: times[0] };
}

const off = measure(chain);
setDetectAnomaly(true);
const on = measure(chain);
setDetectAnomaly(false);
const fmt = (m: { median: number; min: number }): string => `median ${m.median.toFixed(2)} ms, min ${m.min.toFixed(2)} ms`;
console.log(`chain of ${ops} ops, forward + backward, ${runs} runs:`);
console.log(`  anomaly off  ${fmt(off)} (${((off.min / ops) * 1000).toFixed(2)} µs/op)`);
console.log(`  anomaly on   ${fmt(on)} (${(on.min / off.min).toFixed(1)}x off, min to min)`);
