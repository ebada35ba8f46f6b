/**
 * Losses benchmark (not a test): forward + backward of the heavier losses (CTC, the triplet and
 * embedding losses, KL divergence, the Gaussian NLL, the multi-label hinge), tsgrad beside PyTorch
 * on 1 thread (bench/torch_losses.py, Debian's python3-torch) on the same shapes. Medians over
 * several runs; the ratio is tsgrad / PyTorch (above 1: tsgrad is slower).
 *
 *   npx tsx --conditions=@tsgrad/source bench/losses.bench.ts [--runs N]
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { manualSeed, randint, randn, ones, type Tensor } from "@tsgrad/core";
import * as L from "@tsgrad/losses";

const runsFlag = process.argv.indexOf("--runs");
const RUNS = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 7;

function medianMs(fn: () => void): number {
  fn(); // warm-up (JIT, kernel compilation)
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

manualSeed(0);
const [T, N, C, S] = [50, 16, 20, 10];
const logits = randn([T, N, C]);
const targets = randint(1, C, [N, S]);
const [a, p, n] = [randn([256, 128]), randn([256, 128]), randn([256, 128])];
const x = randn([256, 1000]);
const q = randn([256, 1000]).softmax(1);
const scores = randn([64, 50]);
const labels = randint(-1, 50, [64, 50]);
const leaf = (t: Tensor) => t.detach().requiresGrad_(true);

const CASES: Array<[string, () => Tensor]> = [
  ["ctcLoss (T 50, N 16, C 20, S 10)", () => L.ctcLoss(leaf(logits).logSoftmax(2), targets, new Array(N).fill(T), new Array(N).fill(S))],
  ["tripletMarginLoss (256 x 128, swap)", () => L.tripletMarginLoss(leaf(a), leaf(p), leaf(n), { swap: true })],
  ["klDiv (256 x 1000, batchmean)", () => L.klDiv(leaf(x).logSoftmax(1), q, { reduction: "batchmean" })],
  ["gaussianNllLoss (256 x 1000)", () => L.gaussianNllLoss(leaf(x), q, leaf(q).add(0.1))],
  ["multilabelMarginLoss (64 x 50)", () => L.multilabelMarginLoss(leaf(scores), labels)],
  ["cosineEmbeddingLoss (256 x 128)", () => L.cosineEmbeddingLoss(leaf(a), leaf(p), ones([256]))],
];

const torchRun = spawnSync("/usr/bin/python3", [fileURLToPath(new URL("./torch_losses.py", import.meta.url)), String(RUNS)], { encoding: "utf8" });
const torch: Record<string, number> = torchRun.status === 0 ? JSON.parse(torchRun.stdout) : {};
if (torchRun.status !== 0) console.log("(PyTorch not available: tsgrad times only)");

console.log(`forward + backward, median of ${RUNS} runs (ms)`);
console.log(["loss".padEnd(40), "tsgrad".padStart(9), "PyTorch".padStart(9), "ratio".padStart(7)].join(" "));
for (const [name, run] of CASES) {
  const ms = medianMs(() => run().backward());
  const ref = torch[name];
  console.log([name.padEnd(40), ms.toFixed(2).padStart(9), (ref?.toFixed(2) ?? "—").padStart(9), (ref ? (ms / ref).toFixed(1) : "—").padStart(7)].join(" "));
}
