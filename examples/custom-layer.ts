/**
 * Extending tsgrad: a user-defined Module and a user-defined differentiable op.
 *
 * - `ResidualBlock` is a plain class extending `tg.nn.Module`: its Linear layers are ordinary
 *   fields, found by walking the fields — no registration calls — so `parameters()`,
 *   `stateDict()`, `toString()` and the optimizer see them.
 * - `Squareplus` is an `AutogradFunction` with a hand-written backward: the smooth ReLU
 *   `f(x) = (x + √(x² + b)) / 2` with `f′(x) = (1 + x / √(x² + b)) / 2`. `gradcheck` compares the
 *   backward with finite differences in float64, and `gradgradcheck` its own derivative (the
 *   backward is written with Tensor ops, so it is differentiable too).
 * Both then train a small residual network on two concentric circles.
 *
 *   pnpm tsx --conditions=@tsgrad/source examples/custom-layer.ts [--epochs 100] [--seed 0] [--out DIR] [--quiet]
 */
import { join } from "node:path";
import * as tg from "tsgrad";
import type { FunctionCtx, Tensor } from "tsgrad";
import { DEFAULT_OUT, runIfMain, type ExampleOptions } from "./cli.js";
import { decisionRegions } from "./lib/plot.js";
import { binaryAccuracy, criterionOf, evaluate, fit, historyChart, modelOnGrid, pct, trainValTestSplit, type History } from "./lib/train.js";

/** Squareplus, `(x + √(x² + b)) / 2` (So 2021): ReLU-shaped, smooth, without exp. */
export class Squareplus extends tg.AutogradFunction {
  static override forward(ctx: FunctionCtx, x: Tensor, b: number): Tensor {
    // Save the input, not √(x² + b): forward runs without a graph, so an intermediate saved from
    // here would be a constant to a second differentiation (as in PyTorch), and gradgradcheck fails.
    ctx.saveForBackward(x);
    ctx.values.b = b;
    return x.add(x.square().add(b).sqrt()).mul(0.5);
  }

  static override backward(ctx: FunctionCtx, gradOutput: Tensor): Array<Tensor | null> {
    const [x] = ctx.savedTensors;
    const root = x.square().add(ctx.values.b as number).sqrt();
    return [gradOutput.mul(x.div(root).add(1).mul(0.5)), null]; // no gradient for the number b
  }
}

/** Squareplus as a layer, with its hyperparameter b (default 4). */
export class SquareplusLayer extends tg.nn.Module {
  constructor(readonly b = 4) {
    super();
  }

  forward(x: Tensor): Tensor {
    return Squareplus.apply(x, this.b);
  }

  override extraRepr(): string {
    return `b=${this.b}`;
  }
}

/** `x + fc2(act(fc1(x)))`: a residual block of two Linear layers with width `dim`. */
export class ResidualBlock extends tg.nn.Module {
  fc1: tg.nn.Linear;
  fc2: tg.nn.Linear;
  act = new SquareplusLayer();

  constructor(dim: number) {
    super();
    this.fc1 = new tg.nn.Linear(dim, dim);
    this.fc2 = new tg.nn.Linear(dim, dim);
  }

  forward(x: Tensor): Tensor {
    return x.add(this.fc2.forward(this.act.forward(this.fc1.forward(x))));
  }
}

/** The whole network: lift to `width`, two residual blocks, one logit out. */
export class ResidualNet extends tg.nn.Module {
  input: tg.nn.Linear;
  blocks: ResidualBlock[];
  act = new SquareplusLayer();
  head: tg.nn.Linear;

  constructor(width = 16) {
    super();
    this.input = new tg.nn.Linear(2, width);
    this.blocks = [new ResidualBlock(width), new ResidualBlock(width)]; // an array of Modules is walked too
    this.head = new tg.nn.Linear(width, 1);
  }

  forward(x: Tensor): Tensor {
    let h = this.act.forward(this.input.forward(x));
    for (const block of this.blocks) h = this.act.forward(block.forward(h));
    return this.head.forward(h);
  }
}

/** What {@link runCustomLayer} returns. */
export interface CustomLayerResult {
  gradcheck: boolean;
  gradgradcheck: boolean;
  /** Largest |hand-written − autograd-of-the-formula| derivative over a range of x. */
  maxBackwardGap: number;
  parameterNames: string[];
  testAcc: number;
  history: History;
  files: string[];
}

/** Checks Squareplus, trains the residual net on circles, prints the results and writes the PNGs. */
export async function runCustomLayer(options: ExampleOptions = {}): Promise<CustomLayerResult> {
  const { epochs = 100, seed = 0, out = DEFAULT_OUT, quiet = false, log = console.log } = options;

  const x64 = tg.randn([20], { dtype: "float64", requiresGrad: true, generator: new tg.Generator(seed) });
  const passed = tg.gradcheck((x) => Squareplus.apply(x, 4), [x64]);
  const passed2 = tg.gradgradcheck((x) => Squareplus.apply(x, 4), [x64]);
  const derivative = (f: (x: Tensor) => Tensor) => {
    const x = tg.linspace(-5, 5, 101, { dtype: "float64" }).requiresGrad_();
    return tg.grad([f(x).sum()], [x])[0]!;
  };
  const handWritten = derivative((x) => Squareplus.apply(x, 4));
  const viaFormula = derivative((x) => x.add(x.square().add(4).sqrt()).mul(0.5)); // autograd through the composed ops
  const maxBackwardGap = handWritten.sub(viaFormula).abs().amax().item();

  log(`Squareplus: gradcheck ${passed ? "passed" : "FAILED"}, gradgradcheck ${passed2 ? "passed" : "FAILED"} (float64, 20 random points)`);
  log(`  hand-written backward vs autograd through the formula, largest gap on [-5, 5]: ${maxBackwardGap.toExponential(2)}`);

  const { X, y } = tg.data.makeCircles({ nSamples: 1000, noise: 0.1, factor: 0.5, randomState: 0 });
  const data = trainValTestSplit(X, y.to("float32").unsqueeze(1), 42);
  tg.manualSeed(seed);
  const model = new ResidualNet(16);
  const parameterNames = model.namedParameters().map(([name]) => name);
  log("");
  log(model.toString());
  log(`parameters found by walking the fields: ${parameterNames.join(", ")}`);

  const criterion = criterionOf(new tg.losses.BCEWithLogitsLoss());
  const accuracy = binaryAccuracy(0);
  const loader = new tg.data.DataLoader(new tg.data.TensorDataset(...data.train), { batchSize: 64, shuffle: true, generator: new tg.Generator(seed) });
  const optimizer = new tg.optim.Adam(model.parameters(), { lr: 0.01 });
  const scheduler = new tg.optim.CosineAnnealingLR(optimizer, { tMax: epochs });
  const history = fit({ model, criterion, optimizer, scheduler, loader, epochs, accuracy, val: data.val, label: "residual net (circles)", quiet, log: options.log });
  const test = evaluate(model, criterion, accuracy, ...data.test);
  log("");
  log(`test accuracy ${pct(test.acc)}, test loss ${test.loss.toFixed(4)} (${data.test[0].shape[0]} held-out points)`);

  const [xTest, yTest] = data.test;
  const grid = modelOnGrid(model, tg.cat([data.train[0], xTest], 0), (logits) => logits.sigmoid());
  const files = [
    await historyChart(join(out, "custom-layer-curves.png"), history, "loss", {
      title: "Residual net with a custom Squareplus op: loss per epoch",
      subtitle: `2 ResidualBlocks of width 16, BCEWithLogitsLoss, Adam lr 0.01 with cosine decay; test accuracy ${pct(test.acc)}`,
      yTitle: "binary cross-entropy",
    }),
    await decisionRegions(join(out, "custom-layer-boundary.png"), {
      title: "Residual net with Squareplus on two circles",
      subtitle: `test points (standardised); colour = P(inner circle), black line = 0.5; test accuracy ${pct(test.acc)}`,
      grid,
      kind: "probability",
      points: { xy: xTest.dataSync(), labels: Int32Array.from(yTest.dataSync()) },
      classNames: ["outer circle", "inner circle"],
    }),
  ];
  log(`wrote ${files.join(", ")}`);
  return { gradcheck: passed, gradgradcheck: passed2, maxBackwardGap, parameterNames, testAcc: test.acc, history, files };
}

runIfMain(import.meta.url, (args) => runCustomLayer(args), { epochs: 100, seed: 0 });
