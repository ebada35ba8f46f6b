/** The element types a {@link Tensor} can hold. `float32` is the default, as in PyTorch. @group Attributes */
export type DType = "float32" | "float64" | "int32" | "bool";

/** The typed arrays behind each {@link DType}. @group Attributes */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/**
 * Every dtype name, in promotion order (bool < int32 < float32 < float64).
 *
 * @example
 * ```ts
 * DTYPES.includes("float64"); // true
 * ```
 * @group Attributes
 */
export const DTYPES: readonly DType[] = ["bool", "int32", "float32", "float64"];

/** The constructor of each dtype's typed array. */
export const ARRAY_TYPES = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  bool: Uint8Array,
} as const;

const BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };

/**
 * Allocates a zero-filled typed array of `dtype` with `length` elements. When the runtime cannot
 * (too long for a typed array, or out of memory) it throws a RangeError that starts with `op` and
 * names the element count, instead of the engine's "Invalid typed array length".
 */
export function allocate(dtype: DType, length: number, op = "allocate"): TypedArray {
  try {
    return new ARRAY_TYPES[dtype](length);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const gib = ((length * BYTES[dtype]) / 2 ** 30).toPrecision(3);
    throw new RangeError(`${op}: cannot allocate ${length} elements of ${dtype} (${gib} GiB): more than this runtime can hold in one typed array or in memory`);
  }
}

/** The smallest int32. */
export const INT32_MIN = -(2 ** 31);
/** The largest int32. */
export const INT32_MAX = 2 ** 31 - 1;
/** The largest finite float32. */
const FLOAT32_MAX = 3.4028234663852886e38;

// True when `v` truncated toward zero is an int32 (NaN and ±Infinity are not).
function fitsInt32(v: number): boolean {
  return v > INT32_MIN - 1 && v < INT32_MAX + 1;
}

function overflowError(op: string, value: number, dtype: DType, where: string): RangeError {
  const range = dtype === "int32" ? `int32 holds ${INT32_MIN} to ${INT32_MAX}` : `float32 holds ±${FLOAT32_MAX}`;
  return new RangeError(`${op}: value ${value}${where} cannot be converted to ${dtype} without overflow (${range})`);
}

/**
 * Throws a RangeError naming `op` and `value` unless the number can be stored as `dtype` without
 * overflow, PyTorch's check for fill values: an int32 must be finite and within [−2³¹, 2³¹) after
 * truncation toward zero; a finite float32 must be within ±FLT_MAX (NaN and ±Infinity are fine).
 */
export function checkScalarFits(op: string, value: number, dtype: DType, where = ""): void {
  if (dtype === "int32" ? !fitsInt32(value) : dtype === "float32" && Number.isFinite(value) && Math.abs(value) > FLOAT32_MAX) {
    throw overflowError(op, value, dtype, where);
  }
}

/**
 * Throws a RangeError naming `op`, the value and its index unless every element of `values`
 * fits int32 (finite, within [−2³¹, 2³¹) after truncation): what `tensor(data, { dtype: "int32" })`
 * and float → int32 casts check, instead of wrapping around as typed arrays do.
 */
export function checkInt32Values(op: string, values: ArrayLike<number>, offset = 0, length = values.length - offset): void {
  for (let i = 0; i < length; i++) {
    const v = values[offset + i];
    if (!fitsInt32(v)) throw overflowError(op, v, "int32", ` at index ${i}`);
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
  if (data instanceof Uint8Array) return "bool";
  return undefined;
}

/**
 * PyTorch's type promotion for two tensors: the higher of the two in bool < int32 < float32 < float64.
 *
 * @example
 * ```ts
 * promoteTypes("int32", "float32"); // "float32"
 * ```
 * @group Attributes
 */
export function promoteTypes(a: DType, b: DType): DType {
  return DTYPES.indexOf(a) >= DTYPES.indexOf(b) ? a : b;
}

const category = (d: DType): number => (d === "bool" ? 0 : d === "int32" ? 1 : 2);

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
