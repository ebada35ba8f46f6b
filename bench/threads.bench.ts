/**
 * The thread pool's gain (not a test): float32 matmul N³ and training steps on 1 thread and on
 * every core (setNumThreads), measured alternately, run by run, so a change in the machine's load
 * hits both alike; medians, and the ratio. Also a tiny MLP, which must not slow down (its products
 * are too small to hand off), and large elementwise maps (the ones that split, and add, which does not).
 *
 *   pnpm bench:threads [--runs N] [--threads T]
 */
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import * as tg from "tsgrad";
import { gemmThreadsReady } from "../packages/core/src/kernels/wasm/gemm.js";

const flag = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = flag("--runs", 7);
const MANY = flag("--threads", tg.getNumThreads());

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median milliseconds of `fn` on 1 thread and on MANY, measured alternately after a warm-up of each. */
async function compare(fn: () => void): Promise<[number, number]> {
  const counts = [1, MANY];
  const times: number[][] = [[], []];
  for (const n of counts) {
    tg.setNumThreads(n);
    await gemmThreadsReady();
    fn();
  }
  for (let r = 0; r < RUNS; r++) {
    for (let i = 0; i < 2; i++) {
      tg.setNumThreads(counts[i]);
      const t0 = performance.now();
      fn();
      times[i].push(performance.now() - t0);
    }
  }
  return [median(times[0]), median(times[1])];
}

const rows: string[][] = [];
const load0 = loadavg()[0];
tg.manualSeed(0);

for (const n of [512, 1024, 2048]) {
  const [a, b] = [tg.randn([n, n]), tg.randn([n, n])];
  const reps = n === 2048 ? 1 : n === 1024 ? 2 : 8;
  const [t1, tn] = await compare(() => {
    for (let r = 0; r < reps; r++) a.matmul(b);
  });
  const gflops = (t: number): string => ((2 * n ** 3 * reps) / (t * 1e6)).toFixed(1);
  rows.push([`matmul float32 ${n}³ (GFLOP/s)`, gflops(t1), gflops(tn), (t1 / tn).toFixed(2)]);
}

// A training step: forward, cross-entropy, backward, SGD, `steps` times; reported as steps/s.
function mlpSteps(sizes: number[], batch: number, steps: number): () => void {
  const layers: tg.nn.Module[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push(new tg.nn.Linear(sizes[i], sizes[i + 1]));
    if (i + 2 < sizes.length) layers.push(new tg.nn.ReLU());
  }
  const model = new tg.nn.Sequential(...layers);
  const opt = new tg.optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
  const x = tg.randn([batch, sizes[0]]);
  const y = tg.randint(0, sizes[sizes.length - 1], [batch]);
  return () => {
    for (let s = 0; s < steps; s++) {
      opt.zeroGrad();
      tg.losses.crossEntropy(model.forward(x), y).backward();
      opt.step();
    }
  };
}
for (const [label, sizes, steps] of [["MLP 784-512-512-10, batch 64", [784, 512, 512, 10], 20], ["MLP 2-32-16-8-2, batch 64 (no hand-off)", [2, 32, 16, 8, 2], 500]] as const) {
  const [t1, tn] = await compare(mlpSteps([...sizes], 64, steps));
  rows.push([`${label} (steps/s)`, ((steps * 1000) / t1).toFixed(0), ((steps * 1000) / tn).toFixed(0), (t1 / tn).toFixed(2)]);
}

// LeNet-5 (bench/lenet.bench.ts's) on a batch of 64 1×28×28 images, and a 2-layer LSTM 32→128 over
// a batch of 32 sequences of 50 steps (bench/lstm.bench.ts's): Adam steps, reported as steps/s.
function layerSteps(model: tg.nn.Module, forward: (x: tg.Tensor) => tg.Tensor, x: tg.Tensor, loss: (out: tg.Tensor) => tg.Tensor, steps: number): () => void {
  const opt = new tg.optim.Adam(model.parameters(), { lr: 1e-3 });
  return () => {
    for (let s = 0; s < steps; s++) {
      opt.zeroGrad();
      loss(forward(x)).backward();
      opt.step();
    }
  };
}
const { nn } = tg;
const lenet = new nn.Sequential(
  new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2),
  new nn.Flatten(), new nn.Linear(400, 120), new nn.ReLU(), new nn.Linear(120, 84), new nn.ReLU(), new nn.Linear(84, 10),
);
const lenetLabels = tg.randint(0, 10, [64]);
const lstm = new nn.LSTM(32, 128, { numLayers: 2, batchFirst: true });
const lstmHead = new nn.Linear(128, 1);
const lstmTarget = tg.randn([32, 1]);
for (const [label, step, steps] of [
  ["LeNet-5, batch 64", layerSteps(lenet, (x) => lenet.forward(x) as tg.Tensor, tg.randn([64, 1, 28, 28]), (out) => tg.losses.crossEntropy(out, lenetLabels), 5), 5],
  ["LSTM 2 × 128, batch 32 × 50 steps", layerSteps(new nn.ModuleList([lstm, lstmHead]), (x) => lstmHead.forward(lstm.forward(x)[0].select(1, -1)), tg.randn([32, 50, 32]), (out) => tg.losses.mseLoss(out, lstmTarget), 2), 2],
] as const) {
  const [t1, tn] = await compare(step);
  rows.push([`${label} (steps/s)`, ((steps * 1000) / t1).toFixed(1), ((steps * 1000) / tn).toFixed(1), (t1 / tn).toFixed(2)]);
}

// Elementwise maps over 2²⁰ float32 (kernels/parallel-map.ts): the ones that call a transcendental
// function split, plain arithmetic (add) stays on one thread; and softmax / logsumexp over the rows
// of [1024, 1024] (kernels/softmax.ts, split by rows). Reported as ms per op.
{
  const [x, y] = [tg.randn([1024, 1024]), tg.randn([1024, 1024])];
  for (const [label, op] of [
    ["exp", () => x.exp()],
    ["tanh", () => x.tanh()],
    ["atan2", () => x.atan2(y)],
    ["add (not split)", () => x.add(y)],
    ["softmax along dim 1", () => tg.softmax(x, 1)],
    ["logsumexp along dim 1", () => tg.logsumexp(x, 1)],
  ] as const) {
    const [t1, tn] = await compare(() => {
      for (let r = 0; r < 3; r++) op();
    });
    rows.push([`${label} over 2²⁰ float32 (ms)`, (t1 / 3).toFixed(2), (tn / 3).toFixed(2), (t1 / tn).toFixed(2)]);
  }
}

const head = ["workload", "1 thread", `${MANY} threads`, "speed-up"];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r: string[]): string => `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ")} |`;
console.log(line(head));
console.log(`|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`);
for (const r of rows) console.log(line(r));
console.log(`medians of ${RUNS} alternating runs; load average ${load0.toFixed(2)} at the start, ${loadavg()[0].toFixed(2)} at the end`);
