/**
 * The CSP fallback's cost (not a test): elementwise ops and a training run with the kernels
 * compiled by `new Function` and interpreted (kernels/expr.ts, the path a page whose CSP forbids
 * eval takes). The two paths are measured alternately, run by run, so a change in the machine's
 * load hits both alike; medians, and the ratio interpreted / compiled.
 *
 *   pnpm bench:kernels [--runs N]
 */
import { performance } from "node:perf_hooks";
import * as tg from "tsgrad";

const runsFlag = process.argv.indexOf("--runs");
const RUNS = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 9;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Medians of `fn` on each path, measured alternately. */
function compare(fn: () => void): { compiled: number; interpreted: number } {
  const times = { compiled: [] as number[], interpreted: [] as number[] };
  for (const mode of ["compiled", "interpreted"] as const) {
    tg.setKernelMode(mode);
    fn(); // warm-up: JIT and kernel building
  }
  for (let r = 0; r < RUNS; r++) {
    for (const mode of ["compiled", "interpreted"] as const) {
      tg.setKernelMode(mode);
      const t0 = performance.now();
      fn();
      times[mode].push(performance.now() - t0);
    }
  }
  tg.setKernelMode("auto");
  return { compiled: median(times.compiled), interpreted: median(times.interpreted) };
}

tg.manualSeed(0);
const x = tg.randn([1000, 1000]);
const y = tg.randn([1000, 1000]);
const row = tg.randn([1, 1000]);
const xt = x.T;
const cases: Array<[string, () => void]> = [
  ["x + y (1M, contiguous)", () => void x.add(y)],
  ["x * row (1M, broadcast)", () => void x.mul(row)],
  ["relu(x) (1M)", () => void x.relu()],
  ["sigmoid(x) (1M)", () => void x.sigmoid()],
  ["gelu(x) (1M, nn)", () => void tg.nn.F.gelu(x)],
  ["exp(xᵀ) (1M, transposed)", () => void xt.exp()],
  ["x > 0 (1M, compare)", () => void x.gt(0)],
];

// The article's moons run: MLP 2-32-32-1 with ReLU, BCE on logits, Adam, 10 epochs of 1000 points.
const { X, y: labels } = tg.data.makeMoons({ nSamples: 1000, noise: 0.2, randomState: 0 });
const target = labels.float().unsqueeze(1);
function train(): void {
  tg.manualSeed(0);
  const model = new tg.nn.Sequential(new tg.nn.Linear(2, 32), new tg.nn.ReLU(), new tg.nn.Linear(32, 32), new tg.nn.ReLU(), new tg.nn.Linear(32, 1));
  const opt = new tg.optim.Adam(model.parameters(), { lr: 0.01 });
  const loader = new tg.data.DataLoader(new tg.data.TensorDataset(X, target), { batchSize: 64, shuffle: true, generator: new tg.Generator(0) });
  for (let epoch = 0; epoch < 10; epoch++) {
    for (const [xb, yb] of loader) {
      opt.zeroGrad();
      tg.losses.binaryCrossEntropyWithLogits(model.forward(xb), yb).backward();
      opt.step();
    }
  }
}
cases.push(["moons MLP, 10 epochs (training)", train]);

console.log(`| case | compiled (ms) | interpreted (ms) | interpreted / compiled |`);
console.log(`|---|---:|---:|---:|`);
for (const [name, fn] of cases) {
  const r = compare(fn);
  console.log(`| ${name} | ${r.compiled.toFixed(2)} | ${r.interpreted.toFixed(2)} | ${(r.interpreted / r.compiled).toFixed(2)}× |`);
}
