/**
 * The article's Example 1: binary classification of two moons — ReLU hidden layers, a Sigmoid
 * output and binary cross-entropy — trained exactly as the PyTorch script does, then the same
 * model without the Sigmoid trained with BCEWithLogitsLoss (the numerically stable form PyTorch
 * recommends) from the same initial weights, which gives the same numbers up to rounding.
 *
 *   pnpm tsx --conditions=@tsgrad/source examples/binary-moons.ts [--epochs 500] [--seed 42] [--out DIR] [--quiet]
 */
import { join } from "node:path";
import * as tg from "tsgrad";
import { DEFAULT_OUT, runIfMain, type ExampleOptions } from "./cli.js";
import { decisionRegions, lineChart } from "./lib/plot.js";
import { best, binaryAccuracy, criterionOf, evaluate, fit, historyChart, modelOnGrid, pct, trainValTestSplit, type Criterion, type History, type Model } from "./lib/train.js";

/** The article's moons: 2000 points, noise 0.2, seed 42, split 70/15/15 and standardised. */
export function moonsSplits() {
  const { X, y } = tg.data.makeMoons({ nSamples: 2000, noise: 0.2, randomState: 42 });
  return trainValTestSplit(X, y.to("float32").unsqueeze(1), 42); // BCE wants float 0/1 targets shaped like the output [N, 1]
}

/** 2-32-16-8-1 with ReLU hidden layers; ends in a Sigmoid unless the loss takes logits. */
function mlp(sigmoidOutput: boolean): tg.nn.Sequential {
  const { Sequential, Linear, ReLU, Sigmoid } = tg.nn;
  const layers = [new Linear(2, 32), new ReLU(), new Linear(32, 16), new ReLU(), new Linear(16, 8), new ReLU(), new Linear(8, 1)];
  return new Sequential(...layers, ...(sigmoidOutput ? [new Sigmoid()] : []));
}

/** What {@link runBinaryMoons} returns. */
export interface BinaryMoonsResult {
  /** The Sigmoid + BCELoss model (the article's). */
  bce: RunSummary;
  /** The logits + BCEWithLogitsLoss model, started from the same weights. */
  bceWithLogits: RunSummary;
  /** Largest |difference| between the two runs' per-epoch training losses. */
  maxLossGap: number;
  files: string[];
}

/** Test and validation results of one run, plus its curves. */
export interface RunSummary {
  testAcc: number;
  testLoss: number;
  finalValAcc: number;
  bestValAcc: number;
  bestValEpoch: number;
  history: History;
}

/** Trains the moons classifier both ways, prints the article's summary and writes the PNGs. */
export async function runBinaryMoons(options: ExampleOptions = {}): Promise<BinaryMoonsResult> {
  const { epochs = 500, seed = 42, out = DEFAULT_OUT, quiet = false, log = console.log } = options;
  const data = moonsSplits();
  tg.manualSeed(seed);
  const withSigmoid = mlp(true);
  const logitsModel = mlp(false);
  logitsModel.loadStateDict(withSigmoid.stateDict()); // same names up to the last Linear, so the same initial weights

  const train = (model: Model, criterion: Criterion, threshold: number, label: string): RunSummary => {
    const accuracy = binaryAccuracy(threshold);
    const loader = new tg.data.DataLoader(new tg.data.TensorDataset(...data.train), {
      batchSize: 64,
      shuffle: true,
      generator: new tg.Generator(seed), // both runs see the same batches
    });
    const optimizer = new tg.optim.SGD(model.parameters(), { lr: 0.05 });
    const history = fit({ model, criterion, optimizer, loader, epochs, accuracy, val: data.val, label, quiet, log: options.log });
    const test = evaluate(model, criterion, accuracy, ...data.test);
    const bestVal = best(history.valAcc);
    return {
      testAcc: test.acc,
      testLoss: test.loss,
      finalValAcc: history.valAcc[epochs - 1],
      bestValAcc: bestVal.value,
      bestValEpoch: bestVal.epoch,
      history,
    };
  };

  log(withSigmoid.toString());
  const bce = train(withSigmoid, criterionOf(new tg.losses.BCELoss()), 0.5, "Sigmoid + BCELoss          ");
  const bceWithLogits = train(logitsModel, criterionOf(new tg.losses.BCEWithLogitsLoss()), 0, "logits + BCEWithLogitsLoss ");
  const steps = epochs * Math.ceil(data.train[0].shape[0] / 64);
  const maxLossGap = Math.max(...bce.history.trainLoss.map((l, i) => Math.abs(l - bceWithLogits.history.trainLoss[i])));

  log("");
  log("Results (test set, 300 points never seen in training):");
  log(`                     Sigmoid + BCELoss   logits + BCEWithLogitsLoss`);
  const row = (name: string, f: (r: RunSummary) => string) => log(`  ${name.padEnd(19)}${f(bce).padStart(17)}${f(bceWithLogits).padStart(29)}`);
  row("test accuracy", (r) => pct(r.testAcc));
  row("test loss", (r) => r.testLoss.toFixed(4));
  row("final val accuracy", (r) => pct(r.finalValAcc));
  row("best val accuracy", (r) => `${pct(r.bestValAcc)} (ep ${r.bestValEpoch})`);
  log(`  largest per-epoch train-loss difference between the two: ${maxLossGap.toExponential(2)} (float32 rounding, compounded over ${steps} SGD steps)`);

  const files = await plots(withSigmoid, data, bce, bceWithLogits, out);
  log(`wrote ${files.join(", ")}`);
  return { bce, bceWithLogits, maxLossGap, files };
}

async function plots(model: Model, data: ReturnType<typeof moonsSplits>, bce: RunSummary, logits: RunSummary, out: string): Promise<string[]> {
  const { trainLoss, valLoss } = bce.history;
  const lossPng = await lineChart(join(out, "binary-moons-loss.png"), {
    title: "Moons: binary cross-entropy per epoch",
    subtitle: "MLP 2-32-16-8-1, SGD lr 0.05, batch 64; the logits run (dashed) lies on the Sigmoid one",
    xTitle: "epoch",
    yTitle: "loss",
    series: [
      { name: "train (BCELoss)", values: trainLoss },
      { name: "validation (BCELoss)", values: valLoss },
      { name: "train (BCEWithLogitsLoss)", values: logits.history.trainLoss, dashed: true },
    ],
  });
  const accPng = await historyChart(join(out, "binary-moons-accuracy.png"), bce.history, "accuracy", {
    title: "Moons: accuracy per epoch",
    subtitle: `test accuracy ${pct(bce.testAcc)}, best validation ${pct(bce.bestValAcc)} at epoch ${bce.bestValEpoch}`,
  });
  const [xTest, yTest] = data.test;
  const grid = modelOnGrid(model, tg.cat([data.train[0], xTest], 0), (probability) => probability, 120, 0.4);
  const boundaryPng = await decisionRegions(join(out, "binary-moons-boundary.png"), {
    title: "Moons: decision boundary of Sigmoid + BCE",
    subtitle: `test points (standardised); colour = P(class 1), black line = 0.5; test accuracy ${pct(bce.testAcc)}`,
    grid,
    kind: "probability",
    points: { xy: xTest.dataSync(), labels: Int32Array.from(yTest.dataSync()) },
  });
  return [lossPng, accPng, boundaryPng];
}

runIfMain(import.meta.url, (args) => runBinaryMoons(args), { epochs: 500, seed: 42 });
