/**
 * 2-layer LSTM training-step benchmark (not a test), issue 9's: one step of a 2-layer LSTM (input
 * 32, hidden 128) over a batch of 32 sequences of 50 steps, a Linear head on the last step's
 * output, MSE, Adam (lr 1e-3): forward, backward, update and reading the loss; and the forward
 * pass alone (no graph). Frameworks: tsgrad, tsgrad with the LSTM gates composed of core ops instead
 * of the fused op (the measurement behind the fused kernel), tfjs (cpu and wasm backends) and
 * PyTorch with one thread (bench/torch_lstm.py, Debian's python3-torch) when present. Reported:
 * median ms per step over every timed step of every round, and throughput ratios tsgrad / other
 * (above 1: tsgrad is faster). The frameworks take turns, round after round (each round builds its
 * models again and warms them up), so a change of load on a shared machine hits them all alike.
 * Then the LSTM's and the GRU's fused pointwise ops (rnn-kernels.ts) against
 * its composition of core ops on one step (N = 32, H = 128), forward and backward, the two
 * alternating call by call; and a 2-layer GRU over the whole sequence with
 * the op fused and composed, alternating.
 *
 *   pnpm bench:lstm [--rounds R] [--steps N] [--warmup W] [--ops-only] [--layer-rounds K]
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import * as tg from "tsgrad";
import { gruPointwise, gruPointwiseComposed, lstmPointwise, lstmPointwiseComposed } from "../packages/nn/src/rnn-kernels.js";

const flag = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const ROUNDS = flag("--rounds", 3);
const STEPS = flag("--steps", 3);
const WARMUP = flag("--warmup", 1);
/** Only the fused ops against their compositions (seconds, not minutes). */
const OPS_ONLY = process.argv.includes("--ops-only");
const [BATCH, SEQ, INPUT, HIDDEN] = [32, 50, 32, 128];

interface Row { ms: number; loss: number; note?: string }
/** The timed steps of one framework and pass, gathered over the rounds. */
interface Samples { times: number[]; loss: number; note?: string }

const median = (t: readonly number[]): number => [...t].sort((a, b) => a - b)[t.length >> 1];

/** Warms `step` up, then appends the times of STEPS runs to `into` (or its error message). */
function timeSteps(step: () => number, into: Samples): void {
  try {
    for (let i = 0; i < WARMUP; i++) into.loss = step();
    for (let i = 0; i < STEPS; i++) {
      const s = performance.now();
      into.loss = step();
      into.times.push(performance.now() - s);
    }
  } catch (e) {
    into.note = (e as Error).message;
  }
}

// The same data for every framework: N(0, 1) sequences (N, L, I) and targets (N, 1).
tg.manualSeed(0);
const xs = tg.randn([BATCH, SEQ, INPUT]);
const ys = tg.randn([BATCH, 1]);

interface Bench { step: () => number; forward: () => number }

/** tsgrad's LSTM; with `composed`, the same model stepped by hand with the gates as core ops. */
function tsgradBench(composed: boolean): Bench {
  const { nn, optim, losses } = tg;
  const lstm = new nn.LSTM(INPUT, HIDDEN, { numLayers: 2, batchFirst: true });
  const head = new nn.Linear(HIDDEN, 1);
  const params = [...lstm.parameters(), ...head.parameters()];
  const opt = new optim.Adam(params, { lr: 1e-3 });
  const composedLast = (x: tg.Tensor): tg.Tensor => {
    let steps = x.unbind(1);
    for (const [wIh, wHh, bIh, bHh] of lstm.allWeights) {
      let h = tg.zeros([BATCH, HIDDEN]);
      let c = tg.zeros([BATCH, HIDDEN]);
      steps = steps.map((xt) => {
        const hc = lstmPointwiseComposed(tg.linear(xt, wIh, bIh).add(tg.linear(h, wHh, bHh)), c);
        [h, c] = [hc.select(0, 0), hc.select(0, 1)];
        return h;
      });
    }
    return steps[steps.length - 1];
  };
  const last = (x: tg.Tensor): tg.Tensor => (composed ? composedLast(x) : lstm.forward(x)[0].select(1, -1));
  const loss = (): tg.Tensor => losses.mseLoss(head.forward(last(xs)), ys);
  return {
    step: () => {
      opt.zeroGrad();
      const l = loss();
      l.backward();
      opt.step();
      return l.item();
    },
    forward: () => tg.noGrad(() => loss().item()),
  };
}

function tfjsBench(): Bench {
  const model = tf.sequential({
    layers: [
      tf.layers.lstm({ inputShape: [SEQ, INPUT], units: HIDDEN, returnSequences: true }),
      tf.layers.lstm({ units: HIDDEN }),
      tf.layers.dense({ units: 1 }),
    ],
  });
  const optimizer = tf.train.adam(1e-3);
  const x = tf.tensor3d(xs.dataSync() as Float32Array, [BATCH, SEQ, INPUT]);
  const y = tf.tensor2d(ys.dataSync() as Float32Array, [BATCH, 1]);
  return {
    step: () => tf.tidy(() => {
      const loss = optimizer.minimize(() => tf.losses.meanSquaredError(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true)!;
      return loss.dataSync()[0];
    }),
    forward: () => tf.tidy(() => tf.losses.meanSquaredError(y, model.apply(x) as tf.Tensor).dataSync()[0]),
  };
}

const names = ["tsgrad", "tsgrad, gates composed", "tfjs-cpu", "tfjs-wasm"];
const builders: Array<() => Promise<Bench>> = [
  async () => tsgradBench(false),
  async () => tsgradBench(true),
  async () => { await tf.setBackend("cpu"); await tf.ready(); return tfjsBench(); },
  async () => { await tf.setBackend("wasm"); await tf.ready(); return tfjsBench(); },
];
const fresh = (): Samples => ({ times: [], loss: NaN });
const samples = names.map(() => ({ step: fresh(), forward: fresh() }));
const torchSamples = { step: fresh(), forward: fresh() };
let torchName = "";
const python = "/usr/bin/python3";
const torchScript = fileURLToPath(new URL("./torch_lstm.py", import.meta.url));
for (let round = 0; round < (OPS_ONLY ? 0 : ROUNDS); round++) {
  for (let i = 0; i < builders.length; i++) {
    const b = await builders[i]();
    timeSteps(b.step, samples[i].step);
    timeSteps(b.forward, samples[i].forward);
  }
  if (!existsSync(python)) continue;
  const run = spawnSync(python, [torchScript, String(STEPS), String(WARMUP)], { encoding: "utf8" });
  if (run.status !== 0) {
    console.error(`PyTorch run failed: ${run.stderr}`);
    continue;
  }
  const r = JSON.parse(run.stdout) as { step: { times: number[]; loss: number }; forward: { times: number[]; loss: number }; version: string };
  torchName = `PyTorch ${r.version} (1 thread)`;
  for (const what of ["step", "forward"] as const) {
    torchSamples[what].times.push(...r[what].times);
    torchSamples[what].loss = r[what].loss;
  }
}
const summary = (x: Samples): Row => ({ ms: x.times.length ? median(x.times) : NaN, loss: x.loss, note: x.note });
const rows: Array<{ name: string; step: Row; forward: Row }> = names.map((name, i) => ({ name, step: summary(samples[i].step), forward: summary(samples[i].forward) }));
if (torchName) rows.push({ name: torchName, step: summary(torchSamples.step), forward: summary(torchSamples.forward) });

type Pointwise = (...t: tg.Tensor[]) => tg.Tensor;
/** Each recurrence's fused pointwise op and its composition of core ops, and the op's inputs for one step (N = 32, H = 128). */
const POINTWISE: Array<{ name: string; fused: Pointwise; composed: Pointwise; inputs: number[][]; out: number[] }> = [
  { name: "LSTM", fused: lstmPointwise, composed: lstmPointwiseComposed, inputs: [[BATCH, 4 * HIDDEN], [BATCH, HIDDEN]], out: [2, BATCH, HIDDEN] },
  { name: "GRU", fused: gruPointwise, composed: gruPointwiseComposed, inputs: [[BATCH, 3 * HIDDEN], [BATCH, 3 * HIDDEN], [BATCH, HIDDEN]], out: [BATCH, HIDDEN] },
];

/** Median ms of `a` and of `b`, called alternately `n` times after `n / 8` warm-up pairs. */
function alternate(a: () => void, b: () => void, n: number): [number, number] {
  const ta: number[] = [];
  const tb: number[] = [];
  const time = (f: () => void): number => {
    const s = performance.now();
    f();
    return performance.now() - s;
  };
  for (let i = 0; i < n + (n >> 3); i++) {
    const x = time(a);
    const y = time(b);
    if (i >= n >> 3) { ta.push(x); tb.push(y); }
  }
  return [median(ta), median(tb)];
}

/** One step's pointwise op alone, fused and composed alternating: median ms of forward + backward of each. */
function pointwiseOp(p: (typeof POINTWISE)[number]): [number, number] {
  const inputs = p.inputs.map((s) => tg.randn(s).requiresGrad_(true));
  const g = tg.randn(p.out);
  const once = (op: Pointwise) => (): void => void tg.grad([op(...inputs)], inputs, { gradOutputs: [g] });
  return alternate(once(p.fused), once(p.composed), 400);
}

/**
 * A 2-layer GRU over the whole sequence (batch 32, 50 steps, as the LSTM above) with
 * its pointwise op fused and composed, forward and backward of the last step's sum, alternating:
 * the same loop of `linear` calls either way, so the difference is the op's.
 */
function recurrence(p: (typeof POINTWISE)[number], rounds: number): [number, number] {
  const weights = [INPUT, HIDDEN].map((inp) => [[3 * HIDDEN, inp], [3 * HIDDEN, HIDDEN], [3 * HIDDEN], [3 * HIDDEN]].map((s) => tg.randn(s).mul(0.1).requiresGrad_(true)));
  const run = (op: Pointwise) => (): void => {
    let steps = xs.unbind(1);
    for (const [wIh, wHh, bIh, bHh] of weights) {
      let h = tg.zeros([BATCH, HIDDEN]);
      steps = steps.map((xt) => (h = op(tg.linear(xt, wIh, bIh), tg.linear(h, wHh, bHh), h)));
    }
    steps[steps.length - 1].sum().backward();
  };
  return alternate(run(p.fused), run(p.composed), rounds);
}

const pointwise = POINTWISE.map((p) => ({ name: p.name, op: pointwiseOp(p), layer: p.name === "GRU" ? recurrence(p, flag("--layer-rounds", 8)) : null }));
if (!OPS_ONLY) console.log(`2-layer LSTM ${INPUT}→${HIDDEN}, batch ${BATCH}, ${SEQ} steps, Linear head on the last step, MSE, Adam; median ms of ${ROUNDS} rounds × ${STEPS} runs, each round after ${WARMUP} warm-up`);
for (const what of OPS_ONLY ? [] : (["step", "forward"] as const)) {
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
console.log(`Fused pointwise op against its composition of core ops (N ${BATCH}, H ${HIDDEN}), forward + backward, medians of alternating calls:`);
for (const { name, op, layer } of pointwise) {
  console.log(`  ${name.padEnd(9)} op alone: fused ${op[0].toFixed(3)} ms, composed ${op[1].toFixed(3)} ms (fused ×${(op[1] / op[0]).toFixed(2)})` +
    (layer ? `; 2-layer ${name} over ${SEQ} steps, fwd + bwd: fused ${layer[0].toFixed(1)} ms, composed ${layer[1].toFixed(1)} ms (fused ×${(layer[1] / layer[0]).toFixed(2)})` : ""));
}
