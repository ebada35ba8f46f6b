/**
 * Sequence forecasting with an LSTM: a noisy sum of three sines (periods 20, 7.5 and 50 steps plus
 * N(0, 0.15²) noise), cut into windows of 24 observed values, each labelled with the value that
 * follows. An LSTM(1 → 32) reads the window and a Linear head maps its last output to the next
 * value; MSE, Adam. The last 25% of the series is held out. Scored against the noise-free truth,
 * beside the naive forecast "the next value is the last one": one-step-ahead RMSE on the test
 * part, and a free-running forecast that feeds its own predictions back for 60 steps.
 *
 *   pnpm tsx --conditions=@tsgrad/source examples/sequence.ts [--epochs 30] [--seed 0] [--out DIR] [--quiet]
 */
import { join } from "node:path";
import * as tg from "tsgrad";
import type { Tensor } from "tsgrad";
import { DEFAULT_OUT, runIfMain, type ExampleOptions } from "./cli.js";
import { EpochProgress } from "./lib/progress.js";
import { lineChart } from "./lib/plot.js";

const LENGTH = 600;
const WINDOW = 24;
const HORIZON = 60;
const NOISE = 0.15;

/** The noise-free signal at time t. */
const signal = (t: number): number =>
  Math.sin((2 * Math.PI * t) / 20) + 0.5 * Math.sin((2 * Math.PI * t) / 7.5 + 1) + 0.3 * Math.sin((2 * Math.PI * t) / 50);

/** LSTM over a window `(N, WINDOW, 1)`, Linear head on the last step: the next value `(N, 1)`. */
class Forecaster extends tg.nn.Module {
  lstm = new tg.nn.LSTM(1, 32, { batchFirst: true });
  head = new tg.nn.Linear(32, 1);
  forward(window: Tensor): Tensor {
    const [out] = this.lstm.forward(window);
    return this.head.forward(out.select(1, -1));
  }
}

/** What {@link runSequence} returns. */
export interface SequenceResult {
  /** One-step-ahead RMSE on the test part against the noise-free truth. */
  testRmse: number;
  /** The same for the naive forecast (the last observed value). */
  naiveRmse: number;
  /** RMSE of the free-running forecast over {@link HORIZON} steps after the training part. */
  freeRunRmse: number;
  /** The same for holding the last observed value for the whole horizon. */
  naiveFreeRunRmse: number;
  /** Training loss (MSE against the noisy targets) per epoch. */
  trainLoss: number[];
  files: string[];
}

/** Windows `(N, WINDOW, 1)` of `series` starting at each of `starts`, and the value after each `(N, 1)`. */
function windows(series: Float32Array, starts: readonly number[]): [Tensor, Tensor] {
  const x = new Float32Array(starts.length * WINDOW);
  starts.forEach((s, i) => x.set(series.subarray(s, s + WINDOW), i * WINDOW));
  return [tg.tensor(x, { shape: [starts.length, WINDOW, 1] }), tg.tensor(Float32Array.from(starts, (s) => series[s + WINDOW]), { shape: [starts.length, 1] })];
}

const rmse = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s / a.length);
};

/** Trains the forecaster, prints the scores and writes the forecast and loss plots. */
export async function runSequence(options: ExampleOptions = {}): Promise<SequenceResult> {
  const { epochs = 30, seed = 0, out = DEFAULT_OUT, quiet = false, log = console.log } = options;
  tg.manualSeed(seed);
  const truth = Float32Array.from({ length: LENGTH }, (_, t) => signal(t));
  const noise = tg.randn([LENGTH]).mul(NOISE).dataSync();
  const observed = truth.map((v, t) => v + noise[t]);
  const split = Math.round(LENGTH * 0.75);
  const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
  const [xTrain, yTrain] = windows(observed, range(0, split - WINDOW));
  const testStarts = range(split - WINDOW, LENGTH - WINDOW);
  const [xTest] = windows(observed, testStarts);
  log(`${LENGTH} steps of sin(2πt/20) + 0.5·sin(2πt/7.5 + 1) + 0.3·sin(2πt/50) + N(0, ${NOISE}²); windows of ${WINDOW}, ${xTrain.shape[0]} for training, ${testStarts.length} for testing`);

  const model = new Forecaster();
  const optimizer = new tg.optim.Adam(model.parameters(), { lr: 1e-2 });
  const loader = new tg.data.DataLoader(new tg.data.TensorDataset(xTrain, yTrain), { batchSize: 32, shuffle: true, generator: new tg.Generator(seed) });
  const progress = new EpochProgress("LSTM forecaster", epochs, { quiet, log: options.log });
  const trainLoss: number[] = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    let sum = 0;
    for (const [xb, yb] of loader) {
      const loss = tg.losses.mseLoss(model.forward(xb), yb);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      sum += loss.item() * xb.shape[0];
    }
    trainLoss.push(sum / xTrain.shape[0]);
    progress.update(epoch, { loss: trainLoss[epoch - 1] });
  }
  progress.stop();

  model.eval();
  // One step ahead: each test window of observed values predicts the next value.
  const oneStep = tg.noGrad(() => model.forward(xTest)).dataSync();
  const testTruth = testStarts.map((s) => truth[s + WINDOW]);
  const testRmse = rmse(oneStep, testTruth);
  const naiveRmse = rmse(testStarts.map((s) => observed[s + WINDOW - 1]), testTruth);
  // Free running: from the last observed window of the training part, feed predictions back.
  const context = Array.from(observed.subarray(split - WINDOW, split));
  const freeRun: number[] = [];
  tg.noGrad(() => {
    for (let k = 0; k < HORIZON; k++) {
      const next = model.forward(tg.tensor(Float32Array.from(context.slice(-WINDOW)), { shape: [1, WINDOW, 1] })).item();
      freeRun.push(next);
      context.push(next);
    }
  });
  const horizonTruth = truth.subarray(split, split + HORIZON);
  const freeRunRmse = rmse(freeRun, horizonTruth);
  const naiveFreeRunRmse = rmse(freeRun.map(() => observed[split - 1]), horizonTruth);

  log("");
  log("RMSE against the noise-free signal      LSTM    naive (last value)");
  log(`one step ahead, test part            ${testRmse.toFixed(4).padStart(7)}   ${naiveRmse.toFixed(4).padStart(7)}`);
  log(`free-running, ${HORIZON} steps              ${freeRunRmse.toFixed(4).padStart(7)}   ${naiveFreeRunRmse.toFixed(4).padStart(7)}`);
  log(`(the noise alone has a standard deviation of ${NOISE})`);

  const shown = range(split - 2 * WINDOW, LENGTH);
  const files = [
    await lineChart(join(out, "sequence-forecast.png"), {
      title: "LSTM forecast of a noisy multi-sine series",
      subtitle: `trained on t < ${split}; one-step forecasts read the observed window, the free-running one feeds its own predictions back`,
      xTitle: "t",
      yTitle: "value",
      width: 760,
      series: [
        { name: "observed (noisy)", x: shown, values: shown.map((t) => observed[t]) },
        { name: "truth (noise-free)", x: shown, values: shown.map((t) => truth[t]), dashed: true },
        { name: "one step ahead", x: testStarts.map((s) => s + WINDOW), values: Array.from(oneStep) },
        { name: `free-running (${HORIZON} steps)`, x: range(split, split + HORIZON), values: freeRun },
      ],
    }),
    await lineChart(join(out, "sequence-loss.png"), {
      title: "LSTM forecaster: training loss",
      subtitle: `MSE against the noisy targets; the noise floor is σ² = ${(NOISE * NOISE).toFixed(4)}`,
      xTitle: "epoch",
      yTitle: "MSE",
      yScale: "log",
      series: [{ name: "train", values: trainLoss }],
    }),
  ];
  log(`wrote ${files.join(", ")}`);
  return { testRmse, naiveRmse, freeRunRmse, naiveFreeRunRmse, trainLoss, files };
}

runIfMain(import.meta.url, (args) => runSequence(args), { epochs: 30, seed: 0 });
