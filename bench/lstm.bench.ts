/**
 * 2-layer LSTM training-step benchmark (not a test), issue 9's: one step of a 2-layer LSTM (input
 * 32, hidden 128) over a batch of 32 sequences of 50 steps, a Linear head on the last step's
 * output, MSE, Adam (lr 1e-3): forward, backward, update and reading the loss; and the forward
 * pass alone (no graph). Frameworks: tsgrad (one fused whole-sequence op per layer, rnn-kernels.ts
 * `lstmLayer`), tsgrad step by step (per step two `linear` calls and the fused gate op, what `LSTM`
 * ran before the whole-sequence op: the measurement behind it), tsgrad with the gates composed of
 * core ops too (the measurement behind the fused gate op), tfjs (cpu and wasm backends; left out
 * with --no-tfjs) and PyTorch with one thread (bench/torch_lstm.py through bench/torch_suite.py)
 * when present, on the same sequences. Reported: median ms per step over the rounds, and
 * throughput ratios tsgrad / other (above 1: tsgrad is faster). The frameworks take turns, round
 * after round (each round builds its models again and warms them up). Then the LSTM's and the
 * GRU's fused pointwise ops (rnn-kernels.ts) against their compositions of core ops on one step
 * (N = 32, H = 128), forward and backward, the two alternating call by call; a 2-layer GRU over
 * the whole sequence with the op fused and composed, alternating; and 2-layer LSTMs and GRUs as the
 * whole-sequence ops (rnn-kernels.ts `lstmLayer`, `gruLayer`) against step by step, alternating.
 * `pnpm bench --only lstm` runs the step in every framework.
 *
 *   pnpm bench:lstm [--rounds R] [--steps N] [--warmup W] [--ops-only] [--no-tfjs] [--layer-rounds K]
 */
import * as tg from "tsgrad";
import { gruLayer, gruLayerComposed, gruPointwise, gruPointwiseComposed, lstmLayer, lstmLayerComposed, lstmPointwise, lstmPointwiseComposed, type LayerWeights } from "../packages/nn/src/rnn-kernels.js";
import { parseArgs } from "./lib/args.js";
import { sequences } from "./lib/data.js";
import { alternate } from "./lib/timing.js";
import { encode } from "./lib/torch.js";
import { compareSteps, jsSteps, torchSteps } from "./suite/steps.js";
import { lstmBench as tfjsLstm, useBackend } from "./suite/tfjs.js";
import { LSTM_SIZES, lstmBench, lstmModel } from "./suite/tsgrad.js";

const args = parseArgs({ numbers: ["--rounds", "--steps", "--warmup", "--layer-rounds"], switches: ["--ops-only", "--no-tfjs"] });
const budget = { warmup: args.number("--warmup", 1), minMs: 0, maxReps: args.number("--steps", 3) };
const { batch: BATCH, seq: SEQ, input: INPUT, hidden: HIDDEN } = LSTM_SIZES;
const data = sequences();

/** tsgrad's LSTM layers step by step: per step two `linear` calls and the fused gate op, each its own graph nodes. */
function stepByStep(): ReturnType<typeof lstmBench> {
  const model = lstmModel();
  const last = (x: tg.Tensor): tg.Tensor => {
    let xs = x.transpose(0, 1);
    for (const [wIh, wHh, bIh, bHh] of model.lstm.allWeights) {
      const y = lstmLayerComposed(xs, tg.zeros([BATCH, HIDDEN]), tg.zeros([BATCH, HIDDEN]), { wIh, wHh, bIh, bHh }, false);
      xs = y.narrow(0, 0, SEQ);
    }
    return xs.select(0, SEQ - 1);
  };
  return lstmBench(data, model, last);
}

/** tsgrad's LSTM stepped by hand, the gates composed of core ops. */
function composed(): ReturnType<typeof lstmBench> {
  const model = lstmModel();
  const last = (x: tg.Tensor): tg.Tensor => {
    let steps = x.unbind(1);
    for (const [wIh, wHh, bIh, bHh] of model.lstm.allWeights) {
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
  return lstmBench(data, model, last);
}

if (!args.has("--ops-only")) {
  const torch = await torchSteps("lstm", { x: encode(data.x, [BATCH, SEQ, INPUT]), y: encode(data.y, [BATCH, 1]) });
  await compareSteps(
    `2-layer LSTM ${INPUT}→${HIDDEN}, batch ${BATCH}, ${SEQ} steps, Linear head on the last step, MSE, Adam`,
    [
      jsSteps("tsgrad", () => lstmBench(data)),
      jsSteps("tsgrad, step by step", stepByStep),
      jsSteps("tsgrad, gates composed", composed),
      ...(args.has("--no-tfjs") ? [] : [
        jsSteps("tfjs-cpu", () => tfjsLstm(data), () => useBackend("cpu")),
        jsSteps("tfjs-wasm", () => tfjsLstm(data), () => useBackend("wasm")),
      ]),
      ...(torch ? [torch.contestant] : []),
    ],
    args.number("--rounds", 3),
    budget,
  );
  torch?.close();
}

type Pointwise = (...t: tg.Tensor[]) => tg.Tensor;
/** Each recurrence's fused pointwise op and its composition of core ops, and the op's inputs for one step (N = 32, H = 128). */
const POINTWISE: Array<{ name: string; fused: Pointwise; composed: Pointwise; inputs: number[][]; out: number[] }> = [
  { name: "LSTM", fused: lstmPointwise, composed: lstmPointwiseComposed, inputs: [[BATCH, 4 * HIDDEN], [BATCH, HIDDEN]], out: [2, BATCH, HIDDEN] },
  { name: "GRU", fused: gruPointwise, composed: gruPointwiseComposed, inputs: [[BATCH, 3 * HIDDEN], [BATCH, 3 * HIDDEN], [BATCH, HIDDEN]], out: [BATCH, HIDDEN] },
];

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
  const xs = tg.tensor(data.x, { shape: [BATCH, SEQ, INPUT] });
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

const pointwise = POINTWISE.map((p) => ({ name: p.name, op: pointwiseOp(p), layer: p.name === "GRU" ? recurrence(p, args.number("--layer-rounds", 8)) : null }));
console.log(`Fused pointwise op against its composition of core ops (N ${BATCH}, H ${HIDDEN}), forward + backward, medians of alternating calls:`);
for (const { name, op, layer } of pointwise) {
  console.log(`  ${name.padEnd(9)} op alone: fused ${op[0].toFixed(3)} ms, composed ${op[1].toFixed(3)} ms (fused ×${(op[1] / op[0]).toFixed(2)})` +
    (layer ? `; 2-layer ${name} over ${SEQ} steps, fwd + bwd: fused ${layer[0].toFixed(1)} ms, composed ${layer[1].toFixed(1)} ms (fused ×${(layer[1] / layer[0]).toFixed(2)})` : ""));
}

type Layer = (x: tg.Tensor, w: LayerWeights) => tg.Tensor;
/** Each recurrence's whole-sequence op and its step-by-step composition, as layers of x (T, N, ·), the states zero, and its gate blocks. */
const LAYERS: Array<{ name: string; gates: number; fused: Layer; stepwise: Layer }> = [
  { name: "LSTM", gates: 4, fused: (x, w) => lstmLayer(x, ...zeroStates(2), w, false).narrow(0, 0, SEQ), stepwise: (x, w) => lstmLayerComposed(x, ...zeroStates(2), w, false).narrow(0, 0, SEQ) },
  { name: "GRU", gates: 3, fused: (x, w) => gruLayer(x, zeroStates(1)[0], w, false), stepwise: (x, w) => gruLayerComposed(x, zeroStates(1)[0], w, false) },
];
function zeroStates(k: 1): [tg.Tensor];
function zeroStates(k: 2): [tg.Tensor, tg.Tensor];
function zeroStates(k: number): tg.Tensor[] {
  return Array.from({ length: k }, () => tg.zeros([BATCH, HIDDEN]));
}

/** Two stacked layers over the sequence (time-major), forward and backward of the last step's sum: whole-sequence op against step by step, alternating. */
function layerPair(l: (typeof LAYERS)[number], rounds: number): [number, number] {
  const xs = tg.tensor(data.x, { shape: [BATCH, SEQ, INPUT] }).transpose(0, 1);
  const g = l.gates * HIDDEN;
  const weights = [INPUT, HIDDEN].map((inp) => {
    const [wIh, wHh, bIh, bHh] = [[g, inp], [g, HIDDEN], [g], [g]].map((s) => tg.randn(s).mul(0.1).requiresGrad_(true));
    return { wIh, wHh, bIh, bHh };
  });
  const run = (layer: Layer) => (): void => {
    let x = xs;
    for (const w of weights) x = layer(x, w);
    x.select(0, SEQ - 1).sum().backward();
  };
  return alternate(run(l.fused), run(l.stepwise), rounds);
}

console.log(`Whole-sequence op against step by step (2 layers, ${SEQ} steps, N ${BATCH}, H ${HIDDEN}), forward + backward, medians of alternating runs:`);
for (const l of LAYERS) {
  const [fused, stepwise] = layerPair(l, args.number("--layer-rounds", 8));
  console.log(`  ${l.name.padEnd(9)} whole-sequence ${fused.toFixed(1)} ms, step by step ${stepwise.toFixed(1)} ms (×${(stepwise / fused).toFixed(2)})`);
}
