/**
 * The benchmarks' data, generated once in TypeScript (seeded, so every run sees the same numbers)
 * and handed to every framework as flat typed arrays; PyTorch reads the same bytes from the
 * temporary data file (bench/lib/torch.ts).
 */
import * as tg from "tsgrad";
import { loadMnist } from "../../examples/mnist-cnn.js";
import { encode, type Encoded } from "./torch.js";

/** A supervised data set split into training and test rows: x row-major [n, features]; y float [n, 1] targets or int32 [n] classes. */
export interface Dataset {
  features: number;
  /** Number of classes (y holds int32 class indices), 1 for 0/1 float targets, 0 for regression. */
  classes: number;
  xTrain: Float32Array;
  yTrain: Float32Array | Int32Array;
  xTest: Float32Array;
  yTest: Float32Array | Int32Array;
}

export const nTrain = (d: Dataset): number => d.xTrain.length / d.features;
export const nTest = (d: Dataset): number => d.xTest.length / d.features;

/** 70/30 split (seed 42), x standardised on the training part; `y` cast as the task wants. */
function split(X: tg.Tensor, y: tg.Tensor, classes: number, scaleY = false): Dataset {
  const target = classes > 1 ? y.to("int32") : y.to("float32").reshape(-1, 1);
  const [xTr, xTe, yTr, yTe] = tg.data.trainTestSplit(X.to("float32"), target, { testSize: 0.3, randomState: 42 });
  const scaler = new tg.data.StandardScaler().fit(xTr);
  let [yTrain, yTest] = [yTr, yTe];
  if (scaleY) {
    const ys = new tg.data.StandardScaler().fit(yTr);
    [yTrain, yTest] = [ys.transform(yTr), ys.transform(yTe)];
  }
  const flat = (t: tg.Tensor): Float32Array | Int32Array => (t.dtype === "int32" ? Int32Array.from(t.dataSync()) : Float32Array.from(t.dataSync()));
  return {
    features: X.shape[1],
    classes,
    xTrain: Float32Array.from(scaler.transform(xTr).dataSync()),
    yTrain: flat(yTrain),
    xTest: Float32Array.from(scaler.transform(xTe).dataSync()),
    yTest: flat(yTest),
  };
}

/** W1: the article's moons, 2000 points, noise 0.2: 1400 training and 600 test points, 0/1 targets. */
export function moons(): Dataset {
  const { X, y } = tg.data.makeMoons({ nSamples: 2000, noise: 0.2, randomState: 42 });
  return split(X, y, 1);
}

/** W2: a 3-arm spiral, 1500 points: 1050 training and 450 test points, 3 classes. */
export function spiral(): Dataset {
  const { X, y } = tg.data.makeSpiral({ nSamples: 1500, nClasses: 3, noise: 0.2, randomState: 42 });
  return split(X, y, 3);
}

/** W3: makeRegression, 1000 rows of 8 features plus noise; x and y standardised. */
export function regression(): Dataset {
  const { X, y } = tg.data.makeRegression({ nSamples: 1000, nFeatures: 8, noise: 10, randomState: 42 });
  return split(X, y, 0, true);
}

/** W4, LeNet: the 10,000 MNIST digits of the `mnist` package (7,000 training, 2,000 test), normalised, rows of 784 pixels. */
export function mnist(): Dataset {
  const { train, test } = loadMnist();
  return {
    features: 784,
    classes: 10,
    xTrain: Float32Array.from(train[0].dataSync()),
    yTrain: Int32Array.from(train[1].dataSync()),
    xTest: Float32Array.from(test[0].dataSync()),
    yTest: Int32Array.from(test[1].dataSync()),
  };
}

/** The LSTM's sequences: N(0, 1) inputs [32, 50, 32] and targets [32, 1] (tsgrad's generator, seed 0). */
export function sequences(): { x: Float32Array; y: Float32Array } {
  const gen = new tg.Generator(0);
  return {
    x: Float32Array.from(tg.randn([32, 50, 32], { generator: gen }).dataSync()),
    y: Float32Array.from(tg.randn([32, 1], { generator: gen }).dataSync()),
  };
}

/** A data set as the Python side reads it. */
export function encodeDataset(d: Dataset): Record<string, Encoded | number> {
  const yShape = (y: Float32Array | Int32Array): number[] => (y instanceof Int32Array ? [y.length] : [y.length, 1]);
  return {
    features: d.features,
    classes: d.classes,
    xTrain: encode(d.xTrain, [nTrain(d), d.features]),
    yTrain: encode(d.yTrain, yShape(d.yTrain)),
    xTest: encode(d.xTest, [nTest(d), d.features]),
    yTest: encode(d.yTest, yShape(d.yTest)),
  };
}
