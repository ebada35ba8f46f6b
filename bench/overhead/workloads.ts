/**
 * The small training loops of issue 13's per-op overhead goal (W1–W3) and the memory check (W4),
 * written against a `tsgrad` module passed in, so that one process can load two checkouts (main
 * and a branch) and time them interleaved. Each workload builds its data and model untimed and
 * returns a `run()` that trains and reports its final numbers; two checkouts that compute the same
 * thing print the same numbers to the last digit.
 *
 * - W1: moons (2000 points, noise 0.2, seed 42, 70/15/15, standardised), 2-32-16-8-1 ReLU +
 *   Sigmoid, BCELoss, SGD lr 0.05, batch 64, 500 epochs; per batch loss.item(), per epoch a
 *   noGrad eval of the validation set (loss, accuracy) — the loop of examples/lib/train.ts.
 * - W2: spiral (1500 points, 3 classes, noise 0.2, seed 7), 2-64-64-3 ReLU, CrossEntropyLoss,
 *   Adam lr 0.01 with cosine decay, batch 64, 200 epochs, per-epoch eval.
 * - W3: makeRegression (1400 points, 8 features, noise 10, seed 0, 5% outliers; targets scaled to
 *   unit variance), 8-64-64-1 ReLU, Adam lr 0.01, batch 32, 300 epochs each with MSE, Huber and MAE
 *   (L1), per-epoch eval.
 * - W4: 784-256-128-10 ReLU, batch 128 of fixed random data, CrossEntropyLoss + Adam lr 1e-3.
 */
import type * as TG from "tsgrad";

export type Tsgrad = typeof TG;
type Tensor = TG.Tensor;

/** A built workload: `run()` trains (the timed part) and returns its final numbers. */
export interface Workload {
  run(): Record<string, number>;
}

/** The number of epochs each workload runs by default (the issue's). */
export const EPOCHS = { w1: 500, w2: 200, w3: 300 } as const;

function splits(tg: Tsgrad, x: Tensor, y: Tensor, randomState: number) {
  const [xTrain, xRest, yTrain, yRest] = tg.data.trainTestSplit(x, y, { testSize: 0.3, randomState });
  const [xVal, , yVal] = tg.data.trainTestSplit(xRest, yRest, { testSize: 0.5, randomState });
  const scaler = new tg.data.StandardScaler().fit(xTrain);
  return { xTrain: scaler.transform(xTrain), yTrain, xVal: scaler.transform(xVal), yVal };
}

/** The W1 data (also written for the PyTorch side). */
export function w1Data(tg: Tsgrad) {
  const { X, y } = tg.data.makeMoons({ nSamples: 2000, noise: 0.2, randomState: 42 });
  return splits(tg, X, y.to("float32").unsqueeze(1), 42);
}

/** The W2 data. */
export function w2Data(tg: Tsgrad) {
  const { X, y } = tg.data.makeSpiral({ nSamples: 1500, nClasses: 3, noise: 0.2, randomState: 7 });
  return splits(tg, X, y, 0);
}

/** The W3 data. */
export function w3Data(tg: Tsgrad) {
  const { X, y } = tg.data.makeRegression({ nSamples: 1400, nFeatures: 8, noise: 10, randomState: 0, outlierFraction: 0.05, outlierScale: 5 });
  const scaled = tg.noGrad(() => y.div(y.std()).unsqueeze(1));
  return splits(tg, X, scaled, 0);
}

/** Sequential MLP with ReLU between the Linear layers (and after the last one `last`, if given). */
function mlp(tg: Tsgrad, widths: number[], last?: TG.nn.Module): TG.nn.Sequential {
  const layers: TG.nn.Module[] = [];
  for (let k = 1; k < widths.length; k++) {
    layers.push(new tg.nn.Linear(widths[k - 1], widths[k]));
    if (k < widths.length - 1) layers.push(new tg.nn.ReLU());
  }
  if (last) layers.push(last);
  return new tg.nn.Sequential(...layers);
}

interface LoopSpec {
  model: TG.nn.Sequential;
  loss: (out: Tensor, target: Tensor) => Tensor;
  accuracy?: (out: Tensor, target: Tensor) => number;
  optimizer: TG.optim.Optimizer;
  scheduler?: { step(): void };
  loader: Iterable<Tensor[]>;
  val: [Tensor, Tensor];
  epochs: number;
}

/**
 * The loop of examples/lib/train.ts: train batches (reading each loss with item()), then a noGrad
 * eval of the validation set (loss and accuracy). The per-batch training accuracy of train.ts is
 * left out, so that the PyTorch side does the same work.
 */
function loop(tg: Tsgrad, s: LoopSpec): Record<string, number> {
  let trainLoss = 0;
  let valLoss = 0;
  let valAcc = 0;
  for (let epoch = 0; epoch < s.epochs; epoch++) {
    s.model.train();
    let lossSum = 0;
    let seen = 0;
    for (const [x, target] of s.loader) {
      const out = s.model.forward(x);
      const loss = s.loss(out, target);
      s.optimizer.zeroGrad();
      loss.backward();
      s.optimizer.step();
      const n = x.shape[0];
      lossSum += loss.item() * n;
      seen += n;
    }
    s.scheduler?.step();
    s.model.eval();
    tg.noGrad(() => {
      const out = s.model.forward(s.val[0]);
      valLoss = s.loss(out, s.val[1]).item();
      if (s.accuracy) valAcc = s.accuracy(out, s.val[1]);
    });
    trainLoss = lossSum / seen;
  }
  return s.accuracy ? { trainLoss, valLoss, valAcc } : { trainLoss, valLoss };
}

const binaryAccuracy = (out: Tensor, target: Tensor): number => {
  const o = out.dataSync();
  const t = target.dataSync();
  let correct = 0;
  for (let i = 0; i < o.length; i++) if ((o[i] > 0.5 ? 1 : 0) === t[i]) correct++;
  return correct / o.length;
};

/** W1: moons, SGD. */
export function w1(tg: Tsgrad, epochs: number = EPOCHS.w1): Workload {
  const d = w1Data(tg);
  return {
    run() {
      tg.manualSeed(42);
      const model = mlp(tg, [2, 32, 16, 8, 1], new tg.nn.Sigmoid());
      const bce = new tg.losses.BCELoss();
      return loop(tg, {
        model,
        loss: (o, t) => bce.forward(o, t),
        accuracy: binaryAccuracy,
        optimizer: new tg.optim.SGD(model.parameters(), { lr: 0.05 }),
        loader: new tg.data.DataLoader(new tg.data.TensorDataset(d.xTrain, d.yTrain), { batchSize: 64, shuffle: true, generator: new tg.Generator(42) }),
        val: [d.xVal, d.yVal],
        epochs,
      });
    },
  };
}

/** W2: spiral, Adam + cosine decay. */
export function w2(tg: Tsgrad, epochs: number = EPOCHS.w2): Workload {
  const d = w2Data(tg);
  return {
    run() {
      tg.manualSeed(0);
      const model = mlp(tg, [2, 64, 64, 3]);
      const ce = new tg.losses.CrossEntropyLoss();
      const optimizer = new tg.optim.Adam(model.parameters(), { lr: 0.01 });
      return loop(tg, {
        model,
        loss: (o, t) => ce.forward(o, t),
        accuracy: (o, t) => tg.data.accuracy(t, o.argmax(1)),
        optimizer,
        scheduler: new tg.optim.CosineAnnealingLR(optimizer, { tMax: epochs }),
        loader: new tg.data.DataLoader(new tg.data.TensorDataset(d.xTrain, d.yTrain), { batchSize: 64, shuffle: true, generator: new tg.Generator(0) }),
        val: [d.xVal, d.yVal],
        epochs,
      });
    },
  };
}

/** W3: regression with MSE, Huber and MAE, Adam. */
export function w3(tg: Tsgrad, epochs: number = EPOCHS.w3): Workload {
  const d = w3Data(tg);
  const losses: Array<[string, (o: Tensor, t: Tensor) => Tensor]> = [
    ["mse", (o, t) => tg.losses.mseLoss(o, t)],
    ["huber", (o, t) => tg.losses.huberLoss(o, t, { delta: 1 })],
    ["mae", (o, t) => tg.losses.l1Loss(o, t)],
  ];
  return {
    run() {
      const result: Record<string, number> = {};
      for (const [name, loss] of losses) {
        tg.manualSeed(0);
        const model = mlp(tg, [8, 64, 64, 1]);
        const r = loop(tg, {
          model,
          loss,
          optimizer: new tg.optim.Adam(model.parameters(), { lr: 0.01 }),
          loader: new tg.data.DataLoader(new tg.data.TensorDataset(d.xTrain, d.yTrain), { batchSize: 32, shuffle: true, generator: new tg.Generator(0) }),
          val: [d.xVal, d.yVal],
          epochs,
        });
        result[`${name}TrainLoss`] = r.trainLoss;
        result[`${name}ValLoss`] = r.valLoss;
      }
      return result;
    },
  };
}

/** W4: `steps` steps of 784-256-128-10 with batch 128, CE + Adam; `onStep(i)` after each. */
export function w4(tg: Tsgrad, steps: number, onStep?: (step: number) => void): Workload {
  return {
    run() {
      tg.manualSeed(0);
      const x = tg.randn([128, 784]);
      const y = tg.randint(0, 10, [128]);
      const model = mlp(tg, [784, 256, 128, 10]);
      const ce = new tg.losses.CrossEntropyLoss();
      const optimizer = new tg.optim.Adam(model.parameters(), { lr: 1e-3 });
      let last = NaN;
      for (let i = 1; i <= steps; i++) {
        const loss = ce.forward(model.forward(x), y);
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
        last = loss.item();
        onStep?.(i);
      }
      return { loss: last };
    },
  };
}

/** The workloads by name, at a fraction `scale` of their epochs. */
export function workload(tg: Tsgrad, name: string, scale = 1): Workload {
  const e = (n: number) => Math.max(1, Math.round(n * scale));
  switch (name) {
    case "w1":
      return w1(tg, e(EPOCHS.w1));
    case "w2":
      return w2(tg, e(EPOCHS.w2));
    case "w3":
      return w3(tg, e(EPOCHS.w3));
    case "w4":
      return w4(tg, e(1000));
    default:
      throw new RangeError(`unknown workload ${name}; use w1, w2, w3 or w4`);
  }
}
