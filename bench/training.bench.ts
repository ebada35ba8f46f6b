/**
 * Training benchmark (not a test): the same mini-batch SGD training run in tsgrad, tfjs (CPU
 * backend), js-pytorch and — when Debian's python3-torch is installed — PyTorch, each written
 * with its own idiomatic API. The data are the article's moons (makeMoons 2000 points, noise 0.2,
 * seed 42; 70% = 1400 training points, standardised), generated once here and handed to PyTorch
 * through a temporary JSON file, so all four see the same numbers. A fresh model is built for
 * every repeat (untimed); the timed part is K epochs of shuffle → forward → BCE → backward → SGD
 * step, reading each batch's loss the way a training loop that reports it does. Reported: median
 * ms per epoch over the repeats (after one warm-up epoch), ratios other / tsgrad (above 1 means
 * tsgrad is faster) and each framework's mean training loss in the last epoch (they all learn).
 *
 *   pnpm bench:training [--runs N] [--epochs K]   (K scales both scenarios' epoch counts)
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import * as tf from "@tensorflow/tfjs";
import { torch as jsTorch } from "js-pytorch";
import * as tg from "tsgrad";

const flag = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const RUNS = flag("--runs", 5);
const EPOCH_SCALE = flag("--epochs", 20) / 20;

/** One training run to reproduce in every framework: layer widths (input first), batch size, epochs timed. */
interface Scenario {
  name: string;
  widths: number[];
  batchSize: number;
  epochs: number;
}

const LR = 0.05;
const SCENARIOS: Scenario[] = [
  { name: "moons MLP 2-32-16-8-1, batch 64", widths: [2, 32, 16, 8, 1], batchSize: 64, epochs: Math.max(1, Math.round(20 * EPOCH_SCALE)) },
  { name: "wide MLP 2-256-256-1, batch 256", widths: [2, 256, 256, 1], batchSize: 256, epochs: Math.max(1, Math.round(10 * EPOCH_SCALE)) },
];

/** A freshly initialised model + optimizer; each call to `epoch()` trains one epoch and returns its mean loss. */
interface Trainer {
  epoch(): number;
}

/** Result of one framework on one scenario. */
interface Timing {
  msPerEpoch: number;
  finalLoss: number;
}

/** One warm-up epoch on a throw-away model, then `runs` fresh models trained `epochs` epochs each, timed. */
function timeTraining(build: () => Trainer, epochs: number, runs = RUNS): Timing {
  build().epoch();
  const msPerEpoch: number[] = [];
  const finalLoss: number[] = [];
  for (let r = 0; r < runs; r++) {
    const trainer = build();
    let loss = NaN;
    const t0 = performance.now();
    for (let e = 0; e < epochs; e++) loss = trainer.epoch();
    msPerEpoch.push((performance.now() - t0) / epochs);
    finalLoss.push(loss);
  }
  return { msPerEpoch: median(msPerEpoch), finalLoss: median(finalLoss) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

// The data: the article's moons, split 70/15/15 and standardised on the training part; only the 1400 training points are used.
const moons = tg.data.makeMoons({ nSamples: 2000, noise: 0.2, randomState: 42 });
const [xSplit, , ySplit] = tg.data.trainTestSplit(moons.X, moons.y.to("float32").unsqueeze(1), { testSize: 0.3, randomState: 42 });
const xTrain = new tg.data.StandardScaler().fitTransform(xSplit);
const yTrain = ySplit;
const N = xTrain.shape[0];
const xFlat = Float32Array.from(xTrain.dataSync());
const yFlat = Float32Array.from(yTrain.dataSync());

/** tsgrad: nn.Sequential + BCELoss + optim.SGD + data.DataLoader, the loop of the article. */
function tsgradTrainer(s: Scenario): Trainer {
  const { Sequential, Linear, ReLU, Sigmoid } = tg.nn;
  const layers: tg.nn.Module[] = [];
  s.widths.slice(1).forEach((out, k) => {
    layers.push(new Linear(s.widths[k], out));
    layers.push(k < s.widths.length - 2 ? new ReLU() : new Sigmoid());
  });
  const model = new Sequential(...layers);
  const criterion = new tg.losses.BCELoss();
  const optimizer = new tg.optim.SGD(model.parameters(), { lr: LR });
  const loader = new tg.data.DataLoader(new tg.data.TensorDataset(xTrain, yTrain), { batchSize: s.batchSize, shuffle: true });
  return {
    epoch() {
      model.train();
      let lossSum = 0;
      for (const [x, y] of loader) {
        const loss = criterion.forward(model.forward(x), y);
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
        lossSum += loss.item() * x.shape[0];
      }
      return lossSum / N;
    },
  };
}

/** tfjs: tf.sequential of dense layers, an explicit loop of optimizer.minimize inside tf.tidy (what model.fit does per batch, minus callbacks). */
const tfX = tf.tensor2d(xFlat, [N, 2]);
const tfY = tf.tensor2d(yFlat, [N, 1]);
function tfjsTrainer(s: Scenario): Trainer {
  const model = tf.sequential();
  s.widths.slice(1).forEach((units, k) => {
    const last = k === s.widths.length - 2;
    model.add(tf.layers.dense({ units, activation: last ? "sigmoid" : "relu", ...(k === 0 ? { inputShape: [s.widths[0]] } : {}) }));
  });
  const optimizer = tf.train.sgd(LR);
  return {
    epoch() {
      const order = tf.util.createShuffledIndices(N);
      let lossSum = 0;
      for (let start = 0; start < N; start += s.batchSize) {
        const batch = Int32Array.from(order.subarray(start, start + s.batchSize));
        lossSum += tf.tidy(() => {
          const indices = tf.tensor1d(batch, "int32");
          const x = tf.gather(tfX, indices);
          const y = tf.gather(tfY, indices);
          const loss = optimizer.minimize(() => tf.losses.logLoss(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true);
          return loss!.dataSync()[0] * batch.length;
        });
      }
      return lossSum / N;
    },
  };
}

/**
 * js-pytorch: its nn.Module / nn.Linear / nn.ReLU. It has no Sigmoid, BCE loss, SGD or data
 * loader, so those are written as a user of it would: sigmoid and BCE from its differentiable
 * ops, SGD in the style of its own Adam, batches sliced from nested arrays. Its tensors hold
 * nested JavaScript arrays of float64; its ReLU is a leaky ReLU (slope 1e-3).
 */
const jsRows = Array.from({ length: N }, (_, i) => [xFlat[2 * i], xFlat[2 * i + 1]]);
const jsTargets = Array.from({ length: N }, (_, i) => [yFlat[i]]);
type JsTensor = InstanceType<typeof jsTorch.Tensor>;

class JsMlp extends jsTorch.nn.Module {
  private readonly depth: number;
  constructor(widths: number[]) {
    super();
    this.depth = widths.length - 1;
    for (let k = 0; k < this.depth; k++) {
      this[`fc${k}`] = new jsTorch.nn.Linear(widths[k], widths[k + 1]);
      if (k < this.depth - 1) this[`relu${k}`] = new jsTorch.nn.ReLU();
    }
  }
  forward(x: JsTensor): JsTensor {
    let h = x;
    for (let k = 0; k < this.depth; k++) {
      h = this[`fc${k}`].forward(h);
      if (k < this.depth - 1) h = this[`relu${k}`].forward(h);
    }
    return jsTorch.ones(h.shape).div(h.neg().exp().add(1)); // sigmoid
  }
}

/** Mean of −[y log p + (1 − y) log(1 − p)] over a [B, 1] batch (mean over the last dim, then over the batch). */
function jsBinaryCrossEntropy(p: JsTensor, y: number[][]): JsTensor {
  const target = jsTorch.tensor(y);
  const complement = jsTorch.tensor(y.map(([v]) => [1 - v]));
  return p.log().mul(target).add(p.neg().add(1).log().mul(complement)).mean().mean().neg();
}

class JsSGD {
  constructor(private readonly params: JsTensor[], private readonly lr: number) {}
  step(): void {
    for (const p of this.params) p._data = p.add(p._grad.mul(-this.lr))._data;
  }
  zero_grad(): void {
    for (const p of this.params) p.zero_grad();
  }
}

function jsPytorchTrainer(s: Scenario): Trainer {
  const model = new JsMlp(s.widths);
  const optimizer = new JsSGD(model.parameters(), LR);
  return {
    epoch() {
      const order = tf.util.createShuffledIndices(N); // a plain Fisher–Yates permutation (Uint32Array)
      let lossSum = 0;
      for (let start = 0; start < N; start += s.batchSize) {
        const batch = Array.from(order.subarray(start, start + s.batchSize));
        const x = jsTorch.tensor(batch.map((i) => jsRows[i]));
        const loss = jsBinaryCrossEntropy(model.forward(x), batch.map((i) => jsTargets[i]));
        loss.backward();
        optimizer.step();
        optimizer.zero_grad();
        lossSum += (loss.data as unknown as number) * batch.length;
      }
      return lossSum / N;
    },
  };
}

await tf.setBackend("cpu");
tg.manualSeed(0);

interface Row {
  scenario: Scenario;
  tsgrad: Timing;
  tfjs: Timing;
  jsPytorch: Timing;
  torch?: Timing;
}
const rows: Row[] = SCENARIOS.map((scenario) => {
  const row = {
    scenario,
    tsgrad: timeTraining(() => tsgradTrainer(scenario), scenario.epochs),
    tfjs: timeTraining(() => tfjsTrainer(scenario), scenario.epochs),
    // js-pytorch's wide run takes seconds per epoch: fewer repeats there.
    jsPytorch: timeTraining(() => jsPytorchTrainer(scenario), scenario.epochs, scenario.widths.some((w) => w > 64) ? Math.min(RUNS, 3) : RUNS),
  };
  process.stderr.write(`done: ${scenario.name}\n`);
  return row;
});

// PyTorch reference: same data and scenarios through a temporary JSON file.
const dir = mkdtempSync(join(tmpdir(), "tsgrad-bench-"));
const input = join(dir, "training.json");
writeFileSync(input, JSON.stringify({ x: Array.from(xFlat), y: Array.from(yFlat), lr: LR, runs: RUNS, scenarios: SCENARIOS }));
const torchRun = spawnSync("/usr/bin/python3", [fileURLToPath(new URL("./torch_training.py", import.meta.url)), input], { encoding: "utf8" });
rmSync(dir, { recursive: true, force: true });
let torchHeader = "PyTorch not run";
if (torchRun.status === 0) {
  const ref = JSON.parse(torchRun.stdout) as { version: string; threads: number; results: Timing[] };
  torchHeader = `PyTorch ${ref.version} CPU, ${ref.threads} thread(s)`;
  ref.results.forEach((t, i) => (rows[i].torch = t));
} else {
  process.stderr.write(`PyTorch reference failed or is missing:\n${torchRun.stderr}\n`);
}

const cell = (t: Timing | undefined, base: Timing): string => (t === undefined ? "—" : `${t.msPerEpoch.toFixed(2)} (${(t.msPerEpoch / base.msPerEpoch).toFixed(2)}x)`);
const loss = (t: Timing | undefined): string => (t === undefined ? "—" : t.finalLoss.toFixed(3));
console.log(`\ntsgrad training benchmark — median ms per epoch over ${RUNS} runs of K epochs (ratio = other / tsgrad; >1 means tsgrad is faster)`);
console.log(`node ${process.version}; ${torchHeader}; ${N} training points, SGD lr ${LR}, BCE, shuffled every epoch\n`);
console.log("| scenario | K | tsgrad ms | tfjs-cpu ms (ratio) | js-pytorch ms (ratio) | PyTorch ms (ratio) | final loss tsgrad / tfjs / js-pytorch / PyTorch |");
console.log("|---|---:|---:|---:|---:|---:|---|");
for (const r of rows) {
  console.log(
    `| ${r.scenario.name} | ${r.scenario.epochs} | ${r.tsgrad.msPerEpoch.toFixed(2)} | ${cell(r.tfjs, r.tsgrad)} | ${cell(r.jsPytorch, r.tsgrad)} | ${cell(r.torch, r.tsgrad)} | ` +
      `${loss(r.tsgrad)} / ${loss(r.tfjs)} / ${loss(r.jsPytorch)} / ${loss(r.torch)} |`,
  );
}
