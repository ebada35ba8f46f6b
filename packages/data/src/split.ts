/** Splitting arrays into random train and test subsets, like `sklearn.model_selection.train_test_split`. */
import { type Generator, Tensor } from "@tsgrad/core";
import { type RandomState, permutation, resolveRandomState } from "./random-state.js";
import { fmtShape, resolveDataOptions } from "./validate.js";

const SPLIT_OPTIONS: TrainTestSplitOptions = { testSize: undefined, trainSize: undefined, randomState: undefined, shuffle: undefined, stratify: undefined };

/** What {@link trainTestSplit} can split: a tensor (along dim 0) or a JS array. */
export type Splittable = Tensor | readonly unknown[];

/**
 * Options of {@link trainTestSplit}: the sizes of the two sets, the shuffle and stratification.
 * Pass them as the last argument, after the arrays.
 *
 * | option | default | scikit-learn |
 * |---|---|---|
 * | `testSize` | `0.25` (or the complement of `trainSize`) | `test_size` |
 * | `trainSize` | the complement of the test set | `train_size` |
 * | `randomState` | the global generator | `random_state` |
 * | `shuffle` | `true` | `shuffle` |
 * | `stratify` | none | `stratify` |
 *
 * @example
 * ```ts
 * const X = arange(10).reshape(10, 1);
 * const y = tensor([0, 0, 0, 0, 0, 1, 1, 1, 1, 1], { dtype: "int32" });
 * const [xTrain, xTest, yTrain, yTest] = trainTestSplit(X, y, { testSize: 0.4, stratify: y, randomState: 0 });
 * xTest.shape;        // → [4, 1]
 * yTest.sum().item(); // → 2 (two of each class)
 * trainTestSplit(X, { trainSize: 3, shuffle: false })[0]; // → [[0], [1], [2]]
 * ```
 */
export interface TrainTestSplitOptions {
  /**
   * Test set size: a fraction in (0, 1) (the count is `ceil(testSize·n)`) or a count `>= 1`.
   * Default: the complement of `trainSize`, or 0.25 when neither is given.
   */
  testSize?: number;
  /** Train set size: a fraction in (0, 1) (`floor(trainSize·n)`) or a count (default: the complement of the test set). */
  trainSize?: number;
  /** Seed or Generator for the shuffle (default: the global generator). */
  randomState?: RandomState;
  /** Shuffle before splitting (default true); false takes the first samples for training. */
  shuffle?: boolean;
  /** Class labels [n]: keep each class's proportion in both sets (a stratified split). */
  stratify?: Tensor | readonly number[];
}

/** `[aTrain, aTest, bTrain, bTest, ...]` for inputs `[a, b, ...]`. */
export type SplitResult<A extends readonly Splittable[]> = A extends readonly [infer H, ...infer R extends readonly Splittable[]]
  ? [H extends Tensor ? Tensor : H, H extends Tensor ? Tensor : H, ...SplitResult<R>]
  : A extends readonly [] ? [] : Array<A[number] extends Tensor ? Tensor : A[number]>;

// A JS number cannot say 1.0 from 1: values in (0, 1) are fractions, integers >= 1 counts.
function checkSize(name: string, value: number | undefined, n: number): void {
  if (value === undefined) return;
  const isFraction = value > 0 && value < 1;
  const isCount = Number.isInteger(value) && value >= 1 && value < n;
  if (typeof value !== "number" || !(isFraction || isCount)) {
    throw new RangeError(`trainTestSplit: ${name}=${String(value)} should be either a fraction in (0, 1) or an integer count in [1, ${n - 1}] (n = ${n} samples)`);
  }
}

/**
 * Train and test set sizes for `n` samples, computed exactly like scikit-learn: a fraction gives
 * `ceil(testSize·n)` test samples, an integer is a count.
 *
 * @example
 * ```ts
 * splitSizes(10, 0.3, undefined); // [7, 3]
 * ```
 */
export function splitSizes(n: number, testSize: number | undefined, trainSize: number | undefined): [nTrain: number, nTest: number] {
  const test = testSize === undefined && trainSize === undefined ? 0.25 : testSize;
  checkSize("testSize", test, n);
  checkSize("trainSize", trainSize, n);
  if (test !== undefined && trainSize !== undefined && test < 1 && trainSize < 1 && test + trainSize > 1) {
    throw new RangeError(`trainTestSplit: testSize + trainSize = ${test + trainSize} should be at most 1`);
  }
  const fromFraction = (v: number, round: (x: number) => number) => (v < 1 ? round(v * n) : v);
  let nTest = test === undefined ? NaN : fromFraction(test, Math.ceil);
  let nTrain = trainSize === undefined ? n - nTest : fromFraction(trainSize, Math.floor);
  if (test === undefined) nTest = n - nTrain;
  if (nTrain + nTest > n) {
    throw new RangeError(`trainTestSplit: trainSize + testSize = ${nTrain + nTest} samples, more than the ${n} available`);
  }
  if (nTrain === 0) {
    throw new RangeError(`trainTestSplit: with n = ${n}, testSize = ${String(testSize)} and trainSize = ${String(trainSize)} the train set would be empty`);
  }
  return [nTrain, nTest];
}

// sklearn.utils._approximate_mode: per-class counts summing to `draws`, proportional to
// `counts`, rounding up the largest remainders first (ties broken at random).
function approximateMode(counts: readonly number[], draws: number, gen: Generator): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  const continuous = counts.map((c) => (c / total) * draws);
  const out = continuous.map(Math.floor);
  let needed = draws - out.reduce((a, b) => a + b, 0);
  const remainders = continuous.map((c, i) => c - out[i]);
  const levels = [...new Set(remainders)].sort((a, b) => b - a);
  for (const level of levels) {
    if (needed <= 0) break;
    const tied = remainders.flatMap((r, i) => (r === level ? [i] : []));
    const take = Math.min(tied.length, needed);
    const order = permutation(tied.length, gen);
    for (let k = 0; k < take; k++) out[tied[order[k]]]++;
    needed -= take;
  }
  return out;
}

function labelsOf(stratify: Tensor | readonly number[], n: number): ArrayLike<number> {
  const values = stratify instanceof Tensor ? stratify.dataSync() : stratify;
  const shape = stratify instanceof Tensor ? stratify.shape : [values.length];
  if (shape.length !== 1 || values.length !== n) {
    throw new RangeError(`trainTestSplit: stratify must be 1-D with one label per sample ([${n}]), got shape ${fmtShape(shape)}`);
  }
  return values;
}

// sklearn's StratifiedShuffleSplit: per-class train/test counts by approximateMode, a random
// subset of each class, then each set in random order.
function stratifiedIndices(labels: ArrayLike<number>, nTrain: number, nTest: number, gen: Generator): [Int32Array, Int32Array] {
  const classes = [...new Set(Array.from(labels))].sort((a, b) => a - b);
  const members = classes.map(() => [] as number[]);
  const position = new Map(classes.map((c, i) => [c, i]));
  for (let i = 0; i < labels.length; i++) members[position.get(labels[i])!].push(i);
  const counts = members.map((m) => m.length);
  const smallest = Math.min(...counts);
  if (smallest < 2) {
    throw new RangeError(`trainTestSplit: the least populated class in stratify (label ${classes[counts.indexOf(smallest)]}) has only 1 member; each class needs at least 2`);
  }
  if (nTrain < classes.length || nTest < classes.length) {
    throw new RangeError(`trainTestSplit: a stratified split needs at least one sample per class (${classes.length} classes) in each set, got ${nTrain} train and ${nTest} test`);
  }
  const trainCounts = approximateMode(counts, nTrain, gen);
  const testCounts = approximateMode(counts.map((c, i) => c - trainCounts[i]), nTest, gen);
  const train: number[] = [];
  const test: number[] = [];
  members.forEach((m, c) => {
    const perm = permutation(m.length, gen);
    for (let k = 0; k < trainCounts[c]; k++) train.push(m[perm[k]]);
    for (let k = trainCounts[c]; k < trainCounts[c] + testCounts[c]; k++) test.push(m[perm[k]]);
  });
  const shuffled = (idx: number[]) => Int32Array.from(permutation(idx.length, gen), (k) => idx[k]);
  return [shuffled(train), shuffled(test)];
}

function take<T extends Splittable>(a: T, index: Int32Array): T {
  if (a instanceof Tensor) return a.indexSelect(0, new Tensor(index, [index.length], "int32")) as T;
  return Array.from(index, (i) => (a as readonly unknown[])[i]) as unknown as T;
}

function lengthOf(a: Splittable): number {
  return a instanceof Tensor ? (a.ndim === 0 ? NaN : a.shape[0]) : a.length;
}

function isOptions(v: unknown): v is TrainTestSplitOptions {
  return v !== null && typeof v === "object" && !(v instanceof Tensor) && !Array.isArray(v);
}

/**
 * Splits tensors (along dim 0) or arrays into random train and test subsets, like
 * `sklearn.model_selection.train_test_split`: every input is split with the same indices, and
 * the result interleaves them `[aTrain, aTest, bTrain, bTest, ...]`. Sizes follow scikit-learn
 * (`nTest = ceil(testSize·n)` for a fraction, `nTrain = floor(trainSize·n)`, default testSize
 * 0.25), and so does the shuffle: a random permutation, the first `nTest` for testing and the
 * next `nTrain` for training. With `stratify`, each class keeps its share of both sets.
 *
 * @example
 * ```ts
 * const { X, y } = makeMoons({ nSamples: 200, noise: 0.1, randomState: 0 });
 * const [xTrain, xTest, yTrain, yTest] = trainTestSplit(X, y, { testSize: 0.2, randomState: 42, stratify: y });
 * xTrain.shape; // [160, 2]
 * ```
 */
export function trainTestSplit<A extends Splittable[]>(...arrays: A): SplitResult<A>;
export function trainTestSplit<A extends Splittable[]>(...args: [...A, TrainTestSplitOptions]): SplitResult<A>;
export function trainTestSplit(...args: Array<Splittable | TrainTestSplitOptions>): Splittable[] {
  const given = args.length > 0 && isOptions(args[args.length - 1]) ? args.pop() : undefined;
  const options = resolveDataOptions("trainTestSplit", given, SPLIT_OPTIONS);
  const arrays = args as Splittable[];
  if (arrays.length === 0) throw new RangeError("trainTestSplit: at least one array required as input");
  arrays.forEach((a, i) => {
    if (!(a instanceof Tensor) && !Array.isArray(a)) throw new TypeError(`trainTestSplit: argument ${i} must be a Tensor or an array`);
    if (a instanceof Tensor && a.ndim === 0) throw new RangeError(`trainTestSplit: argument ${i} is a 0-d tensor; it needs a first dimension to split`);
  });
  const n = lengthOf(arrays[0]);
  if (arrays.some((a) => lengthOf(a) !== n)) {
    const lengths = arrays.map((a) => (a instanceof Tensor ? `shape ${fmtShape(a.shape)}` : `length ${a.length}`)).join(", ");
    throw new RangeError(`trainTestSplit: found input variables with inconsistent numbers of samples: ${lengths}`);
  }
  const [nTrain, nTest] = splitSizes(n, options.testSize, options.trainSize);
  let train: Int32Array;
  let test: Int32Array;
  if (options.shuffle === false) {
    if (options.stratify !== undefined) throw new RangeError("trainTestSplit: a stratified split needs shuffle: true");
    train = Int32Array.from({ length: nTrain }, (_, i) => i);
    test = Int32Array.from({ length: nTest }, (_, i) => nTrain + i);
  } else {
    const gen = resolveRandomState("trainTestSplit", options.randomState);
    if (options.stratify !== undefined) {
      [train, test] = stratifiedIndices(labelsOf(options.stratify, n), nTrain, nTest, gen);
    } else {
      const perm = permutation(n, gen);
      test = perm.slice(0, nTest);
      train = perm.slice(nTest, nTest + nTrain);
    }
  }
  return arrays.flatMap((a) => [take(a, train), take(a, test)]);
}
