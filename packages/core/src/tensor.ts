import { type DType, type TypedArray, allocate, isFloatingPoint, checkDType } from "./dtype.js";
import { contiguousStrides, numelOf, fmtShape, normalizeExistingDim, sizeArgs, sameShape } from "./shape.js";
import { describeValue, optionChecks, resolveOptions } from "./options.js";
import type { Node } from "./autograd/node.js";
import { backward as runBackward, type BackwardOptions } from "./autograd/engine.js";
import { noGrad } from "./autograd/grad-mode.js";
import { storageVersion, bumpStorageVersion } from "./autograd/version.js";
import { RemovableHandle, tensorHooksOf, type TensorHook } from "./autograd/hooks.js";
import * as arith from "./ops/arith.js";
import * as unary from "./ops/unary.js";
import * as binaryMath from "./ops/binary-math.js";
import * as predicates from "./ops/predicates.js";
import * as bitwise from "./ops/bitwise.js";
import type { RoundingMode } from "./ops/arith.js";
import * as compare from "./ops/compare.js";
import * as reduce from "./ops/reduce.js";
import * as scan from "./ops/scan.js";
import * as sortOps from "./ops/sort.js";
import * as distance from "./ops/distance.js";
import * as linalg from "./ops/linalg.js";
import type { QuantileInterpolation } from "./ops/sort.js";
import * as softmaxOps from "./ops/softmax.js";
import { matmul } from "./ops/matmul.js";
import * as products from "./ops/products.js";
import type { AddProductOptions } from "./ops/products.js";
import * as shapeOps from "./ops/shape.js";
import * as layout from "./ops/layout.js";
import * as indexOps from "./ops/indexing.js";
import type { Index } from "./ops/indexing.js";
import * as scatterOps from "./ops/scatter.js";
import type { ScatterReduction } from "./ops/scatter.js";
import * as castOps from "./ops/cast.js";
import * as inplace from "./ops/inplace.js";
import { formatTensor } from "./format.js";
import { inspectCustom } from "./inspect.js";
import { minMax, type MinMax, type ValuesIndices } from "./values-indices.js";
import * as uniqueOps from "./ops/unique.js";
import type { UniqueOptions, UniqueConsecutiveOptions } from "./ops/unique.js";
import * as bucketOps from "./ops/bucketize.js";
import { uniformFill_, normalFill_, generatorOption, type Generator } from "./random.js";

const DIV_OPTIONS: { roundingMode: RoundingMode | null } = { roundingMode: null };
const DIV_OPTION_CHECKS = { roundingMode: optionChecks.nullable(optionChecks.oneOf(["trunc", "floor"])) };
const VAR_OPTIONS = { correction: 1, keepdim: false };
const DTYPE_OPTIONS: { dtype: DType | undefined } = { dtype: undefined };
const DTYPE_OPTION_CHECKS = { dtype: optionChecks.dtype };
const SORT_OPTIONS = { descending: false, stable: false };
const SORT_OPTION_CHECKS = { descending: optionChecks.boolean, stable: optionChecks.boolean };
const TOPK_OPTIONS = { largest: true, sorted: true };
const TOPK_OPTION_CHECKS = { largest: optionChecks.boolean, sorted: optionChecks.boolean };
const AMINMAX_OPTIONS = { dim: null as number | null, keepdim: false };
const AMINMAX_OPTION_CHECKS = { dim: optionChecks.nullable(optionChecks.integer), keepdim: optionChecks.boolean };
const QUANTILE_OPTIONS: { interpolation: QuantileInterpolation } = { interpolation: "linear" };
const QUANTILE_OPTION_CHECKS = { interpolation: optionChecks.oneOf(["linear", "lower", "higher", "midpoint", "nearest"]) };

/** sort/argsort's second argument: `true`/`false` (PyTorch's positional descending) or `{ descending, stable }`. */
function sortDescending(op: string, options: boolean | { descending?: boolean; stable?: boolean } | undefined): boolean {
  if (typeof options === "boolean") return options;
  return resolveOptions(op, options, SORT_OPTIONS, SORT_OPTION_CHECKS).descending;
}
const VAR_OPTION_CHECKS = { correction: optionChecks.finite, keepdim: optionChecks.boolean };

/** The `alpha` of `add`/`sub` and their in-place forms (undefined when no options are given). */
function alphaOption(op: string, options: { alpha?: number } | undefined): number | undefined {
  return options === undefined ? undefined : resolveOptions(op, options, { alpha: 1 }, { alpha: optionChecks.number }).alpha;
}

/**
 * A tensor operand or a plain number (broadcast as a 0-d tensor).
 * @group Creation
 */
export type TensorLike = Tensor | number;

export { ValuesIndices } from "./values-indices.js";

/**
 * Nested arrays of numbers (or booleans), as returned by {@link Tensor.toArray}.
 * @group Creation
 */
export type NestedArray = number | boolean | NestedArray[];

/**
 * A tensor's storage as a plain strided view ({@link Tensor.storage}): element (i0, i1, …) is
 * `data[offset + Σ ik·stride[k]]`. The field names are ndarray's.
 *
 * @example
 * ```ts
 * const s: StorageView = tensor([[1, 2, 3], [4, 5, 6]]).narrow(1, 1, 2).storage;
 * [s.shape, s.stride, s.offset]; // [[2, 2], [3, 1], 1]
 * ```
 * @group Attributes
 */
export interface StorageView {
  /** The typed array holding the elements (shared with the tensor). */
  data: TypedArray;
  /** Size of each dimension. */
  shape: number[];
  /** Elements to step in `data` per unit step along each dimension. */
  stride: number[];
  /** Index in `data` of the first element. */
  offset: number;
}

/**
 * An n-dimensional array with reverse-mode autograd, the PyTorch `torch.Tensor` of tsgrad.
 *
 * Storage is a strided view (data, shape, strides, offset) over a typed array; views made by
 * transpose, permute, expand, narrow, squeeze and reshape of contiguous tensors share it.
 * Create tensors with {@link tensor}, {@link zeros}, {@link randn} and friends rather than `new`.
 *
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * const y = x.mul(x).sum();
 * y.backward();
 * x.grad!.toArray(); // [[2, 4], [6, 8]]
 * ```
 * @group Tensor
 */
export class Tensor {
  /**
   * The typed array holding the elements (shared by views). Low-level: prefer ops.
   *
   * PyTorch: `torch.Tensor.data`.
   * @group Attributes
   */
  readonly data: TypedArray;
  /**
   * Size of each dimension (a frozen array: `t.shape[0] = 7` throws; reshape instead).
   *
   * PyTorch: `torch.Tensor.shape`.
   * @group Attributes
   */
  readonly shape: readonly number[];
  /** Elements to step in `data` per unit step along each dimension (0 for broadcast dims; frozen). @group Attributes */
  readonly strides: readonly number[];
  /** Index in `data` of the first element. @group Attributes */
  readonly offset: number;
  /** Element type. PyTorch: `torch.Tensor.dtype`. @group Attributes */
  readonly dtype: DType;
  private _grad: Tensor | null = null;
  private _requiresGrad = false;
  private _gradFn: Node | null = null;

  /**
   * Wraps a typed array as a tensor without copying. Low-level: the array's type must match
   * `dtype`; prefer {@link tensor}.
   */
  constructor(data: TypedArray, shape: readonly number[], dtype: DType, strides?: readonly number[], offset = 0) {
    this.data = data;
    // Frozen, so no caller can change the metadata under the shared storage (measured: ~0.1 µs per
    // tensor, about 1% of a small-MLP training step); an already frozen array is shared as is.
    this.shape = frozenCopy(shape);
    this.strides = strides ? frozenCopy(strides) : Object.freeze(contiguousStrides(shape));
    this.offset = offset;
    this.dtype = dtype;
  }

  /** `"Tensor"`: an explicit name for messages and `Object.prototype.toString`, safe under minification. @group Attributes */
  get [Symbol.toStringTag](): string {
    return "Tensor";
  }

  // ---------------------------------------------------------------- metadata

  /** Number of dimensions. PyTorch: `torch.Tensor.ndim`. @group Attributes */
  get ndim(): number {
    return this.shape.length;
  }

  /**
   * Number of elements.
   *
   * PyTorch: `torch.Tensor.numel`.
   *
   * @example
   * ```ts
   * zeros([2, 3]).numel(); // → 6
   * ```
   * @group Attributes
   */
  numel(): number {
    return numelOf(this.shape);
  }

  /**
   * Size of one dim (negative counts from the end), or the whole shape.
   *
   * PyTorch: `torch.Tensor.size`.
   *
   * @example
   * ```ts
   * zeros([2, 3]).size();   // → [2, 3]
   * zeros([2, 3]).size(-1); // → 3
   * ```
   * @group Attributes
   */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number | number[] {
    if (dim === undefined) return [...this.shape];
    return this.shape[normalizeExistingDim("size", dim, this.shape)];
  }

  /**
   * This tensor's storage as a plain strided view `{ data, shape, stride, offset }` (sharing
   * `data`; `shape` and `stride` are fresh arrays). The field names are ndarray's, so
   * `ndarray(s.data, s.shape, s.stride, s.offset)` wraps it for ndarray-ops and scijs without a
   * copy; tsgrad itself depends on neither.
   *
   * PyTorch: `torch.Tensor.storage`.
   * @group Attributes
   * @example
   * ```ts
   * const s = tensor([[1, 2], [3, 4]]).T.storage;
   * [s.shape, s.stride, s.offset]; // [[2, 2], [1, 2], 0]
   * ```
   */
  get storage(): StorageView {
    return { data: this.data, shape: [...this.shape], stride: [...this.strides], offset: this.offset };
  }

  /**
   * True when the elements lie in row-major order without gaps (strides of size-1 dims ignored).
   *
   * PyTorch: `torch.Tensor.is_contiguous`.
   *
   * @example
   * ```ts
   * const m = zeros([2, 3]);
   * m.isContiguous();   // → true
   * m.T.isContiguous(); // → false
   * ```
   * @group Attributes
   */
  isContiguous(): boolean {
    let s = 1;
    for (let d = this.shape.length - 1; d >= 0; d--) {
      if (this.shape[d] !== 1 && this.strides[d] !== s) return false;
      s *= this.shape[d];
    }
    return true;
  }

  // ---------------------------------------------------------------- autograd state

  /**
   * Accumulated gradient of a leaf after `backward()`; null before (and after `zeroGrad`).
   * Assigning it checks like PyTorch: `null`, or a Tensor of this tensor's shape and dtype
   * (a broadcast view is fine), never the tensor itself.
   * @group Autograd
   */
  get grad(): Tensor | null {
    return this._grad;
  }

  set grad(value: Tensor | null) {
    this._grad = checkAssignedGrad(this, value);
  }

  /**
   * Whether ops on this tensor record a graph; a leaf with requiresGrad gets `.grad` from backward.
   *
   * PyTorch: `torch.Tensor.requires_grad`.
   * @group Autograd
   */
  get requiresGrad(): boolean {
    return this._requiresGrad;
  }

  set requiresGrad(value: boolean) {
    if (typeof value !== "boolean") throw new TypeError(`requiresGrad: must be a boolean, got ${describeValue(value)}`);
    this.requiresGrad_(value);
  }

  /** The graph node that produced this tensor (null for leaves). PyTorch: `torch.Tensor.grad_fn`. @group Autograd */
  get gradFn(): Node | null {
    return this._gradFn;
  }

  /**
   * True for tensors not produced by a recorded op: user-created tensors and parameters.
   *
   * PyTorch: `torch.Tensor.is_leaf`.
   * @group Autograd
   */
  get isLeaf(): boolean {
    return this._gradFn === null;
  }

  /**
   * Sets requiresGrad in place (leaves only; floating-point dtypes only) and returns this.
   *
   * PyTorch: `torch.Tensor.requires_grad_`.
   *
   * @example
   * ```ts
   * const w = zeros([2]).requiresGrad_();
   * w.requiresGrad; // → true
   * ```
   * @group Autograd
   */
  requiresGrad_(value = true): this {
    if (typeof value !== "boolean") throw new TypeError(`requiresGrad_: requiresGrad must be a boolean, got ${describeValue(value)}`);
    if (!this.isLeaf) {
      if (value) return this;
      throw new Error("requiresGrad_: you can only change requiresGrad of leaf tensors; use detach() to get a tensor without a graph");
    }
    if (value && !isFloatingPoint(this.dtype)) {
      throw new TypeError(`requiresGrad_: only floating-point tensors can require gradients (got dtype ${this.dtype})`);
    }
    this._requiresGrad = value;
    return this;
  }

  /** @internal Marks this tensor as the output of `node`. */
  _setGradFn(node: Node): void {
    this._gradFn = node;
    this._requiresGrad = true;
  }

  /**
   * How many in-place writes this tensor's storage has seen (shared with its views), like
   * PyTorch's `_version`. Backward compares it with the value an op saw when it ran.
   * @group Autograd
   */
  get version(): number {
    return storageVersion(this.data);
  }

  /**
   * Declares that `data` was written directly (as optimizers do), bumping {@link Tensor.version}
   * so graphs that saved the old values refuse to backward through them.
   *
   * @example
   * ```ts
   * const w = tensor([1, 2]);
   * const before = w.version;
   * w.data[0] = 5; // a direct write, as an optimizer's kernel does
   * w.markModified();
   * w.version - before; // → 1
   * ```
   * @group Autograd
   */
  markModified(): this {
    bumpStorageVersion(this.data);
    return this;
  }

  /**
   * Keep `.grad` on this non-leaf tensor during backward, like PyTorch's `retain_grad()`.
   *
   * PyTorch: `torch.Tensor.retain_grad`.
   *
   * @example
   * ```ts
   * const x = tensor([1, 2], { requiresGrad: true });
   * const h = x.mul(3).retainGrad();
   * h.sum().backward();
   * h.grad!.toArray(); // → [1, 1]
   * ```
   * @group Autograd
   */
  retainGrad(): this {
    if (!this._requiresGrad) throw new Error("retainGrad: can't retain the gradient of a tensor that does not require grad");
    if (this._gradFn) this._gradFn.retained = this;
    return this;
  }

  /**
   * True for a non-leaf tensor on which {@link Tensor.retainGrad} was called (a leaf keeps its
   * `.grad` anyway and reads false, as PyTorch).
   *
   * PyTorch: `torch.Tensor.retains_grad`.
   *
   * @example
   * ```ts
   * const x = tensor([1, 2], { requiresGrad: true });
   * const h = x.mul(3);
   * h.retainsGrad;               // → false
   * h.retainGrad().retainsGrad;  // → true
   * x.retainsGrad;               // → false
   * ```
   * @group Autograd
   */
  get retainsGrad(): boolean {
    return this._gradFn !== null && this._gradFn.retained === this;
  }

  /**
   * Registers `hook`, called with this tensor's gradient every time backward computes it. The
   * hook may return a replacement (same shape and dtype) that flows on instead; returning nothing
   * keeps the gradient. Several hooks run in registration order, each on the previous one's
   * result. Returns a handle whose `remove()` unregisters the hook.
   *
   * On a leaf the hook runs once per backward on the gradient summed over all uses of the tensor,
   * before it is added to `.grad` (PyTorch's hooks on `AccumulateGrad`); on a non-leaf it runs
   * before the gradient flows into the op that produced the tensor, and before
   * {@link Tensor.retainGrad} stores it. `grad()` runs the hooks of the inputs it is asked about
   * before returning their gradients (as PyTorch 2; 1.13 skipped them). With `createGraph: true`
   * the hook's ops are recorded, so its change is differentiated too.
   *
   * PyTorch: `torch.Tensor.register_hook`.
   *
   * @example
   * ```ts
   * const x = tensor([1, 2, 3], { requiresGrad: true });
   * const handle = x.registerHook((g) => g.mul(2)); // double the gradient
   * x.mul(x).sum().backward();
   * x.grad;         // → [4, 8, 12]
   * handle.remove();
   * ```
   * @group Autograd
   */
  registerHook(hook: TensorHook): RemovableHandle {
    if (typeof hook !== "function") throw new TypeError(`registerHook: expected a function (grad) => Tensor | undefined, got ${describeValue(hook)}`);
    if (!this._requiresGrad) throw new Error("registerHook: cannot register a hook on a tensor that does not require grad");
    return new RemovableHandle(tensorHooksOf(this, true), hook);
  }

  /**
   * @internal Adds `g` into `.grad` (a fresh copy the first time, so later in-place updates own
   * it, unless backward says `owned`: no one else holds g, which then becomes `.grad` itself).
   * Backward calls it with grad mode set to `createGraph`, so without createGraph the ops here
   * record nothing.
   */
  _accumulateGrad(g: Tensor, createGraph: boolean, owned = false): void {
    const grad = g.dtype === this.dtype ? g : g.to(this.dtype);
    const old = this._grad;
    if (createGraph) {
      this._grad = old ? old.add(grad) : grad;
    } else if (old === null) {
      this._grad = owned && grad.isContiguous() && sameShape(grad.shape, this.shape) ? grad : grad.clone();
    } else if (old.requiresGrad || !old.isContiguous()) {
      // A graph-carrying or user-assigned broadcast gradient is replaced, not written through.
      this._grad = old.add(grad);
    } else {
      old.add_(grad);
    }
  }

  /** @internal A tensor of ones with this shape and dtype (the implicit gradient of a scalar). */
  _onesLike(): Tensor {
    const out = allocate(this.dtype, this.numel());
    out.fill(1);
    return new Tensor(out, this.shape, this.dtype);
  }

  /**
   * Computes the gradient of this tensor with respect to every leaf that requires grad and adds
   * it into their `.grad`. A non-scalar tensor needs `gradient` (same shape; another float dtype
   * is cast, as PyTorch). The graph is freed afterwards unless `retainGraph` is set.
   *
   * For a scalar the options may come first, `loss.backward({ retainGraph: true })`, as they do in
   * PyTorch's keyword form `loss.backward(retain_graph=True)`; `backward(null, options)` and
   * `backward(undefined, options)` mean the same.
   *
   * PyTorch: `torch.Tensor.backward`.
   *
   * @example
   * ```ts
   * const x = tensor([1, 2], { requiresGrad: true });
   * const loss = x.mul(x).sum();
   * loss.backward({ retainGraph: true }); // keep the graph for a second pass
   * loss.backward();
   * x.grad!.toArray();                    // [4, 8] (2x, accumulated twice)
   * const y = x.mul(3);
   * y.backward(onesLike(y));              // a non-scalar output needs its gradient
   * ```
   * @group Autograd
   */
  backward(options?: BackwardOptions): void;
  backward(gradient: Tensor | null | undefined, options?: BackwardOptions): void;
  backward(gradient?: Tensor | BackwardOptions | null, options?: BackwardOptions): void {
    runBackward(this, gradient, options);
  }

  /**
   * A tensor sharing this one's data with no graph and requiresGrad false.
   *
   * PyTorch: `torch.Tensor.detach`.
   *
   * @example
   * ```ts
   * const x = tensor([1, 2], { requiresGrad: true });
   * const y = x.mul(2).detach();
   * y.requiresGrad; // → false
   * ```
   * @group Autograd
   */
  detach(): Tensor {
    return new Tensor(this.data, this.shape, this.dtype, this.strides, this.offset);
  }

  // ---------------------------------------------------------------- reading values

  /**
   * The value of a one-element tensor as a JS number (booleans as 0/1).
   *
   * PyTorch: `torch.Tensor.item`.
   *
   * @example
   * ```ts
   * tensor([[3.5]]).item(); // → 3.5
   * ```
   * @group Conversion
   */
  item(): number {
    if (this.numel() !== 1) {
      throw new RangeError(`item: a tensor with ${this.numel()} elements (shape ${fmtShape(this.shape)}) cannot be converted to a number`);
    }
    return this.data[this.offset];
  }

  /**
   * A flat copy of the elements in row-major order, as this dtype's typed array.
   *
   * @example
   * ```ts
   * const flat = tensor([[1, 2], [3, 4]]).T.dataSync();
   * flat instanceof Float32Array; // → true
   * Array.from(flat);             // → [1, 3, 2, 4] (row-major order of the transpose)
   * ```
   * @group Conversion
   */
  dataSync(): TypedArray {
    const c = this.isContiguous() ? this : noGrad(() => this.contiguous());
    return c.data.slice(c.offset, c.offset + c.numel());
  }

  /**
   * The elements as nested JS arrays (booleans for bool tensors), like PyTorch's `tolist()`.
   *
   * PyTorch: `torch.Tensor.tolist`.
   *
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).toArray(); // → [[1, 2], [3, 4]]
   * tensor([true, false]).toArray();    // → [true, false]
   * tensor(7).toArray();                // → 7
   * ```
   * @group Conversion
   */
  toArray(): NestedArray {
    const flat = this.dataSync();
    const asBool = this.dtype === "bool";
    let pos = 0;
    const build = (d: number): NestedArray => {
      if (d === this.ndim) {
        const v = flat[pos++];
        return asBool ? v !== 0 : v;
      }
      const out: NestedArray[] = [];
      for (let i = 0; i < this.shape[d]; i++) out.push(build(d + 1));
      return out;
    };
    return build(0);
  }

  /** A readable print like PyTorch's repr: `tensor([[1.0000, 2.0000]], requiresGrad=true)`. @group Conversion */
  toString(): string {
    return formatTensor(this);
  }

  /** What `console.log` prints: `toString()`, not the internals. @group Conversion */
  [inspectCustom](): string {
    return this.toString();
  }

  // ---------------------------------------------------------------- elementwise arithmetic

  /**
   * Elementwise `this + alpha * other`, broadcasting.
   *
   * PyTorch: `torch.Tensor.add`.
   *
   * @example
   * ```ts
   * const x = tensor([1, 2]);
   * x.add(tensor([10, 20])).toArray();     // → [11, 22]
   * x.add(1, { alpha: 3 }).toArray();      // → [4, 5]
   * x.add(tensor([[0], [100]])).toArray(); // → [[1, 2], [101, 102]] (broadcast to [2, 2])
   * ```
   * @group Pointwise math
   */
  add(other: TensorLike, options?: { alpha?: number }): Tensor {
    return arith.add(this, other, alphaOption("add", options));
  }
  /**
   * Elementwise `this - alpha * other`, broadcasting.
   *
   * PyTorch: `torch.Tensor.sub`.
   *
   * @example
   * ```ts
   * tensor([5, 5]).sub(tensor([1, 2]), { alpha: 2 }).toArray(); // → [3, 1]
   * ```
   * @group Pointwise math
   */
  sub(other: TensorLike, options?: { alpha?: number }): Tensor {
    return arith.sub(this, other, alphaOption("sub", options));
  }
  /**
   * Elementwise product, broadcasting.
   *
   * PyTorch: `torch.Tensor.mul`.
   *
   * @example
   * ```ts
   * tensor([1, 2]).mul(tensor([[1], [10]])).toArray(); // → [[1, 2], [10, 20]]
   * ```
   * @group Pointwise math
   */
  mul(other: TensorLike): Tensor {
    return arith.mul(this, other);
  }
  /**
   * Elementwise `this / other`, broadcasting. Without a rounding mode it is true division (integer
   * inputs give float32); `{ roundingMode: "trunc" }` rounds toward zero and `"floor"` toward −∞
   * (Python's `//`), keeping integer dtypes (a zero integer divisor throws, as PyTorch's
   * ZeroDivisionError). Gradient `1/b`, `−a/b²`; zero with a rounding mode. PyTorch: `torch.div`.
   * @example
   * ```ts
   * tensor([7, -7]).div(2).toArray(); // [3.5, -3.5]
   * tensor([7, -7], { dtype: "int32" }).div(2, { roundingMode: "trunc" }).toArray(); // [3, -3]
   * tensor([7, -7], { dtype: "int32" }).div(2, { roundingMode: "floor" }).toArray(); // [3, -4]
   * ```
   * @group Pointwise math
   */
  div(other: TensorLike, options?: { roundingMode?: RoundingMode | null }): Tensor {
    if (options === undefined) return arith.div(this, other);
    return arith.divide(this, other, resolveOptions("div", options, DIV_OPTIONS, DIV_OPTION_CHECKS).roundingMode);
  }
  /**
   * Alias of {@link Tensor.div} (PyTorch's `divide`).
   * @example
   * ```ts
   * tensor([7]).divide(2, { roundingMode: "floor" }).toArray(); // [3]
   * ```
   * @group Pointwise math
   */
  divide(other: TensorLike, options?: { roundingMode?: RoundingMode | null }): Tensor {
    if (options === undefined) return arith.div(this, other);
    return arith.divide(this, other, resolveOptions("divide", options, DIV_OPTIONS, DIV_OPTION_CHECKS).roundingMode, "divide");
  }
  /**
   * `⌊this / other⌋` elementwise (Python's `//`, as PyTorch ≥ 1.13), broadcasting; integer dtypes
   * stay integer. Zero gradient. PyTorch: `torch.floor_divide`.
   * @example
   * ```ts
   * tensor([7, -7], { dtype: "int32" }).floorDivide(2).toArray(); // [3, -4]
   * ```
   * @group Pointwise math
   */
  floorDivide(other: TensorLike): Tensor { return arith.floorDivide(this, other); }
  /**
   * Python's modulus `a − b·⌊a/b⌋` elementwise: the sign of the divisor. Gradient 1 to `a` and
   * `−⌊a/b⌋` to `b`. PyTorch: `torch.remainder`. Broadcasting; integer dtypes stay integer.
   * @example
   * ```ts
   * tensor([-3, 3]).remainder(2).toArray(); // [1, 1]
   * ```
   * @group Pointwise math
   */
  remainder(other: TensorLike): Tensor { return arith.remainder(this, other); }
  /**
   * C's `fmod`, `a − b·trunc(a/b)` elementwise: the sign of the dividend. Gradient 1 to `a` and
   * `−trunc(a/b)` to `b`. PyTorch: `torch.fmod`. Broadcasting; integer dtypes stay integer.
   * @example
   * ```ts
   * tensor([-3, 3]).fmod(2).toArray(); // [-1, 1]
   * ```
   * @group Pointwise math
   */
  fmod(other: TensorLike): Tensor { return arith.fmod(this, other); }
  /**
   * `atan2(this, other)`: the angle of the point (other, this) in (−π, π], broadcasting; gradients
   * `b/(a² + b²)` and `−a/(a² + b²)`. PyTorch: `torch.atan2`; integer inputs give float32.
   * @example
   * ```ts
   * tensor([1, -1]).atan2(tensor([0, -1])).toArray(); // [1.570796…, -2.356194…]
   * ```
   * @group Pointwise math
   */
  atan2(other: TensorLike): Tensor { return binaryMath.atan2(this, other); }
  /**
   * Alias of {@link Tensor.atan2} (PyTorch's `arctan2`).
   * @example
   * ```ts
   * tensor([1]).arctan2(tensor([1])).toArray(); // [0.785398…]
   * ```
   * @group Pointwise math
   */
  arctan2(other: TensorLike): Tensor { return binaryMath.atan2(this, other); }
  /**
   * `√(this² + other²)` elementwise without overflow, broadcasting; gradients `a/h`, `b/h`.
   * PyTorch: `torch.hypot` (floating-point inputs).
   * @example
   * ```ts
   * tensor([3, 1e200], { dtype: "float64" }).hypot(tensor([4, 1e200], { dtype: "float64" })).toArray(); // [5, 1.414213562373095e200]
   * ```
   * @group Pointwise math
   */
  hypot(other: TensorLike): Tensor { return binaryMath.hypot(this, other); }
  /**
   * `ln(eᵃ + eᵇ)` elementwise, finite for large inputs, broadcasting; gradients `1/(1 + e^(b−a))`
   * and `1/(1 + e^(a−b))`. PyTorch: `torch.logaddexp` (floating-point inputs).
   * @example
   * ```ts
   * tensor([1000, 0]).logaddexp(tensor([1000, 0])).toArray(); // [1000.693176…, 0.693147…] (float32)
   * ```
   * @group Pointwise math
   */
  logaddexp(other: TensorLike): Tensor { return binaryMath.logaddexp(this, other); }
  /**
   * `log₂(2ᵃ + 2ᵇ)` elementwise, finite for large inputs, broadcasting. PyTorch: `torch.logaddexp2`.
   * @example
   * ```ts
   * tensor([3, 0]).logaddexp2(tensor([3, 1])).toArray(); // [4, 1.584962…]
   * ```
   * @group Pointwise math
   */
  logaddexp2(other: TensorLike): Tensor { return binaryMath.logaddexp2(this, other); }
  /**
   * `this · ln(other)` elementwise with 0 where this = 0 (even at other = 0), NaN where other is
   * NaN, broadcasting; gradients `ln b` and `a/b`. PyTorch: `torch.xlogy`.
   * @example
   * ```ts
   * tensor([0, 2]).xlogy(tensor([0, 4])).toArray(); // [0, 2.772588…]
   * ```
   * @group Pointwise math
   */
  xlogy(other: TensorLike): Tensor { return binaryMath.xlogy(this, other); }
  /**
   * `|this|` with the sign of `other` elementwise (−0 counts as negative), broadcasting; gradient
   * `copysign(a, b)/a` (0 at a = 0) to this, zero to other. PyTorch: `torch.copysign`.
   * @example
   * ```ts
   * tensor([1, 2, 3]).copysign(tensor([-1, 0, -0])).toArray(); // [-1, 2, -3]
   * ```
   * @group Pointwise math
   */
  copysign(other: TensorLike): Tensor { return binaryMath.copysign(this, other); }
  /**
   * The next representable number after each element towards `other`: one ulp of the result's
   * dtype (float32 steps float32 ulps). Not differentiable. PyTorch: `torch.nextafter`.
   * @example
   * ```ts
   * tensor([1], { dtype: "float64" }).nextafter(tensor([2], { dtype: "float64" })).item(); // → 1.0000000000000002
   * tensor([1]).nextafter(tensor([0])).item(); // → 0.9999999403953552
   * ```
   * @group Pointwise math
   */
  nextafter(other: TensorLike): Tensor { return binaryMath.nextafter(this, other); }
  /**
   * The Heaviside step: 0 where x < 0, `values` where x = 0, 1 where x > 0 (broadcasting; same
   * dtype as this). Not differentiable. PyTorch: `torch.heaviside`.
   * @example
   * ```ts
   * tensor([-2, 0, 3]).heaviside(tensor([0.5])).toArray(); // [0, 0.5, 1]
   * ```
   * @group Pointwise math
   */
  heaviside(values: Tensor): Tensor { return binaryMath.heaviside(this, values); }
  /**
   * Elementwise power `this ** exponent`; d/dx = p·x^(p-1), d/dp = x^p·ln x.
   *
   * PyTorch: `torch.Tensor.pow`.
   *
   * @example
   * ```ts
   * tensor([1, 2, 3]).pow(2).toArray();         // → [1, 4, 9]
   * tensor([4, 9]).pow(tensor([0.5])).toArray(); // → [2, 3]
   * ```
   * @group Pointwise math
   */
  pow(exponent: TensorLike): Tensor {
    return arith.pow(this, exponent);
  }
  /**
   * Elementwise maximum; at ties each input gets half the gradient (PyTorch).
   *
   * PyTorch: `torch.Tensor.maximum`.
   *
   * @example
   * ```ts
   * tensor([1, 5]).maximum(tensor([3, 2])).toArray(); // → [3, 5]
   * ```
   * @group Pointwise math
   */
  maximum(other: TensorLike): Tensor {
    return arith.maximum(this, other);
  }
  /**
   * Elementwise minimum; at ties each input gets half the gradient (PyTorch).
   *
   * PyTorch: `torch.Tensor.minimum`.
   *
   * @example
   * ```ts
   * tensor([1, 5]).minimum(tensor([3, 2])).toArray(); // → [1, 2]
   * ```
   * @group Pointwise math
   */
  minimum(other: TensorLike): Tensor {
    return arith.minimum(this, other);
  }

  // ---------------------------------------------------------------- unary math

  /**
   * `-x`.
   *
   * PyTorch: `torch.Tensor.neg`.
   *
   * @example
   * ```ts
   * tensor([1, -2]).neg().toArray(); // → [-1, 2]
   * ```
   * @group Pointwise math
   */
  neg(): Tensor { return unary.neg(this); }
  /**
   * `e^x`.
   *
   * PyTorch: `torch.Tensor.exp`.
   *
   * @example
   * ```ts
   * tensor([0, 1]).exp().toArray(); // ≈ [1, 2.7183]
   * ```
   * @group Pointwise math
   */
  exp(): Tensor { return unary.exp(this); }
  /**
   * Natural log.
   *
   * PyTorch: `torch.Tensor.log`.
   *
   * @example
   * ```ts
   * tensor([1, Math.E]).log().toArray(); // ≈ [0, 1]
   * ```
   * @group Pointwise math
   */
  log(): Tensor { return unary.log(this); }
  /**
   * `ln(1 + x)`, accurate for small x.
   *
   * PyTorch: `torch.Tensor.log1p`.
   *
   * @example
   * ```ts
   * tensor([1e-10], { dtype: "float64" }).log1p().item(); // ≈ 9.9999999995e-11
   * ```
   * @group Pointwise math
   */
  log1p(): Tensor { return unary.log1p(this); }
  /**
   * `e^x - 1`, accurate for small x.
   *
   * PyTorch: `torch.Tensor.expm1`.
   *
   * @example
   * ```ts
   * tensor([1e-10], { dtype: "float64" }).expm1().item(); // ≈ 1.00000000005e-10
   * ```
   * @group Pointwise math
   */
  expm1(): Tensor { return unary.expm1(this); }
  /**
   * Square root; gradient 1/(2√x) (infinite at 0).
   *
   * PyTorch: `torch.Tensor.sqrt`.
   *
   * @example
   * ```ts
   * tensor([4, 9]).sqrt().toArray(); // → [2, 3]
   * ```
   * @group Pointwise math
   */
  sqrt(): Tensor { return unary.sqrt(this); }
  /**
   * `1/√x`.
   *
   * PyTorch: `torch.Tensor.rsqrt`.
   *
   * @example
   * ```ts
   * tensor([4, 16]).rsqrt().toArray(); // → [0.5, 0.25]
   * ```
   * @group Pointwise math
   */
  rsqrt(): Tensor { return unary.rsqrt(this); }
  /**
   * `x²`.
   *
   * PyTorch: `torch.Tensor.square`.
   *
   * @example
   * ```ts
   * tensor([-3, 2]).square().toArray(); // → [9, 4]
   * ```
   * @group Pointwise math
   */
  square(): Tensor { return unary.square(this); }
  /**
   * `1/x`.
   *
   * PyTorch: `torch.Tensor.reciprocal`.
   *
   * @example
   * ```ts
   * tensor([2, 4]).reciprocal().toArray(); // → [0.5, 0.25]
   * ```
   * @group Pointwise math
   */
  reciprocal(): Tensor { return unary.reciprocal(this); }
  /**
   * `|x|`; gradient sign(x), 0 at x = 0 (PyTorch).
   *
   * PyTorch: `torch.Tensor.abs`.
   *
   * @example
   * ```ts
   * tensor([-1.5, 0, 2]).abs().toArray(); // → [1.5, 0, 2]
   * ```
   * @group Pointwise math
   */
  abs(): Tensor { return unary.abs(this); }
  /**
   * -1, 0 or 1; zero gradient.
   *
   * PyTorch: `torch.Tensor.sign`.
   *
   * @example
   * ```ts
   * tensor([-2, 0, 3]).sign().toArray(); // → [-1, 0, 1]
   * ```
   * @group Pointwise math
   */
  sign(): Tensor { return unary.sign(this); }
  /**
   * Sine.
   *
   * PyTorch: `torch.Tensor.sin`.
   *
   * @example
   * ```ts
   * tensor([0, Math.PI / 2]).sin().toArray(); // → [0, 1]
   * ```
   * @group Pointwise math
   */
  sin(): Tensor { return unary.sin(this); }
  /**
   * Cosine.
   *
   * PyTorch: `torch.Tensor.cos`.
   *
   * @example
   * ```ts
   * tensor([0, Math.PI]).cos().toArray(); // → [1, -1]
   * ```
   * @group Pointwise math
   */
  cos(): Tensor { return unary.cos(this); }
  /**
   * Gauss error function; d/dx = 2/√π·e^(−x²).
   *
   * PyTorch: `torch.Tensor.erf`.
   *
   * @example
   * ```ts
   * tensor([0, 1]).erf().toArray(); // ≈ [0, 0.8427]
   * ```
   * @group Pointwise math
   */
  erf(): Tensor { return unary.erf(this); }
  /**
   * Logistic sigmoid `1 / (1 + e^-x)`, stable for large |x|; gradient σ(x)(1 − σ(x)).
   *
   * PyTorch: `torch.Tensor.sigmoid`.
   *
   * @example
   * ```ts
   * tensor([0, 2]).sigmoid().toArray(); // ≈ [0.5, 0.8808]
   * ```
   * @group Pointwise math
   */
  sigmoid(): Tensor { return unary.sigmoid(this); }
  /**
   * Hyperbolic tangent; gradient 1 − tanh²(x).
   *
   * PyTorch: `torch.Tensor.tanh`.
   *
   * @example
   * ```ts
   * tensor([0, 1]).tanh().toArray(); // ≈ [0, 0.7616]
   * ```
   * @group Pointwise math
   */
  tanh(): Tensor { return unary.tanh(this); }
  /**
   * `max(x, 0)`; gradient 1 for x > 0, else 0 (0 at the kink, as PyTorch).
   *
   * PyTorch: `torch.Tensor.relu`.
   *
   * @example
   * ```ts
   * tensor([-1, 0, 2]).relu().toArray(); // → [0, 0, 2]
   * ```
   * @group Pointwise math
   */
  relu(): Tensor { return unary.relu(this); }
  /**
   * Clamps into [min, max]: `min(max(x, min), max)` (all `max` where min > max). Either bound may be
   * omitted (null), and each may be a number or a Tensor broadcast with x (NaN in a bound gives NaN).
   * Gradient: 1 to x inside the closed interval, else 0; a tensor min gets it where x < min (< max),
   * a tensor max where x > max (or max < min), as PyTorch.
   *
   * PyTorch: `torch.Tensor.clamp`.
   *
   * @example
   * ```ts
   * tensor([-2, 0.5, 3]).clamp(0, 1).toArray();  // → [0, 0.5, 1]
   * tensor([-2, 0.5, 3]).clamp(null, 1).toArray(); // → [-2, 0.5, 1]
   * tensor([-2, 0.5, 3]).clamp(tensor([-1, 1, 0])).toArray(); // → [-1, 1, 3]
   * ```
   * @group Pointwise math
   */
  clamp(min?: TensorLike | null, max?: TensorLike | null): Tensor { return unary.clamp(this, min, max); }
  /**
   * Alias of {@link Tensor.clamp} (NumPy's name).
   *
   * PyTorch: `torch.Tensor.clip`.
   *
   * @example
   * ```ts
   * tensor([-2, 3]).clip(-1, 1).toArray(); // → [-1, 1]
   * ```
   * @group Pointwise math
   */
  clip(min?: TensorLike | null, max?: TensorLike | null): Tensor { return unary.clamp(this, min, max, "clip"); }
  /**
   * `max(x, min)` elementwise: {@link Tensor.clamp} with only a lower bound (a number or a Tensor).
   *
   * PyTorch: `torch.Tensor.clamp_min`.
   *
   * @example
   * ```ts
   * tensor([-2, 3]).clampMin(0).toArray(); // → [0, 3]
   * ```
   * @group Pointwise math
   */
  clampMin(min: TensorLike): Tensor { return unary.clampMin(this, min); }
  /**
   * `min(x, max)` elementwise: {@link Tensor.clamp} with only an upper bound (a number or a Tensor).
   *
   * PyTorch: `torch.Tensor.clamp_max`.
   *
   * @example
   * ```ts
   * tensor([-2, 3]).clampMax(tensor([0, 1])).toArray(); // → [-2, 1]
   * ```
   * @group Pointwise math
   */
  clampMax(max: TensorLike): Tensor { return unary.clampMax(this, max); }
  /**
   * `this + weight·(end − this)` elementwise, broadcasting (PyTorch's two-sided formula, so weight 1
   * gives exactly end); `weight` is a number or a tensor of the same floating-point dtype as this and
   * end. Gradients: this `1 − w`, end `w`, a tensor weight `end − this`.
   *
   * PyTorch: `torch.Tensor.lerp`.
   *
   * @example
   * ```ts
   * tensor([1, 2]).lerp(tensor([3, 6]), 0.5).toArray(); // → [2, 4]
   * tensor([1, 2]).lerp(tensor([3, 6]), tensor([0, 1])).toArray(); // → [1, 6]
   * ```
   * @group Pointwise math
   */
  lerp(end: Tensor, weight: TensorLike): Tensor { return arith.lerp(this, end, weight); }
  /**
   * `this + value·tensor1·tensor2` elementwise, broadcasting all three (value default 1).
   * Gradients: this 1, tensor1 `value·tensor2`, tensor2 `value·tensor1`.
   *
   * PyTorch: `torch.Tensor.addcmul`.
   *
   * @example
   * ```ts
   * tensor([1, 1]).addcmul(tensor([2, 3]), tensor([4, 5]), { value: 0.5 }).toArray(); // → [5, 8.5]
   * ```
   * @group Pointwise math
   */
  addcmul(tensor1: Tensor, tensor2: Tensor, options?: { value?: number }): Tensor { return arith.addcmul(this, tensor1, tensor2, options); }
  /**
   * `this + value·tensor1/tensor2` elementwise, broadcasting all three (value default 1; tensor1 and
   * tensor2 may not both be integer). Gradients: this 1, tensor1 `value/tensor2`, tensor2 `−value·tensor1/tensor2²`.
   *
   * PyTorch: `torch.Tensor.addcdiv`.
   *
   * @example
   * ```ts
   * tensor([1, 1]).addcdiv(tensor([2, 3]), tensor([4, 6]), { value: 2 }).toArray(); // → [2, 2]
   * ```
   * @group Pointwise math
   */
  addcdiv(tensor1: Tensor, tensor2: Tensor, options?: { value?: number }): Tensor { return arith.addcdiv(this, tensor1, tensor2, options); }
  /**
   * NaN, +∞ and −∞ replaced by `nan` (default 0), `posinf` and `neginf` (default the dtype's largest
   * and lowest finite values); integer and bool tensors are copied. Gradient: 1 where x is finite, else 0.
   *
   * PyTorch: `torch.Tensor.nan_to_num`.
   *
   * @example
   * ```ts
   * tensor([NaN, Infinity, -Infinity, 1]).nanToNum({ posinf: 9 }).toArray(); // → [0, 9, -3.4028234663852886e38, 1]
   * ```
   * @group Pointwise math
   */
  nanToNum(options?: { nan?: number; posinf?: number | null; neginf?: number | null }): Tensor { return predicates.nanToNum(this, options); }
  /**
   * Rounds down; zero gradient.
   *
   * PyTorch: `torch.Tensor.floor`.
   *
   * @example
   * ```ts
   * tensor([-1.5, 1.7]).floor().toArray(); // → [-2, 1]
   * ```
   * @group Pointwise math
   */
  floor(): Tensor { return unary.floor(this); }
  /**
   * Rounds up; zero gradient.
   *
   * PyTorch: `torch.Tensor.ceil`.
   *
   * @example
   * ```ts
   * tensor([-1.5, 1.2]).ceil().toArray(); // → [-1, 2]
   * ```
   * @group Pointwise math
   */
  ceil(): Tensor { return unary.ceil(this); }
  /**
   * Rounds half to even (PyTorch's `round`: `round(2.5) = 2`), to `decimals` places when given:
   * `round(x·10ᵈ)/10ᵈ` (or `round(x/10⁻ᵈ)·10⁻ᵈ` for d < 0), computed in the tensor's precision as
   * PyTorch does. Zero gradient. PyTorch: `torch.round(input, decimals=0)`. Shape: as the input.
   * @example
   * ```ts
   * tensor([0.5, 1.5, 2.5, -0.5]).round().toArray(); // [0, 2, 2, -0]
   * tensor([1.2345, 1250], { dtype: "float64" }).round({ decimals: 2 }).toArray(); // [1.23, 1250]
   * tensor([1250], { dtype: "float64" }).round({ decimals: -2 }).toArray(); // [1200]
   * ```
   * @group Pointwise math
   */
  round(options?: { decimals?: number }): Tensor { return unary.round(this, resolveOptions("round", options, { decimals: 0 }, { decimals: optionChecks.integer }).decimals); }
  /**
   * Rounds toward zero: `trunc(−1.7) = −1`. Zero gradient. PyTorch: `torch.trunc`. Shape: as the input; keeps the dtype.
   * @example
   * ```ts
   * tensor([-1.7, 1.7]).trunc().toArray(); // [-1, 1]
   * ```
   * @group Pointwise math
   */
  trunc(): Tensor { return unary.trunc(this); }
  /**
   * Alias of {@link Tensor.trunc} (PyTorch's `fix`).
   * @example
   * ```ts
   * tensor([-1.7, 1.7]).fix().toArray(); // [-1, 1]
   * ```
   * @group Pointwise math
   */
  fix(): Tensor { return unary.trunc(this); }
  /**
   * The fractional part with the input's sign, `x − trunc(x)` (floating-point inputs only). Gradient 1.
   * PyTorch: `torch.frac`. Shape: as the input.
   * @example
   * ```ts
   * tensor([-1.75, 2.5]).frac().toArray(); // [-0.75, 0.5]
   * ```
   * @group Pointwise math
   */
  frac(): Tensor { return unary.frac(this); }
  /**
   * `tan x`; gradient `1 + tan² x`.
   * PyTorch: `torch.tan`. Shape: as the input; integer and bool inputs give float32.
   * @example
   * ```ts
   * tensor([0, 0.5]).tan().toArray(); // [0, 0.546302…]
   * ```
   * @group Pointwise math
   */
  tan(): Tensor { return unary.tan(this); }
  /**
   * `arcsin x` in [−π/2, π/2] (NaN outside [−1, 1]); gradient `1/√(1 − x²)`.
   * PyTorch: `torch.asin`. Shape: as the input; integer and bool inputs give float32.
   * @example
   * ```ts
   * tensor([0, 1]).asin().toArray(); // [0, 1.570796…]
   * ```
   * @group Pointwise math
   */
  asin(): Tensor { return unary.asin(this); }
  /**
   * `arccos x` in [0, π] (NaN outside [−1, 1]); gradient `−1/√(1 − x²)`.
   * PyTorch: `torch.acos`. Shape: as the input; integer and bool inputs give float32.
   * @example
   * ```ts
   * tensor([1, 0]).acos().toArray(); // [0, 1.570796…]
   * ```
   * @group Pointwise math
   */
  acos(): Tensor { return unary.acos(this); }
  /**
   * `arctan x` in (−π/2, π/2); gradient `1/(1 + x²)`.
   * PyTorch: `torch.atan`. Shape: as the input; integer and bool inputs give float32.
   * @example
   * ```ts
   * tensor([0, 1]).atan().toArray(); // [0, 0.785398…]
   * ```
   * @group Pointwise math
   */
  atan(): Tensor { return unary.atan(this); }
  /**
   * `sinh x = (eˣ − e⁻ˣ)/2`; gradient `cosh x`.
   * PyTorch: `torch.sinh`. Shape: as the input; integer and bool inputs give float32.
   * @example
   * ```ts
   * tensor([0, 1]).sinh().toArray(); // [0, 1.175201…]
   * ```
   * @group Pointwise math
   */
  sinh(): Tensor { return unary.sinh(this); }
  /**
   * `cosh x = (eˣ + e⁻ˣ)/2`; gradient `sinh x`.
   * PyTorch: `torch.cosh`. Shape: as the input; integer and bool inputs give float32.
   * @example
   * ```ts
   * tensor([0, 1]).cosh().toArray(); // [1, 1.543080…]
   * ```
   * @group Pointwise math
   */
  cosh(): Tensor { return unary.cosh(this); }
  /**
   * `arsinh x = ln(x + √(x² + 1))`; gradient `1/√(x² + 1)`.
   * PyTorch: `torch.asinh`. Shape: as the input; integer and bool inputs give float32.
   * @example
   * ```ts
   * tensor([0, 1]).asinh().toArray(); // [0, 0.881373…]
   * ```
   * @group Pointwise math
   */
  asinh(): Tensor { return unary.asinh(this); }
  /**
   * `arcosh x = ln(x + √(x² − 1))` (NaN below 1); gradient `1/√(x² − 1)`.
   * PyTorch: `torch.acosh`. Shape: as the input; integer and bool inputs give float32.
   * @example
   * ```ts
   * tensor([1, 2]).acosh().toArray(); // [0, 1.316957…]
   * ```
   * @group Pointwise math
   */
  acosh(): Tensor { return unary.acosh(this); }
  /**
   * `artanh x = ½ ln((1 + x)/(1 − x))` (±∞ at ±1, NaN outside); gradient `1/(1 − x²)`.
   * PyTorch: `torch.atanh`. Shape: as the input; integer and bool inputs give float32.
   * @example
   * ```ts
   * tensor([0, 0.5]).atanh().toArray(); // [0, 0.549306…]
   * ```
   * @group Pointwise math
   */
  atanh(): Tensor { return unary.atanh(this); }
  /**
   * `log₂ x`; gradient `1/(x ln 2)`.
   * PyTorch: `torch.log2`. Shape: as the input; integer and bool inputs give float32.
   * @example
   * ```ts
   * tensor([1, 8]).log2().toArray(); // [0, 3]
   * ```
   * @group Pointwise math
   */
  log2(): Tensor { return unary.log2(this); }
  /**
   * `log₁₀ x`; gradient `1/(x ln 10)`.
   * PyTorch: `torch.log10`. Shape: as the input; integer and bool inputs give float32.
   * @example
   * ```ts
   * tensor([1, 100]).log10().toArray(); // [0, 2]
   * ```
   * @group Pointwise math
   */
  log10(): Tensor { return unary.log10(this); }
  /**
   * `2ˣ`; gradient `2ˣ ln 2`.
   * PyTorch: `torch.exp2`. Shape: as the input; integer and bool inputs give float32.
   * @example
   * ```ts
   * tensor([0, 3]).exp2().toArray(); // [1, 8]
   * ```
   * @group Pointwise math
   */
  exp2(): Tensor { return unary.exp2(this); }
  /**
   * The normalized sinc `sin(πx)/(πx)`, 1 at 0; gradient `(πx cos πx − sin πx)/(πx²)`, 0 at 0.
   * PyTorch: `torch.sinc`. Shape: as the input; integer and bool inputs give float32.
   * @example
   * ```ts
   * tensor([0, 0.5]).sinc().toArray(); // [1, 0.636619…]
   * ```
   * @group Pointwise math
   */
  sinc(): Tensor { return unary.sinc(this); }
  /**
   * The complementary error function `1 − erf x`, accurate where erf x is near 1 (`erfc(10) ≈ 2.1e-45`);
   * gradient `−2/√π·e^(−x²)`.
   * PyTorch: `torch.erfc`. Shape: as the input; integer and bool inputs give float32.
   * @example
   * ```ts
   * tensor([0, 10], { dtype: "float64" }).erfc().toArray(); // [1, 2.0884875837625452e-45]
   * ```
   * @group Pointwise math
   */
  erfc(): Tensor { return unary.erfc(this); }
  /**
   * The inverse error function on (−1, 1): `erf(erfinv(y)) = y`, ±∞ at ±1, NaN outside;
   * gradient `√π/2·e^(erfinv(x)²)`.
   * PyTorch: `torch.erfinv`. Shape: as the input; integer and bool inputs give float32.
   * @example
   * ```ts
   * tensor([0, 0.5]).erfinv().toArray(); // [0, 0.476936…]
   * ```
   * @group Pointwise math
   */
  erfinv(): Tensor { return unary.erfinv(this); }
  /**
   * `ln |Γ(x)|` (+∞ at 0, −1, −2, …); gradient `ψ(x)` (digamma).
   * PyTorch: `torch.lgamma`. Shape: as the input; integer and bool inputs give float32.
   * @example
   * ```ts
   * tensor([1, 5, 0.5]).lgamma().toArray(); // [0, 3.178053…, 0.572364…]
   * ```
   * @group Pointwise math
   */
  lgamma(): Tensor { return unary.lgamma(this); }
  /**
   * The digamma function `ψ(x) = d/dx ln Γ(x)` (∓∞ at ±0, NaN at negative integers); gradient `ψ′(x)`.
   * PyTorch: `torch.digamma`. Shape: as the input; integer and bool inputs give float32.
   * @example
   * ```ts
   * tensor([1], { dtype: "float64" }).digamma().item(); // → -0.5772156649015328 (−γ)
   * ```
   * @group Pointwise math
   */
  digamma(): Tensor { return unary.digamma(this); }
  /**
   * `ψ⁽ⁿ⁾(x)`, the n-th derivative of the digamma function (n = 0: digamma, 1: trigamma, …);
   * gradient `ψ⁽ⁿ⁺¹⁾(x)`. PyTorch: `torch.polygamma(n, input)` (note the order). Shape: as the input.
   * @example
   * ```ts
   * tensor([1], { dtype: "float64" }).polygamma(1).item(); // ≈ 1.64493406764 (π²/6 to 9 digits, PyTorch's trigamma)
   * ```
   * @group Pointwise math
   */
  polygamma(n: number): Tensor { return unary.polygamma(n, this); }
  /**
   * `I₀(x) = Σₖ (x²/4)ᵏ/(k!)²`, the modified Bessel function of the first kind of order 0; gradient `I₁(x)`.
   * PyTorch: `torch.i0`. Shape: as the input; integer and bool inputs give float32.
   * @example
   * ```ts
   * tensor([0, 1]).i0().toArray(); // [1, 1.266065…]
   * ```
   * @group Pointwise math
   */
  i0(): Tensor { return unary.i0(this); }
  /**
   * `ln(x/(1 − x))`, the inverse of sigmoid; with `eps`, x is first clamped into [eps, 1 − eps].
   * Gradient `1/(x(1 − x))` (NaN outside [0, 1] without eps, 0 outside [eps, 1 − eps] with it).
   * PyTorch: `torch.logit(input, eps=None)`. Shape: as the input.
   * @example
   * ```ts
   * tensor([0.5, 0.75, 1]).logit().toArray(); // [0, 1.098612…, Infinity]
   * tensor([0, 1]).logit(0.25).toArray(); // [-1.098612…, 1.098612…]
   * ```
   * @group Pointwise math
   */
  logit(eps?: number | null): Tensor { return unary.logit(this, eps); }

  // ---------------------------------------------------------------- comparisons (bool, no grad)

  /**
   * Elementwise `==`, broadcasting; bool result.
   *
   * PyTorch: `torch.Tensor.eq`.
   *
   * @example
   * ```ts
   * tensor([1, 2, 3]).eq(2).toArray(); // → [false, true, false]
   * ```
   * @group Comparison
   */
  eq(other: TensorLike): Tensor { return compare.eq(this, other); }
  /**
   * Elementwise `!=`, broadcasting; bool result.
   *
   * PyTorch: `torch.Tensor.ne`.
   *
   * @example
   * ```ts
   * tensor([1, 2, 3]).ne(2).toArray(); // → [true, false, true]
   * ```
   * @group Comparison
   */
  ne(other: TensorLike): Tensor { return compare.ne(this, other); }
  /**
   * Elementwise `<`, broadcasting; bool result.
   *
   * PyTorch: `torch.Tensor.lt`.
   *
   * @example
   * ```ts
   * tensor([1, 2, 3]).lt(2).toArray(); // → [true, false, false]
   * ```
   * @group Comparison
   */
  lt(other: TensorLike): Tensor { return compare.lt(this, other); }
  /**
   * Elementwise `<=`, broadcasting; bool result.
   *
   * PyTorch: `torch.Tensor.le`.
   *
   * @example
   * ```ts
   * tensor([1, 2, 3]).le(2).toArray(); // → [true, true, false]
   * ```
   * @group Comparison
   */
  le(other: TensorLike): Tensor { return compare.le(this, other); }
  /**
   * Elementwise `>`, broadcasting; bool result.
   *
   * PyTorch: `torch.Tensor.gt`.
   *
   * @example
   * ```ts
   * tensor([1, 2, 3]).gt(2).toArray(); // → [false, false, true]
   * ```
   * @group Comparison
   */
  gt(other: TensorLike): Tensor { return compare.gt(this, other); }
  /**
   * Elementwise `>=`, broadcasting; bool result.
   *
   * PyTorch: `torch.Tensor.ge`.
   *
   * @example
   * ```ts
   * tensor([1, 2, 3]).ge(2).toArray(); // → [false, true, true]
   * ```
   * @group Comparison
   */
  ge(other: TensorLike): Tensor { return compare.ge(this, other); }
  /**
   * Elementwise logical not (nonzero → false); bool result.
   *
   * PyTorch: `torch.Tensor.logical_not`.
   *
   * @example
   * ```ts
   * tensor([0, 2]).logicalNot().toArray(); // → [true, false]
   * ```
   * @group Comparison
   */
  logicalNot(): Tensor { return compare.logicalNot(this); }
  /**
   * Elementwise logical and of truthiness; bool result.
   *
   * PyTorch: `torch.Tensor.logical_and`.
   *
   * @example
   * ```ts
   * tensor([true, true, false]).logicalAnd(tensor([true, false, false])).toArray(); // → [true, false, false]
   * ```
   * @group Comparison
   */
  logicalAnd(other: Tensor): Tensor { return compare.logicalAnd(this, other); }
  /**
   * Elementwise logical or of truthiness; bool result.
   *
   * PyTorch: `torch.Tensor.logical_or`.
   *
   * @example
   * ```ts
   * tensor([0, 2, 0]).logicalOr(tensor([0, 0, 1])).toArray(); // → [false, true, true]
   * ```
   * @group Comparison
   */
  logicalOr(other: Tensor): Tensor { return compare.logicalOr(this, other); }
  /**
   * True where the element is NaN; bool result.
   *
   * PyTorch: `torch.Tensor.isnan`.
   *
   * @example
   * ```ts
   * tensor([1, NaN]).isnan().toArray(); // → [false, true]
   * ```
   * @group Comparison
   */
  isnan(): Tensor { return compare.isnan(this); }
  /**
   * True where the element is +∞ or −∞ (never for integer and bool tensors); bool result.
   *
   * PyTorch: `torch.Tensor.isinf`.
   *
   * @example
   * ```ts
   * tensor([1, Infinity, -Infinity, NaN]).isinf().toArray(); // → [false, true, true, false]
   * ```
   * @group Comparison
   */
  isinf(): Tensor { return predicates.isinf(this); }
  /**
   * True where the element is +∞; bool result.
   *
   * PyTorch: `torch.Tensor.isposinf`.
   *
   * @example
   * ```ts
   * tensor([Infinity, -Infinity]).isposinf().toArray(); // → [true, false]
   * ```
   * @group Comparison
   */
  isposinf(): Tensor { return predicates.isposinf(this); }
  /**
   * True where the element is −∞; bool result.
   *
   * PyTorch: `torch.Tensor.isneginf`.
   *
   * @example
   * ```ts
   * tensor([Infinity, -Infinity]).isneginf().toArray(); // → [false, true]
   * ```
   * @group Comparison
   */
  isneginf(): Tensor { return predicates.isneginf(this); }
  /**
   * True where the element is finite (not NaN, not ±∞; always for integer and bool tensors); bool result.
   *
   * PyTorch: `torch.Tensor.isfinite`.
   *
   * @example
   * ```ts
   * tensor([1, Infinity, NaN]).isfinite().toArray(); // → [true, false, false]
   * ```
   * @group Comparison
   */
  isfinite(): Tensor { return predicates.isfinite(this); }
  /**
   * True where the sign bit is set: negative numbers and −0; bool result.
   *
   * PyTorch: `torch.Tensor.signbit`.
   *
   * @example
   * ```ts
   * tensor([-1, -0, 0, 2]).signbit().toArray(); // → [true, true, false, false]
   * ```
   * @group Comparison
   */
  signbit(): Tensor { return predicates.signbit(this); }
  /**
   * `a == b || |a − b| ≤ atol + |rtol·b|` elementwise (bool), broadcasting; ∞ is close only to the same ∞,
   * NaN to NaN only with `equalNan`. rtol 1e-5 and atol 1e-8 by default; the tolerance is computed in the
   * tensors' precision; both tensors must have the same dtype.
   *
   * PyTorch: `torch.Tensor.isclose`.
   *
   * @example
   * ```ts
   * tensor([1, 1, Infinity]).isclose(tensor([1.000001, 1.01, Infinity])).toArray(); // → [true, false, true]
   * ```
   * @group Comparison
   */
  isclose(other: Tensor, options?: { rtol?: number; atol?: number; equalNan?: boolean }): Tensor { return predicates.isclose(this, other, options); }
  /**
   * True when both tensors have the same shape and equal elements (NaN never equals; dtypes may differ).
   *
   * PyTorch: `torch.Tensor.equal`.
   *
   * @example
   * ```ts
   * tensor([1, 2]).equal(tensor([1, 2])); // → true
   * tensor([1, 2]).equal(tensor([1, 2, 3])); // → false
   * ```
   * @group Comparison
   */
  equal(other: Tensor): boolean { return predicates.equal(this, other); }
  /**
   * Elementwise logical xor of nonzero-ness, broadcasting; bool result.
   *
   * PyTorch: `torch.Tensor.logical_xor`.
   *
   * @example
   * ```ts
   * tensor([0, 2, 0]).logicalXor(tensor([1, 1, 0])).toArray(); // → [true, false, false]
   * ```
   * @group Comparison
   */
  logicalXor(other: Tensor): Tensor { return compare.logicalXor(this, other); }
  /**
   * `this & other` elementwise on integer or bool tensors (logical and for bool), broadcasting. Float inputs throw.
   *
   * PyTorch: `torch.Tensor.bitwise_and`.
   *
   * @example
   * ```ts
   * tensor([12, -12], { dtype: "int32" }).bitwiseAnd(10).toArray(); // → [8, 0]
   * ```
   * @group Comparison
   */
  bitwiseAnd(other: TensorLike): Tensor { return bitwise.bitwiseAnd(this, other); }
  /**
   * `this | other` elementwise on integer or bool tensors, broadcasting.
   *
   * PyTorch: `torch.Tensor.bitwise_or`.
   *
   * @example
   * ```ts
   * tensor([12, -12], { dtype: "int32" }).bitwiseOr(3).toArray(); // → [15, -9]
   * ```
   * @group Comparison
   */
  bitwiseOr(other: TensorLike): Tensor { return bitwise.bitwiseOr(this, other); }
  /**
   * `this ^ other` elementwise on integer or bool tensors, broadcasting.
   *
   * PyTorch: `torch.Tensor.bitwise_xor`.
   *
   * @example
   * ```ts
   * tensor([true, false]).bitwiseXor(tensor([true, true])).toArray(); // → [false, true]
   * ```
   * @group Comparison
   */
  bitwiseXor(other: TensorLike): Tensor { return bitwise.bitwiseXor(this, other); }
  /**
   * `~this` elementwise on integer tensors (two's complement: `~x = −x − 1`), logical not for bool.
   *
   * PyTorch: `torch.Tensor.bitwise_not`.
   *
   * @example
   * ```ts
   * tensor([0, 5, -1], { dtype: "int32" }).bitwiseNot().toArray(); // → [-1, -6, 0]
   * ```
   * @group Comparison
   */
  bitwiseNot(): Tensor { return bitwise.bitwiseNot(this); }
  /**
   * `this << other` elementwise on integer tensors, broadcasting; shifting by a negative amount or by
   * the bit width or more gives 0 (PyTorch ≥ 2.1's rule; 1.13 left it undefined).
   *
   * PyTorch: `torch.Tensor.bitwise_left_shift`.
   *
   * @example
   * ```ts
   * tensor([1, -3], { dtype: "int32" }).bitwiseLeftShift(2).toArray(); // → [4, -12]
   * ```
   * @group Comparison
   */
  bitwiseLeftShift(other: TensorLike): Tensor { return bitwise.bitwiseLeftShift(this, other); }
  /**
   * `this >> other` elementwise on integer tensors (arithmetic: the sign fills in), broadcasting;
   * shifting by a negative amount or by the bit width or more gives the sign fill (0 or −1).
   *
   * PyTorch: `torch.Tensor.bitwise_right_shift`.
   *
   * @example
   * ```ts
   * tensor([64, -64], { dtype: "int32" }).bitwiseRightShift(3).toArray(); // → [8, -8]
   * ```
   * @group Comparison
   */
  bitwiseRightShift(other: TensorLike): Tensor { return bitwise.bitwiseRightShift(this, other); }
  /**
   * True when every element is nonzero (over `dim` if given); bool.
   *
   * PyTorch: `torch.Tensor.all`.
   *
   * @example
   * ```ts
   * tensor([[true, false], [true, true]]).all(1).toArray(); // → [false, true]
   * tensor([1, 2]).all().toArray();                         // → true
   * ```
   * @group Comparison
   */
  all(dim?: number, keepdim = false): Tensor { return compare.all(this, dim, keepdim); }
  /**
   * True when any element is nonzero (over `dim` if given); bool.
   *
   * PyTorch: `torch.Tensor.any`.
   *
   * @example
   * ```ts
   * tensor([0, 0, 3]).any().toArray();             // → true
   * tensor([[0, 0], [0, 1]]).any(1).toArray();     // → [false, true]
   * ```
   * @group Comparison
   */
  any(dim?: number, keepdim = false): Tensor { return compare.any(this, dim, keepdim); }
  /**
   * True when {@link Tensor.isclose} holds for every element (broadcasting): `|a − b| ≤ atol + |rtol·b|`
   * with rtol 1e-5 and atol 1e-8 by default; the tensors must have the same dtype.
   *
   * PyTorch: `torch.Tensor.allclose`.
   *
   * @example
   * ```ts
   * tensor([1, 2]).allclose(tensor([1, 2.000001])); // → true
   * tensor([1, 2]).allclose(tensor([1, 2.1]));      // → false
   * ```
   * @group Comparison
   */
  allclose(other: Tensor, options?: { rtol?: number; atol?: number; equalNan?: boolean }): boolean {
    return predicates.allclose(this, other, options);
  }

  // ---------------------------------------------------------------- reductions

  /**
   * Sum over all elements, or over `dim` (a dim or a list), optionally keeping reduced dims as size 1.
   *
   * PyTorch: `torch.Tensor.sum`.
   *
   * @example
   * ```ts
   * const x = tensor([[1, 2], [3, 4]]);
   * x.sum().item();           // → 10
   * x.sum(0).toArray();       // → [4, 6]
   * x.sum(1, true).toArray(); // → [[3], [7]]
   * x.sum([0, 1]).item();     // → 10
   * tensor([true, true]).sum().dtype;                         // → "int32" (PyTorch: int64)
   * tensor([0.1, 0.2]).sum(null, false, { dtype: "float64" }).dtype; // → "float64"
   * ```
   * With `{ dtype }` the input is cast to that dtype first, as PyTorch's `dtype=` argument.
   * @group Reduction
   */
  sum(dim?: number | readonly number[] | null, keepdim = false, options?: { dtype?: DType }): Tensor {
    return reduce.sum(this, dim, keepdim, resolveOptions("sum", options, DTYPE_OPTIONS, DTYPE_OPTION_CHECKS).dtype);
  }
  /**
   * Mean over all elements or over `dim`; mean of nothing is NaN.
   *
   * PyTorch: `torch.Tensor.mean`.
   *
   * @example
   * ```ts
   * const x = tensor([[1, 2], [3, 4]]);
   * x.mean().item();     // → 2.5
   * x.mean(0).toArray(); // → [2, 3]
   * ```
   * @group Reduction
   */
  mean(dim?: number | readonly number[] | null, keepdim = false): Tensor { return reduce.mean(this, dim, keepdim); }
  /**
   * Max over all or over `dim`; ties share the gradient equally (PyTorch's amax).
   *
   * PyTorch: `torch.Tensor.amax`.
   *
   * @example
   * ```ts
   * const x = tensor([[1, 5], [3, 2]]);
   * x.amax(0).toArray(); // → [3, 5]
   * x.amax().item();     // → 5
   * ```
   * @group Reduction
   */
  amax(dim?: number | readonly number[] | null, keepdim = false): Tensor { return reduce.amax(this, dim, keepdim); }
  /**
   * Min over all or over `dim`; ties share the gradient equally (PyTorch's amin).
   *
   * PyTorch: `torch.Tensor.amin`.
   *
   * @example
   * ```ts
   * tensor([[1, 5], [3, 2]]).amin(1).toArray(); // → [1, 2]
   * ```
   * @group Reduction
   */
  amin(dim?: number | readonly number[] | null, keepdim = false): Tensor { return reduce.amin(this, dim, keepdim); }
  /**
   * The max of all elements; or, along `dim`, the values and their indices (gradient to the chosen index).
   *
   * PyTorch: `torch.Tensor.max`.
   *
   * @example
   * ```ts
   * const x = tensor([[1, 5], [7, 2]]);
   * x.max().item();                   // → 7
   * const [values, indices] = x.max(1);
   * values.toArray();                 // → [5, 7]
   * indices.toArray();                // → [1, 0]
   * ```
   * @group Reduction
   */
  max(): Tensor;
  max(dim: number, keepdim?: boolean): ValuesIndices;
  max(dim?: number, keepdim = false): Tensor | ValuesIndices {
    return dim === undefined ? reduce.amax(this, null, false, "max") : reduce.maxAlong(this, dim, keepdim, "max");
  }
  /**
   * The min of all elements; or, along `dim`, the values and their indices.
   *
   * PyTorch: `torch.Tensor.min`.
   *
   * @example
   * ```ts
   * const x = tensor([[1, 5], [7, 2]]);
   * x.min().item();                   // → 1
   * x.min(0).values.toArray();        // → [1, 2]
   * x.min(0).indices.toArray();       // → [0, 1]
   * ```
   * @group Reduction
   */
  min(): Tensor;
  min(dim: number, keepdim?: boolean): ValuesIndices;
  min(dim?: number, keepdim = false): Tensor | ValuesIndices {
    return dim === undefined ? reduce.amin(this, null, false, "min") : reduce.maxAlong(this, dim, keepdim, "min");
  }
  /**
   * Index of the max (first one at ties), over the flattened tensor or along `dim`; int32.
   *
   * PyTorch: `torch.Tensor.argmax`.
   *
   * @example
   * ```ts
   * tensor([[1, 5, 5], [7, 0, 2]]).argmax(1).toArray(); // → [1, 0] (the first of tied maxima)
   * tensor([[1, 5], [7, 0]]).argmax().item();           // → 2 (of the flattened tensor)
   * ```
   * @group Reduction
   */
  argmax(dim?: number, keepdim = false): Tensor { return reduce.argReduce(this, dim, keepdim, "argmax"); }
  /**
   * Index of the min (first one at ties), over the flattened tensor or along `dim`; int32.
   *
   * PyTorch: `torch.Tensor.argmin`.
   *
   * @example
   * ```ts
   * tensor([[1, 5], [0, 2]]).argmin(1, true).toArray(); // → [[0], [0]]
   * ```
   * @group Reduction
   */
  argmin(dim?: number, keepdim = false): Tensor { return reduce.argReduce(this, dim, keepdim, "argmin"); }
  /**
   * `log Σ exp(x)` along `dim`, computed with the max shifted out so it stays finite for ±1000.
   *
   * PyTorch: `torch.Tensor.logsumexp`.
   *
   * @example
   * ```ts
   * tensor([[0, 0], [1000, 1000]]).logsumexp(1).toArray(); // ≈ [0.6931, 1000.6931]
   * ```
   * @group Reduction
   */
  logsumexp(dim: number | readonly number[], keepdim = false): Tensor { return softmaxOps.logsumexp(this, dim, keepdim); }
  /**
   * Variance `Σ(x − mean)² / (N − correction)`; correction 1 (Bessel) by default.
   *
   * PyTorch: `torch.Tensor.var`.
   *
   * @example
   * ```ts
   * tensor([1, 2, 3, 4]).var().item();                       // ≈ 1.6667
   * tensor([1, 2, 3, 4]).var(null, { correction: 0 }).item(); // → 1.25
   * ```
   * @group Reduction
   */
  var(dim?: number | readonly number[] | null, options?: { correction?: number; keepdim?: boolean }): Tensor {
    const { correction, keepdim } = resolveOptions("var", options, VAR_OPTIONS, VAR_OPTION_CHECKS);
    return reduce.variance(this, dim, correction, keepdim);
  }
  /**
   * Standard deviation, the square root of {@link Tensor.var}.
   *
   * PyTorch: `torch.Tensor.std`.
   *
   * @example
   * ```ts
   * tensor([1, 2, 3, 4]).std().item();                       // ≈ 1.291
   * tensor([1, 2, 3, 4]).std(null, { correction: 0 }).item(); // ≈ 1.118
   * ```
   * @group Reduction
   */
  std(dim?: number | readonly number[] | null, options?: { correction?: number; keepdim?: boolean }): Tensor {
    const { correction, keepdim } = resolveOptions("std", options, VAR_OPTIONS, VAR_OPTION_CHECKS);
    return reduce.std(this, dim, correction, keepdim);
  }
  /**
   * Euclidean (p = 2) or other p-norm `(Σ|x|^p)^(1/p)` of all elements or along `dim`: any p ≥ 0
   * (p = 0 counts nonzeros), ±Infinity (max/min |x|), "fro" (the 2-norm over `dim`, all by
   * default), or "nuc" (the nuclear norm, the sum of the singular values, of a 2-D input or over
   * the pair of dims `dim`; see {@link linalg.matrixNorm}). Backward: PyTorch's norm_backward
   * (for "nuc", U·Vh).
   *
   * PyTorch: `torch.Tensor.norm`.
   *
   * @example
   * ```ts
   * tensor([3, 4]).norm().item();                   // → 5
   * tensor([3, -4]).norm(1).item();                 // → 7
   * tensor([[3, 4], [6, 8]]).norm(2, 1).toArray();  // → [5, 10]
   * tensor([[3, 0], [0, -4]]).norm("nuc").item();   // → 7
   * ```
   * @group Reduction
   */
  norm(p: number | "fro" | "nuc" = 2, dim?: number | readonly number[] | null, keepdim = false): Tensor {
    if (p === "fro") return reduce.norm(this, 2, dim, keepdim);
    if (p === "nuc") return linalg.nuclearNorm(this, dim, keepdim);
    if (typeof p !== "number") throw new TypeError(`norm: p must be a number, "fro" or "nuc", got ${describeValue(p)}`);
    return reduce.norm(this, p, dim, keepdim);
  }
  /**
   * The p-norm of the difference, `‖x − other‖_p` over all elements (broadcasting); p = 2 by
   * default, any p ≥ 0 or ±Infinity as {@link Tensor.norm}. Backward: the norm's.
   *
   * PyTorch: `torch.Tensor.dist`.
   *
   * @example
   * ```ts
   * tensor([1, 2]).dist(tensor([4, 6])).item();    // → 5
   * tensor([1, 2]).dist(tensor([4, 6]), 1).item(); // → 7
   * ```
   * @group Reduction
   */
  dist(other: Tensor, p = 2): Tensor { return distance.dist(this, other, p); }
  /**
   * The number of nonzero elements (NaN counts) over `dim` (all by default; a dim or a list), int32
   * (PyTorch: int64).
   *
   * PyTorch: `torch.Tensor.count_nonzero`.
   *
   * @example
   * ```ts
   * tensor([[0, 1, 2], [0, 0, 3]]).countNonzero().item();    // → 3
   * tensor([[0, 1, 2], [0, 0, 3]]).countNonzero(1).toArray(); // → [2, 1]
   * ```
   * @group Reduction
   */
  countNonzero(dim?: number | readonly number[] | null): Tensor { return distance.countNonzero(this, dim); }
  /**
   * The product `Π x_i` of all elements, or along one `dim`; bool and integer inputs give int32
   * (PyTorch: int64). With `{ dtype }` the input is cast first. Backward: `g·prod/x`, and where x
   * holds zeros the product of the other elements (so a single zero gets its cofactor and
   * every other element 0), as PyTorch.
   *
   * PyTorch: `torch.Tensor.prod`.
   *
   * @example
   * ```ts
   * const x = tensor([[1, 2], [3, 4]]);
   * x.prod().item();         // → 24
   * x.prod(1).toArray();     // → [2, 12]
   * x.prod(0, true).toArray(); // → [[3, 8]]
   * const z = tensor([2, 0, 5], { requiresGrad: true });
   * z.prod().backward();
   * z.grad!.toArray();       // → [0, 10, 0]
   * ```
   * @group Reduction
   */
  prod(dim?: number | null, keepdim = false, options?: { dtype?: DType }): Tensor {
    return reduce.prod(this, dim, keepdim, resolveOptions("prod", options, DTYPE_OPTIONS, DTYPE_OPTION_CHECKS).dtype);
  }
  /**
   * The running sum `y_k = Σ_{j≤k} x_j` along `dim` (same shape); bool and integer inputs give
   * int32 (PyTorch: int64). With `{ dtype }` the input is cast first. Backward: the gradient
   * summed from the end, `dx_k = Σ_{j≥k} g_j`.
   *
   * PyTorch: `torch.Tensor.cumsum`.
   *
   * @example
   * ```ts
   * tensor([1, 2, 3, 4]).cumsum(0).toArray();          // → [1, 3, 6, 10]
   * tensor([[1, 2], [3, 4]]).cumsum(-1).toArray();     // → [[1, 3], [3, 7]]
   * tensor([1, 2], { dtype: "int32" }).cumsum(0, { dtype: "float64" }).dtype; // → "float64"
   * ```
   * @group Scan & sort
   */
  cumsum(dim: number, options?: { dtype?: DType }): Tensor {
    return scan.cumsum(this, dim, resolveOptions("cumsum", options, DTYPE_OPTIONS, DTYPE_OPTION_CHECKS).dtype);
  }
  /**
   * The running product `y_k = Π_{j≤k} x_j` along `dim` (same shape). With `{ dtype }` the input is
   * cast first. Backward: `dx_k = Σ_{j≥k} g_j·Π_{i≤j, i≠k} x_i`, exact also where x holds zeros, and
   * differentiable again under `createGraph` (PyTorch's cumprod_backward).
   *
   * PyTorch: `torch.Tensor.cumprod`.
   *
   * @example
   * ```ts
   * tensor([1, 2, 3, 4]).cumprod(0).toArray(); // → [1, 2, 6, 24]
   * const x = tensor([2, 0, 3], { requiresGrad: true });
   * x.cumprod(0).sum().backward();             // y = [2, 0, 0]
   * x.grad!.toArray();                         // → [1, 8, 0]
   * ```
   * @group Scan & sort
   */
  cumprod(dim: number, options?: { dtype?: DType }): Tensor {
    return scan.cumprod(this, dim, resolveOptions("cumprod", options, DTYPE_OPTIONS, DTYPE_OPTION_CHECKS).dtype);
  }
  /**
   * The running `y_k = log Σ_{j≤k} exp(x_j)` along `dim`, stable for large |x|; floating-point only.
   * Backward: `dx_i = Σ_{j≥i} g_j·exp(x_i − y_j)`, computed in log space as PyTorch does.
   *
   * PyTorch: `torch.Tensor.logcumsumexp`.
   *
   * @example
   * ```ts
   * tensor([0, 0, 1000]).logcumsumexp(0).toArray(); // ≈ [0, 0.6931, 1000]
   * ```
   * @group Scan & sort
   */
  logcumsumexp(dim: number): Tensor { return scan.logcumsumexp(this, dim); }
  /**
   * The running max along `dim` and the index (int32) each value came from; at ties the latest
   * index, and a NaN stays once seen, as PyTorch. Backward: the gradient goes to those indices.
   *
   * PyTorch: `torch.Tensor.cummax`.
   *
   * @example
   * ```ts
   * const { values, indices } = tensor([1, 3, 2, 3, 5]).cummax(0);
   * values.toArray();  // → [1, 3, 3, 3, 5]
   * indices.toArray(); // → [0, 1, 1, 3, 4]
   * ```
   * @group Scan & sort
   */
  cummax(dim: number): ValuesIndices { return scan.cumExtreme(this, dim, "cummax"); }
  /**
   * The running min along `dim` and the index (int32) each value came from; at ties the latest
   * index, and a NaN stays once seen, as PyTorch. Backward: the gradient goes to those indices.
   *
   * PyTorch: `torch.Tensor.cummin`.
   *
   * @example
   * ```ts
   * const [values, indices] = tensor([3, 1, 2, 1]).cummin(0);
   * values.toArray();  // → [3, 1, 1, 1]
   * indices.toArray(); // → [0, 1, 1, 3]
   * ```
   * @group Scan & sort
   */
  cummin(dim: number): ValuesIndices { return scan.cumExtreme(this, dim, "cummin"); }
  /**
   * Sorts along `dim` (default −1, the last): the sorted values and their int32 indices.
   * `{ descending, stable }` (or `true` for descending, PyTorch's positional form). Ascending puts
   * NaN last, descending first; equal values keep their input order. Backward: the gradient goes
   * back to where each value came from.
   *
   * PyTorch: `torch.Tensor.sort`.
   *
   * @example
   * ```ts
   * const { values, indices } = tensor([3, 1, NaN, 2]).sort();
   * values.toArray();  // → [1, 2, 3, NaN]
   * indices.toArray(); // → [1, 3, 0, 2]
   * tensor([[3, 1], [0, 5]]).sort(0, { descending: true }).values.toArray(); // → [[3, 5], [0, 1]]
   * ```
   * @group Scan & sort
   */
  sort(dim = -1, options?: boolean | { descending?: boolean; stable?: boolean }): ValuesIndices {
    return sortOps.sort(this, dim, sortDescending("sort", options));
  }
  /**
   * The indices (int32) that sort along `dim` (default −1): `x.sort(dim, options).indices`.
   *
   * PyTorch: `torch.Tensor.argsort`.
   *
   * @example
   * ```ts
   * tensor([3, 1, 2]).argsort().toArray();     // → [1, 2, 0]
   * tensor([3, 1, 2]).argsort(0, true).toArray(); // → [0, 2, 1]
   * ```
   * @group Scan & sort
   */
  argsort(dim = -1, options?: boolean | { descending?: boolean; stable?: boolean }): Tensor {
    return sortOps.sort(this, dim, sortDescending("argsort", options), "argsort").indices;
  }
  /**
   * The values sorted along dim 0, ascending: `x.sort(0).values`.
   *
   * PyTorch: `torch.Tensor.msort`.
   *
   * @example
   * ```ts
   * tensor([[3, 1], [0, 5]]).msort().toArray(); // → [[0, 1], [3, 5]]
   * ```
   * @group Scan & sort
   */
  msort(): Tensor { return sortOps.sort(this, 0, false, "msort").values; }
  /**
   * The `k` largest (`largest: false`: smallest) elements along `dim` (default −1) and their
   * int32 indices, in sorted order. Backward: to the chosen positions.
   *
   * PyTorch: `torch.Tensor.topk`.
   *
   * @example
   * ```ts
   * const [values, indices] = tensor([1, 5, 2, 4]).topk(2);
   * values.toArray();  // → [5, 4]
   * indices.toArray(); // → [1, 3]
   * tensor([1, 5, 2, 4]).topk(2, -1, { largest: false }).values.toArray(); // → [1, 2]
   * ```
   * @group Scan & sort
   */
  topk(k: number, dim = -1, options?: { largest?: boolean; sorted?: boolean }): ValuesIndices {
    const { largest } = resolveOptions("topk", options, TOPK_OPTIONS, TOPK_OPTION_CHECKS);
    return sortOps.topk(this, k, dim, largest);
  }
  /**
   * The `k`-th smallest element (1-based) along `dim` (default −1) and its int32 index; among equal
   * values the index PyTorch's quickselect picks. Backward: to that index.
   *
   * PyTorch: `torch.Tensor.kthvalue`.
   *
   * @example
   * ```ts
   * const { values, indices } = tensor([[4, 1, 3], [2, 6, 5]]).kthvalue(2, 1);
   * values.toArray();  // → [3, 5]
   * indices.toArray(); // → [2, 2]
   * ```
   * @group Scan & sort
   */
  kthvalue(k: number, dim = -1, keepdim = false): ValuesIndices { return sortOps.kthvalue(this, k, dim, keepdim); }
  /**
   * The distinct values, sorted ascending (each NaN its own value, last), as a 1-D tensor; with
   * `dim`, the distinct slices along `dim`, in lexicographic order. With `returnInverse` also the
   * int32 index of each element's (or slice's) value in the result, shaped like the input (or
   * `(size of dim)`); with `returnCounts` the int32 number of occurrences of each value. Not
   * differentiable (a backward through it throws, as in PyTorch).
   *
   * PyTorch: `torch.Tensor.unique` (`sorted: false` still sorts; PyTorch's order is unspecified).
   *
   * @example
   * ```ts
   * const x = tensor([2, 1, 2, 3, 1]);
   * x.unique().toArray(); // → [1, 2, 3]
   * const [values, inverse, counts] = x.unique({ returnInverse: true, returnCounts: true });
   * inverse.toArray(); // → [1, 0, 1, 2, 0]
   * counts.toArray();  // → [2, 2, 1]
   * tensor([[1, 2], [0, 5], [1, 2]]).unique({ dim: 0 }).toArray(); // → [[0, 5], [1, 2]]
   * ```
   * @group Scan & sort
   */
  unique(options?: UniqueOptions & { returnInverse?: false; returnCounts?: false }): Tensor;
  unique(options: UniqueOptions & { returnInverse: true; returnCounts?: false }): [Tensor, Tensor];
  unique(options: UniqueOptions & { returnInverse?: false; returnCounts: true }): [Tensor, Tensor];
  unique(options: UniqueOptions & { returnInverse: true; returnCounts: true }): [Tensor, Tensor, Tensor];
  unique(options?: UniqueOptions): Tensor | Tensor[];
  unique(options?: UniqueOptions): Tensor | Tensor[] { return uniqueOps.unique(this, options); }
  /**
   * The values with each run of equal neighbours collapsed to one, in input order (along `dim`,
   * runs of equal slices); `returnInverse` and `returnCounts` as for {@link Tensor.unique}. Not
   * differentiable.
   *
   * PyTorch: `torch.Tensor.unique_consecutive`.
   *
   * @example
   * ```ts
   * const [values, counts] = tensor([1, 1, 2, 2, 3, 1, 1]).uniqueConsecutive({ returnCounts: true });
   * values.toArray(); // → [1, 2, 3, 1]
   * counts.toArray(); // → [2, 2, 1, 2]
   * ```
   * @group Scan & sort
   */
  uniqueConsecutive(options?: UniqueConsecutiveOptions & { returnInverse?: false; returnCounts?: false }): Tensor;
  uniqueConsecutive(options: UniqueConsecutiveOptions & { returnInverse: true; returnCounts?: false }): [Tensor, Tensor];
  uniqueConsecutive(options: UniqueConsecutiveOptions & { returnInverse?: false; returnCounts: true }): [Tensor, Tensor];
  uniqueConsecutive(options: UniqueConsecutiveOptions & { returnInverse: true; returnCounts: true }): [Tensor, Tensor, Tensor];
  uniqueConsecutive(options?: UniqueConsecutiveOptions): Tensor | Tensor[];
  uniqueConsecutive(options?: UniqueConsecutiveOptions): Tensor | Tensor[] { return uniqueOps.uniqueConsecutive(this, options); }
  /**
   * How often each value occurs in this 1-D non-negative integer tensor: `out[v]` counts the
   * elements equal to `v`, or sums their `weights`; length `max(max + 1, minlength)`. int32
   * counts (PyTorch's int64); float32 weights give float32, other weights float64. Not
   * differentiable.
   *
   * PyTorch: `torch.Tensor.bincount`.
   *
   * @example
   * ```ts
   * const x = tensor([0, 1, 1, 3], { dtype: "int32" });
   * x.bincount().toArray(); // → [1, 2, 0, 1]
   * x.bincount(tensor([0.5, 1, 2, 3]), 6).toArray(); // → [0.5, 3, 0, 3, 0, 0]
   * ```
   * @group Reduction
   */
  bincount(weights: Tensor | null = null, minlength = 0): Tensor { return bucketOps.bincount(this, weights, minlength); }
  /**
   * A histogram of `bins` equal-width bins over `[min, max]` (over the data's range when
   * `min == max`): bin `⌊(v − min)·bins / (max − min)⌋`, the last bin including `max`; values
   * outside the range and NaN are not counted. Same dtype as this floating-point tensor; not in
   * the graph (as in PyTorch).
   *
   * PyTorch: `torch.Tensor.histc`.
   *
   * @example
   * ```ts
   * tensor([1, 2, 1]).histc(4, 0, 3).toArray(); // → [0, 2, 1, 0]
   * tensor([1, 2, 1, 4]).histc(3).toArray();    // → [2, 1, 1]
   * ```
   * @group Reduction
   */
  histc(bins = 100, min = 0, max = 0): Tensor { return bucketOps.histc(this, bins, min, max); }
  /**
   * The minimum and maximum, over all elements or along `dim`, in one pass: `{ min, max }` (also
   * `[min, max]`). The gradients are amin's and amax's (ties share equally).
   *
   * PyTorch: `torch.Tensor.aminmax` (which PyTorch 1.13 does not differentiate).
   *
   * @example
   * ```ts
   * const [min, max] = tensor([[1, 5], [3, 2]]).aminmax();
   * [min.item(), max.item()]; // → [1, 5]
   * tensor([[1, 5], [3, 2]]).aminmax({ dim: 0, keepdim: true }).min.toArray(); // → [[1, 2]]
   * ```
   * @group Reduction
   */
  aminmax(options?: { dim?: number | null; keepdim?: boolean }): MinMax {
    const { dim, keepdim } = resolveOptions("aminmax", options, AMINMAX_OPTIONS, AMINMAX_OPTION_CHECKS);
    return minMax(reduce.amin(this, dim, keepdim, "aminmax"), reduce.amax(this, dim, keepdim, "aminmax"));
  }
  /**
   * The lower median (element ⌊(n−1)/2⌋ in sorted order): of all elements, a 0-d tensor; or along
   * `dim`, values and int32 indices. A NaN makes the median NaN (along a dim, the first NaN's
   * index). Backward: along a dim to the index; of all elements shared among the elements equal to it.
   *
   * PyTorch: `torch.Tensor.median`.
   *
   * @example
   * ```ts
   * tensor([4, 1, 3, 2]).median().item();               // → 2 (the lower of 2 and 3)
   * tensor([[4, 1, 3], [2, 6, 5]]).median(1).indices.toArray(); // → [2, 2]
   * ```
   * @group Reduction
   */
  median(): Tensor;
  median(dim: number, keepdim?: boolean): ValuesIndices;
  median(dim?: number, keepdim = false): Tensor | ValuesIndices {
    return dim === undefined ? sortOps.medianAll(this, "median") : sortOps.medianAlong(this, dim, keepdim, "median");
  }
  /**
   * {@link Tensor.median} of the non-NaN elements (NaN only when all are NaN).
   *
   * PyTorch: `torch.Tensor.nanmedian`.
   *
   * @example
   * ```ts
   * tensor([4, NaN, 1, 3]).nanmedian().item();  // → 3
   * tensor([[NaN, 1], [2, 5]]).nanmedian(1).values.toArray(); // → [1, 2]
   * ```
   * @group Reduction
   */
  nanmedian(): Tensor;
  nanmedian(dim: number, keepdim?: boolean): ValuesIndices;
  nanmedian(dim?: number, keepdim = false): Tensor | ValuesIndices {
    return dim === undefined ? sortOps.medianAll(this, "nanmedian") : sortOps.medianAlong(this, dim, keepdim, "nanmedian");
  }
  /**
   * The most frequent value along `dim` (default −1; the smallest of equally frequent values) and
   * the int32 index of its last occurrence, as PyTorch's CPU kernel. Backward: to that index.
   *
   * PyTorch: `torch.Tensor.mode`.
   *
   * @example
   * ```ts
   * const { values, indices } = tensor([2, 1, 2, 3, 1]).mode();
   * values.item();  // → 1
   * indices.item(); // → 4
   * ```
   * @group Reduction
   */
  mode(dim = -1, keepdim = false): ValuesIndices { return sortOps.mode(this, dim, keepdim); }
  /**
   * The `q`-th quantiles (q in [0, 1]: a number, or a 0-d or 1-D tensor of this dtype whose dim
   * comes first in the result) over `dim` (all elements by default). With the values sorted and
   * `rank = q·(n−1)`, `interpolation` is "linear" (default: `lerp(x[⌊rank⌋], x[⌈rank⌉], rank − ⌊rank⌋)`),
   * "lower", "higher", "nearest" (half to even) or "midpoint"; NaN in a line gives NaN.
   * Backward: through the sort and the interpolation.
   *
   * PyTorch: `torch.Tensor.quantile`.
   *
   * @example
   * ```ts
   * const x = tensor([1, 2, 3, 4]);
   * x.quantile(0.5).item();                                       // → 2.5
   * x.quantile(0.5, null, false, { interpolation: "lower" }).item(); // → 2
   * x.quantile(tensor([0.25, 1])).toArray();                      // → [1.75, 4]
   * ```
   * @group Reduction
   */
  quantile(q: number | Tensor, dim?: number | null, keepdim = false, options?: { interpolation?: QuantileInterpolation }): Tensor {
    const { interpolation } = resolveOptions("quantile", options, QUANTILE_OPTIONS, QUANTILE_OPTION_CHECKS);
    return sortOps.quantile(this, q, dim, keepdim, interpolation);
  }
  /**
   * Sum over `dim` (all by default) counting NaN as 0. Backward: g, 0 at the NaNs.
   *
   * With `{ dtype }` the input is cast to that dtype first, as PyTorch's `dtype=` argument.
   *
   * PyTorch: `torch.Tensor.nansum`.
   *
   * @example
   * ```ts
   * tensor([1, NaN, 2]).nansum().item(); // → 3
   * ```
   * @group Reduction
   */
  nansum(dim?: number | readonly number[] | null, keepdim = false, options?: { dtype?: DType }): Tensor {
    const { dtype } = resolveOptions("nansum", options, DTYPE_OPTIONS, DTYPE_OPTION_CHECKS);
    return sortOps.nansum(dtype ? this.to(dtype) : this, dim, keepdim);
  }
  /**
   * Mean of the non-NaN elements over `dim` (all by default): nansum / their count.
   *
   * With `{ dtype }` the input is cast to that dtype first, as PyTorch's `dtype=` argument.
   *
   * PyTorch: `torch.Tensor.nanmean`.
   *
   * @example
   * ```ts
   * tensor([[1, NaN], [2, 4]]).nanmean(1).toArray(); // → [1, 3]
   * ```
   * @group Reduction
   */
  nanmean(dim?: number | readonly number[] | null, keepdim = false, options?: { dtype?: DType }): Tensor {
    const { dtype } = resolveOptions("nanmean", options, DTYPE_OPTIONS, DTYPE_OPTION_CHECKS);
    return sortOps.nanmean(dtype ? this.to(dtype) : this, dim, keepdim);
  }

  /**
   * `softmax(x)_i = exp(x_i − max) / Σ_j exp(x_j − max)` along `dim`.
   *
   * PyTorch: `torch.Tensor.softmax`.
   *
   * @example
   * ```ts
   * tensor([0, Math.log(3)]).softmax(0).toArray(); // ≈ [0.25, 0.75]
   * ```
   * @group Reduction
   */
  softmax(dim: number): Tensor { return softmaxOps.softmax(this, dim); }
  /**
   * `logSoftmax(x)_i = x_i − logsumexp(x)` along `dim`, finite for logits of ±1000.
   *
   * PyTorch: `torch.Tensor.log_softmax`.
   *
   * @example
   * ```ts
   * tensor([1000, 1000]).logSoftmax(0).toArray(); // ≈ [-0.6931, -0.6931] (finite for large logits)
   * ```
   * @group Reduction
   */
  logSoftmax(dim: number): Tensor { return softmaxOps.logSoftmax(this, dim); }

  /**
   * Matrix product with NumPy/PyTorch `matmul` rules: 1-D, 2-D, batched and batch-broadcast.
   *
   * PyTorch: `torch.Tensor.matmul`.
   *
   * @example
   * ```ts
   * const a = ones([2, 3]);
   * a.matmul(ones([3, 4])).shape;               // → [2, 4]
   * a.matmul(ones([3])).shape;                  // → [2] (matrix · vector)
   * ones([3]).matmul(ones([3])).item();         // → 3 (dot product, 0-d)
   * ones([5, 2, 3]).matmul(ones([3, 4])).shape; // → [5, 2, 4] (batched)
   * ```
   * @group Linear algebra
   */
  matmul(other: Tensor): Tensor { return matmul(this, other); }

  /**
   * Dot product of two 1-D tensors of one size and dtype, `Σᵢ selfᵢ·otherᵢ` (0-d). Shapes:
   * `(N)·(N) → ()`; other ranks throw (PyTorch is strict here, unlike `matmul`).
   *
   * PyTorch: `torch.Tensor.dot`.
   *
   * @example
   * ```ts
   * tensor([1, 2, 3]).dot(tensor([1, 0, -1])).item(); // → -2
   * ```
   * @group Linear algebra
   */
  dot(other: Tensor): Tensor { return products.dot(this, other); }

  /**
   * `Σᵢ conj(selfᵢ)·otherᵢ`, which for tsgrad's real tensors is {@link Tensor.dot}. Shapes: `(N)·(N) → ()`.
   *
   * PyTorch: `torch.Tensor.vdot`.
   *
   * @example
   * ```ts
   * tensor([1, 2]).vdot(tensor([3, 4])).item(); // → 11
   * ```
   * @group Linear algebra
   */
  vdot(other: Tensor): Tensor { return products.vdot(this, other); }

  /**
   * Outer product `out[i][j] = self[i]·vec2[j]` of two 1-D tensors. Shapes: `(N)·(M) → (N, M)`.
   *
   * PyTorch: `torch.Tensor.outer`.
   *
   * @example
   * ```ts
   * tensor([1, 2]).outer(tensor([3, 4])).toArray(); // [[3, 4], [6, 8]]
   * ```
   * @group Linear algebra
   */
  outer(vec2: Tensor): Tensor { return products.outer(this, vec2); }

  /**
   * {@link Tensor.outer} under its older name. Shapes: `(N)·(M) → (N, M)`.
   *
   * PyTorch: `torch.Tensor.ger`.
   *
   * @example
   * ```ts
   * tensor([1, 2]).ger(tensor([3])).toArray(); // [[3], [6]]
   * ```
   * @group Linear algebra
   */
  ger(vec2: Tensor): Tensor { return products.ger(this, vec2); }

  /**
   * Matrix-vector product `y[i] = Σₖ self[i][k]·vec[k]`. Shapes: `(N, K)·(K) → (N)`.
   *
   * PyTorch: `torch.Tensor.mv`.
   *
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).mv(tensor([1, 1])).toArray(); // [3, 7]
   * ```
   * @group Linear algebra
   */
  mv(vec: Tensor): Tensor { return products.mv(this, vec); }

  /**
   * Product of two 2-D matrices of one dtype, no broadcasting. Shapes: `(N, K)·(K, M) → (N, M)`.
   *
   * PyTorch: `torch.Tensor.mm`.
   *
   * @example
   * ```ts
   * ones([2, 3]).mm(ones([3, 4])).shape; // [2, 4]
   * ```
   * @group Linear algebra
   */
  mm(mat2: Tensor): Tensor { return products.mm(this, mat2); }

  /**
   * Batched product of two 3-D tensors with equal batch sizes, `C[b] = self[b]·mat2[b]`.
   * Shapes: `(B, N, K)·(B, K, M) → (B, N, M)`; the batch does not broadcast.
   *
   * PyTorch: `torch.Tensor.bmm`.
   *
   * @example
   * ```ts
   * ones([4, 2, 3]).bmm(ones([4, 3, 1])).shape; // [4, 2, 1]
   * ```
   * @group Linear algebra
   */
  bmm(mat2: Tensor): Tensor { return products.bmm(this, mat2); }

  /**
   * `beta·self + alpha·(mat1·mat2)`; `beta = 0` ignores `self` (NaN included).
   * Shapes: self broadcastable to `(N, M)`, `(N, K)·(K, M) → (N, M)`.
   *
   * PyTorch: `torch.Tensor.addmm`.
   *
   * @example
   * ```ts
   * tensor([1, 1]).addmm(tensor([[1, 2]]), tensor([[1, 0], [0, 1]]), { beta: 2 }).toArray(); // [[3, 4]]
   * ```
   * @group Linear algebra
   */
  addmm(mat1: Tensor, mat2: Tensor, options?: AddProductOptions): Tensor { return products.addmm(this, mat1, mat2, options); }

  /**
   * `beta·self + alpha·(mat·vec)`. Shapes: self broadcastable to `(N)`, `(N, K)·(K) → (N)`.
   *
   * PyTorch: `torch.Tensor.addmv`.
   *
   * @example
   * ```ts
   * tensor([1, 2]).addmv(tensor([[1, 0], [0, 1]]), tensor([3, 4]), { alpha: -1 }).toArray(); // [-2, -2]
   * ```
   * @group Linear algebra
   */
  addmv(mat: Tensor, vec: Tensor, options?: AddProductOptions): Tensor { return products.addmv(this, mat, vec, options); }

  /**
   * `beta·self + alpha·bmm(batch1, batch2)`. Shapes: self broadcastable to `(B, N, M)`,
   * `(B, N, K)·(B, K, M) → (B, N, M)`.
   *
   * PyTorch: `torch.Tensor.baddbmm`.
   *
   * @example
   * ```ts
   * ones([1]).baddbmm(ones([2, 1, 3]), ones([2, 3, 1])).toArray(); // [[[4]], [[4]]]
   * ```
   * @group Linear algebra
   */
  baddbmm(batch1: Tensor, batch2: Tensor, options?: AddProductOptions): Tensor { return products.baddbmm(this, batch1, batch2, options); }

  /**
   * `beta·self + alpha·Σ_b batch1[b]·batch2[b]`. Shapes: self broadcastable to `(N, M)`,
   * `(B, N, K)·(B, K, M) → (N, M)`.
   *
   * PyTorch: `torch.Tensor.addbmm`.
   *
   * @example
   * ```ts
   * ones([1]).addbmm(ones([2, 1, 3]), ones([2, 3, 1])).toArray(); // [[7]]
   * ```
   * @group Linear algebra
   */
  addbmm(batch1: Tensor, batch2: Tensor, options?: AddProductOptions): Tensor { return products.addbmm(this, batch1, batch2, options); }

  /**
   * Cross product of 3-vectors along `dim` (broadcasting), `(a₁b₂ − a₂b₁, a₂b₀ − a₀b₂, a₀b₁ − a₁b₀)`.
   * Without `dim`: the first dim of size 3 (PyTorch 1.13's deprecated default; `linalgCross`
   * uses the last dim). Shapes: `(*, 3, *)` both.
   *
   * PyTorch: `torch.Tensor.cross`.
   *
   * @example
   * ```ts
   * tensor([0, 1, 0]).cross(tensor([0, 0, 1])).toArray(); // [1, 0, 0]
   * ```
   * @group Linear algebra
   */
  cross(other: Tensor, dim?: number): Tensor { return products.cross(this, other, dim); }

  /**
   * Kronecker product: block `i` of the result is `self[i]·other`. Shapes:
   * `(a₀, a₁, …)⊗(b₀, b₁, …) → (a₀b₀, a₁b₁, …)`.
   *
   * PyTorch: `torch.Tensor.kron`.
   *
   * @example
   * ```ts
   * eye(2).kron(tensor([[1, 2]])).toArray(); // [[1, 2, 0, 0], [0, 0, 1, 2]]
   * ```
   * @group Linear algebra
   */
  kron(other: Tensor): Tensor { return products.kron(this, other); }

  // ---------------------------------------------------------------- shape

  /**
   * Same data with a new shape (one size may be -1); a view when contiguous, else a copy.
   *
   * PyTorch: `torch.Tensor.reshape`.
   *
   * @example
   * ```ts
   * arange(6).reshape(2, 3).toArray(); // → [[0, 1, 2], [3, 4, 5]]
   * arange(6).reshape(-1, 2).shape;    // → [3, 2]
   * arange(6).reshape([3, 2]).shape;   // → [3, 2]
   * ```
   * @group Shape & view
   */
  reshape(...shape: Array<number | readonly number[]>): Tensor { return shapeOps.reshape(this, sizeArgs("reshape", shape), "reshape"); }
  /**
   * Like reshape, but only as a view: throws on a non-contiguous tensor.
   *
   * PyTorch: `torch.Tensor.view`.
   *
   * @example
   * ```ts
   * arange(6).view(3, 2).shape; // → [3, 2]
   * arange(6).reshape(2, 3).T.view(6); // throws RangeError: view: …
   * ```
   * @group Shape & view
   */
  view(...shape: Array<number | readonly number[]>): Tensor { return shapeOps.reshape(this, sizeArgs("view", shape), "view"); }
  /**
   * Flattens dims `startDim..endDim` (default all) into one.
   *
   * PyTorch: `torch.Tensor.flatten`.
   *
   * @example
   * ```ts
   * zeros([2, 3, 4]).flatten().shape;  // → [24]
   * zeros([2, 3, 4]).flatten(1).shape; // → [2, 12]
   * ```
   * @group Shape & view
   */
  flatten(startDim = 0, endDim = -1): Tensor { return shapeOps.flatten(this, startDim, endDim); }
  /**
   * Swaps two dims (a view).
   *
   * PyTorch: `torch.Tensor.transpose`.
   *
   * @example
   * ```ts
   * zeros([2, 3, 4]).transpose(0, 2).shape; // → [4, 3, 2]
   * ```
   * @group Shape & view
   */
  transpose(dim0: number, dim1: number): Tensor { return shapeOps.transpose(this, dim0, dim1); }
  /** The dims reversed (for a matrix, its transpose; a view). PyTorch: `torch.Tensor.T`. @group Shape & view */
  get T(): Tensor { return shapeOps.permute(this, this.shape.map((_, i) => this.ndim - 1 - i)); }
  /**
   * Reorders dims (a view).
   *
   * PyTorch: `torch.Tensor.permute`.
   *
   * @example
   * ```ts
   * zeros([2, 3, 4]).permute(2, 0, 1).shape; // → [4, 2, 3]
   * ```
   * @group Shape & view
   */
  permute(...dims: Array<number | readonly number[]>): Tensor { return shapeOps.permute(this, sizeArgs("permute", dims, "dims")); }
  /**
   * Removes size-1 dims (all, or just `dim`).
   *
   * PyTorch: `torch.Tensor.squeeze`.
   *
   * @example
   * ```ts
   * zeros([2, 1, 3, 1]).squeeze().shape;  // → [2, 3]
   * zeros([2, 1, 3, 1]).squeeze(1).shape; // → [2, 3, 1]
   * ```
   * @group Shape & view
   */
  squeeze(dim?: number): Tensor { return shapeOps.squeeze(this, dim); }
  /**
   * Inserts a size-1 dim at `dim`.
   *
   * PyTorch: `torch.Tensor.unsqueeze`.
   *
   * @example
   * ```ts
   * zeros([3]).unsqueeze(0).shape;  // → [1, 3]
   * zeros([3]).unsqueeze(-1).shape; // → [3, 1]
   * ```
   * @group Shape & view
   */
  unsqueeze(dim: number): Tensor { return shapeOps.unsqueeze(this, dim); }
  /**
   * Broadcasts to a larger shape without copying (stride 0); -1 keeps a size. Gradient sums back.
   *
   * PyTorch: `torch.Tensor.expand`.
   *
   * @example
   * ```ts
   * tensor([[1], [2]]).expand(2, 3).toArray(); // → [[1, 1, 1], [2, 2, 2]]
   * tensor([[1], [2]]).expand(-1, 4).shape;    // → [2, 4]
   * ```
   * @group Shape & view
   */
  expand(...shape: Array<number | readonly number[]>): Tensor { return shapeOps.expand(this, sizeArgs("expand", shape)); }
  /**
   * Expands to `other`'s shape.
   *
   * PyTorch: `torch.Tensor.expand_as`.
   *
   * @example
   * ```ts
   * tensor([1, 2]).expandAs(zeros([3, 2])).shape; // → [3, 2]
   * ```
   * @group Shape & view
   */
  expandAs(other: Tensor): Tensor { return shapeOps.expand(this, other.shape); }
  /**
   * This tensor if already contiguous, else a row-major copy.
   *
   * PyTorch: `torch.Tensor.contiguous`.
   *
   * @example
   * ```ts
   * const t = arange(6).reshape(2, 3).T;
   * t.isContiguous();              // → false
   * t.contiguous().isContiguous(); // → true
   * ```
   * @group Shape & view
   */
  contiguous(): Tensor { return shapeOps.contiguous(this); }
  /**
   * The slice `start .. start + length` along `dim` (a view); `start` may be negative or a 0-d int32 tensor.
   *
   * PyTorch: `torch.Tensor.narrow`.
   *
   * @example
   * ```ts
   * arange(6).narrow(0, 1, 3).toArray();  // → [1, 2, 3]
   * arange(6).narrow(0, -2, 2).toArray(); // → [4, 5]
   * ```
   * @group Shape & view
   */
  narrow(dim: number, start: number | Tensor, length: number): Tensor { return shapeOps.narrow(this, dim, start, length); }
  /**
   * The slice at `index` along `dim`, with that dim removed (a view).
   *
   * PyTorch: `torch.Tensor.select`.
   *
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).select(1, -1).toArray(); // → [2, 4]
   * ```
   * @group Shape & view
   */
  select(dim: number, index: number): Tensor { return shapeOps.select(this, dim, index); }
  /**
   * Python-style slice `start:end:step` along `dim` (negative indices count from the end; a view).
   *
   * @example
   * ```ts
   * arange(10).slice(0, 1, 8, 3).toArray(); // → [1, 4, 7]
   * arange(10).slice(0, -3).toArray();      // → [7, 8, 9]
   * ```
   * @group Shape & view
   */
  slice(dim: number, start?: number, end?: number, step = 1): Tensor { return shapeOps.slice(this, dim, start, end, step); }
  /**
   * Splits into pieces of `splitSize` (or the listed sizes) along `dim`.
   *
   * PyTorch: `torch.Tensor.split`.
   *
   * @example
   * ```ts
   * arange(5).split(2).map((p) => p.toArray()); // → [[0, 1], [2, 3], [4]]
   * arange(5).split([1, 4]).map((p) => p.shape); // → [[1], [4]]
   * ```
   * @group Shape & view
   */
  split(splitSize: number | readonly number[], dim = 0): Tensor[] { return shapeOps.split(this, splitSize, dim); }
  /**
   * Splits into `chunks` nearly equal pieces along `dim`.
   *
   * PyTorch: `torch.Tensor.chunk`.
   *
   * @example
   * ```ts
   * arange(5).chunk(2).map((c) => c.toArray()); // → [[0, 1, 2], [3, 4]]
   * ```
   * @group Shape & view
   */
  chunk(chunks: number, dim = 0): Tensor[] { return shapeOps.chunk(this, chunks, dim); }

  // ---------------------------------------------------------------- layout (ops/layout.ts)

  /**
   * The `offset`-th diagonal of each `dim1`×`dim2` plane, as a new last dim (a view):
   * `out[..., i] = x[..., i, i + offset, ...]`; shape: x's other dims, then the diagonal's length
   * (`min(n₁, n₂ − offset)` for offset ≥ 0). Backward: diagEmbed of the gradient.
   *
   * PyTorch: `torch.Tensor.diagonal`.
   *
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).diagonal().toArray(); // [1, 4]
   * ```
   * @group Shape & view
   */
  diagonal(offset = 0, dim1 = 0, dim2 = 1): Tensor { return layout.diagonal(this, offset, dim1, dim2); }
  /**
   * The inverse of diagonal: a tensor with one more dim whose `dim1`×`dim2` planes (size
   * `n + |offset|`, n = x's last dim) hold x's last dim on their `offset`-th diagonal, zeros elsewhere.
   *
   * PyTorch: `torch.Tensor.diag_embed`.
   *
   * @example
   * ```ts
   * tensor([1, 2]).diagEmbed().toArray(); // [[1, 0], [0, 2]]
   * ```
   * @group Shape & view
   */
  diagEmbed(offset = 0, dim1 = -2, dim2 = -1): Tensor { return layout.diagEmbed(this, offset, dim1, dim2); }
  /**
   * A 1-D tensor of n elements: the (n + |k|)² matrix with it on the `k`-th diagonal; a matrix: a
   * copy of its `k`-th diagonal (1-D).
   *
   * PyTorch: `torch.Tensor.diag`.
   *
   * @example
   * ```ts
   * tensor([1, 2]).diag(1).toArray(); // [[0, 1, 0], [0, 0, 2], [0, 0, 0]]
   * ```
   * @group Shape & view
   */
  diag(diagonal = 0): Tensor { return layout.diag(this, diagonal); }
  /**
   * `Σᵢ x[i, i]`, the sum of a matrix's main diagonal (0-d). Gradient: the identity pattern.
   *
   * PyTorch: `torch.Tensor.trace`.
   *
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).trace().item(); // → 5
   * ```
   * @group Shape & view
   */
  trace(): Tensor { return layout.trace(this); }
  /**
   * The lower triangle of the last two dims: `out[..., i, j] = j − i ≤ diagonal ? x[..., i, j] : 0`
   * (a copy; diagonal 0 keeps the main diagonal, −1 drops it). Gradient: tril of the gradient.
   *
   * PyTorch: `torch.Tensor.tril`.
   *
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).tril().toArray(); // [[1, 0], [3, 4]]
   * ```
   * @group Shape & view
   */
  tril(diagonal = 0): Tensor { return layout.triangle(this, diagonal, "tril"); }
  /**
   * The upper triangle of the last two dims: `out[..., i, j] = j − i ≥ diagonal ? x[..., i, j] : 0` (a copy).
   *
   * PyTorch: `torch.Tensor.triu`.
   *
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).triu(1).toArray(); // [[0, 2], [0, 0]]
   * ```
   * @group Shape & view
   */
  triu(diagonal = 0): Tensor { return layout.triangle(this, diagonal, "triu"); }
  /**
   * A copy with the element order reversed along each of `dims` (PyTorch's flip copies too).
   *
   * PyTorch: `torch.Tensor.flip`.
   *
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).flip(0, 1).toArray(); // [[4, 3], [2, 1]]
   * ```
   * @group Shape & view
   */
  flip(...dims: Array<number | readonly number[]>): Tensor { return layout.flip(this, sizeArgs("flip", dims, "dims")); }
  /**
   * flip(1): the columns reversed (at least 2 dims).
   *
   * PyTorch: `torch.Tensor.fliplr`.
   *
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).fliplr().toArray(); // → [[2, 1], [4, 3]]
   * ```
   * @group Shape & view
   */
  fliplr(): Tensor { return layout.fliplr(this); }
  /**
   * flip(0): the rows reversed (at least 1 dim).
   *
   * PyTorch: `torch.Tensor.flipud`.
   *
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).flipud().toArray(); // → [[3, 4], [1, 2]]
   * ```
   * @group Shape & view
   */
  flipud(): Tensor { return layout.flipud(this); }
  /**
   * Shifts the elements `shifts` places along `dims`, wrapping around:
   * `out[(i + shift) mod n] = x[i]`; without dims, over the flattened tensor (shape kept). A copy.
   *
   * PyTorch: `torch.Tensor.roll`.
   *
   * @example
   * ```ts
   * tensor([1, 2, 3, 4]).roll(1).toArray(); // [4, 1, 2, 3]
   * ```
   * @group Shape & view
   */
  roll(shifts: number | readonly number[], dims?: number | readonly number[]): Tensor { return layout.roll(this, shifts, dims); }
  /**
   * Rotates by 90° `k` times in the plane `dims`, from the first dim towards the second
   * (`rot90(1, [0, 1])` of a matrix is `flip(1).T`).
   *
   * PyTorch: `torch.Tensor.rot90`.
   *
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).rot90().toArray(); // [[2, 4], [1, 3]]
   * ```
   * @group Shape & view
   */
  rot90(k = 1, dims: readonly number[] = [0, 1]): Tensor { return layout.rot90(this, k, dims); }
  /**
   * The tensor tiled `sizes[d]` times along each dim (extra leading sizes add dims): shape
   * `[s₀·n₀, s₁·n₁, …]`. A copy. Gradient: the tiles summed.
   *
   * PyTorch: `torch.Tensor.repeat`.
   *
   * @example
   * ```ts
   * tensor([1, 2]).repeat(2, 2).toArray(); // [[1, 2, 1, 2], [1, 2, 1, 2]]
   * ```
   * @group Shape & view
   */
  repeat(...sizes: Array<number | readonly number[]>): Tensor { return layout.repeat(this, sizeArgs("repeat", sizes)); }
  /**
   * Like repeat; with fewer `dims` than the tensor has, the leading dims repeat once.
   *
   * PyTorch: `torch.Tensor.tile`.
   *
   * @example
   * ```ts
   * tensor([[1, 2]]).tile(2).toArray(); // [[1, 2, 1, 2]]
   * ```
   * @group Shape & view
   */
  tile(...dims: Array<number | readonly number[]>): Tensor { return layout.tile(this, sizeArgs("tile", dims, "dims")); }
  /**
   * Each slice along `dim` repeated `repeats` times in place (or `repeats[i]` times, an int32
   * tensor); without dim, over the flattened tensor. `outputSize`, if given, must be the total.
   *
   * PyTorch: `torch.Tensor.repeat_interleave`.
   *
   * @example
   * ```ts
   * tensor([1, 2]).repeatInterleave(2).toArray(); // [1, 1, 2, 2]
   * ```
   * @group Shape & view
   */
  repeatInterleave(repeats: number | Tensor, dim?: number | null, options?: { outputSize?: number }): Tensor {
    return layout.repeatInterleave(this, repeats, dim, options);
  }
  /**
   * Views along `dim`: `sections` pieces of nearly equal size (the first `n mod sections` one
   * longer), or the pieces between the listed indices (`[2, 5]`: `[:2]`, `[2:5]`, `[5:]`).
   *
   * PyTorch: `torch.Tensor.tensor_split`.
   *
   * @example
   * ```ts
   * arange(5).tensorSplit(2).map((p) => p.toArray()); // [[0, 1, 2], [3, 4]]
   * ```
   * @group Shape & view
   */
  tensorSplit(indicesOrSections: number | readonly number[] | Tensor, dim = 0): Tensor[] { return layout.tensorSplit(this, indicesOrSections, dim); }
  /**
   * The slices along `dim`, with that dim removed (views): `[x.select(dim, 0), x.select(dim, 1), …]`.
   *
   * PyTorch: `torch.Tensor.unbind`.
   *
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).unbind(1).map((c) => c.toArray()); // [[1, 3], [2, 4]]
   * ```
   * @group Shape & view
   */
  unbind(dim = 0): Tensor[] { return layout.unbind(this, dim); }
  /**
   * Splits dim `dim` into the dims `sizes` (one may be -1): `[2, 6]` unflatten(1, [2, 3]) is `[2, 2, 3]`.
   *
   * PyTorch: `torch.Tensor.unflatten`.
   *
   * @example
   * ```ts
   * zeros([2, 6]).unflatten(1, [2, -1]).shape; // [2, 2, 3]
   * ```
   * @group Shape & view
   */
  unflatten(dim: number, sizes: readonly number[]): Tensor { return layout.unflatten(this, dim, sizes); }
  /**
   * Moves dims `source` to positions `destination`; the other dims keep their order (a view).
   *
   * PyTorch: `torch.Tensor.movedim`.
   *
   * @example
   * ```ts
   * zeros([2, 3, 4]).movedim(0, -1).shape; // [3, 4, 2]
   * ```
   * @group Shape & view
   */
  movedim(source: number | readonly number[], destination: number | readonly number[]): Tensor { return layout.movedim(this, source, destination); }
  /**
   * Alias of {@link Tensor.movedim}.
   *
   * PyTorch: `torch.Tensor.moveaxis`.
   *
   * @example
   * ```ts
   * zeros([2, 3, 4]).moveaxis(0, -1).shape; // → [3, 4, 2]
   * ```
   * @group Shape & view
   */
  moveaxis(source: number | readonly number[], destination: number | readonly number[]): Tensor { return layout.movedim(this, source, destination, "moveaxis"); }
  /**
   * Alias of {@link Tensor.transpose} (NumPy's name).
   *
   * PyTorch: `torch.Tensor.swapaxes`.
   *
   * @example
   * ```ts
   * zeros([2, 3]).swapaxes(0, 1).shape; // → [3, 2]
   * ```
   * @group Shape & view
   */
  swapaxes(axis0: number, axis1: number): Tensor { return shapeOps.transpose(this, axis0, axis1); }
  /**
   * Alias of {@link Tensor.transpose}.
   *
   * PyTorch: `torch.Tensor.swapdims`.
   *
   * @example
   * ```ts
   * zeros([2, 3, 4]).swapdims(-1, 0).shape; // → [4, 3, 2]
   * ```
   * @group Shape & view
   */
  swapdims(dim0: number, dim1: number): Tensor { return shapeOps.transpose(this, dim0, dim1); }
  /**
   * The transpose of a matrix (a view); a 0-d or 1-d tensor unchanged. More dims: use transpose or mT.
   *
   * PyTorch: `torch.Tensor.t`.
   *
   * @example
   * ```ts
   * tensor([[1, 2, 3]]).t().toArray(); // → [[1], [2], [3]]
   * ```
   * @group Shape & view
   */
  t(): Tensor { return layout.t(this); }
  /**
   * The last two dims swapped, for matrices and batches of them (a view): shape `[..., m, n]` → `[..., n, m]`.
   *
   * PyTorch: `torch.Tensor.mT`.
   *
   * @example
   * ```ts
   * zeros([5, 2, 3]).mT.shape; // [5, 3, 2]
   * ```
   * @group Shape & view
   */
  get mT(): Tensor { return layout.matrixTranspose(this); }
  /**
   * Broadcasts to `shape` (a view with stride 0 on broadcast dims), PyTorch's `broadcast_to`: the same as expand.
   *
   * PyTorch: `torch.Tensor.broadcast_to`.
   *
   * @example
   * ```ts
   * tensor([1, 2]).broadcastTo(2, 2).toArray(); // → [[1, 2], [1, 2]]
   * ```
   * @group Shape & view
   */
  broadcastTo(...shape: Array<number | readonly number[]>): Tensor { return shapeOps.expand(this, sizeArgs("broadcastTo", shape), "broadcastTo"); }
  /**
   * `view(other.shape)`.
   *
   * PyTorch: `torch.Tensor.view_as`.
   *
   * @example
   * ```ts
   * arange(6).viewAs(zeros([2, 3])).shape; // → [2, 3]
   * ```
   * @group Shape & view
   */
  viewAs(other: Tensor): Tensor { return layout.viewAs(this, other); }
  /**
   * `reshape(other.shape)`.
   *
   * PyTorch: `torch.Tensor.reshape_as`.
   *
   * @example
   * ```ts
   * arange(4).reshapeAs(zeros([2, 2])).shape; // → [2, 2]
   * ```
   * @group Shape & view
   */
  reshapeAs(other: Tensor): Tensor { return layout.reshapeAs(this, other); }
  /**
   * The windows of `size` elements every `step` along `dimension`, as a new last dim (a view):
   * dim `dimension` becomes `⌊(n − size) / step⌋ + 1` long, `out[..., w, ..., i] = x[..., w·step + i, ...]`.
   * Backward: the windows' gradients added back (overlaps sum).
   *
   * PyTorch: `torch.Tensor.unfold`.
   *
   * @example
   * ```ts
   * arange(5).unfold(0, 2, 2).toArray(); // [[0, 1], [2, 3]]
   * ```
   * @group Shape & view
   */
  unfold(dimension: number, size: number, step: number): Tensor { return layout.unfold(this, dimension, size, step); }

  // ---------------------------------------------------------------- indexing (ops/indexing.ts, ops/scatter.ts)

  /**
   * PyTorch's `x[...]`, read form. Each index is a number (selects, dropping the dim; negative
   * counts from the end), `slice(start, stop, step)` (the top-level function), `null` (a new axis), `"..."` (the
   * remaining dims), an int32 tensor or an array of integers (advanced indexing), or a bool tensor
   * or array of booleans (a mask over as many dims as it has). Numbers, slices, `null` and `"..."`
   * give a view sharing storage. Advanced indices broadcast together to a shape B that replaces
   * the indexed dims when they are adjacent, and goes first when a slice separates them; the
   * result is a copy. Backward: indexPut of the gradient with accumulate.
   *
   * @example
   * ```ts
   * const x = arange(12).reshape(3, 4);
   * x.index(-1).toArray();                     // → [8, 9, 10, 11]
   * x.index(slice(), 1).toArray();             // → [1, 5, 9]
   * x.index([0, 2], slice(1, 3)).toArray();    // → [[1, 2], [9, 10]]
   * x.index(x.gt(9)).toArray();                // → [10, 11]
   * ```
   * @group Indexing
   */
  index(...indices: Index[]): Tensor { return indexOps.index(this, indices); }
  /**
   * `x[indices] = values` out of place: a copy with the indexed elements set to `values`
   * (broadcast to the indexing result), or increased by them with `accumulate` (duplicate indices
   * sum). Indices as {@link Tensor.index}, given as one array. Backward: to this, the gradient
   * with the written positions zeroed (all of it with accumulate); to values, the gradient at the
   * indices, summed back to the values' shape.
   *
   * PyTorch: `torch.Tensor.index_put`.
   *
   * @example
   * ```ts
   * zeros([4]).indexPut([[0, 0, 2]], tensor([1, 2, 3]), { accumulate: true }).toArray(); // → [3, 0, 3, 0]
   * ```
   * @group Indexing
   */
  indexPut(indices: readonly Index[], values: TensorLike, options?: { accumulate?: boolean }): Tensor {
    return indexOps.indexPut(this, indices, values, options);
  }
  /**
   * `x[indices] = values` in place (PyTorch's setitem and `index_put_`): writes through to every
   * view of this storage. Like any in-place op it is refused on a tensor that requires grad (and,
   * in tsgrad, when values requires grad) while grad mode is on; use {@link Tensor.indexPut}.
   *
   * PyTorch: `torch.Tensor.index_put_`.
   *
   * @example
   * ```ts
   * const x = zeros([2, 3]);
   * x.indexPut_([slice(), 0], 5);
   * x.toArray(); // → [[5, 0, 0], [5, 0, 0]]
   * ```
   * @group Indexing
   */
  indexPut_(indices: readonly Index[], values: TensorLike, options?: { accumulate?: boolean }): this {
    return indexOps.indexPut_(this, indices, values, options);
  }
  /**
   * Picks values along `dim` at `index` (int32, this tensor's rank, no larger off `dim`):
   * `out[i][j] = x[index[i][j]][j]` (dim 0), `x[i][index[i][j]]` (dim 1); out has index's shape.
   *
   * PyTorch: `torch.Tensor.gather`.
   *
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).gather(1, tensor([[1], [0]], { dtype: "int32" })).toArray(); // → [[2], [3]]
   * ```
   * @group Indexing
   */
  gather(dim: number, index: Tensor): Tensor { return indexOps.gather(this, dim, index); }
  /**
   * PyTorch's `take_along_dim`: gather along `dim` after broadcasting this tensor and `indices`
   * (same rank) everywhere but `dim`; without `dim`, both are flattened. Pairs with argmax/argsort.
   *
   * PyTorch: `torch.Tensor.take_along_dim`.
   *
   * @example
   * ```ts
   * const x = tensor([[10, 30, 20], [60, 40, 50]]);
   * x.takeAlongDim(x.argmax(1, true), 1).toArray(); // → [[30], [60]]
   * ```
   * @group Indexing
   */
  takeAlongDim(indices: Tensor, dim?: number | null): Tensor { return indexOps.takeAlongDim(this, indices, dim); }
  /**
   * The elements at `index` (int32, any shape; negative counts from the end) of this tensor read
   * as 1-D; the result has index's shape.
   *
   * PyTorch: `torch.Tensor.take`.
   *
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).take(tensor([[3, -4]], { dtype: "int32" })).toArray(); // → [[4, 1]]
   * ```
   * @group Indexing
   */
  take(index: Tensor): Tensor { return indexOps.take(this, index); }
  /**
   * Entries `index` (0-d or 1-D int32) along `dim`, in that order.
   *
   * PyTorch: `torch.Tensor.index_select`.
   *
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).indexSelect(0, tensor([1, 1], { dtype: "int32" })).toArray(); // → [[3, 4], [3, 4]]
   * ```
   * @group Indexing
   */
  indexSelect(dim: number, index: Tensor): Tensor { return indexOps.indexSelect(this, dim, index); }
  /**
   * `mask ? value : x` elementwise (mask bool, broadcast with this tensor; value a number or a 0-d
   * tensor, cast to this dtype). Backward: the gradient off the mask to x, its sum on the mask to
   * a tensor value.
   *
   * PyTorch: `torch.Tensor.masked_fill`.
   *
   * @example
   * ```ts
   * tensor([1, 2, 3]).maskedFill(tensor([true, false, true]), 0).toArray(); // → [0, 2, 0]
   * ```
   * @group Indexing
   */
  maskedFill(mask: Tensor, value: TensorLike): Tensor { return indexOps.maskedFill(this, mask, value); }
  /**
   * In-place {@link Tensor.maskedFill} (the mask must broadcast to this shape).
   *
   * PyTorch: `torch.Tensor.masked_fill_`.
   *
   * @example
   * ```ts
   * const t = tensor([1, 2, 3]);
   * t.maskedFill_(t.gt(1), 0);
   * t.toArray(); // → [1, 0, 0]
   * ```
   * @group Indexing
   */
  maskedFill_(mask: Tensor, value: TensorLike): this { return indexOps.maskedFill_(this, mask, value); }
  /**
   * The elements where `mask` (broadcast with this tensor) is true, 1-D in row-major order: `x[mask]`.
   *
   * PyTorch: `torch.Tensor.masked_select`.
   *
   * @example
   * ```ts
   * tensor([[1, 2], [3, 4]]).maskedSelect(tensor([true, false])).toArray(); // → [1, 3]
   * ```
   * @group Indexing
   */
  maskedSelect(mask: Tensor): Tensor { return indexOps.maskedSelect(this, mask); }
  /**
   * A copy whose elements where `mask` is true (row-major) take the first elements of `source`
   * in order (source needs at least as many). Backward: to x the gradient off the mask, to
   * source the gradient at the masked positions (zeros for the unused rest).
   *
   * PyTorch: `torch.Tensor.masked_scatter`.
   *
   * @example
   * ```ts
   * zeros([4]).maskedScatter(tensor([false, true, false, true]), tensor([7, 8, 9])).toArray(); // → [0, 7, 0, 8]
   * ```
   * @group Indexing
   */
  maskedScatter(mask: Tensor, source: Tensor): Tensor { return indexOps.maskedScatter(this, mask, source); }
  /**
   * In-place {@link Tensor.maskedScatter} (the mask must broadcast to this shape).
   *
   * PyTorch: `torch.Tensor.masked_scatter_`.
   *
   * @example
   * ```ts
   * const t = zeros([3]);
   * t.maskedScatter_(tensor([true, false, true]), tensor([5, 6]));
   * t.toArray(); // → [5, 0, 6]
   * ```
   * @group Indexing
   */
  maskedScatter_(mask: Tensor, source: Tensor): this { return indexOps.maskedScatter_(this, mask, source); }
  /**
   * Coordinates of the nonzero elements, row-major: int32 `[n, ndim]`, or with `asTuple` one 1-D
   * int32 tensor per dim (usable as an index: `x.index(...x.nonzero({ asTuple: true }))`).
   *
   * PyTorch: `torch.Tensor.nonzero`.
   *
   * @example
   * ```ts
   * tensor([[0, 1], [2, 0]]).nonzero().toArray(); // → [[0, 1], [1, 0]]
   * ```
   * @group Indexing
   */
  nonzero(options?: { asTuple?: false }): Tensor;
  nonzero(options: { asTuple: true }): Tensor[];
  nonzero(options?: { asTuple?: boolean }): Tensor | Tensor[];
  nonzero(options?: { asTuple?: boolean }): Tensor | Tensor[] { return indexOps.nonzero(this, options); }
  /**
   * `nonzero()`: the coordinates of the nonzero elements as int32 `[n, ndim]`.
   *
   * PyTorch: `torch.Tensor.argwhere`.
   *
   * @example
   * ```ts
   * tensor([0, 3, 0, 4]).argwhere().toArray(); // → [[1], [3]]
   * ```
   * @group Indexing
   */
  argwhere(): Tensor { return indexOps.nonzero(this, undefined, "argwhere") as Tensor; }
  /**
   * A copy with `src[i][j]` written at `[index[i][j]][j]` (dim 0) / `[i][index[i][j]]` (dim 1),
   * or the number `src` there. index has this rank, no larger than src (whose leading corner is
   * read) nor than this tensor off `dim`. `reduce: "add" | "multiply"` combines instead of
   * writing (PyTorch 1.13's form; see {@link Tensor.scatterReduce}). Backward: to x the gradient
   * with the written positions zeroed; to src the gradient gathered at index.
   *
   * PyTorch: `torch.Tensor.scatter`.
   *
   * @example
   * ```ts
   * zeros([2, 3]).scatter(1, tensor([[2], [0]], { dtype: "int32" }), tensor([[5], [6]])).toArray(); // → [[0, 0, 5], [6, 0, 0]]
   * ```
   * @group Indexing
   */
  scatter(dim: number, index: Tensor, src: TensorLike, options?: { reduce?: "add" | "multiply" }): Tensor {
    return scatterOps.scatter(this, dim, index, src, options);
  }
  /**
   * In-place {@link Tensor.scatter}.
   *
   * PyTorch: `torch.Tensor.scatter_`.
   *
   * @example
   * ```ts
   * const t = zeros([3]);
   * t.scatter_(0, tensor([2], { dtype: "int32" }), 5);
   * t.toArray(); // → [0, 0, 5]
   * ```
   * @group Indexing
   */
  scatter_(dim: number, index: Tensor, src: TensorLike, options?: { reduce?: "add" | "multiply" }): this {
    return indexOps.inPlaceFrom("scatter_", this, [["src", src]], () => scatterOps.scatter(this, dim, index, src, options, "scatter_"));
  }
  /**
   * A copy with `src[i][j]` added at `[index[i][j]][j]` (dim 0); duplicates add up (the adjoint
   * of gather).
   *
   * PyTorch: `torch.Tensor.scatter_add`.
   *
   * @example
   * ```ts
   * zeros([3]).scatterAdd(0, tensor([0, 0, 2], { dtype: "int32" }), tensor([1, 2, 3])).toArray(); // → [3, 0, 3]
   * ```
   * @group Indexing
   */
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor { return scatterOps.scatterAdd(this, dim, index, src); }
  /**
   * In-place {@link Tensor.scatterAdd}.
   *
   * PyTorch: `torch.Tensor.scatter_add_`.
   *
   * @example
   * ```ts
   * const t = zeros([3]);
   * t.scatterAdd_(0, tensor([1, 1], { dtype: "int32" }), tensor([1, 2]));
   * t.toArray(); // → [0, 3, 0]
   * ```
   * @group Indexing
   */
  scatterAdd_(dim: number, index: Tensor, src: Tensor): this {
    return indexOps.inPlaceFrom("scatterAdd_", this, [["src", src]], () => scatterOps.scatterAdd(this, dim, index, src, "scatterAdd_"));
  }
  /**
   * A copy where each `src[i][j]` is reduced into `[index[i][j]][j]` (dim 0) with `reduce`
   * ("sum", "prod", "mean", "amax", "amin"). `includeSelf` (default true) lets this tensor's value
   * take part; positions no index hits keep it either way. Gradients as PyTorch's (exclusive
   * products at zeros for prod, ties sharing evenly for amax/amin).
   *
   * PyTorch: `torch.Tensor.scatter_reduce`.
   *
   * @example
   * ```ts
   * const i = tensor([0, 1, 0, 1], { dtype: "int32" });
   * tensor([10, 20, 30]).scatterReduce(0, i, tensor([1, 2, 3, 4]), "amax", { includeSelf: false }).toArray(); // → [3, 4, 30]
   * ```
   * @group Indexing
   */
  scatterReduce(dim: number, index: Tensor, src: Tensor, reduce: ScatterReduction, options?: { includeSelf?: boolean }): Tensor {
    return scatterOps.scatterReduce(this, dim, index, src, reduce, options);
  }
  /**
   * In-place {@link Tensor.scatterReduce}.
   *
   * PyTorch: `torch.Tensor.scatter_reduce_`.
   *
   * @example
   * ```ts
   * const t = tensor([1, 1]);
   * t.scatterReduce_(0, tensor([0, 0], { dtype: "int32" }), tensor([2, 3]), "prod");
   * t.toArray(); // → [6, 1]
   * ```
   * @group Indexing
   */
  scatterReduce_(dim: number, index: Tensor, src: Tensor, reduce: ScatterReduction, options?: { includeSelf?: boolean }): this {
    return indexOps.inPlaceFrom("scatterReduce_", this, [["src", src]], () => scatterOps.scatterReduce(this, dim, index, src, reduce, options, "scatterReduce_"));
  }
  /**
   * A copy with `alpha · source[j]` added to slice `index[j]` along `dim` (index 1-D int32; source
   * has this shape with `dim` of index's length); duplicates add up (the adjoint of indexSelect).
   *
   * PyTorch: `torch.Tensor.index_add`.
   *
   * @example
   * ```ts
   * zeros([3, 2]).indexAdd(0, tensor([2, 0], { dtype: "int32" }), ones([2, 2]), { alpha: 2 }).toArray(); // → [[2, 2], [0, 0], [2, 2]]
   * ```
   * @group Indexing
   */
  indexAdd(dim: number, index: Tensor, source: Tensor, options?: { alpha?: number }): Tensor {
    return scatterOps.indexAdd(this, dim, index, source, options);
  }
  /**
   * In-place {@link Tensor.indexAdd}.
   *
   * PyTorch: `torch.Tensor.index_add_`.
   *
   * @example
   * ```ts
   * const t = zeros([3]);
   * t.indexAdd_(0, tensor([0, 0], { dtype: "int32" }), tensor([1, 2]));
   * t.toArray(); // → [3, 0, 0]
   * ```
   * @group Indexing
   */
  indexAdd_(dim: number, index: Tensor, source: Tensor, options?: { alpha?: number }): this {
    return indexOps.inPlaceFrom("indexAdd_", this, [["source", source]], () => scatterOps.indexAdd(this, dim, index, source, options, "indexAdd_"));
  }
  /**
   * A copy with slice `index[j]` along `dim` replaced by `source[j]` (shapes as indexAdd).
   *
   * PyTorch: `torch.Tensor.index_copy`.
   *
   * @example
   * ```ts
   * zeros([3]).indexCopy(0, tensor([2, 0], { dtype: "int32" }), tensor([5, 6])).toArray(); // → [6, 0, 5]
   * ```
   * @group Indexing
   */
  indexCopy(dim: number, index: Tensor, source: Tensor): Tensor { return scatterOps.indexCopy(this, dim, index, source); }
  /**
   * In-place {@link Tensor.indexCopy}.
   *
   * PyTorch: `torch.Tensor.index_copy_`.
   *
   * @example
   * ```ts
   * const t = zeros([3]);
   * t.indexCopy_(0, tensor([2], { dtype: "int32" }), tensor([9]));
   * t.toArray(); // → [0, 0, 9]
   * ```
   * @group Indexing
   */
  indexCopy_(dim: number, index: Tensor, source: Tensor): this {
    return indexOps.inPlaceFrom("indexCopy_", this, [["source", source]], () => scatterOps.indexCopy(this, dim, index, source, "indexCopy_"));
  }
  /**
   * A copy with the slices `index` (1-D int32, negative counts from the end) along `dim` set to
   * `value` (a number or a 0-d tensor, which gets the gradient summed over the distinct slices).
   *
   * PyTorch: `torch.Tensor.index_fill`.
   *
   * @example
   * ```ts
   * zeros([2, 3]).indexFill(1, tensor([-1], { dtype: "int32" }), 7).toArray(); // → [[0, 0, 7], [0, 0, 7]]
   * ```
   * @group Indexing
   */
  indexFill(dim: number, index: Tensor, value: TensorLike): Tensor { return scatterOps.indexFill(this, dim, index, value); }
  /**
   * In-place {@link Tensor.indexFill}.
   *
   * PyTorch: `torch.Tensor.index_fill_`.
   *
   * @example
   * ```ts
   * const t = ones([2, 2]);
   * t.indexFill_(0, tensor([1], { dtype: "int32" }), 0);
   * t.toArray(); // → [[1, 1], [0, 0]]
   * ```
   * @group Indexing
   */
  indexFill_(dim: number, index: Tensor, value: TensorLike): this {
    return indexOps.inPlaceFrom("indexFill_", this, [["value", value]], () => scatterOps.indexFill(this, dim, index, value, "indexFill_"));
  }

  /**
   * A copy converted to `dtype` (this tensor itself if it already has it); gradient cast back.
   *
   * PyTorch: `torch.Tensor.to`.
   *
   * @example
   * ```ts
   * tensor([1.7, -1.7]).to("int32").toArray(); // → [1, -1]
   * tensor([1]).to("float64").dtype;           // → "float64"
   * ```
   * @group Conversion
   */
  to(dtype: DType): Tensor { return castOps.to(this, checkDType("to", dtype)); }
  /**
   * `to("float32")`.
   *
   * PyTorch: `torch.Tensor.float`.
   *
   * @example
   * ```ts
   * tensor([1], { dtype: "int32" }).float().dtype; // → "float32"
   * ```
   * @group Conversion
   */
  float(): Tensor { return this.to("float32"); }
  /**
   * `to("float64")`.
   *
   * PyTorch: `torch.Tensor.double`.
   *
   * @example
   * ```ts
   * tensor([1]).double().dtype; // → "float64"
   * ```
   * @group Conversion
   */
  double(): Tensor { return this.to("float64"); }
  /**
   * `to("int32")` (truncates toward zero).
   *
   * PyTorch: `torch.Tensor.int`.
   *
   * @example
   * ```ts
   * tensor([-1.7, 2.9]).int().toArray(); // → [-1, 2]
   * ```
   * @group Conversion
   */
  int(): Tensor { return this.to("int32"); }
  /**
   * `to("int16")` (truncates toward zero, wraps around outside −32768..32767).
   *
   * PyTorch: `torch.Tensor.short`.
   *
   * @example
   * ```ts
   * tensor([-1.7, 40000]).short().toArray(); // → [-1, -25536]
   * ```
   * @group Conversion
   */
  short(): Tensor { return this.to("int16"); }
  /**
   * `to("int8")` (truncates toward zero, wraps around outside −128..127).
   *
   * PyTorch: `torch.Tensor.char`.
   *
   * @example
   * ```ts
   * tensor([-1.7, 130]).char().toArray(); // → [-1, -126]
   * ```
   * @group Conversion
   */
  char(): Tensor { return this.to("int8"); }
  /**
   * `to("uint8")` (truncates toward zero, wraps around outside 0..255: −1 is 255).
   *
   * PyTorch: `torch.Tensor.byte`.
   *
   * @example
   * ```ts
   * tensor([2.9, -1, 256]).byte().toArray(); // → [2, 255, 0]
   * ```
   * @group Conversion
   */
  byte(): Tensor { return this.to("uint8"); }
  /**
   * `to("bool")` (nonzero → true).
   *
   * PyTorch: `torch.Tensor.bool`.
   *
   * @example
   * ```ts
   * tensor([0, 2, -1]).bool().toArray(); // → [false, true, true]
   * ```
   * @group Conversion
   */
  bool(): Tensor { return this.to("bool"); }
  /**
   * A contiguous copy that stays in the graph (gradient passes through).
   *
   * PyTorch: `torch.Tensor.clone`.
   *
   * @example
   * ```ts
   * const a = tensor([1, 2]);
   * const b = a.clone();
   * b.fill_(0);
   * a.toArray(); // → [1, 2] (the copy has its own storage)
   * ```
   * @group Conversion
   */
  clone(): Tensor { return castOps.clone(this); }

  // ---------------------------------------------------------------- in place (optimizers, init)

  /**
   * Sets every element to 0 in place.
   *
   * PyTorch: `torch.Tensor.zero_`.
   *
   * @example
   * ```ts
   * const g = ones([2]);
   * g.zero_();
   * g.toArray(); // → [0, 0]
   * ```
   * @group In-place
   */
  zero_(): this { return inplace.fill_(this, 0, "zero_"); }
  /**
   * Sets every element to `value` in place.
   *
   * PyTorch: `torch.Tensor.fill_`.
   *
   * @example
   * ```ts
   * zeros([2]).fill_(7).toArray(); // → [7, 7]
   * ```
   * @group In-place
   */
  fill_(value: number): this { return inplace.fill_(this, value, "fill_"); }
  /**
   * `this += alpha * other` in place (other broadcast to this shape).
   *
   * PyTorch: `torch.Tensor.add_`.
   *
   * @example
   * ```ts
   * const w = ones([2]);
   * w.add_(tensor([1, 2]), { alpha: 2 });
   * w.toArray(); // → [3, 5]
   * ```
   * @group In-place
   */
  add_(other: TensorLike, options?: { alpha?: number }): this {
    const alpha = alphaOption("add_", options);
    return inplace.assignResult_(this, "add_", (t) => arith.add(t, other, alpha));
  }
  /**
   * `this -= alpha * other` in place.
   *
   * PyTorch: `torch.Tensor.sub_`.
   *
   * @example
   * ```ts
   * const t = tensor([5, 5]);
   * t.sub_(tensor([1, 2]));
   * t.toArray(); // → [4, 3]
   * ```
   * @group In-place
   */
  sub_(other: TensorLike, options?: { alpha?: number }): this {
    const alpha = alphaOption("sub_", options);
    return inplace.assignResult_(this, "sub_", (t) => arith.sub(t, other, alpha));
  }
  /**
   * `this *= other` in place.
   *
   * PyTorch: `torch.Tensor.mul_`.
   *
   * @example
   * ```ts
   * const t = tensor([1, 2]);
   * t.mul_(3);
   * t.toArray(); // → [3, 6]
   * ```
   * @group In-place
   */
  mul_(other: TensorLike): this { return inplace.assignResult_(this, "mul_", (t) => t.mul(other)); }
  /**
   * `this /= other` in place.
   *
   * PyTorch: `torch.Tensor.div_`.
   *
   * @example
   * ```ts
   * const t = tensor([2, 4]);
   * t.div_(2);
   * t.toArray(); // → [1, 2]
   * ```
   * @group In-place
   */
  div_(other: TensorLike): this { return inplace.assignResult_(this, "div_", (t) => t.div(other)); }
  /**
   * Clamps in place.
   *
   * PyTorch: `torch.Tensor.clamp_`.
   *
   * @example
   * ```ts
   * const t = tensor([-2, 3]);
   * t.clamp_(-1, 1);
   * t.toArray(); // → [-1, 1]
   * ```
   * @group In-place
   */
  clamp_(min?: TensorLike | null, max?: TensorLike | null): this { return inplace.assignResult_(this, "clamp_", (t) => t.clamp(min, max)); }
  /**
   * Copies `src` (broadcast to this shape, cast to this dtype) into this tensor.
   *
   * PyTorch: `torch.Tensor.copy_`.
   *
   * @example
   * ```ts
   * const t = zeros([2, 2]);
   * t.copy_(tensor([1, 2]));
   * t.toArray(); // → [[1, 2], [1, 2]]
   * ```
   * @group In-place
   */
  copy_(src: Tensor): this { return inplace.copy_(this, src); }
  /**
   * Fills in place with uniform samples in [low, high) (default [0, 1)), like PyTorch's `uniform_`.
   *
   * PyTorch: `torch.Tensor.uniform_`.
   *
   * @example
   * ```ts
   * const w = zeros([1000]).uniform_(-1, 1);
   * w.amin().item() >= -1 && w.amax().item() < 1; // → true
   * ```
   * @group Random
   */
  uniform_(low = 0, high = 1, options: { generator?: Generator } = {}): this {
    uniformFill_(this, low, high, generatorOption("uniform_", options));
    return this;
  }
  /**
   * Fills in place with normal samples N(mean, std²) (default N(0, 1)), like PyTorch's `normal_`.
   *
   * PyTorch: `torch.Tensor.normal_`.
   *
   * @example
   * ```ts
   * const w = zeros([10000]).normal_(0, 0.01);
   * w.std().item(); // ≈ 0.01
   * ```
   * @group Random
   */
  normal_(mean = 0, std = 1, options: { generator?: Generator } = {}): this {
    normalFill_(this, mean, std, generatorOption("normal_", options));
    return this;
  }
}

// PyTorch's checks on `x.grad = value` (the messages quote its wording, so they can be searched).
function checkAssignedGrad(t: Tensor, value: unknown): Tensor | null {
  if (value === null) return null;
  if (!(value instanceof Tensor)) {
    throw new TypeError(`Tensor.grad: assigned grad expected to be a Tensor or null, got ${describeValue(value)}`);
  }
  if (value === t) throw new RangeError("Tensor.grad: can't assign a tensor as its own grad");
  if (value.dtype !== t.dtype) {
    throw new TypeError(`Tensor.grad: assigned grad has data of a different type: dtype ${value.dtype}, the tensor's dtype is ${t.dtype}`);
  }
  if (!sameShape(value.shape, t.shape)) {
    throw new RangeError(`Tensor.grad: assigned grad has data of a different size: shape ${fmtShape(value.shape)}, the tensor's shape is ${fmtShape(t.shape)}`);
  }
  return value;
}

function frozenCopy(a: readonly number[]): readonly number[] {
  return Object.isFrozen(a) ? a : Object.freeze([...a]);
}
