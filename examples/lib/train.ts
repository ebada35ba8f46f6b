/**
 * The examples' training loop, written once: mini-batch steps, then per-epoch metrics on the
 * training batches and on a held-out set — the loop of the article's PyTorch script.
 */
import * as tg from "tsgrad";
import type { Tensor } from "tsgrad";
import { EpochProgress, type ProgressOptions } from "./progress.js";
import { lineChart, type Grid, type Title } from "./plot.js";

/** A model: any Module whose forward maps a batch of inputs to a batch of outputs. */
export type Model = tg.nn.Module & { forward(x: Tensor): Tensor };

/** A loss: `(output, target) => scalar tensor`, e.g. `new tg.losses.BCELoss()` bound, or a function. */
export type Criterion = (output: Tensor, target: Tensor) => Tensor;

/** Fraction of correct predictions in a batch, from the model's raw output and the target. */
export type AccuracyFn = (output: Tensor, target: Tensor) => number;

/** Per-epoch curves of a run (index e = epoch e + 1). */
export interface History {
  trainLoss: number[];
  trainAcc: number[];
  valLoss: number[];
  valAcc: number[];
}

/** Options of {@link fit}. */
export interface FitOptions extends ProgressOptions {
  model: Model;
  criterion: Criterion;
  optimizer: tg.optim.Optimizer;
  /** Mini-batches `[x, target]`, iterated once per epoch (a DataLoader). */
  loader: Iterable<Tensor[]>;
  epochs: number;
  accuracy: AccuracyFn;
  /** Held-out set evaluated after every epoch. */
  val: [Tensor, Tensor];
  /** Progress label, e.g. "moons (BCELoss)". */
  label: string;
  /** A learning-rate scheduler, stepped once at the end of every epoch. */
  scheduler?: { step(): void };
}

/**
 * Trains `model` for `epochs` epochs. The training loss and accuracy of an epoch are the
 * batch-size-weighted means over its batches (measured while the weights were moving, as in the
 * usual PyTorch loop); the validation ones are measured in eval mode after the epoch.
 */
export function fit(options: FitOptions): History {
  const { model, criterion, optimizer, loader, epochs, accuracy, val, label, scheduler } = options;
  const history: History = { trainLoss: [], trainAcc: [], valLoss: [], valAcc: [] };
  const progress = new EpochProgress(label, epochs, options);
  for (let epoch = 1; epoch <= epochs; epoch++) {
    model.train();
    let lossSum = 0;
    let accSum = 0;
    let seen = 0;
    for (const [x, target] of loader) {
      const output = model.forward(x);
      const loss = criterion(output, target);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      const n = x.shape[0];
      lossSum += loss.item() * n;
      accSum += accuracy(output, target) * n;
      seen += n;
    }
    scheduler?.step();
    const v = evaluate(model, criterion, accuracy, val[0], val[1]);
    history.trainLoss.push(lossSum / seen);
    history.trainAcc.push(accSum / seen);
    history.valLoss.push(v.loss);
    history.valAcc.push(v.acc);
    progress.update(epoch, { loss: lossSum / seen, acc: accSum / seen, "val loss": v.loss, "val acc": v.acc });
  }
  progress.stop();
  return history;
}

/** Loss and accuracy of `model` on a whole set, in eval mode and without recording a graph. */
export function evaluate(model: Model, criterion: Criterion, accuracy: AccuracyFn, x: Tensor, target: Tensor): { loss: number; acc: number } {
  model.eval();
  return tg.noGrad(() => {
    const output = model.forward(x);
    return { loss: criterion(output, target).item(), acc: accuracy(output, target) };
  });
}

/** Model outputs for `x` in eval mode, without a graph. */
export function predict(model: Model, x: Tensor): Tensor {
  model.eval();
  return tg.noGrad(() => model.forward(x));
}

/**
 * Accuracy of a one-output binary classifier: output > threshold counts as class 1 (0.5 on
 * probabilities, 0 on logits); targets are 0/1 floats of the same shape.
 */
export function binaryAccuracy(threshold: number): AccuracyFn {
  return (output, target) => {
    const o = output.dataSync();
    const t = target.dataSync();
    let correct = 0;
    for (let i = 0; i < o.length; i++) if ((o[i] > threshold ? 1 : 0) === t[i]) correct++;
    return correct / o.length;
  };
}

/** Accuracy of a multiclass classifier: argmax of the scores [N, C] against int32 labels [N]. */
export const argmaxAccuracy: AccuracyFn = (output, target) => tg.data.accuracy(target, output.argmax(1));

/** Bounds a Loss module's forward as a {@link Criterion}. */
export function criterionOf(loss: { forward(output: Tensor, target: Tensor): Tensor }): Criterion {
  return (output, target) => loss.forward(output, target);
}

/** The largest value of a curve and its 1-based epoch. */
export function best(values: readonly number[]): { value: number; epoch: number } {
  let at = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[at]) at = i;
  return { value: values[at], epoch: at + 1 };
}

/** Formats a fraction as a percentage with two decimals: 0.9633 → "96.33%". */
export function pct(v: number): string {
  return `${(100 * v).toFixed(2)}%`;
}

/** Inputs and targets of one subset. */
export type Split = [x: Tensor, target: Tensor];

/**
 * The article's 70/15/15 split — `trainTestSplit` twice: 30% held out, then halved into
 * validation and test — with the features standardised by a StandardScaler fitted on the
 * training set only.
 */
export function trainValTestSplit(
  x: Tensor,
  target: Tensor,
  randomState: number,
): { train: Split; val: Split; test: Split; scaler: tg.data.StandardScaler } {
  const [xTrain, xRest, yTrain, yRest] = tg.data.trainTestSplit(x, target, { testSize: 0.3, randomState });
  const [xVal, xTest, yVal, yTest] = tg.data.trainTestSplit(xRest, yRest, { testSize: 0.5, randomState });
  const scaler = new tg.data.StandardScaler().fit(xTrain);
  return {
    train: [scaler.transform(xTrain), yTrain],
    val: [scaler.transform(xVal), yVal],
    test: [scaler.transform(xTest), yTest],
    scaler,
  };
}

/**
 * An evenly spaced `steps` × `steps` grid over the bounding box of 2-D points [n, 2], widened by
 * `margin` on every side: its axes, and its points as a [steps², 2] tensor row by row (x fastest),
 * the order {@link Grid} values use. Feed the points to a model to draw its decision regions.
 */
export function gridOver(points: Tensor, steps = 120, margin = 0.3): { xs: number[]; ys: number[]; points: Tensor } {
  const [lo, hi] = [points.amin(0).dataSync(), points.amax(0).dataSync()];
  const axis = (d: number) => Array.from({ length: steps }, (_, i) => lo[d] - margin + ((hi[d] - lo[d] + 2 * margin) * i) / (steps - 1));
  const xs = axis(0);
  const ys = axis(1);
  const flat = new Float32Array(2 * steps * steps);
  ys.forEach((y, j) => xs.forEach((x, i) => flat.set([x, y], 2 * (j * steps + i))));
  return { xs, ys, points: tg.tensor(flat, { shape: [steps * steps, 2] }) };
}

/** The model's outputs over {@link gridOver}'s grid, mapped to one number per grid point by `read` (a probability or a class). */
export function modelOnGrid(model: Model, around: Tensor, read: (output: Tensor) => Tensor, steps?: number, margin?: number): Grid {
  const grid = gridOver(around, steps, margin);
  return { xs: grid.xs, ys: grid.ys, values: read(predict(model, grid.points)).dataSync() };
}

/** Train and validation curves of one metric of a {@link History}, as a line chart. */
export function historyChart(path: string, history: History, metric: "loss" | "accuracy", title: Title & { yTitle?: string }): Promise<string> {
  const [train, val] = metric === "loss" ? [history.trainLoss, history.valLoss] : [history.trainAcc, history.valAcc];
  return lineChart(path, {
    ...title,
    xTitle: "epoch",
    yTitle: title.yTitle ?? metric,
    series: [
      { name: "train", values: train },
      { name: "validation", values: val },
    ],
  });
}
