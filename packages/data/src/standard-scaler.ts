/** Feature standardization, like `sklearn.preprocessing.StandardScaler`. */
import { Tensor, isFloatingPoint, noGrad, tensor } from "@tsgrad/core";
import { checkTensor, fmtShape, resolveDataOptions } from "./validate.js";

/**
 * Options of {@link StandardScaler}: whether it centers and whether it scales.
 *
 * | option | default | scikit-learn |
 * |---|---|---|
 * | `withMean` | `true` | `with_mean` |
 * | `withStd` | `true` | `with_std` |
 *
 * @example
 * ```ts
 * const x = tensor([[1, 10], [3, 30]]);
 * new StandardScaler({ withStd: false }).fitTransform(x);  // → [[-1, -10], [1, 10]]
 * new StandardScaler({ withMean: false }).fitTransform(x); // → [[1, 1], [3, 3]]
 * ```
 */
export interface StandardScalerOptions {
  /** Subtract the mean of each feature (default true). */
  withMean?: boolean;
  /** Divide by the standard deviation of each feature (default true). */
  withStd?: boolean;
}

// scikit-learn's test for a feature indistinguishable from a constant (Chan, Golub & LeVeque's
// error bound for the two-pass variance): its scale is set to 1 instead of a tiny std.
function isConstantFeature(variance: number, mean: number, n: number): boolean {
  const eps = Number.EPSILON;
  return variance <= n * eps * variance + (n * mean * eps) ** 2;
}

/**
 * Standardizes features to zero mean and unit variance, like
 * `sklearn.preprocessing.StandardScaler`: `fit` learns each column's `mean_` and population
 * variance `var_` (divided by n, not n − 1) in float64, and `transform` computes
 * `(x − mean_) / scale_` with `scale_ = sqrt(var_)`; a constant feature gets `scale_ = 1` so it
 * maps to 0 instead of dividing by zero. Fit on the training set only, then transform both sets.
 * Inputs are [n, nFeatures]; results keep a floating input's dtype (integers become float32)
 * and are differentiable in the input.
 *
 * @example
 * ```ts
 * const xTrain = tensor([[1, 10], [3, 30]]);
 * const scaler = new StandardScaler();
 * const xTrainS = scaler.fitTransform(xTrain);
 * xTrainS.toArray(); // [[-1, -1], [1, 1]]
 * scaler.transform(tensor([[2, 50]])).toArray(); // [[0, 3]]
 * scaler.inverseTransform(xTrainS).toArray(); // [[1, 10], [3, 30]]
 * ```
 */
export class StandardScaler {
  /** Whether `transform` centers. */
  readonly withMean: boolean;
  /** Whether `transform` scales. */
  readonly withStd: boolean;
  /** Per-feature mean (float64 [f]); null before `fit`, and when neither centering nor scaling. */
  mean_: Tensor | null = null;
  /** Per-feature population variance (float64 [f]); null before `fit` and without `withStd`. */
  var_: Tensor | null = null;
  /** Per-feature divisor `sqrt(var_)`, 1 for constant features (float64 [f]); null before `fit` and without `withStd`. */
  scale_: Tensor | null = null;
  /** Number of samples seen by `fit`. */
  nSamplesSeen_ = 0;
  /** Number of features seen by `fit`. */
  nFeaturesIn_ = 0;
  private fitted = false;

  /** Creates an unfitted scaler. */
  constructor(options: StandardScalerOptions = {}) {
    ({ withMean: this.withMean, withStd: this.withStd } = resolveDataOptions("StandardScaler", options, { withMean: true, withStd: true }));
  }

  private check2d(op: string, x: unknown): Tensor {
    const t = checkTensor(`StandardScaler.${op}`, "X", x);
    if (t.ndim !== 2) throw new RangeError(`StandardScaler.${op}: expected a 2-D [nSamples, nFeatures] tensor, got shape ${fmtShape(t.shape)}`);
    return t;
  }

  private checkFitted(op: string, x: unknown): Tensor {
    if (!this.fitted) throw new Error(`StandardScaler.${op}: this StandardScaler is not fitted yet; call fit(X) first`);
    const t = this.check2d(op, x);
    if (t.shape[1] !== this.nFeaturesIn_) {
      throw new RangeError(`StandardScaler.${op}: X has ${t.shape[1]} features (shape ${fmtShape(t.shape)}), but the scaler was fitted on ${this.nFeaturesIn_}`);
    }
    return isFloatingPoint(t.dtype) ? t : t.to("float32");
  }

  /**
   * Learns `mean_`, `var_` and `scale_` from `X` [n, f] (n ≥ 1); returns this.
   *
   * @example
   * ```ts
   * const scaler = new StandardScaler().fit(tensor([[1, 10], [3, 30]]));
   * scaler.mean_;        // → [2, 20]
   * scaler.scale_;       // → [1, 10]
   * scaler.nSamplesSeen_; // → 2
   * ```
   */
  fit(X: Tensor): this {
    const x = this.check2d("fit", X);
    const [n, f] = x.shape;
    if (n === 0) throw new RangeError(`StandardScaler.fit: X needs at least one sample, got shape ${fmtShape(x.shape)}`);
    noGrad(() => {
      const x64 = x.to("float64");
      const mean = x64.mean(0);
      const variance = x64.var(0, { correction: 0 });
      const means = mean.dataSync();
      const vars = variance.dataSync();
      const scale = new Float64Array(f);
      for (let j = 0; j < f; j++) scale[j] = isConstantFeature(vars[j], means[j], n) ? 1 : Math.sqrt(vars[j]);
      const any = this.withMean || this.withStd;
      this.mean_ = any ? mean : null;
      this.var_ = this.withStd ? variance : null;
      this.scale_ = this.withStd ? tensor(scale) : null;
    });
    this.nSamplesSeen_ = n;
    this.nFeaturesIn_ = f;
    this.fitted = true;
    return this;
  }

  /**
   * `(X − mean_) / scale_` (each step only if enabled), [n, f]; throws before {@link StandardScaler.fit}.
   *
   * @example
   * ```ts
   * const scaler = new StandardScaler().fit(tensor([[1, 10], [3, 30]]));
   * scaler.transform(tensor([[2, 40]])); // → [[0, 2]]
   * ```
   */
  transform(X: Tensor): Tensor {
    let x = this.checkFitted("transform", X);
    if (this.withMean) x = x.sub(this.mean_!.to(x.dtype));
    if (this.withStd) x = x.div(this.scale_!.to(x.dtype));
    return x;
  }

  /**
   * `fit(X)` then `transform(X)`.
   *
   * @example
   * ```ts
   * new StandardScaler().fitTransform(tensor([[0], [2], [4]])); // ≈ [[-1.2247], [0], [1.2247]]
   * ```
   */
  fitTransform(X: Tensor): Tensor {
    return this.fit(X).transform(X);
  }

  /**
   * Undoes {@link StandardScaler.transform}: `X·scale_ + mean_`, e.g. to read predictions of a
   * standardized target in its own units.
   *
   * @example
   * ```ts
   * const scaler = new StandardScaler().fit(tensor([[1, 10], [3, 30]]));
   * scaler.inverseTransform(tensor([[0, 0], [1, -1]])); // → [[2, 20], [3, 10]]
   * ```
   */
  inverseTransform(X: Tensor): Tensor {
    let x = this.checkFitted("inverseTransform", X);
    if (this.withStd) x = x.mul(this.scale_!.to(x.dtype));
    if (this.withMean) x = x.add(this.mean_!.to(x.dtype));
    return x;
  }
}
