/**
 * 2-layer LSTM training-step benchmark (not a test), issue 9's: one step of a 2-layer LSTM (input
 * 32, hidden 128) over a batch of 32 sequences of 50 steps, a Linear head on the last step's
 * output, MSE, Adam (lr 1e-3): forward, backward, update and reading the loss; and the forward
 * pass alone (no graph). Frameworks: tsgrad, tsgrad with the LSTM gates composed of core ops instead
 * of the fused op (the measurement behind the fused kernel), tfjs (cpu and wasm backends) and
 * PyTorch with one thread (bench/torch_lstm.py through bench/torch_suite.py) when present, on the
 * same sequences. Reported: median ms per step over the rounds, and throughput ratios tsgrad /
 * other (above 1: tsgrad is faster). The frameworks take turns, round after round (each round
 * builds its models again and warms them up). Then the fused LSTM gate op against its composition
 * of core ops on one step's gates (N = 32, H = 128), forward and backward, alternating call by call.
 * `pnpm bench --only lstm` runs the step in every framework.
 *
 *   pnpm bench:lstm [--rounds R] [--steps N] [--warmup W]
 */
import * as tg from "tsgrad";
import { lstmPointwise, lstmPointwiseComposed } from "../packages/nn/src/rnn-kernels.js";
import { parseArgs } from "./lib/args.js";
import { sequences } from "./lib/data.js";
import { median, timeOnce } from "./lib/timing.js";
import { encode } from "./lib/torch.js";
import { compareSteps, jsSteps, torchSteps } from "./suite/steps.js";
import { lstmBench as tfjsLstm, useBackend } from "./suite/tfjs.js";
import { LSTM_SIZES, lstmBench, lstmModel } from "./suite/tsgrad.js";

const args = parseArgs({ numbers: ["--rounds", "--steps", "--warmup"] });
const budget = { warmup: args.number("--warmup", 1), minMs: 0, maxReps: args.number("--steps", 3) };
const { batch: BATCH, hidden: HIDDEN } = LSTM_SIZES;
const data = sequences();

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

const torch = await torchSteps("lstm", { x: encode(data.x, [32, 50, 32]), y: encode(data.y, [32, 1]) });
await compareSteps(
  `2-layer LSTM ${LSTM_SIZES.input}→${HIDDEN}, batch ${BATCH}, ${LSTM_SIZES.seq} steps, Linear head on the last step, MSE, Adam`,
  [
    jsSteps("tsgrad", () => lstmBench(data)),
    jsSteps("tsgrad, gates composed", composed),
    jsSteps("tfjs-cpu", () => tfjsLstm(data), () => useBackend("cpu")),
    jsSteps("tfjs-wasm", () => tfjsLstm(data), () => useBackend("wasm")),
    ...(torch ? [torch.contestant] : []),
  ],
  args.number("--rounds", 3),
  budget,
);
torch?.close();

/** The gate op alone, fused and composed alternating: median ms of forward + backward of each. */
function gateOp(): { fused: number; composed: number } {
  const gates = tg.randn([BATCH, 4 * HIDDEN]).requiresGrad_(true);
  const c = tg.randn([BATCH, HIDDEN]).requiresGrad_(true);
  const g = tg.randn([2, BATCH, HIDDEN]);
  const once = (op: (gates: tg.Tensor, c: tg.Tensor) => tg.Tensor): number => timeOnce(() => tg.grad([op(gates, c)], [gates, c], { gradOutputs: [g] })).ms;
  const fused: number[] = [];
  const comp: number[] = [];
  for (let i = 0; i < 400; i++) {
    const f = once(lstmPointwise);
    const k = once(lstmPointwiseComposed);
    if (i >= 50) {
      fused.push(f);
      comp.push(k);
    }
  }
  return { fused: median(fused), composed: median(comp) };
}
const gate = gateOp();
console.log(`LSTM gate op alone (N ${BATCH}, H ${HIDDEN}), forward + backward, median of 350 alternating calls: fused ${gate.fused.toFixed(3)} ms, composed of core ops ${gate.composed.toFixed(3)} ms (fused ×${(gate.composed / gate.fused).toFixed(2)})`);
