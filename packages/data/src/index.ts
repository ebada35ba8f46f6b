/**
 * @tsgrad/data — datasets, mini-batch loading, toy datasets, train/test splitting, feature
 * scaling and metrics: the data side of a training script, with PyTorch's `torch.utils.data`
 * and scikit-learn's names and semantics.
 *
 * @example
 * ```ts
 * import { makeMoons, trainTestSplit, StandardScaler, TensorDataset, DataLoader, accuracy } from "@tsgrad/data";
 * import { nn, losses, optim } from "tsgrad";
 * const { X, y } = makeMoons({ nSamples: 500, noise: 0.2, randomState: 0 });
 * const [xTrain, xTest, yTrain, yTest] = trainTestSplit(X, y, { testSize: 0.2, randomState: 0 });
 * const scaler = new StandardScaler();
 * const loader = new DataLoader(new TensorDataset(scaler.fitTransform(xTrain), yTrain), { batchSize: 32, shuffle: true });
 * const model = new nn.Sequential(new nn.Linear(2, 16), new nn.ReLU(), new nn.Linear(16, 2));
 * const optimizer = new optim.Adam(model.parameters(), { lr: 0.01 });
 * for (let epoch = 0; epoch < 20; epoch++) {
 *   for (const [xb, yb] of loader) {
 *     optimizer.zeroGrad();
 *     losses.crossEntropy(model.forward(xb), yb).backward();
 *     optimizer.step();
 *   }
 * }
 * accuracy(yTest, model.forward(scaler.transform(xTest)).argmax(1)); // ≈ 0.9
 * ```
 * @packageDocumentation
 * @module tg.data
 */
export { Dataset, TensorDataset, IterableDataset, ChainDataset, Subset, ConcatDataset } from "./dataset.js";
export {
  Sampler, SequentialSampler, RandomSampler, SubsetRandomSampler, WeightedRandomSampler, BatchSampler,
  type Sized, type RandomSamplerOptions, type GeneratorOptions, type WeightedRandomSamplerOptions,
} from "./sampler.js";
export { randomSplit, splitLengths, type RandomSplitOptions } from "./random-split.js";
export { DataLoader, type DataLoaderOptions } from "./dataloader.js";
export * as transforms from "./transforms/index.js";
export { defaultCollate, type Collated } from "./collate.js";
export { type RandomState } from "./random-state.js";
export {
  makeMoons, makeCircles, makeBlobs, makeSpiral, makeRegression,
  type ToyDataset, type ToyDatasetOptions, type MoonsOptions, type CirclesOptions, type BlobsOptions, type BlobsDataset,
  type SpiralOptions, type RegressionOptions, type RegressionDataset,
} from "./toy-datasets.js";
export { trainTestSplit, splitSizes, type TrainTestSplitOptions, type Splittable, type SplitResult } from "./split.js";
export { StandardScaler, type StandardScalerOptions } from "./standard-scaler.js";
export {
  accuracy, precision, recall, f1, confusionMatrix,
  type Average, type ClassificationScoreOptions, type ConfusionMatrixOptions,
} from "./metrics/classification.js";
export { meanAbsoluteError, meanSquaredError, rootMeanSquaredError, r2Score } from "./metrics/regression.js";
