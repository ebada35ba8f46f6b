/** Classification metrics on int32 label tensors, with `sklearn.metrics` semantics. */
import { Tensor } from "@tsgrad/core";
import { checkTensor, fmtShape, resolveDataOptions } from "../validate.js";

function checkLabels(op: string, yTrue: Tensor, yPred: Tensor): [ArrayLike<number>, ArrayLike<number>] {
  for (const [name, t] of [["yTrue", yTrue], ["yPred", yPred]] as const) {
    checkTensor(op, name, t);
    if (t.dtype !== "int32" && t.dtype !== "bool") {
      throw new TypeError(`${op}: ${name} must hold class labels (int32 or bool), got dtype ${t.dtype}; turn scores into labels first, e.g. logits.argmax(1)`);
    }
    if (t.ndim !== 1) throw new RangeError(`${op}: ${name} must be 1-D [n], got shape ${fmtShape(t.shape)}`);
  }
  if (yTrue.shape[0] !== yPred.shape[0]) {
    throw new RangeError(`${op}: yTrue and yPred must have the same length, got shapes ${fmtShape(yTrue.shape)} and ${fmtShape(yPred.shape)}`);
  }
  return [yTrue.dataSync(), yPred.dataSync()];
}

function sortedUnion(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  return [...new Set([...Array.from(a), ...Array.from(b)])].sort((x, y) => x - y);
}

function checkLabelList(op: string, labels: readonly number[]): number[] {
  if (!Array.isArray(labels) || labels.length === 0 || labels.some((l) => !Number.isInteger(l)) || new Set(labels).size !== labels.length) {
    throw new RangeError(`${op}: labels must be a non-empty list of distinct integers, got ${JSON.stringify(labels)}`);
  }
  return [...labels];
}

/**
 * Fraction of samples whose predicted label equals the true one, like
 * `sklearn.metrics.accuracy_score`.
 *
 * @param yTrue - true labels, int32 (or bool) [n]
 * @param yPred - predicted labels, same shape and kind
 * @returns a number in [0, 1] (NaN for n = 0)
 * @example
 * ```ts
 * const logits = tensor([[2, 0], [0, 1], [1, 3], [0.5, 0]]);
 * accuracy(tensor([0, 1, 0, 0], { dtype: "int32" }), logits.argmax(1)); // 0.75
 * ```
 */
export function accuracy(yTrue: Tensor, yPred: Tensor): number {
  const [t, p] = checkLabels("accuracy", yTrue, yPred);
  let correct = 0;
  for (let i = 0; i < t.length; i++) if (t[i] === p[i]) correct++;
  return correct / t.length;
}

/**
 * Options of {@link confusionMatrix}: which labels, in which order.
 *
 * | option | default | scikit-learn |
 * |---|---|---|
 * | `labels` | the sorted labels present | `labels` |
 *
 * @example
 * ```ts
 * const yTrue = tensor([0, 1, 2, 2], { dtype: "int32" }), yPred = tensor([0, 2, 2, 2], { dtype: "int32" });
 * confusionMatrix(yTrue, yPred, { labels: [2, 0] }); // → [[2, 0], [0, 1]] (the class-1 sample is not counted)
 * ```
 */
export interface ConfusionMatrixOptions {
  /** Labels indexing the rows and columns, in this order (default: the sorted labels present in either input). */
  labels?: readonly number[];
}

/**
 * The confusion matrix `C[i][j]` = number of samples of true class `labels[i]` predicted as
 * `labels[j]`, like `sklearn.metrics.confusion_matrix` (rows true, columns predicted; samples
 * with a label outside `labels` are not counted).
 *
 * @returns an int32 tensor [k, k], k = number of labels
 * @example
 * ```ts
 * confusionMatrix(tensor([0, 1, 1], { dtype: "int32" }), tensor([0, 0, 1], { dtype: "int32" }));
 * // [[1, 0], [1, 1]]
 * ```
 */
export function confusionMatrix(yTrue: Tensor, yPred: Tensor, options: ConfusionMatrixOptions = {}): Tensor {
  const op = "confusionMatrix";
  options = resolveDataOptions(op, options, { labels: undefined });
  const [t, p] = checkLabels(op, yTrue, yPred);
  const labels = options.labels === undefined ? sortedUnion(t, p) : checkLabelList(op, options.labels);
  const k = labels.length;
  const index = new Map(labels.map((l, i) => [l, i]));
  const counts = new Int32Array(k * k);
  for (let i = 0; i < t.length; i++) {
    const r = index.get(t[i]);
    const c = index.get(p[i]);
    if (r !== undefined && c !== undefined) counts[r * k + c]++;
  }
  return new Tensor(counts, [k, k], "int32");
}

/** How {@link precision}, {@link recall} and {@link f1} combine per-class scores. */
export type Average = "binary" | "macro" | "micro" | "weighted";

/**
 * Options of {@link precision}, {@link recall} and {@link f1}: how the per-class scores are
 * combined, and what a 0/0 score is.
 *
 * | option | default | scikit-learn |
 * |---|---|---|
 * | `average` | `"binary"` | `average` |
 * | `posLabel` | `1` | `pos_label` |
 * | `labels` | every label present | `labels` |
 * | `zeroDivision` | `0` | `zero_division` |
 *
 * @example
 * ```ts
 * const yTrue = tensor([0, 1, 2, 2], { dtype: "int32" }), yPred = tensor([0, 2, 2, 2], { dtype: "int32" });
 * precision(yTrue, yPred, { average: "macro" });                  // ≈ 0.5556 ((1 + 0 + 2/3) / 3)
 * precision(yTrue, yPred, { average: "macro", zeroDivision: 1 }); // ≈ 0.8889 (class 1 is never predicted)
 * recall(yTrue, yPred, { average: "micro" });                     // → 0.75
 * const a = tensor([0, 1, 1, 0], { dtype: "int32" }), b = tensor([0, 1, 0, 0], { dtype: "int32" });
 * f1(a, b, { posLabel: 0 });                                      // ≈ 0.8
 * ```
 */
export interface ClassificationScoreOptions {
  /**
   * `"binary"` (default): the score of class `posLabel` (inputs may hold at most two labels);
   * `"macro"`: unweighted mean over classes; `"weighted"`: mean weighted by each class's true
   * count (support); `"micro"`: from the total true positives, false positives and false negatives.
   */
  average?: Average;
  /** The positive class for `average: "binary"` (default 1). */
  posLabel?: number;
  /** Classes to average over, for the other averages (default: every label present in either input). */
  labels?: readonly number[];
  /** Value of a score whose denominator is 0 (no predictions or no true samples of a class): 0 (default) or 1. */
  zeroDivision?: 0 | 1;
}

interface Scores {
  precision: number;
  recall: number;
  f1: number;
}

function ratio(num: number, den: number, zeroDivision: number): number {
  return den === 0 ? zeroDivision : num / den;
}

function fScore(p: number, r: number): number {
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

function labelsToScore(op: string, t: ArrayLike<number>, p: ArrayLike<number>, options: ClassificationScoreOptions): number[] {
  const average = options.average ?? "binary";
  if (average !== "binary") return options.labels === undefined ? sortedUnion(t, p) : checkLabelList(op, options.labels);
  const present = sortedUnion(t, p);
  const posLabel = options.posLabel ?? 1;
  if (present.length > 2) {
    throw new RangeError(
      `${op}: the labels hold ${present.length} classes (${present.join(", ")}) but average is "binary"; choose average "macro", "micro" or "weighted"`,
    );
  }
  if (present.length === 2 && !present.includes(posLabel)) {
    throw new RangeError(`${op}: posLabel=${posLabel} is not a valid label; it should be one of ${present.join(", ")}`);
  }
  return [posLabel];
}

const SCORE_OPTIONS: ClassificationScoreOptions = { average: undefined, posLabel: undefined, labels: undefined, zeroDivision: undefined };

// Per-label true positives, predicted counts and true counts, averaged as sklearn's
// precision_recall_fscore_support does.
function classificationScores(op: string, yTrue: Tensor, yPred: Tensor, options: ClassificationScoreOptions): Scores {
  options = resolveDataOptions(op, options, SCORE_OPTIONS);
  const [t, p] = checkLabels(op, yTrue, yPred);
  const labels = labelsToScore(op, t, p, options);
  const zd = options.zeroDivision ?? 0;
  const index = new Map(labels.map((l, i) => [l, i]));
  const k = labels.length;
  const tp = new Float64Array(k);
  const predicted = new Float64Array(k);
  const actual = new Float64Array(k);
  for (let i = 0; i < t.length; i++) {
    const a = index.get(t[i]);
    const b = index.get(p[i]);
    if (a !== undefined) actual[a]++;
    if (b !== undefined) predicted[b]++;
    if (a !== undefined && t[i] === p[i]) tp[a]++;
  }
  const sum = (v: Float64Array) => v.reduce((x, y) => x + y, 0);
  if (options.average === "micro") {
    const precision = ratio(sum(tp), sum(predicted), zd);
    const recall = ratio(sum(tp), sum(actual), zd);
    return { precision, recall, f1: fScore(precision, recall) };
  }
  const perClass = labels.map((_, c) => {
    const precision = ratio(tp[c], predicted[c], zd);
    const recall = ratio(tp[c], actual[c], zd);
    return { precision, recall, f1: fScore(precision, recall) };
  });
  let weights = new Float64Array(k).fill(1);
  if (options.average === "weighted") {
    if (sum(actual) === 0) {
      return sum(predicted) === 0 ? { precision: zd, recall: zd, f1: zd } : { precision: 0, recall: zd, f1: 0 };
    }
    weights = actual;
  }
  const total = sum(weights);
  const mean = (key: keyof Scores) => perClass.reduce((s, sc, c) => s + sc[key] * weights[c], 0) / total;
  return { precision: mean("precision"), recall: mean("recall"), f1: mean("f1") };
}

/**
 * Precision `tp / (tp + fp)`: of the samples predicted as a class, the fraction that are
 * really it. Like `sklearn.metrics.precision_score` (binary with `posLabel` by default, or
 * averaged over classes; see {@link ClassificationScoreOptions}).
 *
 * @param yTrue - true labels, int32 (or bool) [n]
 * @param yPred - predicted labels, same shape
 * @returns a number in [0, 1]
 * @example
 * ```ts
 * const yTrue = tensor([1, 0, 1, 1], { dtype: "int32" });
 * const yPred = tensor([1, 1, 1, 0], { dtype: "int32" });
 * precision(yTrue, yPred); // ≈ 0.6667 (binary, class 1 positive: 2 of 3 predicted 1s)
 * const yTrue3 = tensor([0, 1, 2, 2], { dtype: "int32" });
 * const yPred3 = tensor([0, 2, 2, 2], { dtype: "int32" });
 * precision(yTrue3, yPred3, { average: "macro" }); // ≈ 0.5556 (multiclass: (1 + 0 + 2/3) / 3)
 * ```
 */
export function precision(yTrue: Tensor, yPred: Tensor, options: ClassificationScoreOptions = {}): number {
  return classificationScores("precision", yTrue, yPred, options).precision;
}

/**
 * Recall `tp / (tp + fn)`: of the samples of a class, the fraction predicted as it. Like
 * `sklearn.metrics.recall_score`; options as for {@link precision}.
 *
 * @returns a number in [0, 1]
 * @example
 * ```ts
 * const yTrue = tensor([0, 1, 2, 2], { dtype: "int32" });
 * const yPred = tensor([0, 2, 2, 2], { dtype: "int32" });
 * recall(yTrue, yPred, { average: "weighted" }); // 0.75 ((1·1 + 1·0 + 2·1) / 4)
 * ```
 */
export function recall(yTrue: Tensor, yPred: Tensor, options: ClassificationScoreOptions = {}): number {
  return classificationScores("recall", yTrue, yPred, options).recall;
}

/**
 * F1 score, the harmonic mean `2·P·R / (P + R)` of precision and recall (0 when both are 0),
 * per class and then averaged like `sklearn.metrics.f1_score`; options as for {@link precision}.
 *
 * @returns a number in [0, 1]
 * @example
 * ```ts
 * const yTrue = tensor([1, 0, 1, 0], { dtype: "int32" });
 * const yPred = tensor([1, 0, 0, 0], { dtype: "int32" });
 * f1(yTrue, yPred, { posLabel: 0 }); // ≈ 0.8 (F1 of class 0: precision 2/3, recall 1)
 * ```
 */
export function f1(yTrue: Tensor, yPred: Tensor, options: ClassificationScoreOptions = {}): number {
  return classificationScores("f1", yTrue, yPred, options).f1;
}
