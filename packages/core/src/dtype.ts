import { takeRecycled } from "./autograd/recycle.js";

// Node's Buffer.allocUnsafeSlow, a fresh ArrayBuffer of its own whose bytes are not zeroed, reached
// as the thread pool reaches worker_threads (no Buffer global in the bundle); absent in a browser.
type NodeBufferModule = { Buffer?: { allocUnsafeSlow?: (size: number) => { buffer: ArrayBuffer } } };
const nodeBuffer = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process?.getBuiltinModule?.("node:buffer") as NodeBufferModule | undefined;
const allocUnsafeSlow = nodeBuffer?.Buffer?.allocUnsafeSlow;

/**
 * The element types a {@link Tensor} can hold. `float32` is the default, as in PyTorch.
 *
 * There is no int64: JavaScript's typed arrays stop at 32-bit integers for numbers (a
 * BigInt64Array holds BigInts, which every kernel would have to convert, at a large cost), and
 * int32 covers indices up to 2³¹ − 1. So int32 stands in for PyTorch's int64 wherever PyTorch
 * would give int64: integer sums, argmax, Python ints in type promotion. `uint8`, `int8` and
 * `int16` are stored in Uint8Array, Int8Array and Int16Array and wrap around on overflow, as in
 * PyTorch; `bool` is a Uint8Array of 0 and 1, distinct from `uint8`.
 * @group Attributes
 */
export type DType = "float32" | "float64" | "int32" | "int16" | "int8" | "uint8" | "bool";

/** The typed arrays behind each {@link DType}. @group Attributes */
export type TypedArray = Float32Array | Float64Array | Int32Array | Int16Array | Int8Array | Uint8Array;

/**
 * Every dtype name: bool, the integers by width, the floats.
 *
 * @example
 * ```ts
 * DTYPES.includes("uint8"); // true
 * ```
 * @group Attributes
 */
export const DTYPES: readonly DType[] = ["bool", "uint8", "int8", "int16", "int32", "float32", "float64"];

/** The constructor of each dtype's typed array. */
export const ARRAY_TYPES = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  int16: Int16Array,
  int8: Int8Array,
  uint8: Uint8Array,
  bool: Uint8Array,
} as const;

/** The bytes per element of each dtype. */
export const BYTES_PER_ELEMENT: Readonly<Record<DType, number>> = { float32: 4, float64: 8, int32: 4, int16: 2, int8: 1, uint8: 1, bool: 1 };
const BYTES = BYTES_PER_ELEMENT;

/**
 * Allocates a zero-filled typed array of `dtype` with `length` elements: a fresh one, or one a
 * backward pass has provably finished with (autograd/recycle.ts). When the runtime cannot
 * (too long for a typed array, or out of memory) it throws a RangeError that starts with `op` and
 * names the element count, instead of the engine's "Invalid typed array length".
 */
export function allocate(dtype: DType, length: number, op = "allocate"): TypedArray {
  const ctor = ARRAY_TYPES[dtype];
  const recycled = takeRecycled(ctor, length, true);
  if (recycled !== undefined) return recycled;
  try {
    return new ctor(length);
  } catch (e) {
    throw tooLarge(e, dtype, length, op);
  }
}

// Below this many bytes a zeroed array costs no more than an unzeroed one.
const UNINITIALIZED_MIN_BYTES = 1024;
let poisonUninitialized = false;

/**
 * Allocates a typed array of `dtype` with `length` elements whose contents are unspecified, for a
 * kernel that writes every element before anything reads one (what `torch.empty` gives PyTorch's
 * kernels). In Node a large one skips the zero fill (`Buffer.allocUnsafeSlow`): a fresh 2.4 MB
 * float32 output written once measured 0.80 ms a call against 2.0–2.8 ms zeroed, in a loop making
 * one per call, as a training step does. Elsewhere, or below 1 KiB, it is {@link allocate}.
 * A kernel that leaves an element unwritten would hand out stale memory; the tests run with
 * {@link setPoisonUninitializedForTesting} on, so such an element reads NaN (or 0x5A) and fails.
 */
export function allocateUninitialized(dtype: DType, length: number, op = "allocate"): TypedArray {
  const ctor = ARRAY_TYPES[dtype];
  const bytes = length * BYTES[dtype];
  let data: TypedArray | undefined = takeRecycled(ctor, length, false);
  if (data === undefined) {
    try {
      data = allocUnsafeSlow === undefined || bytes < UNINITIALIZED_MIN_BYTES ? new ctor(length) : new ctor(allocUnsafeSlow(bytes).buffer, 0, length);
    } catch (e) {
      throw tooLarge(e, dtype, length, op);
    }
  }
  if (poisonUninitialized) {
    if (dtype === "float32" || dtype === "float64") data.fill(NaN);
    else new Uint8Array(data.buffer, data.byteOffset, data.byteLength).fill(0x5a);
  }
  return data;
}

/**
 * Testing: makes {@link allocateUninitialized} fill what it returns with NaN (floats) or the byte
 * 0x5A (integers and bool, which makes a bool neither 0 nor 1), so a kernel that leaves an element
 * unwritten fails its test instead of passing on zeros. The test suite turns it on for every test.
 * @internal
 */
export function setPoisonUninitializedForTesting(on: boolean): void {
  poisonUninitialized = on;
}

// The engine's "Invalid typed array length" (or out of memory), as an error naming the op and the size.
function tooLarge(e: unknown, dtype: DType, length: number, op: string): unknown {
  if (!(e instanceof RangeError)) return e;
  const gib = ((length * BYTES[dtype]) / 2 ** 30).toPrecision(3);
  return new RangeError(`${op}: cannot allocate ${length} elements of ${dtype} (${gib} GiB): more than this runtime can hold in one typed array or in memory`);
}

/** The smallest int32. */
export const INT32_MIN = -(2 ** 31);
/** The largest int32. */
export const INT32_MAX = 2 ** 31 - 1;
/** The largest finite float32. */
const FLOAT32_MAX = 3.4028234663852886e38;

/** The range of each integer dtype: [lowest, highest]. */
export const INTEGER_RANGES: Readonly<Record<"int32" | "int16" | "int8" | "uint8", readonly [number, number]>> = {
  int32: [INT32_MIN, INT32_MAX], int16: [-32768, 32767], int8: [-128, 127], uint8: [0, 255],
};

/** True for the integer dtypes (not bool): uint8, int8, int16 and int32. */
export function isIntegral(dtype: DType): dtype is "int32" | "int16" | "int8" | "uint8" {
  return dtype === "int32" || dtype === "int16" || dtype === "int8" || dtype === "uint8";
}

// True when `v` truncated toward zero fits `dtype`'s range (NaN and ±Infinity never do).
function fitsInteger(v: number, dtype: "int32" | "int16" | "int8" | "uint8"): boolean {
  const [lo, hi] = INTEGER_RANGES[dtype];
  return v > lo - 1 && v < hi + 1;
}
const fitsInt32 = (v: number): boolean => fitsInteger(v, "int32");

function overflowError(op: string, value: number, dtype: DType, where: string): RangeError {
  const range = isIntegral(dtype) ? `${dtype} holds ${INTEGER_RANGES[dtype][0]} to ${INTEGER_RANGES[dtype][1]}` : `float32 holds ±${FLOAT32_MAX}`;
  return new RangeError(`${op}: value ${value}${where} cannot be converted to ${dtype} without overflow (${range})`);
}

/**
 * Throws a RangeError naming `op` and `value` unless the number can be stored as `dtype` without
 * overflow, PyTorch's check for fill values: an int32 must be finite and within [−2³¹, 2³¹) after
 * truncation toward zero; a finite float32 must be within ±FLT_MAX (NaN and ±Infinity are fine).
 */
export function checkScalarFits(op: string, value: number, dtype: DType, where = ""): void {
  if (isIntegral(dtype) ? !fitsInteger(value, dtype) : dtype === "float32" && Number.isFinite(value) && Math.abs(value) > FLOAT32_MAX) {
    throw overflowError(op, value, dtype, where);
  }
}

/**
 * Throws a RangeError naming `op`, the value and its index unless every element of `values`
 * fits int32 (finite, within [−2³¹, 2³¹) after truncation): what `tensor(data, { dtype: "int32" })`
 * and float → int32 casts check, instead of wrapping around as typed arrays do.
 */
export function checkInt32Values(op: string, values: ArrayLike<number>, offset = 0, length = values.length - offset): void {
  checkIntegerValues(op, values, "int32", offset, length);
}

/**
 * Throws a RangeError naming `op`, the value and its index unless every element of `values`
 * fits the integer `dtype` after truncation toward zero, as PyTorch checks `tensor(data, dtype=)`.
 */
export function checkIntegerValues(op: string, values: ArrayLike<number>, dtype: "int32" | "int16" | "int8" | "uint8", offset = 0, length = values.length - offset): void {
  for (let i = 0; i < length; i++) {
    const v = values[offset + i];
    if (!fitsInteger(v, dtype)) throw overflowError(op, v, dtype, ` at index ${i}`);
  }
}

/**
 * True for float32 and float64: the dtypes that can carry gradients.
 *
 * @example
 * ```ts
 * isFloatingPoint("float32"); // true
 * isFloatingPoint("int32");   // false
 * ```
 * @group Attributes
 */
export function isFloatingPoint(dtype: DType): boolean {
  return dtype === "float32" || dtype === "float64";
}

/** The dtype of a typed array, or undefined for other array types. */
export function dtypeOfArray(data: unknown): DType | undefined {
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Float64Array) return "float64";
  if (data instanceof Int32Array) return "int32";
  if (data instanceof Int16Array) return "int16";
  if (data instanceof Int8Array) return "int8";
  if (data instanceof Uint8Array) return "bool";
  return undefined;
}

// PyTorch's promotion table (c10's promoteTypes) over tsgrad's dtypes, row and column in DTYPES
// order: bool, uint8, int8, int16, int32, float32, float64. uint8 with a signed type needs the
// next wider signed type (uint8 + int8 → int16), the one place promotion is not "the larger".
const PROMOTION: readonly (readonly DType[])[] = [
  /* bool    */ ["bool", "uint8", "int8", "int16", "int32", "float32", "float64"],
  /* uint8   */ ["uint8", "uint8", "int16", "int16", "int32", "float32", "float64"],
  /* int8    */ ["int8", "int16", "int8", "int16", "int32", "float32", "float64"],
  /* int16   */ ["int16", "int16", "int16", "int16", "int32", "float32", "float64"],
  /* int32   */ ["int32", "int32", "int32", "int32", "int32", "float32", "float64"],
  /* float32 */ ["float32", "float32", "float32", "float32", "float32", "float32", "float64"],
  /* float64 */ ["float64", "float64", "float64", "float64", "float64", "float64", "float64"],
];

/**
 * PyTorch's type promotion for two tensors (`torch.promote_types`): bool < integers < float32 <
 * float64, integers by width, and uint8 with int8 gives int16.
 *
 * @example
 * ```ts
 * promoteTypes("int32", "float32"); // "float32"
 * promoteTypes("uint8", "int8");    // "int16"
 * ```
 * @group Attributes
 */
export function promoteTypes(a: DType, b: DType): DType {
  return PROMOTION[DTYPES.indexOf(a)][DTYPES.indexOf(b)];
}

const category = (d: DType): number => (d === "bool" ? 0 : isFloatingPoint(d) ? 2 : 1);

/**
 * PyTorch's promotion between two tensors of which one may be 0-d: a 0-d tensor only decides the
 * result when it is of a higher category (bool < integer < float) than a tensor with dims, so
 * `float32[2] * float64 0-d` stays float32 but `int32[2] * float64 0-d` is float64.
 */
export function promoteTensorTypes(a: DType, aIsZeroDim: boolean, b: DType, bIsZeroDim: boolean): DType {
  if (aIsZeroDim === bIsZeroDim) return promoteTypes(a, b);
  const [dimmed, zeroDim] = aIsZeroDim ? [b, a] : [a, b];
  return category(zeroDim) > category(dimmed) ? zeroDim : dimmed;
}

/**
 * The result dtype of `tensor op scalar`, following PyTorch: a scalar never raises a tensor's
 * float precision, but a non-integer scalar makes an integer tensor float32, and an integer
 * scalar makes a bool tensor int32.
 */
export function promoteWithScalar(dtype: DType, scalar: number): DType {
  if (isFloatingPoint(dtype)) return dtype;
  if (!Number.isInteger(scalar)) return "float32";
  return dtype === "bool" ? "int32" : dtype;
}

/** Throws a TypeError unless `dtype` is one of tsgrad's dtypes. */
export function checkDType(op: string, dtype: unknown): DType {
  if (typeof dtype === "string" && (DTYPES as readonly string[]).includes(dtype)) return dtype as DType;
  throw new TypeError(`${op}: unknown dtype ${JSON.stringify(dtype)} (expected one of ${DTYPES.join(", ")})`);
}
