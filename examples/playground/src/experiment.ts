/**
 * The playground's experiments in tsgrad: the datasets, the network, each output + loss pairing
 * as the worker trains it, and the predictions the page draws. Runs wherever tsgrad runs (the
 * worker, Node for the tests).
 */
import * as tg from "tsgrad";
import type { Tensor } from "tsgrad";
import { lossInput, outputUnits, targetEncoding, type Config, type DatasetName, type HiddenActivation, type LossName, type OptimizerName, type OutputName, type Task } from "./pairings.js";

const { nn } = tg;

/**
 * The hidden activation layers (the softmax family along the features, dim 1). `widen`: GLU halves
 * its input, so the layer before it is twice as wide.
 */
export const HIDDEN_LAYERS: Readonly<Record<HiddenActivation, { make: () => tg.nn.Module; widen?: 2 }>> = {
  ReLU: { make: () => new nn.ReLU() },
  LeakyReLU: { make: () => new nn.LeakyReLU(0.01) },
  PReLU: { make: () => new nn.PReLU() },
  RReLU: { make: () => new nn.RReLU() },
  ELU: { make: () => new nn.ELU() },
  SELU: { make: () => new nn.SELU() },
  CELU: { make: () => new nn.CELU() },
  GELU: { make: () => new nn.GELU() },
  SiLU: { make: () => new nn.SiLU() },
  Mish: { make: () => new nn.Mish() },
  Softplus: { make: () => new nn.Softplus() },
  Sigmoid: { make: () => new nn.Sigmoid() },
  Tanh: { make: () => new nn.Tanh() },
  Softsign: { make: () => new nn.Softsign() },
  Hardtanh: { make: () => new nn.Hardtanh() },
  ReLU6: { make: () => new nn.ReLU6() },
  Hardsigmoid: { make: () => new nn.Hardsigmoid() },
  Hardswish: { make: () => new nn.Hardswish() },
  LogSigmoid: { make: () => new nn.LogSigmoid() },
  Tanhshrink: { make: () => new nn.Tanhshrink() },
  Hardshrink: { make: () => new nn.Hardshrink() },
  Softshrink: { make: () => new nn.Softshrink() },
  Threshold: { make: () => new nn.Threshold(0, 0) },
  Step: { make: () => new nn.Step() },
  GLU: { make: () => new nn.GLU(1), widen: 2 },
  Softmax: { make: () => new nn.Softmax(1) },
  LogSoftmax: { make: () => new nn.LogSoftmax(1) },
  Softmin: { make: () => new nn.Softmin(1) },
  Identity: { make: () => new nn.Identity() },
};

/** A dataset split for training and testing, standardised by the training part's statistics. */
export interface Data {
  task: Task;
  /** Classes (0 for a regression). */
  classes: number;
  xTrain: Tensor;
  yTrain: Tensor;
  xTest: Tensor;
  yTest: Tensor;
  /** Regression: which training points are outliers, and the clean targets (the truth). */
  outliersTrain?: Tensor;
  cleanTrain?: Tensor;
  cleanTest?: Tensor;
  /** Regression: the clean curve y = f(x), for x in the standardised coordinates. */
  truth?: (x: number) => number;
}

/**
 * A 1-D regression with outliers: y = sin(1.5x) + x/2 + N(0, 0.1²) for x ~ U(−3, 3) on 240 points,
 * 10% of which read 3 to 6 too high (a sensor that sometimes reads far too high, so the outliers
 * cannot cancel out).
 */
function curveWithOutliers(seed: number): { X: Tensor; y: Tensor; clean: Tensor; outliers: Tensor; f: (x: number) => number } {
  const generator = new tg.Generator(seed);
  const n = 240;
  const f = (x: number) => Math.sin(1.5 * x) + x / 2;
  const X = tg.rand([n, 1], { generator }).mul(6).sub(3);
  const clean = tg.tensor(Array.from(X.dataSync(), f)).unsqueeze(1);
  const noisy = clean.add(tg.randn([n, 1], { generator }).mul(0.1));
  const outliers = tg.rand([n, 1], { generator }).lt(0.1);
  const offsets = tg.rand([n, 1], { generator }).mul(3).add(3);
  return { X, y: tg.where(outliers, noisy.add(offsets), noisy), clean, outliers, f };
}

/** The dataset `name` with seed `seed`, split 70/30. */
export function makeData(name: DatasetName, seed: number): Data {
  if (name === "regression") {
    const { X, y, clean, outliers, f } = curveWithOutliers(seed);
    const [xTrain, xTest, yTrain, yTest, cleanTrain, cleanTest, outliersTrain] = tg.data.trainTestSplit(X, y, clean, outliers, { testSize: 0.3, randomState: seed });
    // The inputs are already centred and of unit scale (U(−3, 3) has std √3); kept as they are, so the truth is f itself.
    return { task: "regression", classes: 0, xTrain, yTrain, xTest, yTest, cleanTrain, cleanTest, outliersTrain, truth: f };
  }
  const made = {
    moons: () => tg.data.makeMoons({ nSamples: 600, noise: 0.2, randomState: seed }),
    circles: () => tg.data.makeCircles({ nSamples: 400, noise: 0.1, factor: 0.5, randomState: seed }),
    spiral: () => tg.data.makeSpiral({ nSamples: 450, nClasses: 3, noise: 0.2, randomState: seed }),
    blobs: () => tg.data.makeBlobs({ nSamples: 400, centers: 4, clusterStd: 1.5, randomState: seed }),
  }[name]();
  const [xTrain, xTest, yTrain, yTest] = tg.data.trainTestSplit(made.X, made.y, { testSize: 0.3, randomState: seed });
  const scaler = new tg.data.StandardScaler().fit(xTrain);
  return { task: "classification", classes: made.y.amax().item() + 1, xTrain: scaler.transform(xTrain), yTrain, xTest: scaler.transform(xTest), yTest };
}

/** Linear → activation → … → Linear to `units` outputs (z: the output activation is applied by {@link criterion}). */
export function makeModel(inputs: number, hidden: readonly number[], activation: HiddenActivation, units: number): tg.nn.Sequential {
  const act = HIDDEN_LAYERS[activation];
  const layers: tg.nn.Module[] = [];
  let width = inputs;
  for (const h of hidden) {
    layers.push(new nn.Linear(width, h * (act.widen ?? 1)), act.make());
    width = h;
  }
  layers.push(new nn.Linear(width, units));
  return new nn.Sequential(...layers);
}

/** The targets as the loss wants them (targetEncoding in pairings.ts). */
export function encodeTargets(y: Tensor, task: Task, loss: LossName, units: number): Tensor {
  const encoding = targetEncoding(task, loss);
  if (encoding === "values" || encoding === "indices") return y;
  const zeroOne = units === 1 ? y.float().unsqueeze(1) : tg.oneHot(y, units).float();
  return encoding === "signs" ? zeroOne.mul(2).sub(1) : zeroOne;
}

const ACTIVATE: Readonly<Record<OutputName, (z: Tensor) => Tensor>> = {
  sigmoid: (z) => z.sigmoid(),
  softmax: (z) => z.softmax(1),
  linear: (z) => z,
  step: (z) => nn.F.step(z),
};

/** The loss of the last layer's output `z` against the encoded targets, as pairingCode (pairings.ts) prints it. */
export function criterion(output: OutputName, loss: LossName): (z: Tensor, target: Tensor) => Tensor {
  const input = lossInput(output, loss);
  if (input === "logits to BCEWithLogits") return (z, t) => tg.losses.binaryCrossEntropyWithLogits(z, t);
  const f = {
    bce: tg.losses.binaryCrossEntropy,
    ce: tg.losses.crossEntropy,
    mse: tg.losses.mseLoss,
    mae: tg.losses.l1Loss,
    huber: (p: Tensor, t: Tensor) => tg.losses.huberLoss(p, t, { delta: 1 }),
    hinge: tg.losses.hingeLoss,
    perceptron: tg.losses.perceptronLoss,
  }[loss];
  const activate = input === "z" ? (z: Tensor) => z : ACTIVATE[output];
  return (z, t) => f(activate(z), t);
}

/**
 * The predicted class of each row of z and a confidence in [0, 1]: with one unit, the output is
 * compared with the midpoint of the two targets (0.5 for 0/1 targets, 0 for ±1 signs); with one
 * unit per class, the largest wins, its confidence the softmax of the activated outputs.
 */
export function classify(z: Tensor, output: OutputName, loss: LossName): { classes: Int32Array; confidence: Float32Array } {
  const activated = output === "softmax" && loss === "ce" ? z.softmax(1) : ACTIVATE[output](z);
  if (z.shape[1] === 1) {
    const signs = targetEncoding("classification", loss) === "signs";
    const [lo, hi] = signs ? [-1, 1] : [0, 1];
    const values = activated.dataSync();
    const classes = Int32Array.from(values, (v) => (v > (lo + hi) / 2 ? 1 : 0));
    const confidence = Float32Array.from(values, (v) => Math.min(1, Math.abs(v - (lo + hi) / 2) / ((hi - lo) / 2)));
    return { classes, confidence };
  }
  const probabilities = activated.softmax(1);
  const { values, indices } = probabilities.max(1);
  return { classes: Int32Array.from(indices.dataSync()), confidence: Float32Array.from(values.dataSync()) };
}

/** An optimizer by the page's name. */
export function makeOptimizer(name: OptimizerName, parameters: tg.Tensor[], lr: number): tg.optim.Optimizer {
  switch (name) {
    case "SGD": return new tg.optim.SGD(parameters, { lr });
    case "SGD momentum": return new tg.optim.SGD(parameters, { lr, momentum: 0.9 });
    case "Adam": return new tg.optim.Adam(parameters, { lr });
    case "AdamW": return new tg.optim.AdamW(parameters, { lr });
    case "RMSprop": return new tg.optim.RMSprop(parameters, { lr });
    case "Adagrad": return new tg.optim.Adagrad(parameters, { lr });
  }
}

/** A run: data, model, optimizer and loss of a {@link Config}. */
export interface Run {
  data: Data;
  model: tg.nn.Sequential;
  optimizer: tg.optim.Optimizer;
  loss: (z: Tensor, target: Tensor) => Tensor;
  targetTrain: Tensor;
  targetTest: Tensor;
  units: number;
}

export function setUp(config: Config): Run {
  tg.manualSeed(config.seed);
  const data = makeData(config.dataset, config.seed);
  const units = outputUnits(data.task, data.classes, config.output, config.loss);
  const model = makeModel(data.xTrain.shape[1], config.hidden, config.activation, units);
  return {
    data, model, units,
    optimizer: makeOptimizer(config.optimizer, model.parameters(), config.lr),
    loss: criterion(config.output, config.loss),
    targetTrain: encodeTargets(data.yTrain, data.task, config.loss, units),
    targetTest: encodeTargets(data.yTest, data.task, config.loss, units),
  };
}

/** One full-batch gradient step; returns the training loss before it. */
export function trainStep(run: Run): number {
  run.model.train();
  run.optimizer.zeroGrad();
  const loss = run.loss(run.model.forward(run.data.xTrain), run.targetTrain);
  loss.backward();
  run.optimizer.step();
  return loss.item();
}

/** Loss and metric (accuracy, or the regression's mean absolute error to the clean curve) on the training and test points. */
export function evaluate(run: Run, config: Config): { trainLoss: number; testLoss: number; trainMetric: number; testMetric: number } {
  run.model.eval();
  return tg.noGrad(() => {
    const zTrain = run.model.forward(run.data.xTrain);
    const zTest = run.model.forward(run.data.xTest);
    const metric = (z: Tensor, y: Tensor, clean: Tensor | undefined): number => {
      if (run.data.task === "regression") return z.sub(clean ?? y).abs().mean().item();
      const { classes } = classify(z, config.output, config.loss);
      return tg.tensor(classes, { dtype: "int32" }).eq(y).float().mean().item();
    };
    return {
      trainLoss: run.loss(zTrain, run.targetTrain).item(),
      testLoss: run.loss(zTest, run.targetTest).item(),
      trainMetric: metric(zTrain, run.data.yTrain, run.data.cleanTrain),
      testMetric: metric(zTest, run.data.yTest, run.data.cleanTest),
    };
  });
}

/** The plot's bounds: the points' range plus a margin; for a regression, x's range and y's with the outliers. */
export function plotBounds(data: Data): [number, number, number, number] {
  const all = tg.cat([data.xTrain, data.xTest]);
  if (data.task === "regression") {
    const ys = tg.cat([data.yTrain, data.yTest]);
    const [x0, x1, y0, y1] = [all.amin().item(), all.amax().item(), ys.amin().item(), ys.amax().item()];
    return [x0 - 0.1, x1 + 0.1, y0 - 0.5, y1 + 0.5];
  }
  const lo = all.amin(0).dataSync();
  const hi = all.amax(0).dataSync();
  return [lo[0] - 0.5, hi[0] + 0.5, lo[1] - 0.5, hi[1] + 0.5];
}

/**
 * The model on a grid: classification, `size × size` cells over the bounds (row-major, the top row
 * first), two numbers per cell (class, confidence); regression, the predictions at `size` x values.
 */
export function predictGrid(run: Run, config: Config, bounds: readonly number[], size: number): Float32Array {
  const [x0, x1, y0, y1] = bounds;
  run.model.eval();
  return tg.noGrad(() => {
    if (run.data.task === "regression") {
      return Float32Array.from(run.model.forward(tg.linspace(x0, x1, size).unsqueeze(1)).dataSync());
    }
    const xs = tg.linspace(x0, x1, size);
    const ys = tg.linspace(y1, y0, size);
    const [gy, gx] = tg.meshgrid([ys, xs], { indexing: "ij" });
    const points = tg.stack([gx.reshape([-1]), gy.reshape([-1])], 1);
    const { classes, confidence } = classify(run.model.forward(points), config.output, config.loss);
    const out = new Float32Array(2 * classes.length);
    for (let i = 0; i < classes.length; i++) {
      out[2 * i] = classes[i];
      out[2 * i + 1] = confidence[i];
    }
    return out;
  });
}
