/** Creating tensors: from JS data, filled, ranges, identity. */
import { Tensor, type NestedArray } from "./tensor.js";
import { type DType, type TypedArray, allocate, allocateUninitialized, checkDType, checkIntegerValues, checkScalarFits, dtypeOfArray, isFloatingPoint, isIntegral } from "./dtype.js";
import { checkSizes, fmtShape, numelOf, readSizeAndOptions, sizeArgs, type SizeAndOptions } from "./shape.js";
import { describeValue, optionChecks, resolveOptions } from "./options.js";
import { fillLinspace } from "./kernels/linspace.js";

/**
 * Options shared by the creation functions ({@link zeros}, {@link ones}, {@link full},
 * {@link arange}, {@link tensor}, ...): the dtype and whether the result is a leaf that requires grad.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `dtype` | `"float32"` (or inferred from the data) | `dtype` |
 * | `requiresGrad` | `false` | `requires_grad` |
 *
 * @example
 * ```ts
 * zeros([2], { dtype: "int32" }).dtype;   // → "int32"
 * const w = ones([2, 2], { dtype: "float64", requiresGrad: true });
 * w.isLeaf && w.requiresGrad;             // → true
 * ones([2], { dtype: "int32", requiresGrad: true }); // throws TypeError
 * ```
 * @group Creation
 */
export interface TensorOptions {
  /** Element type; float32 by default. */
  dtype?: DType;
  /** Make the result a leaf that requires grad (floating-point dtypes only). */
  requiresGrad?: boolean;
}

/**
 * Options of {@link tensor}: those of {@link TensorOptions}, and a `shape` for flat typed-array data.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `shape` | 1-D | (`torch.tensor(...).reshape(shape)`) |
 * | `dtype`, `requiresGrad` | see {@link TensorOptions} | |
 *
 * @example
 * ```ts
 * tensor(new Float32Array([1, 2, 3, 4, 5, 6]), { shape: [2, 3] }); // → [[1, 2, 3], [4, 5, 6]]
 * ```
 * @group Creation
 */
export interface TensorDataOptions extends TensorOptions {
  /** Shape of flat typed-array data (default: 1-D). */
  shape?: readonly number[];
}

const TENSOR_OPTIONS: TensorOptions = { dtype: undefined, requiresGrad: false };
const TENSOR_OPTION_CHECKS = { dtype: optionChecks.dtype, requiresGrad: optionChecks.boolean };

/** The creation options of `op`, checked: `{ dtype?, requiresGrad? }`. */
function creationOptions(op: string, options: unknown): TensorOptions {
  return resolveOptions<TensorOptions>(op, options, TENSOR_OPTIONS, TENSOR_OPTION_CHECKS);
}

function finish(t: Tensor, options: TensorOptions): Tensor {
  if (options.requiresGrad) t.requiresGrad_(true);
  return t;
}

function inferShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let cur: NestedArray = data;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0];
  }
  return shape;
}

function flattenNested(data: NestedArray, shape: readonly number[], out: number[], path: number[]): boolean {
  const depth = path.length;
  if (depth === shape.length) {
    if (Array.isArray(data)) {
      throw new TypeError(`tensor: ragged nested array: expected a number at [${path.join(", ")}] but found an array (inferred shape ${fmtShape(shape)})`);
    }
    if (typeof data === "boolean") {
      out.push(data ? 1 : 0);
      return true;
    }
    if (typeof data !== "number") {
      throw new TypeError(`tensor: element at [${path.join(", ")}] is ${data === null ? "null" : typeof data}, expected a number or boolean`);
    }
    out.push(data);
    return false;
  }
  if (!Array.isArray(data) || data.length !== shape[depth]) {
    const found = Array.isArray(data) ? `${data.length} elements` : "a number";
    throw new TypeError(
      `tensor: ragged nested array: expected ${shape[depth]} elements at depth ${depth}${depth ? ` (index [${path.join(", ")}])` : ""} but found ${found}`,
    );
  }
  let sawBool = true;
  for (let i = 0; i < data.length; i++) {
    path.push(i);
    sawBool = flattenNested(data[i], shape, out, path) && sawBool;
    path.pop();
  }
  return sawBool && data.length > 0;
}

/**
 * A new tensor holding a copy of `data`: a number (0-d), nested arrays (ragged ones throw), a
 * typed array (with `shape`, else 1-D) or another tensor. JS numbers do not say whether they
 * are integers, so numbers give float32 unless `dtype` says otherwise (PyTorch would infer int64
 * from `[1, 2]`); booleans give bool; typed arrays keep their dtype.
 *
 * @example
 * ```ts
 * tensor([[1, 2], [3, 4]]);                        // float32, shape [2, 2]
 * tensor([0, 2, 1], { dtype: "int32" });           // class indices
 * tensor(new Float64Array(6), { shape: [2, 3] });  // float64
 * ```
 * @group Creation
 */
export function tensor(data: NestedArray | TypedArray | Tensor, options: TensorDataOptions = {}): Tensor {
  options = resolveOptions("tensor", options, { ...TENSOR_OPTIONS, shape: undefined }, TENSOR_OPTION_CHECKS);
  const requested = options.dtype === undefined ? undefined : checkDType("tensor", options.dtype);
  if (data instanceof Tensor) return finish(data.detach().to(requested ?? data.dtype).clone(), options);
  const arrayDType = dtypeOfArray(data);
  if (arrayDType) {
    const typed = data as TypedArray;
    const shape = options.shape ? checkSizes("tensor", options.shape) : [typed.length];
    if (numelOf(shape) !== typed.length) {
      throw new RangeError(`tensor: shape ${fmtShape(shape)} needs ${numelOf(shape)} elements, but the typed array has ${typed.length}`);
    }
    const dtype = requested ?? arrayDType;
    if (isIntegral(dtype) && isFloatingPoint(arrayDType)) checkIntegerValues("tensor", typed, dtype);
    const copy = allocate(dtype, typed.length);
    if (dtype === "bool") for (let i = 0; i < typed.length; i++) copy[i] = typed[i] !== 0 ? 1 : 0;
    else copy.set(typed);
    return finish(new Tensor(copy, shape, dtype), options);
  }
  if (ArrayBuffer.isView(data)) throw new TypeError(`tensor: unsupported typed array ${data.constructor.name}; use Float32Array, Float64Array, Int32Array, Int16Array, Int8Array or Uint8Array (bool; pass { dtype: "uint8" } for bytes)`);
  const shape = inferShape(data as NestedArray);
  const flat: number[] = [];
  const allBool = flattenNested(data as NestedArray, shape, flat, []);
  const dtype = requested ?? (allBool && flat.length > 0 ? "bool" : "float32");
  if (isIntegral(dtype)) checkIntegerValues("tensor", flat, dtype);
  const out = allocate(dtype, flat.length, "tensor");
  if (dtype === "bool") for (let i = 0; i < flat.length; i++) out[i] = flat[i] !== 0 ? 1 : 0;
  else out.set(flat);
  if (options.shape) throw new TypeError("tensor: the shape option is only for flat typed-array data");
  return finish(new Tensor(out, shape, dtype), options);
}

// The options of a `*Like` function: `t`'s dtype unless `options` give one.
function likeOptions(op: string, t: Tensor, options: unknown): TensorOptions {
  const resolved = creationOptions(op, options);
  return { ...resolved, dtype: resolved.dtype ?? t.dtype };
}

// A new tensor of `shape` (already checked) with every element `value`.
function filled(op: string, shape: number[], value: number, options: TensorOptions = {}): Tensor {
  const dtype = checkDType(op, options.dtype ?? "float32");
  checkScalarFits(op, value, dtype, " (the fill value)");
  const data = value === 0 ? allocate(dtype, numelOf(shape), op) : allocateUninitialized(dtype, numelOf(shape), op).fill(dtype === "bool" ? 1 : value);
  return finish(new Tensor(data, shape, dtype), options);
}

/**
 * A tensor of `size` filled with `fillValue`, like `torch.full(size, fill_value)`: the size is
 * one array (`full([2, 3], 7)`), as in PyTorch. A value the dtype cannot hold throws
 * (`full([2], 3e9, { dtype: "int32" })`), as in PyTorch.
 *
 * @example
 * ```ts
 * full([2], 7).toArray(); // [7, 7]
 * ```
 * @group Creation
 */
export function full(size: readonly number[], fillValue: number, options: TensorOptions = {}): Tensor {
  options = creationOptions("full", options);
  if (!Array.isArray(size)) {
    throw new TypeError(`full: size must be an array like [2, 3] (full(size, fillValue) takes the size as one list, as in PyTorch), got ${describeValue(size)}`);
  }
  if (typeof fillValue !== "number") throw new TypeError(`full: fillValue must be a number, got ${describeValue(fillValue)}`);
  return filled("full", checkSizes("full", sizeArgs("full", [size])), fillValue, options);
}

/**
 * A tensor of zeros. The size is varargs or one array, as in PyTorch.
 *
 * @example
 * ```ts
 * zeros(2, 3).shape;                          // [2, 3]
 * zeros([2, 3], { dtype: "float64" }).shape;  // [2, 3]
 * ```
 * @group Creation
 */
export function zeros(...args: SizeAndOptions<TensorOptions>): Tensor {
  const [shape, options] = readSizeAndOptions<TensorOptions>("zeros", args);
  return filled("zeros", shape, 0, creationOptions("zeros", options));
}

/**
 * A tensor of ones. The size is varargs or one array, as in PyTorch.
 *
 * @example
 * ```ts
 * ones(2, 2).toArray(); // [[1, 1], [1, 1]]
 * ones([3], { dtype: "int32" });
 * ```
 * @group Creation
 */
export function ones(...args: SizeAndOptions<TensorOptions>): Tensor {
  const [shape, options] = readSizeAndOptions<TensorOptions>("ones", args);
  return filled("ones", shape, 1, creationOptions("ones", options));
}

/**
 * An uninitialised tensor (tsgrad zero-fills, since typed arrays always start at 0). The size is
 * varargs or one array, as in PyTorch.
 *
 * @example
 * ```ts
 * empty(2, 3).shape; // [2, 3]
 * ```
 * @group Creation
 */
export function empty(...args: SizeAndOptions<TensorOptions>): Tensor {
  const [shape, options] = readSizeAndOptions<TensorOptions>("empty", args);
  return filled("empty", shape, 0, creationOptions("empty", options));
}

/**
 * `full` with `t`'s shape and (unless overridden) dtype.
 *
 * @example
 * ```ts
 * fullLike(tensor([1, 2]), 0.5).toArray(); // [0.5, 0.5]
 * ```
 * @group Creation
 */
export function fullLike(t: Tensor, value: number, options: TensorOptions = {}): Tensor {
  if (typeof value !== "number") throw new TypeError(`fullLike: fillValue must be a number, got ${describeValue(value)}`);
  return filled("fullLike", [...t.shape], value, likeOptions("fullLike", t, options));
}

/**
 * Zeros with `t`'s shape and dtype.
 *
 * @example
 * ```ts
 * zerosLike(tensor([1, 2])).toArray(); // [0, 0]
 * ```
 * @group Creation
 */
export function zerosLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return filled("zerosLike", [...t.shape], 0, likeOptions("zerosLike", t, options));
}

/**
 * Ones with `t`'s shape and dtype.
 *
 * @example
 * ```ts
 * onesLike(tensor([[1, 2]])).toArray(); // [[1, 1]]
 * ```
 * @group Creation
 */
export function onesLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return filled("onesLike", [...t.shape], 1, likeOptions("onesLike", t, options));
}

/**
 * Values from `start` (inclusive) to `end` (exclusive) in steps of `step`; `arange(n)` is
 * 0..n−1. Integer arguments give int32 (PyTorch's integer arange is int64: tsgrad has no int64,
 * so a range whose values do not fit int32 throws and asks for a float dtype). Bounds must be
 * finite and the step finite and nonzero, with the sign of `end − start`.
 *
 * @example
 * ```ts
 * arange(4).toArray();           // [0, 1, 2, 3] (int32)
 * arange(0, 1, 0.25).toArray();  // [0, 0.25, 0.5, 0.75] (float32)
 * ```
 * @group Creation
 */
export function arange(start: number, end?: number, step = 1, options: TensorOptions = {}): Tensor {
  options = creationOptions("arange", options);
  const [lo, hi] = end === undefined ? [0, start] : [start, end];
  for (const [name, v] of [["start", lo], ["end", hi], ["step", step]] as const) {
    if (typeof v !== "number") throw new TypeError(`arange: ${name} must be a number, got ${describeValue(v)}`);
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new RangeError(`arange: unsupported range ${lo} -> ${hi} (bounds must be finite)`);
  if (step === 0 || !Number.isFinite(step)) throw new RangeError(`arange: step must be nonzero and finite, got ${step}`);
  if ((hi - lo) / step < 0) throw new RangeError(`arange: upper bound ${hi} and lower bound ${lo} are inconsistent with step sign ${step}`);
  const n = Math.max(0, Math.ceil((hi - lo) / step));
  const allInt = Number.isInteger(lo) && Number.isInteger(hi) && Number.isInteger(step);
  const dtype = checkDType("arange", options.dtype ?? (allInt ? "int32" : "float32"));
  if (isIntegral(dtype) && n > 0) {
    for (const v of [lo, lo + (n - 1) * step]) {
      checkScalarFits("arange", v, dtype, ` (in the range ${lo} -> ${hi}; tsgrad has no int64: pass { dtype: "float64" })`);
    }
  }
  const data = allocate(dtype, n, "arange");
  for (let i = 0; i < n; i++) data[i] = lo + i * step;
  return finish(new Tensor(data, [n], dtype), options);
}

/**
 * `steps` evenly spaced values from `start` to `end`, both included: `start + i·step` with
 * `step = (end − start) / (steps − 1)`, the second half counted back from `end` so both ends are
 * exact; one step gives `start`. The values are PyTorch's bit for bit, in float32, float64 and
 * int32 (which truncates toward zero, as PyTorch's integer linspace does, so int32 values can step
 * unevenly); bool throws, as in PyTorch.
 *
 * @example
 * ```ts
 * linspace(0, 1, 5).toArray(); // [0, 0.25, 0.5, 0.75, 1]
 * linspace(5, -5, 6, { dtype: "int32" }).toArray(); // [5, 3, 1, -1, -3, -5]
 * ```
 * @group Creation
 */
export function linspace(start: number, end: number, steps: number, options: TensorOptions = {}): Tensor {
  options = creationOptions("linspace", options);
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`linspace: steps must be a non-negative integer, got ${steps}`);
  const dtype = checkDType("linspace", options.dtype ?? "float32");
  if (dtype === "bool") throw new TypeError("linspace: dtype bool is not supported (PyTorch: \"linspace_cpu\" not implemented for 'Bool'); use float32, float64 or int32");
  checkScalarFits("linspace", start, dtype, " (start)");
  checkScalarFits("linspace", end, dtype, " (end)");
  const data = allocate(dtype, steps);
  if (steps === 1) data[0] = isIntegral(dtype) ? Math.trunc(start) : start;
  else if (steps > 1) fillLinspace(data, start, end, steps, isIntegral(dtype) ? "int32" : dtype);
  return finish(new Tensor(data, [steps], dtype), options);
}

/**
 * The n×m identity matrix (m defaults to n).
 *
 * @example
 * ```ts
 * eye(2).toArray(); // [[1, 0], [0, 1]]
 * ```
 * @group Creation
 */
export function eye(n: number, m = n, options: TensorOptions = {}): Tensor {
  options = creationOptions("eye", options);
  const t = filled("eye", checkSizes("eye", sizeArgs("eye", [n, m])), 0, { dtype: options.dtype });
  for (let i = 0; i < Math.min(n, m); i++) t.data[i * m + i] = 1;
  return finish(t, options);
}
