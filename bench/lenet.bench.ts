/**
 * LeNet-5 training-step benchmark (not a test), issue 9's targets: one step of a LeNet-5
 * (conv 1→6 5×5 pad 2, ReLU, max-pool 2, conv 6→16 5×5, ReLU, max-pool 2, 400-120-84-10 with
 * ReLU) on a batch of 64 MNIST digits (1×28×28), cross-entropy, Adam (lr 1e-3): forward,
 * backward, update and reading the loss; and the forward pass alone (inference, no graph).
 * Frameworks: tsgrad, tfjs (cpu and wasm backends, NHWC as tfjs wants) and PyTorch with one
 * thread (bench/torch_lenet.py through bench/torch_suite.py) when present, taking turns round
 * after round. Reported: median ms per step, and throughput ratios tsgrad / other (above 1: tsgrad
 * is faster). tfjs-wasm 4.22 cannot train it (it has no Conv2DBackpropFilter kernel), so only its
 * forward pass is timed; the step says why. `pnpm bench --only lenet` runs the step in every framework.
 * tsgrad runs on `--threads` threads (default 1, as PyTorch here and `pnpm bench`).
 *
 *   pnpm bench:lenet [--rounds R] [--steps N] [--warmup W] [--threads T]
 */
import * as tg from "tsgrad";
import { parseArgs } from "./lib/args.js";
import { mnist } from "./lib/data.js";
import { encode } from "./lib/torch.js";
import { compareSteps, jsSteps, torchSteps } from "./suite/steps.js";
import { lenetBench as tfjsLenet, useBackend } from "./suite/tfjs.js";
import { lenetBench } from "./suite/tsgrad.js";

const args = parseArgs({ numbers: ["--rounds", "--steps", "--warmup", "--threads"] });
tg.setNumThreads(args.number("--threads", 1));
const budget = { warmup: args.number("--warmup", 3), minMs: 0, maxReps: args.number("--steps", 10) };
const digits = mnist();
const data = { x: digits.xTrain.slice(0, 64 * 784), y: digits.yTrain.slice(0, 64) as Int32Array };

const torch = await torchSteps("lenet", { x: encode(data.x, [64, 1, 28, 28]), y: encode(data.y, [64]) });
await compareSteps(
  "LeNet-5, batch 64×1×28×28 MNIST digits, cross-entropy, Adam",
  [
    jsSteps("tsgrad", () => lenetBench(data)),
    jsSteps("tfjs-cpu", () => tfjsLenet(data), () => useBackend("cpu")),
    jsSteps("tfjs-wasm", () => tfjsLenet(data), () => useBackend("wasm")),
    ...(torch ? [torch.contestant] : []),
  ],
  args.number("--rounds", 3),
  budget,
);
torch?.close();
