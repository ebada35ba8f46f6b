/**
 * LeNet-5 training-step benchmark (not a test), issue 9's targets: one step of a LeNet-5
 * (conv 1→6 5×5 pad 2, ReLU, max-pool 2, conv 6→16 5×5, ReLU, max-pool 2, 400-120-84-10 with
 * ReLU) on a batch of 64 1×28×28 images, cross-entropy, Adam (lr 1e-3): forward, backward, update
 * and reading the loss; and the forward pass alone (inference, no graph). Frameworks: tsgrad,
 * tfjs (cpu and wasm backends, NHWC as tfjs wants) and PyTorch with one thread
 * (bench/torch_lenet.py, Debian's python3-torch) when present. Reported: median ms per step over
 * the timed steps (after warm-up), and throughput ratios tsgrad / other (above 1: tsgrad is
 * faster). Targets: ≥ 3× tfjs-wasm, ≥ 0.33× PyTorch. tfjs-wasm 4.22 cannot train it (it has no
 * Conv2DBackpropFilter kernel), so only its forward pass is timed; the step says why.
 *
 *   pnpm bench:lenet [--steps N] [--warmup W]
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import * as tg from "tsgrad";

const flag = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const STEPS = flag("--steps", 30);
const WARMUP = flag("--warmup", 5);
const BATCH = 64;

interface Row { ms: number; loss: number; note?: string }

/** Median of the timed steps, in ms. */
function timeSteps(step: () => number): Row {
  let loss = NaN;
  for (let i = 0; i < WARMUP; i++) loss = step();
  const t: number[] = [];
  for (let i = 0; i < STEPS; i++) {
    const s = performance.now();
    loss = step();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  return { ms: t[t.length >> 1], loss };
}

// The same data for every framework: N(0, 1) pixels, labels 0..9.
tg.manualSeed(0);
const xs = tg.randn([BATCH, 1, 28, 28]);
const ys = tg.randint(0, 10, [BATCH]);

interface Bench { step: () => number; forward: () => number }

function tsgradBench(): Bench {
  const { nn, optim, losses } = tg;
  const model = new nn.Sequential(
    new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(), new nn.Linear(400, 120), new nn.ReLU(), new nn.Linear(120, 84), new nn.ReLU(), new nn.Linear(84, 10),
  );
  const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
  return {
    step: () => {
      opt.zeroGrad();
      const loss = losses.crossEntropy(model.forward(xs) as tg.Tensor, ys);
      loss.backward();
      opt.step();
      return loss.item();
    },
    forward: () => tg.noGrad(() => losses.crossEntropy(model.forward(xs) as tg.Tensor, ys).item()),
  };
}

function tfjsBench(): Bench {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 6, kernelSize: 5, padding: "same", activation: "relu" }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: "relu" }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 120, activation: "relu" }),
      tf.layers.dense({ units: 84, activation: "relu" }),
      tf.layers.dense({ units: 10 }),
    ],
  });
  const optimizer = tf.train.adam(1e-3);
  const x = tf.tensor4d(xs.permute(0, 2, 3, 1).contiguous().dataSync() as Float32Array, [BATCH, 28, 28, 1]);
  const y = tf.oneHot(tf.tensor1d(Array.from(ys.dataSync()), "int32"), 10);
  return {
    step: () => tf.tidy(() => {
      const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true)!;
      return loss.dataSync()[0];
    }),
    forward: () => tf.tidy(() => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor).dataSync()[0]),
  };
}

/** Times a bench's step and forward; a framework that cannot run one gets its error message instead. */
function timeBench(b: Bench): { step: Row; forward: Row } {
  const attempt = (f: () => number): Row => {
    try {
      return timeSteps(f);
    } catch (e) {
      return { ms: NaN, loss: NaN, note: (e as Error).message };
    }
  };
  return { step: attempt(b.step), forward: attempt(b.forward) };
}

const rows: Array<{ name: string; step: Row; forward: Row }> = [];
rows.push({ name: "tsgrad", ...timeBench(tsgradBench()) });
for (const backend of ["cpu", "wasm"]) {
  await tf.setBackend(backend);
  await tf.ready();
  rows.push({ name: `tfjs-${backend}`, ...timeBench(tfjsBench()) });
}
const python = "/usr/bin/python3";
if (existsSync(python)) {
  const script = fileURLToPath(new URL("./torch_lenet.py", import.meta.url));
  const run = spawnSync(python, [script, String(STEPS), String(WARMUP)], { encoding: "utf8" });
  if (run.status === 0) {
    const r = JSON.parse(run.stdout) as { step: Row; forward: Row; version: string };
    rows.push({ name: `PyTorch ${r.version} (1 thread)`, step: r.step, forward: r.forward });
  } else {
    console.error(`PyTorch run failed: ${run.stderr}`);
  }
}
console.log(`LeNet-5, batch ${BATCH}×1×28×28, cross-entropy, Adam; median ms of ${STEPS} runs after ${WARMUP} warm-up`);
for (const what of ["step", "forward"] as const) {
  console.log(what === "step" ? "training step (forward, backward, Adam update):" : "forward pass only (no graph):");
  const ours = rows[0][what].ms;
  for (const r of rows) {
    const row = r[what];
    if (Number.isNaN(row.ms)) {
      console.log(`  ${r.name.padEnd(28)}      n/a  (${row.note?.split("\n")[0]})`);
      continue;
    }
    const ratio = r.name === "tsgrad" ? "" : `  tsgrad throughput ×${(row.ms / ours).toFixed(2)}`;
    console.log(`  ${r.name.padEnd(28)} ${row.ms.toFixed(2).padStart(8)} ms  (${(1000 / row.ms).toFixed(1)}/s, loss ${row.loss.toFixed(3)})${ratio}`);
  }
}
