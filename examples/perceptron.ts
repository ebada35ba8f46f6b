/**
 * Why gradient descent needs a smooth activation: a single neuron with the step (Heaviside)
 * activation, the perceptron's, against a sigmoid neuron trained with binary cross-entropy, on
 * the same linearly separable data and from the same initial weights.
 *
 * - step + gradient descent: autograd finds the step's derivative is 0 at every point, so the
 *   loss's gradient is exactly zero and the weights never move;
 * - step + the perceptron rule (w += lr·(y − ŷ)·x on each mistake): learns anyway, because the
 *   rule is not a gradient of the step neuron's loss — it is the gradient of the perceptron
 *   criterion max(0, −y·z) on the raw score z, checked below with tg.losses.perceptronLoss;
 * - sigmoid + BCE: smooth, so gradient descent works.
 *
 *   pnpm tsx --conditions=@tsgrad/source examples/perceptron.ts [--epochs 30] [--seed 0] [--out DIR] [--quiet]
 */
import { join } from "node:path";
import * as tg from "tsgrad";
import type { Tensor } from "tsgrad";
import { DEFAULT_OUT, runIfMain, type ExampleOptions } from "./cli.js";
import { EpochProgress } from "./lib/progress.js";
import { lineChart, scatterWithLines } from "./lib/plot.js";
import { binaryAccuracy, pct } from "./lib/train.js";

/** Two well separated Gaussian blobs: linearly separable. Targets 0/1 as float [N, 1]. */
export function separableData(): { x: Tensor; y: Tensor } {
  const { X, y } = tg.data.makeBlobs({ nSamples: 400, centers: [[-1.5, -1.5], [1.5, 1.5]], clusterStd: 0.5, randomState: 3 });
  return { x: X, y: y.to("float32").unsqueeze(1) };
}

/** One neuron's run: training errors per epoch and its final weights. */
export interface NeuronRun {
  name: string;
  /** Misclassified training points before training (index 0) and after each epoch. */
  errors: number[];
  accuracy: number;
  w: [number, number];
  b: number;
}

/** What {@link runPerceptron} returns. */
export interface PerceptronResult {
  /** Largest |∂step(z)/∂z| over all points, by autograd (0). */
  maxStepGrad: number;
  /** Norm of the step neuron's loss gradient w.r.t. its weights at the start (0). */
  stepLossGradNorm: number;
  /** Whether perceptronLoss's gradient on a mistake equals the perceptron rule's update. */
  ruleMatchesPerceptronLoss: boolean;
  stepGradientDescent: NeuronRun;
  perceptronRule: NeuronRun;
  sigmoidBce: NeuronRun;
  files: string[];
}

const LR = 0.1;

/** A fresh Linear(2, 1) with the seed's initial weights: every neuron starts from the same line. */
function neuron(seed: number): tg.nn.Linear {
  tg.manualSeed(seed);
  return new tg.nn.Linear(2, 1);
}

function errorsOf(scores: Tensor, y: Tensor, threshold: number): number {
  return Math.round((1 - binaryAccuracy(threshold)(scores, y)) * y.shape[0]);
}

function summary(name: string, layer: tg.nn.Linear, errors: number[], n: number): NeuronRun {
  const [w1, w2] = layer.weight.dataSync();
  return { name, errors, accuracy: 1 - errors[errors.length - 1] / n, w: [w1, w2], b: layer.bias!.item() };
}

/** Trains the three neurons, prints the gradient facts and accuracies, writes the PNGs. */
export async function runPerceptron(options: ExampleOptions = {}): Promise<PerceptronResult> {
  const { epochs = 30, seed = 0, out = DEFAULT_OUT, quiet = false, log = console.log } = options;
  const { x, y } = separableData();
  const n = x.shape[0];
  const progress = (label: string) => new EpochProgress(label.padEnd(26), epochs, { quiet, log: options.log });

  // 1. The step's derivative, by autograd, at every data point's score.
  const z = neuron(seed).forward(x).detach().requiresGrad_();
  const [dStep] = tg.grad([tg.nn.F.step(z).sum()], [z]);
  const maxStepGrad = dStep!.abs().amax().item();

  // 2. Step neuron + gradient descent on the MSE between step(z) and y: the gradient is exactly 0.
  const stepGd = neuron(seed);
  const sgd = new tg.optim.SGD(stepGd.parameters(), { lr: LR });
  let stepLossGradNorm = NaN;
  const stepGdErrors = [errorsOf(tg.noGrad(() => stepGd.forward(x)), y, 0)];
  const p1 = progress("step + gradient descent");
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const loss = tg.losses.mseLoss(tg.nn.F.step(stepGd.forward(x)), y);
    sgd.zeroGrad();
    loss.backward();
    if (epoch === 1) stepLossGradNorm = stepGd.weight.grad!.norm().item() + Math.abs(stepGd.bias!.grad!.item());
    sgd.step();
    stepGdErrors.push(errorsOf(tg.noGrad(() => stepGd.forward(x)), y, 0));
    p1.update(epoch, { loss: loss.item(), acc: 1 - stepGdErrors[epoch] / n });
  }
  p1.stop();

  // 3. Step neuron + Rosenblatt's rule, one point at a time in a shuffled order.
  const perceptron = neuron(seed);
  const order = new tg.Generator(seed);
  const ruleErrors = [errorsOf(tg.noGrad(() => perceptron.forward(x)), y, 0)];
  const p2 = progress("step + perceptron rule");
  const xs = x.dataSync();
  const ys = y.dataSync();
  for (let epoch = 1; epoch <= epochs; epoch++) {
    tg.noGrad(() => {
      for (const i of tg.randperm(n, { generator: order }).dataSync()) {
        const xi = tg.tensor([[xs[2 * i], xs[2 * i + 1]]]);
        const predicted = tg.nn.F.step(perceptron.forward(xi)).item();
        const delta = LR * (ys[i] - predicted); // 0 when right, ±lr on a mistake
        if (delta !== 0) {
          perceptron.weight.add_(xi.mul(delta));
          perceptron.bias!.add_(tg.tensor([delta]));
        }
      }
    });
    ruleErrors.push(errorsOf(tg.noGrad(() => perceptron.forward(x)), y, 0));
    p2.update(epoch, { acc: 1 - ruleErrors[epoch] / n });
  }
  p2.stop();

  // The rule is gradient descent on the perceptron criterion max(0, −s·z), s = ±1, on the raw score z.
  const ruleMatchesPerceptronLoss = checkRuleIsPerceptronLossGradient(x, y, seed);

  // 4. Sigmoid + BCE, full-batch gradient descent.
  const smooth = neuron(seed);
  const sgdSmooth = new tg.optim.SGD(smooth.parameters(), { lr: LR });
  const bceErrors = [errorsOf(tg.noGrad(() => smooth.forward(x)), y, 0)];
  const p3 = progress("sigmoid + BCE");
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const loss = tg.losses.binaryCrossEntropy(smooth.forward(x).sigmoid(), y);
    sgdSmooth.zeroGrad();
    loss.backward();
    sgdSmooth.step();
    bceErrors.push(errorsOf(tg.noGrad(() => smooth.forward(x)), y, 0));
    p3.update(epoch, { loss: loss.item(), acc: 1 - bceErrors[epoch] / n });
  }
  p3.stop();

  const stepGradientDescent = summary("step + gradient descent", stepGd, stepGdErrors, n);
  const perceptronRule = summary("step + perceptron rule", perceptron, ruleErrors, n);
  const sigmoidBce = summary("sigmoid + BCE, gradient descent", smooth, bceErrors, n);
  const firstZero = (e: number[]) => (e.includes(0) ? e.indexOf(0) : "never");

  log("");
  log(`${n} points in two linearly separable blobs; every neuron starts from the same weights`);
  log(`largest |d step(z)/dz| over all ${n} points, by autograd:       ${maxStepGrad}`);
  log(`gradient of the step neuron's MSE loss w.r.t. (w, b), norm:  ${stepLossGradNorm}  → gradient descent cannot move it`);
  log(`perceptronLoss's gradient on a mistake = the rule's update:  ${ruleMatchesPerceptronLoss ? "yes" : "NO"}`);
  log("  neuron                             training accuracy   first epoch with 0 errors");
  for (const r of [stepGradientDescent, perceptronRule, sigmoidBce]) {
    log(`  ${r.name.padEnd(35)}${pct(r.accuracy).padStart(17)}${String(firstZero(r.errors)).padStart(28)}`);
  }

  const files = await plots(x, y, [stepGradientDescent, perceptronRule, sigmoidBce], out);
  log(`wrote ${files.join(", ")}`);
  return { maxStepGrad, stepLossGradNorm, ruleMatchesPerceptronLoss, stepGradientDescent, perceptronRule, sigmoidBce, files };
}

/**
 * On a misclassified point, the gradient of perceptronLoss(z, s) w.r.t. the weights is −s·x, so
 * a gradient step with rate lr is Rosenblatt's update lr·(y − ŷ)·x (on a mistake with 0/1 labels
 * y − ŷ = s, where s = 2y − 1 is the ±1 label).
 */
function checkRuleIsPerceptronLossGradient(x: Tensor, y: Tensor, seed: number): boolean {
  const layer = neuron(seed);
  const wrong = tg.noGrad(() => layer.forward(x)).gt(0).to("float32").ne(y).squeeze(1).dataSync().indexOf(1);
  if (wrong < 0) return true; // nothing misclassified at the start: nothing to compare
  const xi = x.narrow(0, wrong, 1);
  const s = y.narrow(0, wrong, 1).mul(2).sub(1).squeeze(1); // ±1
  tg.losses.perceptronLoss(layer.forward(xi).squeeze(1), s).backward();
  const expected = xi.mul(s.neg()).dataSync();
  const got = layer.weight.grad!.dataSync();
  return Math.abs(got[0] - expected[0]) < 1e-6 && Math.abs(got[1] - expected[1]) < 1e-6 && Math.abs(layer.bias!.grad!.item() + s.item()) < 1e-6;
}

async function plots(x: Tensor, y: Tensor, runs: NeuronRun[], out: string): Promise<string[]> {
  const errorsPng = await lineChart(join(out, "perceptron-errors.png"), {
    title: "Step vs sigmoid neuron: misclassified training points per epoch",
    subtitle: "same data, same initial weights; gradient descent through the step never moves (its gradient is 0)",
    xTitle: "epoch",
    yTitle: "misclassified points",
    series: runs.map((r) => ({ name: r.name, x: r.errors.map((_, e) => e), values: r.errors })),
  });
  const xs = x.dataSync();
  const labels = y.dataSync();
  const points = Array.from(labels, (label, i) => ({ x: xs[2 * i], y: xs[2 * i + 1], group: `class ${label}` }));
  const [lo, hi] = [Math.min(...points.map((p) => p.x)) - 0.3, Math.max(...points.map((p) => p.x)) + 0.3];
  const boundary = (r: NeuronRun) => ({
    name: r.name,
    x: [lo, hi],
    values: [lo, hi].map((v) => -(r.w[0] * v + r.b) / r.w[1]), // w·x + b = 0 solved for x₂
    dashed: r.name.startsWith("step + gradient"),
  });
  const ys = points.map((p) => p.y);
  const boundaryPng = await scatterWithLines(join(out, "perceptron-boundaries.png"), {
    title: "Decision lines w·x + b = 0 after training",
    subtitle: "dashed: the step neuron trained by gradient descent, still at its initial line",
    xTitle: "x₁",
    yTitle: "x₂",
    points,
    lines: runs.map(boundary),
    linesTitle: "neuron",
    yDomain: [Math.min(...ys) - 0.5, Math.max(...ys) + 0.5],
  });
  return [errorsPng, boundaryPng];
}

runIfMain(import.meta.url, (args) => runPerceptron(args), { epochs: 30, seed: 0 });
