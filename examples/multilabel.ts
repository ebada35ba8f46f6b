/**
 * Multi-label classification: each point can carry any subset of three tags, so the model has
 * three independent sigmoid outputs — one logit per tag into BCEWithLogitsLoss — instead of a
 * softmax that would force the tags to compete for one unit of probability. Reports precision,
 * recall and F1 per tag, the Hamming accuracy (per tag decision) and the exact-match accuracy
 * (all three tags right).
 *
 *   pnpm tsx --conditions=@tsgrad/source examples/multilabel.ts [--epochs 150] [--seed 0] [--out DIR] [--quiet]
 */
import { join } from "node:path";
import * as tg from "tsgrad";
import type { Tensor } from "tsgrad";
import { DEFAULT_OUT, runIfMain, type ExampleOptions } from "./cli.js";
import { decisionRegionPanels, lineChart } from "./lib/plot.js";
import { binaryAccuracy, criterionOf, evaluate, fit, gridOver, pct, predict, trainValTestSplit, type History } from "./lib/train.js";

/** The tags and the rule that sets each, on the clean point (x₁, x₂) ∈ [-2, 2]². */
export const TAGS = [
  { name: "near centre", rule: (x1: number, x2: number) => x1 * x1 + x2 * x2 < 1.44, text: "x₁² + x₂² < 1.44" },
  { name: "right", rule: (x1: number) => x1 > 0.3, text: "x₁ > 0.3" },
  { name: "above wave", rule: (x1: number, x2: number) => x2 > Math.sin(2 * x1), text: "x₂ > sin 2x₁" },
] as const;

/**
 * n points uniform in [-2, 2]², tagged by {@link TAGS} on the clean point and observed with
 * N(0, 0.15²) noise, so tags near a border are sometimes "wrong" for the observed point.
 */
export function makeTaggedPoints(n: number, seed: number): { X: Tensor; Y: Tensor } {
  const generator = new tg.Generator(seed);
  const clean = tg.rand([n, 2], { generator }).mul(4).sub(2);
  const c = clean.dataSync();
  const tags = new Float32Array(n * TAGS.length);
  for (let i = 0; i < n; i++) TAGS.forEach((tag, k) => (tags[i * TAGS.length + k] = tag.rule(c[2 * i], c[2 * i + 1]) ? 1 : 0));
  const X = clean.add(tg.randn([n, 2], { generator }).mul(0.15));
  return { X, Y: tg.tensor(tags, { shape: [n, TAGS.length] }) };
}

/** Precision, recall and F1 of one tag on the test set. */
export interface TagScores {
  tag: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** What {@link runMultilabel} returns. */
export interface MultilabelResult {
  perTag: TagScores[];
  /** Fraction of (point, tag) decisions that are right. */
  hammingAcc: number;
  /** Fraction of points with all tags right. */
  exactMatch: number;
  testLoss: number;
  history: History;
  files: string[];
}

/** Column k of a [n, K] 0/1 tensor as int32 labels [n], for the metrics. */
function column(t: Tensor, k: number): Tensor {
  return t.narrow(1, k, 1).squeeze(1).to("int32");
}

/** Trains a 2-64-64-3 ReLU MLP with BCEWithLogitsLoss on the tagged points, prints per-tag metrics and writes the PNGs. */
export async function runMultilabel(options: ExampleOptions = {}): Promise<MultilabelResult> {
  const { epochs = 150, seed = 0, out = DEFAULT_OUT, quiet = false, log = console.log } = options;
  const { X, Y } = makeTaggedPoints(3000, 42);
  const data = trainValTestSplit(X, Y, 42);
  const tagsPerPoint = Array.from(Y.sum(1).dataSync());
  const counts = [0, 1, 2, 3].map((k) => tagsPerPoint.filter((v) => v === k).length);
  log(`3000 points, tags ${TAGS.map((t) => `"${t.name}" (${t.text})`).join(", ")}`);
  log(`points with 0 / 1 / 2 / 3 tags: ${counts.join(" / ")} — not one class per point, so no softmax`);

  tg.manualSeed(seed);
  const { Sequential, Linear, ReLU } = tg.nn;
  const model = new Sequential(new Linear(2, 64), new ReLU(), new Linear(64, 64), new ReLU(), new Linear(64, TAGS.length)); // one logit per tag
  const criterion = criterionOf(new tg.losses.BCEWithLogitsLoss()); // a sigmoid + BCE per output, averaged over points and tags
  const accuracy = binaryAccuracy(0); // logit > 0 ⇔ p > 0.5, per tag: the Hamming accuracy
  const loader = new tg.data.DataLoader(new tg.data.TensorDataset(...data.train), { batchSize: 64, shuffle: true, generator: new tg.Generator(seed) });
  const optimizer = new tg.optim.Adam(model.parameters(), { lr: 0.005 });
  const history = fit({ model, criterion, optimizer, loader, epochs, accuracy, val: data.val, label: "tags (BCEWithLogitsLoss)", quiet, log: options.log });

  const [xTest, yTest] = data.test;
  const test = evaluate(model, criterion, accuracy, xTest, yTest);
  const predicted = predict(model, xTest).gt(0).to("float32"); // [n, 3] 0/1
  const perTag = TAGS.map((tag, k): TagScores => {
    const t = column(yTest, k);
    const p = column(predicted, k);
    return {
      tag: tag.name,
      precision: tg.data.precision(t, p),
      recall: tg.data.recall(t, p),
      f1: tg.data.f1(t, p),
      support: Math.round(t.to("float32").sum().item()),
    };
  });
  const exactMatch = predicted.eq(yTest).all(1).to("float32").mean().item();

  log("");
  log(`test set (${xTest.shape[0]} points):`);
  log("  tag            precision   recall       F1   support");
  for (const s of perTag) {
    log(`  ${s.tag.padEnd(13)}${pct(s.precision).padStart(11)}${pct(s.recall).padStart(9)}${pct(s.f1).padStart(9)}${String(s.support).padStart(10)}`);
  }
  log(`  Hamming accuracy (each tag decision)  ${pct(test.acc)}`);
  log(`  exact match (all three tags right)    ${pct(exactMatch)}`);
  log(`  test loss (BCEWithLogitsLoss)         ${test.loss.toFixed(4)}`);

  const files = [
    await lineChart(join(out, "multilabel-curves.png"), {
      title: "Multi-label: loss and Hamming accuracy per epoch",
      subtitle: "MLP 2-64-64-3, one logit per tag into BCEWithLogitsLoss, Adam lr 0.005",
      xTitle: "epoch",
      yTitle: "value",
      series: [
        { name: "train loss", values: history.trainLoss },
        { name: "validation loss", values: history.valLoss },
        { name: "train accuracy", values: history.trainAcc, dashed: true },
        { name: "validation accuracy", values: history.valAcc, dashed: true },
      ],
    }),
    await tagRegions(model, data.scaler, X, xTest, yTest, perTag, join(out, "multilabel-regions.png")),
  ];
  log(`wrote ${files.join(", ")}`);
  return { perTag, hammingAcc: test.acc, exactMatch, testLoss: test.loss, history, files };
}

// Drawn in the original coordinates, where the tag rules are written: the grid goes through the
// training set's scaler on its way into the model, and the test points come back out of it.
function tagRegions(
  model: tg.nn.Sequential, scaler: tg.data.StandardScaler, X: Tensor, xTest: Tensor, yTest: Tensor, perTag: TagScores[], path: string,
): Promise<string> {
  const grid = gridOver(X, 100, 0.1);
  const probs = predict(model, scaler.transform(grid.points)).sigmoid();
  const testXY = scaler.inverseTransform(xTest).dataSync();
  return decisionRegionPanels(path, {
    title: "Multi-label: one sigmoid output per tag",
    subtitle: "colour = P(tag) from that tag's own sigmoid, black line = 0.5; dots: test points coloured by their true tag",
    panels: TAGS.map((tag, k) => ({
      title: `${tag.name} (${tag.text}): test F1 ${pct(perTag[k].f1)}`,
      grid: { xs: grid.xs, ys: grid.ys, values: probs.narrow(1, k, 1).dataSync() },
      kind: "probability" as const,
      points: { xy: testXY, labels: column(yTest, k).dataSync() },
      classNames: ["no", "yes"],
      size: 300,
    })),
  });
}

runIfMain(import.meta.url, (args) => runMultilabel(args), { epochs: 150, seed: 0 });
