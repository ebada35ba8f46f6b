/**
 * The activation zoo and two classic failure modes, all measured with autograd:
 * 1. every activation of the article and its derivative — computed by autograd, not by a
 *    hand-written formula — in one picture, with the values at the kinks printed;
 * 2. dying ReLU: after one step with a far too large learning rate, many ReLU units are negative
 *    on every input, so their gradient is exactly zero and their weights are frozen for good, while
 *    LeakyReLU units in the same state still get a (small) gradient and stay trainable;
 * 3. vanishing gradients: in a deep sigmoid network the gradient shrinks layer by layer going
 *    back (σ′ ≤ 1/4), while a ReLU network with He initialisation keeps it roughly constant.
 *
 *   pnpm tsx --conditions=@tsgrad/source examples/activations.ts [--epochs 300] [--seed 0] [--out DIR] [--quiet]
 *
 * `--epochs` is the number of recovery epochs after the large step of the dying-ReLU demo.
 */
import { join } from "node:path";
import * as tg from "tsgrad";
import type { Tensor } from "tsgrad";
import { DEFAULT_OUT, runIfMain, type ExampleOptions } from "./cli.js";
import { EpochProgress } from "./lib/progress.js";
import { barChart, lineChart, smallMultiples } from "./lib/plot.js";
import { binaryAccuracy, pct, predict } from "./lib/train.js";

const { F } = tg.nn;

/** The zoo: name and function, in the article's order. */
export const ACTIVATIONS: ReadonlyArray<{ name: string; f: (x: Tensor) => Tensor }> = [
  { name: "step", f: F.step },
  { name: "sigmoid", f: F.sigmoid },
  { name: "tanh", f: F.tanh },
  { name: "relu", f: F.relu },
  { name: "leakyRelu (0.01)", f: (x) => F.leakyRelu(x, 0.01) },
  { name: "elu (α = 1)", f: (x) => F.elu(x, 1) },
  { name: "prelu (a = 0.25)", f: (x) => new tg.nn.PReLU().forward(x) }, // a learnable slope, PyTorch's initial 0.25
  { name: "silu", f: F.silu },
  { name: "gelu", f: (x) => F.gelu(x) },
  { name: "softplus", f: (x) => F.softplus(x) },
  { name: "identity", f: (x) => new tg.nn.Identity().forward(x) },
];

/** f(x) and f′(x) (by autograd) on the given points. */
export function activationAndDerivative(f: (x: Tensor) => Tensor, xs: readonly number[]): { y: number[]; dy: number[] } {
  const x = tg.tensor([...xs], { dtype: "float64", requiresGrad: true });
  const y = f(x);
  const [dy] = tg.grad([y.sum()], [x], { allowUnused: true }); // Σ f(xᵢ) has ∂/∂xᵢ = f′(xᵢ)
  return { y: Array.from(y.dataSync()), dy: dy ? Array.from(dy.dataSync()) : xs.map(() => 0) };
}

/** Dead-unit counts of one network in the dying-ReLU demo. */
export interface DeadUnits {
  /** Silent and dead hidden units at initialisation (see below). */
  silentAtInit: number;
  deadAtInit: number;
  /** Hidden units negative (≤ 0 before the activation) on every training input. */
  silentAfterStep: number;
  /** Hidden units with exactly zero gradient over the whole training set, right after the large step. */
  deadAfterStep: number;
  /** The same after the recovery epochs. */
  deadAfterRecovery: number;
  silentAfterRecovery: number;
  /** Training accuracy after the recovery epochs. */
  accuracy: number;
}

/** Per-layer weight-gradient norms of a deep net, first layer first. */
export interface LayerGradients {
  sigmoid: number[];
  relu: number[];
}

/** What {@link runActivations} returns. */
export interface ActivationsResult {
  /** f′ at x = -2, 0, 2 per activation, by autograd. */
  derivatives: Record<string, [number, number, number]>;
  dying: { relu: DeadUnits; leakyRelu: DeadUnits; hiddenUnits: number };
  vanishing: LayerGradients;
  files: string[];
}

const HIDDEN = 64;
/** The far too large learning rate of the dying-ReLU demo's single step. */
const BIG_LR = 100;

function moons(): [Tensor, Tensor] {
  const { X, y } = tg.data.makeMoons({ nSamples: 1000, noise: 0.2, randomState: 1 });
  return [new tg.data.StandardScaler().fitTransform(X), y.to("float32").unsqueeze(1)];
}

function hiddenNet(activation: () => tg.nn.Module): tg.nn.Sequential {
  const { Sequential, Linear } = tg.nn;
  return new Sequential(new Linear(2, HIDDEN), activation(), new Linear(HIDDEN, HIDDEN), activation(), new Linear(HIDDEN, 1));
}

/**
 * Counts hidden units that are silent (pre-activation ≤ 0 on every input) and dead (their
 * incoming weights and bias get exactly zero gradient from the full-batch loss).
 */
function countDeadUnits(net: tg.nn.Sequential, x: Tensor, y: Tensor): { silent: number; dead: number } {
  let silent = 0;
  let h = x;
  for (const index of [0, 2]) {
    const pre = tg.noGrad(() => (net.at(index) as tg.nn.Linear).forward(h));
    const maxPre = pre.amax(0).dataSync();
    silent += Array.from(maxPre).filter((v) => v <= 0).length;
    h = tg.noGrad(() => net.at(index + 1).forward(pre));
  }
  net.zeroGrad();
  tg.losses.binaryCrossEntropyWithLogits(net.forward(x), y).backward();
  let dead = 0;
  for (const index of [0, 2]) {
    const layer = net.at(index) as tg.nn.Linear;
    const rowSums = layer.weight.grad!.abs().sum(1).add(layer.bias!.grad!.abs()).dataSync();
    dead += Array.from(rowSums).filter((v) => v === 0).length;
  }
  net.zeroGrad();
  return { silent, dead };
}

/** The dying-ReLU demo: the same weights under ReLU and LeakyReLU, one huge step, then recovery epochs. */
export function dyingRelu(seed: number, epochs: number, progressOptions: { quiet?: boolean; log?: (line: string) => void }) {
  const [x, y] = moons();
  tg.manualSeed(seed);
  const reluNet = hiddenNet(() => new tg.nn.ReLU());
  const leakyNet = hiddenNet(() => new tg.nn.LeakyReLU(0.01));
  leakyNet.loadStateDict(reluNet.stateDict()); // identical weights: only the activation differs
  const run = (net: tg.nn.Sequential, name: string): DeadUnits => {
    const atInit = countDeadUnits(net, x, y);
    const big = new tg.optim.SGD(net.parameters(), { lr: BIG_LR }); // one step with a learning rate far too large
    big.zeroGrad();
    tg.losses.binaryCrossEntropyWithLogits(net.forward(x), y).backward();
    big.step();
    const afterStep = countDeadUnits(net, x, y);
    const optimizer = new tg.optim.SGD(net.parameters(), { lr: 0.1 });
    const progress = new EpochProgress(`recovery (${name})`.padEnd(22), epochs, progressOptions);
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const loss = tg.losses.binaryCrossEntropyWithLogits(net.forward(x), y);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      progress.update(epoch, { loss: loss.item() });
    }
    progress.stop();
    const afterRecovery = countDeadUnits(net, x, y);
    return {
      silentAtInit: atInit.silent,
      deadAtInit: atInit.dead,
      silentAfterStep: afterStep.silent,
      deadAfterStep: afterStep.dead,
      silentAfterRecovery: afterRecovery.silent,
      deadAfterRecovery: afterRecovery.dead,
      accuracy: binaryAccuracy(0)(predict(net, x), y),
    };
  };
  return { relu: run(reluNet, "ReLU"), leakyRelu: run(leakyNet, "LeakyReLU"), hiddenUnits: 2 * HIDDEN };
}

/**
 * The vanishing-gradient demo: a 10-hidden-layer net (width 32) on a batch of moons, one backward
 * pass, the norm of each Linear layer's weight gradient. Each activation gets the initialisation
 * made for it (Xavier for sigmoid, He for ReLU), so the difference is the activation's slope alone.
 */
export function vanishingGradients(seed: number, depth = 10, width = 32): LayerGradients {
  const [x, y] = moons();
  const norms = (activation: () => tg.nn.Module, initWeight: (w: Tensor) => void): number[] => {
    tg.manualSeed(seed);
    const layers: tg.nn.Module[] = [];
    const linears: tg.nn.Linear[] = [];
    for (let i = 0; i <= depth; i++) {
      const linear = new tg.nn.Linear(i === 0 ? 2 : width, i === depth ? 1 : width);
      initWeight(linear.weight);
      tg.nn.init.zeros_(linear.bias!);
      linears.push(linear);
      layers.push(linear, ...(i < depth ? [activation()] : []));
    }
    const net = new tg.nn.Sequential(...layers);
    tg.losses.binaryCrossEntropyWithLogits(net.forward(x), y).backward();
    return linears.map((l) => l.weight.grad!.norm().item());
  };
  return {
    sigmoid: norms(() => new tg.nn.Sigmoid(), (w) => tg.nn.init.xavierNormal_(w)),
    relu: norms(() => new tg.nn.ReLU(), (w) => tg.nn.init.kaimingNormal_(w, { nonlinearity: "relu" })),
  };
}

/** Draws the zoo, runs both demos, prints the tables and writes the PNGs. */
export async function runActivations(options: ExampleOptions = {}): Promise<ActivationsResult> {
  const { epochs = 300, seed = 0, out = DEFAULT_OUT, quiet = false, log = console.log } = options;
  const xs = Array.from({ length: 241 }, (_, i) => -4 + i / 30);
  const curves = ACTIVATIONS.map(({ name, f }) => ({ name, ...activationAndDerivative(f, xs) }));
  const derivatives: ActivationsResult["derivatives"] = {};
  log("derivatives by autograd (at the kinks PyTorch's conventions: relu′(0) = 0, step′ = 0 everywhere):");
  log(`  ${"activation".padEnd(18)}${"f′(-2)".padStart(9)}${"f′(0)".padStart(9)}${"f′(2)".padStart(9)}`);
  for (const { name, f } of ACTIVATIONS) {
    const { dy } = activationAndDerivative(f, [-2, 0, 2]);
    derivatives[name] = dy as [number, number, number];
    log(`  ${name.padEnd(18)}${dy.map((d) => d.toFixed(4).padStart(9)).join("")}`);
  }

  log("");
  log(`dying ReLU: a 2-${HIDDEN}-${HIDDEN}-1 net on moons, one SGD step with lr ${BIG_LR}, then ${epochs} full-batch epochs with lr 0.1`);
  const dying = dyingRelu(seed, epochs, { quiet, log: options.log });
  log(`  dead units (of ${dying.hiddenUnits})   at init   after the step   after recovery   (silent after the step)   train accuracy`);
  for (const [name, d] of [["ReLU", dying.relu], ["LeakyReLU(0.01)", dying.leakyRelu]] as const) {
    log(
      `  ${name.padEnd(22)}${String(d.deadAtInit).padStart(8)}${String(d.deadAfterStep).padStart(17)}${String(d.deadAfterRecovery).padStart(17)}` +
        `${String(d.silentAfterStep).padStart(26)}${pct(d.accuracy).padStart(17)}`,
    );
  }
  log("  dead = exactly zero gradient on every input: its weights are frozen; silent = negative on every input.");
  log("  Silent LeakyReLU units still pass 1% of the gradient: none of them is dead.");

  log("");
  const vanishing = vanishingGradients(seed);
  log("vanishing gradients: ‖∂loss/∂W‖ per Linear layer of a 10-hidden-layer net (width 32), one batch of 1000 moons");
  log(`  ${"layer".padEnd(8)}${"sigmoid (Xavier)".padStart(18)}${"ReLU (He)".padStart(14)}`);
  vanishing.sigmoid.forEach((s, i) => log(`  ${String(i + 1).padEnd(8)}${s.toExponential(3).padStart(18)}${vanishing.relu[i].toExponential(3).padStart(14)}`));
  const ratio = (v: number[]) => v[v.length - 1] / v[0];
  log(`  the first layer's gradient is ${ratio(vanishing.sigmoid).toExponential(1)}× smaller than the last one's with sigmoid, ${ratio(vanishing.relu).toFixed(1)}× with ReLU`);

  const files = [
    await smallMultiples(join(out, "activations-zoo.png"), {
      title: "The activation zoo: f(x) and its derivative f′(x) computed by autograd",
      subtitle: "f′ is tg.grad of the sum of f over the points; the step's derivative is 0 everywhere, so no gradient flows through it",
      panels: curves.map((c) => ({
        title: c.name,
        series: [
          { name: "f(x)", x: xs, values: c.y },
          { name: "f′(x) by autograd", x: xs, values: c.dy, dashed: true },
        ],
      })),
      columns: 4,
      xTitle: "x",
      yTitle: "",
    }),
    await barChart(join(out, "activations-dying-relu.png"), {
      title: "Dying ReLU: hidden units with zero gradient on every input",
      subtitle: `same initial weights; one SGD step with lr ${BIG_LR}, then ${epochs} epochs with lr 0.1 (of ${dying.hiddenUnits} hidden units)`,
      xTitle: "",
      yTitle: "dead units",
      bars: (
        [["ReLU", dying.relu], ["LeakyReLU(0.01)", dying.leakyRelu]] as const
      ).flatMap(([category, d]) => [
        { category, group: "at init", value: d.deadAtInit },
        { category, group: "after the large step", value: d.deadAfterStep },
        { category, group: "after recovery epochs", value: d.deadAfterRecovery },
      ]),
    }),
    await lineChart(join(out, "activations-vanishing-gradients.png"), {
      title: "Vanishing gradients: weight-gradient norm per layer",
      subtitle: "10 hidden layers of 32 units, one backward pass; sigmoid with Xavier init, ReLU with He init",
      xTitle: "layer (1 = nearest the input)",
      yTitle: "norm of ∂loss/∂W (log scale)",
      yScale: "log",
      points: true,
      series: [
        { name: "sigmoid", values: vanishing.sigmoid },
        { name: "ReLU", values: vanishing.relu },
      ],
    }),
  ];
  log(`wrote ${files.join(", ")}`);
  return { derivatives, dying, vanishing, files };
}

runIfMain(import.meta.url, (args) => runActivations(args), { epochs: 300, seed: 0 });
