/**
 * Regression: a linear output (no activation) trained with MSE, MAE (L1) and Huber loss on data
 * where 5% of the training targets are large outliers. MSE squares the outliers' huge errors and
 * lets them pull the fit; MAE and Huber grow only linearly there, so they fit the clean majority.
 * Scored by the test MAE against the clean targets (the targets before the outliers were added).
 *
 *   pnpm tsx --conditions=@tsgrad/source examples/regression.ts [--epochs 100] [--seed 0] [--out DIR] [--quiet]
 */
import { join } from "node:path";
import * as tg from "tsgrad";
import type { Tensor } from "tsgrad";
import { DEFAULT_OUT, runIfMain, type ExampleOptions } from "./cli.js";
import { EpochProgress } from "./lib/progress.js";
import { scatterWithLines, smallMultiples } from "./lib/plot.js";
import { predict } from "./lib/train.js";

/** The three losses compared, by the name printed in the table. */
const LOSSES = {
  MSE: (p: Tensor, t: Tensor, reduction: tg.losses.Reduction = "mean") => tg.losses.mseLoss(p, t, { reduction }),
  MAE: (p: Tensor, t: Tensor, reduction: tg.losses.Reduction = "mean") => tg.losses.l1Loss(p, t, { reduction }),
  Huber: (p: Tensor, t: Tensor, reduction: tg.losses.Reduction = "mean") => tg.losses.huberLoss(p, t, { delta: 1, reduction }),
};
type LossName = keyof typeof LOSSES;

/** One loss's results. */
export interface RegressionFit {
  loss: LossName;
  /** Test MAE against the clean targets (the score that matters). */
  cleanTestMae: number;
  /** Test MAE against the targets with outliers. */
  noisyTestMae: number;
  weight: number;
  bias: number;
  /** Training loss per epoch. */
  trainLoss: number[];
}

/** What {@link runRegression} returns. */
export interface RegressionResult {
  fits: RegressionFit[];
  trueWeight: number;
  trueBias: number;
  files: string[];
}

const TRUE_COEF = 3;
const TRUE_BIAS = 2;
/** Outliers are moved by 15 to 30: 15-30 standard deviations of the noise. */
const OUTLIER_SCALE = 15;

/** y = 3x + 2 + N(0, 1) on 1000 points, then the same data with 5% outliers; 70/30 split. */
function outlierData() {
  const options = { nSamples: 1000, nFeatures: 1, coef: [TRUE_COEF], bias: TRUE_BIAS, noise: 1, randomState: 3 };
  const clean = tg.data.makeRegression(options);
  // Same seed, same draws for X and the noise; the outlier offsets are drawn after them.
  const dirty = tg.data.makeRegression({ ...options, outlierFraction: 0.05, outlierScale: OUTLIER_SCALE });
  // All outliers on the high side (a sensor that sometimes reads far too high), so they cannot cancel out.
  const yOutliers = clean.y.add(dirty.y.sub(clean.y).abs());
  const [xTrain, xTest, yTrain, yTest, cleanTrain, cleanTest, outTrain] = tg.data.trainTestSplit(
    dirty.X, yOutliers.unsqueeze(1), clean.y.unsqueeze(1), dirty.outliers, { testSize: 0.3, randomState: 0 },
  );
  return { xTrain, yTrain, cleanTrain, outTrain, xTest, yTest, cleanTest, nOutliers: Math.round(dirty.outliers.to("float32").sum().item()) };
}

function mae(pred: Tensor, target: Tensor): number {
  return tg.data.meanAbsoluteError(target.flatten(), pred.flatten());
}

/** Trains one Linear(1, 1) per loss on the outlier data, prints the comparison table and writes the PNGs. */
export async function runRegression(options: ExampleOptions = {}): Promise<RegressionResult> {
  const { epochs = 100, seed = 0, out = DEFAULT_OUT, quiet = false, log = console.log } = options;
  const data = outlierData();
  log(`y = ${TRUE_COEF}x + ${TRUE_BIAS} + N(0, 1), ${data.nOutliers} of 1000 targets moved up by ${OUTLIER_SCALE}-${2 * OUTLIER_SCALE} (${Math.round(data.outTrain.to("float32").sum().item())} in the training set)`);

  const fits: RegressionFit[] = [];
  for (const name of Object.keys(LOSSES) as LossName[]) {
    tg.manualSeed(seed);
    const model = new tg.nn.Linear(1, 1); // linear output: the prediction is the raw affine value
    const optimizer = new tg.optim.Adam(model.parameters(), { lr: 0.05 });
    const loader = new tg.data.DataLoader(new tg.data.TensorDataset(data.xTrain, data.yTrain), { batchSize: 32, shuffle: true, generator: new tg.Generator(seed) });
    const progress = new EpochProgress(`${name} loss`.padEnd(11), epochs, { quiet, log: options.log });
    const trainLoss: number[] = [];
    for (let epoch = 1; epoch <= epochs; epoch++) {
      let sum = 0;
      for (const [xb, yb] of loader) {
        const loss = LOSSES[name](model.forward(xb), yb);
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
        sum += loss.item() * xb.shape[0];
      }
      trainLoss.push(sum / data.xTrain.shape[0]);
      progress.update(epoch, { loss: trainLoss[epoch - 1], w: model.weight.item(), b: model.bias!.item() });
    }
    progress.stop();
    const pred = predict(model, data.xTest);
    fits.push({
      loss: name,
      cleanTestMae: mae(pred, data.cleanTest),
      noisyTestMae: mae(pred, data.yTest),
      weight: model.weight.item(),
      bias: model.bias!.item(),
      trainLoss,
    });
  }

  log("");
  log("loss    fitted line          test MAE vs clean targets   test MAE vs targets with outliers");
  for (const f of fits) {
    const line = `y = ${f.weight.toFixed(3)}x ${f.bias < 0 ? "−" : "+"} ${Math.abs(f.bias).toFixed(3)}`;
    log(`${f.loss.padEnd(8)}${line.padEnd(21)}${f.cleanTestMae.toFixed(4).padStart(26)}${f.noisyTestMae.toFixed(4).padStart(35)}`);
  }
  log(`(truth: y = ${TRUE_COEF}x + ${TRUE_BIAS}; the noise alone gives a clean MAE of about 0.80 = σ·√(2/π))`);

  const files = await plots(data, fits, out);
  log(`wrote ${files.join(", ")}`);
  return { fits, trueWeight: TRUE_COEF, trueBias: TRUE_BIAS, files };
}

async function plots(data: ReturnType<typeof outlierData>, fits: RegressionFit[], out: string): Promise<string[]> {
  const x = data.xTrain.dataSync();
  const y = data.yTrain.dataSync();
  const isOutlier = data.outTrain.dataSync();
  const points = Array.from(x, (xi, i) => ({ x: xi, y: y[i], group: isOutlier[i] ? "outlier (5%)" : "clean" }));
  const ends = [Math.min(...x), Math.max(...x)];
  const fitsPng = await scatterWithLines(join(out, "regression-fits.png"), {
    title: "Regression with 5% outliers: MSE vs MAE vs Huber",
    subtitle: `training data; the outliers pull the MSE line up, MAE and Huber stay on the truth y = ${TRUE_COEF}x + ${TRUE_BIAS} (dashed)`,
    xTitle: "x",
    yTitle: "y",
    points,
    lines: [
      ...fits.map((f) => ({ name: `${f.loss} (clean test MAE ${f.cleanTestMae.toFixed(3)})`, x: ends, values: ends.map((v) => f.weight * v + f.bias) })),
      { name: "truth", x: ends, values: ends.map((v) => TRUE_COEF * v + TRUE_BIAS), dashed: true },
    ],
  });
  const shapesPng = await smallMultiples(join(out, "regression-loss-shapes.png"), {
    title: "Why: each loss and its gradient against the residual r = prediction − target",
    subtitle: "gradients by autograd; MSE's grows with r, so a residual of 20 pulls 20× harder than one of 1",
    panels: lossShapes(),
    columns: 2,
    xTitle: "residual r",
    yTitle: "",
    panelWidth: 300,
    panelHeight: 200,
  });
  return [fitsPng, shapesPng];
}

/** ℓ(r) and dℓ/dr (by autograd) of each loss on a range of residuals, as two chart panels. */
function lossShapes() {
  const r = tg.linspace(-4, 4, 161).requiresGrad_();
  const zero = tg.zerosLike(r);
  const x = Array.from(r.dataSync());
  const curves = (Object.keys(LOSSES) as LossName[]).map((name) => {
    const perPoint = LOSSES[name](r, zero, "none");
    const [grad] = tg.grad([perPoint.sum()], [r]); // d(Σ ℓ(rᵢ))/drᵢ = ℓ′(rᵢ)
    return { name, loss: Array.from(perPoint.dataSync()), grad: Array.from(grad!.dataSync()) };
  });
  return [
    { title: "loss ℓ(r)", series: curves.map((c) => ({ name: c.name, x, values: c.loss })) },
    { title: "gradient dℓ/dr", series: curves.map((c) => ({ name: c.name, x, values: c.grad })) },
  ];
}

runIfMain(import.meta.url, (args) => runRegression(args), { epochs: 100, seed: 0 });
