/**
 * Toy datasets with scikit-learn's definitions (`sklearn.datasets.make_*`) and the CS231n
 * spiral. The geometry is exactly scikit-learn's; the random numbers come from tsgrad's
 * {@link Generator}, so a seed gives the same data on every machine but not the same numbers as
 * NumPy's generator.
 */
import { type Generator, Tensor, tensor } from "@tsgrad/core";
import { type RandomState, linspace, permutation, resolveRandomState, splitEvenly } from "./random-state.js";
import { checkInteger, checkNonNegative, fmtShape, resolveDataOptions } from "./validate.js";

/**
 * Options shared by every toy dataset generator ({@link makeMoons}, {@link makeCircles},
 * {@link makeBlobs}, {@link makeSpiral}): the randomness, the order and the dtype.
 *
 * | option | default | scikit-learn |
 * |---|---|---|
 * | `randomState` | the global generator | `random_state` |
 * | `shuffle` | `true` | `shuffle` |
 * | `dtype` | `"float32"` | (NumPy's float64) |
 *
 * @example
 * ```ts
 * const a = makeCircles({ noise: 0.1, randomState: 1, dtype: "float64" });
 * const b = makeCircles({ noise: 0.1, randomState: 1, dtype: "float64" });
 * a.X.dtype;                          // → "float64"
 * a.X.sub(b.X).abs().max().item();    // → 0 (a seed gives the same data)
 * makeMoons({ nSamples: 4, shuffle: false }).y; // → [0, 0, 1, 1]
 * ```
 */
export interface ToyDatasetOptions {
  /**
   * Seed or Generator for shuffling and noise (default: the global generator). A seed gives the
   * same data on every machine, but not the numbers NumPy would draw for that seed.
   */
  randomState?: RandomState;
  /** Shuffle the samples (default true, like scikit-learn); false keeps them grouped by class. */
  shuffle?: boolean;
  /** Element type of `X` (default float32). */
  dtype?: "float32" | "float64";
}

const TOY_OPTIONS: ToyDatasetOptions = { randomState: undefined, shuffle: undefined, dtype: undefined };
const MOONS_OPTIONS: MoonsOptions = { ...TOY_OPTIONS, nSamples: undefined, noise: undefined };

/**
 * A labelled toy dataset: points `X` [n, nFeatures] and int32 class labels `y` [n], as returned by
 * {@link makeMoons}, {@link makeCircles} and {@link makeSpiral} ({@link makeBlobs} adds the centers).
 * scikit-learn returns the pair `(X, y)`; destructure it the same way.
 *
 * @example
 * ```ts
 * const { X, y } = makeMoons({ nSamples: 10, randomState: 0 });
 * X.shape; // → [10, 2]
 * y.dtype; // → "int32"
 * ```
 */
export interface ToyDataset {
  /** The points, [nSamples, nFeatures]. */
  X: Tensor;
  /** Class of each point, int32 [nSamples]. */
  y: Tensor;
}

/** Points being built in float64: row-major `X` with `nFeatures` columns and labels `y`. */
interface Points {
  X: Float64Array;
  y: Int32Array;
  nFeatures: number;
}

function shuffleRows(p: Points, gen: Generator): Points {
  const n = p.y.length;
  const f = p.nFeatures;
  const perm = permutation(n, gen);
  const X = new Float64Array(p.X.length);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const j = perm[i];
    y[i] = p.y[j];
    for (let k = 0; k < f; k++) X[i * f + k] = p.X[j * f + k];
  }
  return { X, y, nFeatures: f };
}

function addNoise(X: Float64Array, std: number, gen: Generator): void {
  for (let i = 0; i < X.length; i++) X[i] += std * gen.normal();
}

// scikit-learn's order: shuffle the clean points, then add noise.
function finish(p: Points, gen: Generator, options: ToyDatasetOptions, noise = 0): ToyDataset {
  const out = (options.shuffle ?? true) ? shuffleRows(p, gen) : p;
  if (noise > 0) addNoise(out.X, noise, gen);
  return {
    X: tensor(out.X, { shape: [out.y.length, out.nFeatures], dtype: options.dtype ?? "float32" }),
    y: new Tensor(out.y, [out.y.length], "int32"),
  };
}

function twoGroupSizes(op: string, nSamples: number | readonly [number, number]): [number, number] {
  if (typeof nSamples === "number") {
    checkInteger(op, "nSamples", nSamples);
    return [Math.floor(nSamples / 2), nSamples - Math.floor(nSamples / 2)];
  }
  if (!Array.isArray(nSamples) || nSamples.length !== 2) {
    throw new RangeError(`${op}: nSamples must be an integer or a pair [nOuter, nInner], got ${JSON.stringify(nSamples)}`);
  }
  return [checkInteger(op, "nSamples[0]", nSamples[0]), checkInteger(op, "nSamples[1]", nSamples[1])];
}

function optionalNoise(op: string, noise: number | undefined): number {
  return noise === undefined ? 0 : checkNonNegative(op, "noise", noise);
}

// Two groups of 2-D points (class 0 then class 1), coordinates from `place`.
function twoGroups(nOut: number, nIn: number, place: (X: Float64Array) => void): Points {
  const X = new Float64Array(2 * (nOut + nIn));
  const y = new Int32Array(nOut + nIn).fill(1, nOut);
  place(X);
  return { X, y, nFeatures: 2 };
}

/**
 * Options of {@link makeMoons}: how many points, how noisy, and those of {@link ToyDatasetOptions}.
 *
 * | option | default | scikit-learn |
 * |---|---|---|
 * | `nSamples` | `100` | `n_samples` |
 * | `noise` | none | `noise` |
 * | `randomState`, `shuffle`, `dtype` | see {@link ToyDatasetOptions} | |
 *
 * @example
 * ```ts
 * makeMoons({ nSamples: [3, 5], noise: 0.1, randomState: 0, shuffle: false }).y; // → [0, 0, 0, 1, 1, 1, 1, 1]
 * ```
 */
export interface MoonsOptions extends ToyDatasetOptions {
  /** Total points (the second moon gets the extra one when odd) or `[nUpper, nLower]` (default 100). */
  nSamples?: number | readonly [number, number];
  /** Standard deviation of Gaussian noise added to every coordinate (default none). */
  noise?: number;
}

/**
 * Two interleaving half circles, `sklearn.datasets.make_moons`: class 0 on the upper unit half
 * circle `(cos t, sin t)`, class 1 on the lower one `(1 − cos t, 0.5 − sin t)`, `t` evenly
 * spaced in [0, π]; then shuffled and, with `noise`, jittered by N(0, noise²) per coordinate.
 *
 * @returns `X` [n, 2] (float32 unless `dtype`) and `y` [n] int32 in {0, 1}.
 * @example
 * ```ts
 * const { X, y } = makeMoons({ nSamples: 200, noise: 0.1, randomState: 0 });
 * ```
 */
export function makeMoons(options: MoonsOptions = {}): ToyDataset {
  const op = "makeMoons";
  options = resolveDataOptions(op, options, MOONS_OPTIONS);
  const [nOut, nIn] = twoGroupSizes(op, options.nSamples ?? 100);
  const noise = optionalNoise(op, options.noise);
  const gen = resolveRandomState(op, options.randomState);
  const points = twoGroups(nOut, nIn, (X) => {
    const tOut = linspace(0, Math.PI, nOut);
    const tIn = linspace(0, Math.PI, nIn);
    for (let i = 0; i < nOut; i++) {
      X[2 * i] = Math.cos(tOut[i]);
      X[2 * i + 1] = Math.sin(tOut[i]);
    }
    for (let i = 0; i < nIn; i++) {
      X[2 * (nOut + i)] = 1 - Math.cos(tIn[i]);
      X[2 * (nOut + i) + 1] = 1 - Math.sin(tIn[i]) - 0.5;
    }
  });
  return finish(points, gen, options, noise);
}

/**
 * Options of {@link makeCircles}: how many points, how noisy, the inner circle's radius, and
 * those of {@link ToyDatasetOptions}.
 *
 * | option | default | scikit-learn |
 * |---|---|---|
 * | `nSamples` | `100` | `n_samples` |
 * | `noise` | none | `noise` |
 * | `factor` | `0.8` | `factor` |
 * | `randomState`, `shuffle`, `dtype` | see {@link ToyDatasetOptions} | |
 *
 * @example
 * ```ts
 * const { X } = makeCircles({ nSamples: 8, factor: 0.5, shuffle: false });
 * X.square().sum(1).sqrt(); // ≈ [1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5] (the radii)
 * ```
 */
export interface CirclesOptions extends ToyDatasetOptions {
  /** Total points (the inner circle gets the extra one when odd) or `[nOuter, nInner]` (default 100). */
  nSamples?: number | readonly [number, number];
  /** Standard deviation of Gaussian noise added to every coordinate (default none). */
  noise?: number;
  /** Radius of the inner circle relative to the outer unit circle, in [0, 1) (default 0.8). */
  factor?: number;
}

/**
 * A circle inside a circle, `sklearn.datasets.make_circles`: class 0 evenly spaced on the unit
 * circle, class 1 on the circle of radius `factor` (angles `2πi/n`, no repeated endpoint); then
 * shuffled and, with `noise`, jittered by N(0, noise²) per coordinate.
 *
 * @returns `X` [n, 2] and `y` [n] int32 (0 = outer, 1 = inner).
 * @example
 * ```ts
 * const { X, y } = makeCircles({ nSamples: 200, noise: 0.05, factor: 0.5, randomState: 1 });
 * ```
 */
export function makeCircles(options: CirclesOptions = {}): ToyDataset {
  const op = "makeCircles";
  options = resolveDataOptions(op, options, { ...MOONS_OPTIONS, factor: undefined });
  const [nOut, nIn] = twoGroupSizes(op, options.nSamples ?? 100);
  const factor = options.factor ?? 0.8;
  const noise = optionalNoise(op, options.noise);
  const gen = resolveRandomState(op, options.randomState);
  const points = twoGroups(nOut, nIn, (X) => {
    const tOut = linspace(0, 2 * Math.PI, nOut, false);
    const tIn = linspace(0, 2 * Math.PI, nIn, false);
    for (let i = 0; i < nOut; i++) {
      X[2 * i] = Math.cos(tOut[i]);
      X[2 * i + 1] = Math.sin(tOut[i]);
    }
    for (let i = 0; i < nIn; i++) {
      X[2 * (nOut + i)] = Math.cos(tIn[i]) * factor;
      X[2 * (nOut + i) + 1] = Math.sin(tIn[i]) * factor;
    }
  });
  return finish(points, gen, options, noise);
}

/**
 * Options of {@link makeBlobs}: how many points per blob, where the blobs are and how wide, and
 * those of {@link ToyDatasetOptions}.
 *
 * | option | default | scikit-learn |
 * |---|---|---|
 * | `nSamples` | `100` | `n_samples` |
 * | `centers` | `3` | `centers` |
 * | `nFeatures` | `2` | `n_features` |
 * | `clusterStd` | `1` | `cluster_std` |
 * | `centerBox` | `[-10, 10]` | `center_box` |
 * | `randomState`, `shuffle`, `dtype` | see {@link ToyDatasetOptions} | |
 *
 * @example
 * ```ts
 * const { X, y, centers } = makeBlobs({ nSamples: [2, 3], centers: 2, nFeatures: 3, clusterStd: [0.5, 1], centerBox: [0, 1], randomState: 0 });
 * X.shape;            // → [5, 3]
 * centers.shape;      // → [2, 3]
 * y.sum().item();     // → 3 (three points of blob 1)
 * ```
 */
export interface BlobsOptions extends ToyDatasetOptions {
  /** Total points split evenly over the blobs (the first ones get the remainder), or a count per blob (default 100). */
  nSamples?: number | readonly number[];
  /** Number of blobs with random centers (default 3), or the centers themselves ([k, nFeatures] array or tensor). */
  centers?: number | ReadonlyArray<readonly number[]> | Tensor;
  /** Dimension of the points when the centers are random (default 2). */
  nFeatures?: number;
  /** Standard deviation of every blob, or one per blob (default 1). */
  clusterStd?: number | readonly number[];
  /** Box `[min, max]` random centers are drawn from uniformly, per coordinate (default [-10, 10]). */
  centerBox?: readonly [number, number];
}

/**
 * {@link makeBlobs}'s result: the points, their blob index and the blob centers (scikit-learn's
 * `return_centers=True`).
 *
 * @example
 * ```ts
 * const { X, y, centers } = makeBlobs({ nSamples: 6, centers: [[0, 0], [5, 5]], clusterStd: 0.1, randomState: 0 });
 * centers; // → [[0, 0], [5, 5]]
 * X.shape; // → [6, 2]
 * ```
 */
export interface BlobsDataset extends ToyDataset {
  /** The blob centers, [k, nFeatures] (dtype of X). */
  centers: Tensor;
}

function blobCenters(op: string, options: BlobsOptions, nCenters: number | undefined, gen: Generator): { centers: Float64Array; k: number; f: number } {
  const given = options.centers;
  if (given === undefined || typeof given === "number") {
    const k = given ?? nCenters ?? 3;
    checkInteger(op, "centers", k, 1);
    if (nCenters !== undefined && k !== nCenters) {
      throw new RangeError(`${op}: centers=${k} does not match the ${nCenters} per-blob counts in nSamples`);
    }
    const f = checkInteger(op, "nFeatures", options.nFeatures ?? 2, 1);
    const [lo, hi] = options.centerBox ?? [-10, 10];
    if (!(hi >= lo)) throw new RangeError(`${op}: centerBox must be [min, max] with min <= max, got [${lo}, ${hi}]`);
    const centers = new Float64Array(k * f);
    for (let i = 0; i < centers.length; i++) centers[i] = lo + (hi - lo) * gen.random();
    return { centers, k, f };
  }
  const t = given instanceof Tensor ? given : tensor(given as number[][], { dtype: "float64" });
  if (t.ndim !== 2 || t.shape[0] === 0) throw new RangeError(`${op}: centers must be a non-empty [k, nFeatures] array, got shape ${fmtShape(t.shape)}`);
  if (nCenters !== undefined && t.shape[0] !== nCenters) {
    throw new RangeError(`${op}: ${t.shape[0]} centers do not match the ${nCenters} per-blob counts in nSamples`);
  }
  return { centers: Float64Array.from(t.dataSync()), k: t.shape[0], f: t.shape[1] };
}

/**
 * Isotropic Gaussian blobs, `sklearn.datasets.make_blobs`: blob `j` has its points drawn from
 * N(center_j, clusterStd_j² I) and label `j`. Random centers are uniform in `centerBox`.
 *
 * @returns `X` [n, nFeatures], `y` [n] int32 blob indices, and `centers` [k, nFeatures].
 * @example
 * ```ts
 * const { X, y, centers } = makeBlobs({ nSamples: 300, centers: 4, clusterStd: 0.5, randomState: 0 });
 * makeBlobs({ centers: [[0, 0], [5, 5]], nSamples: [50, 10] }); // fixed centers, unequal sizes
 * ```
 */
export function makeBlobs(options: BlobsOptions = {}): BlobsDataset {
  const op = "makeBlobs";
  options = resolveDataOptions(op, options, {
    ...TOY_OPTIONS, nSamples: undefined, centers: undefined, nFeatures: undefined, clusterStd: undefined, centerBox: undefined,
  } satisfies BlobsOptions);
  const nSamples = options.nSamples ?? 100;
  const perBlob = typeof nSamples === "number" ? undefined : nSamples.map((c, i) => checkInteger(op, `nSamples[${i}]`, c));
  if (typeof nSamples === "number") checkInteger(op, "nSamples", nSamples);
  const gen = resolveRandomState(op, options.randomState);
  const { centers, k, f } = blobCenters(op, options, perBlob?.length, gen);
  const counts = perBlob ?? splitEvenly(nSamples as number, k);
  const std = options.clusterStd ?? 1;
  const stds = typeof std === "number" ? new Array<number>(k).fill(std) : [...std];
  if (stds.length !== k) throw new RangeError(`${op}: clusterStd has ${stds.length} values but there are ${k} centers`);
  stds.forEach((s, i) => checkNonNegative(op, `clusterStd[${i}]`, s));
  const n = counts.reduce((a, b) => a + b, 0);
  const X = new Float64Array(n * f);
  const y = new Int32Array(n);
  let row = 0;
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < counts[j]; i++, row++) {
      y[row] = j;
      for (let c = 0; c < f; c++) X[row * f + c] = centers[j * f + c] + stds[j] * gen.normal();
    }
  }
  const dtype = options.dtype ?? "float32";
  return { ...finish({ X, y, nFeatures: f }, gen, options), centers: tensor(centers, { shape: [k, f], dtype }) };
}

/**
 * Options of {@link makeSpiral} (CS231n's spiral; scikit-learn has none): how many points and
 * arms, how noisy, and those of {@link ToyDatasetOptions}.
 *
 * | option | default |
 * |---|---|
 * | `nSamples` | `300` |
 * | `nClasses` | `3` |
 * | `noise` | `0.2` |
 * | `randomState`, `shuffle`, `dtype` | see {@link ToyDatasetOptions} |
 *
 * @example
 * ```ts
 * const { X, y } = makeSpiral({ nSamples: 200, nClasses: 4, noise: 0.1, randomState: 0 });
 * X.shape;         // → [200, 2]
 * y.amax().item(); // → 3
 * ```
 */
export interface SpiralOptions extends ToyDatasetOptions {
  /** Total points, split evenly over the arms (default 300: CS231n's 100 per arm). */
  nSamples?: number;
  /** Number of arms = classes (default 3). */
  nClasses?: number;
  /** Standard deviation of the Gaussian noise on each point's angle, in radians (default 0.2). */
  noise?: number;
}

/**
 * The CS231n spiral: `nClasses` interleaved arms. Point `i` of arm `j` (of `m`) has radius
 * `r = i/(m−1)` and angle `θ = 4j + 4i/(m−1) + N(0, noise²)`, and sits at `(r sin θ, r cos θ)`,
 * so every arm winds from the origin out to the unit circle. Not linearly separable.
 *
 * @returns `X` [n, 2] and `y` [n] int32 arm indices.
 * @example
 * ```ts
 * const { X, y } = makeSpiral({ nSamples: 300, nClasses: 3, randomState: 0 });
 * ```
 */
export function makeSpiral(options: SpiralOptions = {}): ToyDataset {
  const op = "makeSpiral";
  options = resolveDataOptions(op, options, { ...TOY_OPTIONS, nSamples: undefined, nClasses: undefined, noise: undefined } satisfies SpiralOptions);
  const n = checkInteger(op, "nSamples", options.nSamples ?? 300);
  const k = checkInteger(op, "nClasses", options.nClasses ?? 3, 1);
  const noise = checkNonNegative(op, "noise", options.noise ?? 0.2);
  const gen = resolveRandomState(op, options.randomState);
  const X = new Float64Array(2 * n);
  const y = new Int32Array(n);
  let row = 0;
  splitEvenly(n, k).forEach((m, j) => {
    const r = linspace(0, 1, m);
    const t = linspace(4 * j, 4 * (j + 1), m);
    for (let i = 0; i < m; i++, row++) {
      const theta = t[i] + noise * gen.normal();
      X[2 * row] = r[i] * Math.sin(theta);
      X[2 * row + 1] = r[i] * Math.cos(theta);
      y[row] = j;
    }
  });
  return finish({ X, y, nFeatures: 2 }, gen, options);
}

/**
 * Options of {@link makeRegression}: the size of the problem, its true coefficients, the noise and
 * outliers, the randomness and the dtype.
 *
 * | option | default | scikit-learn |
 * |---|---|---|
 * | `nSamples` | `100` | `n_samples` |
 * | `nFeatures` | `100` | `n_features` |
 * | `nInformative` | `10` | `n_informative` |
 * | `bias` | `0` | `bias` |
 * | `noise` | `0` | `noise` |
 * | `coef` | random | (returned with `coef=True`, not taken) |
 * | `outlierFraction` | `0` | (none) |
 * | `outlierScale` | 10 × the targets' std | (none) |
 * | `shuffle` | `true` | `shuffle` |
 * | `randomState` | the global generator | `random_state` |
 * | `dtype` | `"float32"` | (NumPy's float64) |
 *
 * @example
 * ```ts
 * const { coef, outliers } = makeRegression({ nSamples: 50, nFeatures: 5, nInformative: 2, noise: 0.1, outlierFraction: 0.1, randomState: 0 });
 * coef.ne(0).sum().item();  // → 2
 * outliers.sum().item();    // → 5
 * ```
 */
export interface RegressionOptions {
  /** Number of samples (default 100). */
  nSamples?: number;
  /** Number of features (default 100, like scikit-learn). */
  nFeatures?: number;
  /** Features with a nonzero random coefficient, when `coef` is not given (default 10, at most nFeatures). */
  nInformative?: number;
  /** Intercept added to every target (default 0). */
  bias?: number;
  /** Standard deviation of Gaussian noise added to the targets (default 0). */
  noise?: number;
  /** The true coefficients, one per feature (default: `100·U[0, 1)` for nInformative features, 0 for the rest). */
  coef?: readonly number[] | Tensor;
  /** Fraction of samples whose target gets a large outlier offset, in [0, 1] (default 0). */
  outlierFraction?: number;
  /** Minimum size of an outlier offset (default 10 × the standard deviation of the clean targets, or 10 if that is 0). */
  outlierScale?: number;
  /** Put the informative features at random columns (default true; ignored when `coef` is given). */
  shuffle?: boolean;
  /** Seed or Generator (default: the global generator). */
  randomState?: RandomState;
  /** Element type of X, y and coef (default float32). */
  dtype?: "float32" | "float64";
}

const REGRESSION_OPTIONS: RegressionOptions = {
  nSamples: undefined, nFeatures: undefined, nInformative: undefined, bias: undefined, noise: undefined, coef: undefined,
  outlierFraction: undefined, outlierScale: undefined, shuffle: undefined, randomState: undefined, dtype: undefined,
};

/**
 * {@link makeRegression}'s result: the features, the targets, the true coefficients (scikit-learn's
 * `coef=True`) and which samples are outliers.
 *
 * @example
 * ```ts
 * const { X, y, coef, outliers } = makeRegression({ nSamples: 4, nFeatures: 2, coef: [1, 2], bias: 0.5, randomState: 0 });
 * coef;                        // → [1, 2]
 * y.sub(X.matmul(coef));       // ≈ [0.5, 0.5, 0.5, 0.5] (the bias, without noise)
 * outliers.sum().item();       // → 0
 * ```
 */
export interface RegressionDataset {
  /** Standard normal features, [nSamples, nFeatures]. */
  X: Tensor;
  /** Targets `X·coef + bias + noise` (+ outlier offsets), [nSamples]. */
  y: Tensor;
  /** The true coefficients, [nFeatures]. */
  coef: Tensor;
  /** Which samples got an outlier offset, bool [nSamples]. */
  outliers: Tensor;
}

function regressionCoef(op: string, options: RegressionOptions, f: number, gen: Generator): Float64Array {
  if (options.coef !== undefined) {
    const given = options.coef instanceof Tensor ? options.coef.dataSync() : options.coef;
    const shape = options.coef instanceof Tensor ? options.coef.shape : [given.length];
    if (shape.length !== 1 || given.length !== f) {
      throw new RangeError(`${op}: coef must have one value per feature (shape [${f}]), got shape ${fmtShape(shape)}`);
    }
    return Float64Array.from(given);
  }
  const informative = Math.min(f, checkInteger(op, "nInformative", options.nInformative ?? 10));
  const coef = new Float64Array(f);
  for (let i = 0; i < informative; i++) coef[i] = 100 * gen.random();
  return coef;
}

function populationStd(v: Float64Array): number {
  let mean = 0;
  for (const x of v) mean += x;
  mean /= v.length || 1;
  let ss = 0;
  for (const x of v) ss += (x - mean) ** 2;
  return Math.sqrt(ss / (v.length || 1));
}

// Adds ±outlierScale·(1 + U[0, 1)) to the targets of round(fraction·n) random samples.
function injectOutliers(op: string, y: Float64Array, options: RegressionOptions, gen: Generator): Uint8Array {
  const fraction = options.outlierFraction ?? 0;
  const mask = new Uint8Array(y.length);
  const count = Math.round(fraction * y.length);
  if (count === 0) return mask;
  const scale = options.outlierScale === undefined ? 10 * (populationStd(y) || 1) : checkNonNegative(op, "outlierScale", options.outlierScale);
  const chosen = permutation(y.length, gen).subarray(0, count);
  for (const i of chosen) {
    const sign = gen.random() < 0.5 ? -1 : 1;
    y[i] += sign * scale * (1 + gen.random());
    mask[i] = 1;
  }
  return mask;
}

/**
 * A random linear regression problem, `sklearn.datasets.make_regression` (well-conditioned
 * case, one target): `X ~ N(0, 1)`, `y = X·coef + bias + N(0, noise²)`, where `coef` is given or
 * drawn as `100·U[0, 1)` on `nInformative` features (0 on the others, which are put at random
 * columns when `shuffle`). With `outlierFraction`, that fraction of targets (rounded) gets an
 * offset of random sign and size in [outlierScale, 2·outlierScale), for robust-loss demos.
 *
 * @returns `X` [n, f], `y` [n], the true `coef` [f] and the bool `outliers` mask [n].
 * @example
 * ```ts
 * const { X, y, coef } = makeRegression({ nSamples: 200, nFeatures: 1, noise: 5, bias: 3, randomState: 0 });
 * makeRegression({ nFeatures: 1, coef: [2], outlierFraction: 0.1, randomState: 0 }); // with 10% outliers
 * ```
 */
export function makeRegression(options: RegressionOptions = {}): RegressionDataset {
  const op = "makeRegression";
  options = resolveDataOptions(op, options, REGRESSION_OPTIONS);
  const n = checkInteger(op, "nSamples", options.nSamples ?? 100);
  const f = checkInteger(op, "nFeatures", options.nFeatures ?? 100, 1);
  const bias = options.bias ?? 0;
  const noise = checkNonNegative(op, "noise", options.noise ?? 0);
  const gen = resolveRandomState(op, options.randomState);
  const X = new Float64Array(n * f);
  for (let i = 0; i < X.length; i++) X[i] = gen.normal();
  const coef = regressionCoef(op, options, f, gen);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = bias;
    for (let c = 0; c < f; c++) s += X[i * f + c] * coef[c];
    y[i] = noise > 0 ? s + noise * gen.normal() : s;
  }
  const outliers = injectOutliers(op, y, options, gen);
  let Xout = X;
  let coefOut = coef;
  if ((options.shuffle ?? true) && options.coef === undefined) {
    const cols = permutation(f, gen);
    Xout = new Float64Array(n * f);
    for (let i = 0; i < n; i++) for (let c = 0; c < f; c++) Xout[i * f + c] = X[i * f + cols[c]];
    coefOut = coef.map((_, c) => coef[cols[c]]);
  }
  const dtype = options.dtype ?? "float32";
  return {
    X: tensor(Xout, { shape: [n, f], dtype }),
    y: tensor(y, { dtype }),
    coef: tensor(coefOut, { dtype }),
    outliers: new Tensor(outliers, [n], "bool"),
  };
}
