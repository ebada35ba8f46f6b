/**
 * Multiclass classification: softmax + cross-entropy on a three-arm spiral. The model ends in
 * a Linear layer giving one logit per class — no Softmax layer — because CrossEntropyLoss
 * applies log-softmax itself (fused, numerically stable); softmax is only applied afterwards to
 * read probabilities. Also shows that the "sparse categorical" form (class indices) and the
 * "categorical" form (one-hot rows) of the target give the same loss and the same gradient.
 *
 *   pnpm tsx --conditions=@tsgrad/source examples/multiclass.ts [--epochs 200] [--seed 0] [--out DIR] [--quiet]
 */
import { join } from "node:path";
import * as tg from "tsgrad";
import type { Tensor } from "tsgrad";
import { DEFAULT_OUT, runIfMain, type ExampleOptions } from "./cli.js";
import { decisionRegions } from "./lib/plot.js";
import { argmaxAccuracy, best, criterionOf, evaluate, fit, historyChart, modelOnGrid, pct, predict, trainValTestSplit, type History } from "./lib/train.js";

const CLASSES = ["arm 0", "arm 1", "arm 2"];

/** What {@link runMulticlass} returns. */
export interface MulticlassResult {
  testAcc: number;
  testLoss: number;
  bestValAcc: number;
  /** Cross-entropy of the test logits with index targets and with one-hot targets. */
  sparseLoss: number;
  oneHotLoss: number;
  /** Largest |difference| between the logits' gradients under the two target forms. */
  maxGradGap: number;
  history: History;
  files: string[];
}

/** Sparse (int32 indices [N]) vs one-hot (float [N, C]) targets: the loss values and the largest gradient gap. */
export function compareTargetForms(logits: Tensor, labels: Tensor, nClasses: number): { sparse: number; oneHot: number; maxGradGap: number } {
  const oneHot = tg.eye(nClasses).indexSelect(0, labels); // row i = e_{labels[i]}
  const lossAndGrad = (target: Tensor) => {
    const z = logits.detach().requiresGrad_();
    const loss = tg.losses.crossEntropy(z, target);
    loss.backward();
    return { loss: loss.item(), grad: z.grad!.dataSync() };
  };
  const a = lossAndGrad(labels);
  const b = lossAndGrad(oneHot);
  let maxGradGap = 0;
  for (let i = 0; i < a.grad.length; i++) maxGradGap = Math.max(maxGradGap, Math.abs(a.grad[i] - b.grad[i]));
  return { sparse: a.loss, oneHot: b.loss, maxGradGap };
}

/** Trains a 2-64-64-3 ReLU MLP with CrossEntropyLoss on the spiral, prints the results and writes the PNGs. */
export async function runMulticlass(options: ExampleOptions = {}): Promise<MulticlassResult> {
  const { epochs = 200, seed = 0, out = DEFAULT_OUT, quiet = false, log = console.log } = options;
  const { X, y } = tg.data.makeSpiral({ nSamples: 1500, nClasses: 3, noise: 0.2, randomState: 7 });
  const data = trainValTestSplit(X, y, 42);
  tg.manualSeed(seed);
  const { Sequential, Linear, ReLU } = tg.nn;
  const model = new Sequential(new Linear(2, 64), new ReLU(), new Linear(64, 64), new ReLU(), new Linear(64, 3)); // logits out
  const criterion = criterionOf(new tg.losses.CrossEntropyLoss());
  const loader = new tg.data.DataLoader(new tg.data.TensorDataset(...data.train), { batchSize: 64, shuffle: true, generator: new tg.Generator(seed) });
  const optimizer = new tg.optim.Adam(model.parameters(), { lr: 0.01 });
  const scheduler = new tg.optim.CosineAnnealingLR(optimizer, { tMax: epochs }); // lr 0.01 → 0: calm, precise last epochs
  log(model.toString());
  const history = fit({
    model, criterion, optimizer, scheduler, loader, epochs, accuracy: argmaxAccuracy, val: data.val,
    label: "spiral (CrossEntropyLoss)", quiet, log: options.log,
  });

  const [xTest, yTest] = data.test;
  const test = evaluate(model, criterion, argmaxAccuracy, xTest, yTest);
  const logits = predict(model, xTest);
  const forms = compareTargetForms(logits, yTest, 3);
  const bestVal = best(history.valAcc);
  const probs = logits.softmax(1);
  const maxProb = probs.amax(1).dataSync();
  const leastSure = Array.from(maxProb.keys()).sort((a, b) => maxProb[a] - maxProb[b]).slice(0, 3);

  log("");
  log(`test accuracy        ${pct(test.acc)}   (${yTest.shape[0]} held-out points)`);
  log(`test loss            ${test.loss.toFixed(4)}`);
  log(`best val accuracy    ${pct(bestVal.value)} (epoch ${bestVal.epoch}), final ${pct(history.valAcc[epochs - 1])}`);
  log("softmax probabilities of the three least confident test points (true arm → p(arm 0), p(arm 1), p(arm 2)):");
  const labels = yTest.dataSync();
  const rows = probs.toArray() as number[][];
  for (const i of leastSure) log(`  arm ${labels[i]} → ${rows[i].map((v) => v.toFixed(3)).join(", ")}`);
  log("same logits, two ways to give the target:");
  log(`  sparse categorical (int32 class indices [N])   loss ${forms.sparse.toFixed(7)}`);
  log(`  categorical (one-hot float rows [N, 3])        loss ${forms.oneHot.toFixed(7)}`);
  log(`  largest gradient difference                    ${forms.maxGradGap.toExponential(2)}`);

  const files = [
    await historyChart(join(out, "multiclass-loss.png"), history, "loss", {
      title: "Spiral: cross-entropy per epoch",
      subtitle: "MLP 2-64-64-3 (ReLU), logits into CrossEntropyLoss, Adam lr 0.01 with cosine decay, batch 64",
      yTitle: "cross-entropy",
    }),
    await historyChart(join(out, "multiclass-accuracy.png"), history, "accuracy", {
      title: "Spiral: accuracy per epoch",
      subtitle: `test accuracy ${pct(test.acc)}`,
    }),
    await regionsPng(model, data.train[0], xTest, yTest, join(out, "multiclass-regions.png"), test.acc),
  ];
  log(`wrote ${files.join(", ")}`);
  return {
    testAcc: test.acc, testLoss: test.loss, bestValAcc: bestVal.value,
    sparseLoss: forms.sparse, oneHotLoss: forms.oneHot, maxGradGap: forms.maxGradGap, history, files,
  };
}

function regionsPng(model: tg.nn.Sequential, xTrain: Tensor, xTest: Tensor, yTest: Tensor, path: string, testAcc: number): Promise<string> {
  const grid = modelOnGrid(model, tg.cat([xTrain, xTest], 0), (logits) => logits.argmax(1), 150, 0.3);
  return decisionRegions(path, {
    title: "Spiral: decision regions (argmax of the logits)",
    subtitle: `test points (standardised); test accuracy ${pct(testAcc)}`,
    grid,
    kind: "class",
    points: { xy: xTest.dataSync(), labels: yTest.dataSync() },
    classNames: CLASSES,
  });
}

runIfMain(import.meta.url, (args) => runMulticlass(args), { epochs: 200, seed: 0 });
