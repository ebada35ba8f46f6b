/** The element types a {@link Tensor} can hold. `float32` is the default, as in PyTorch. */
export type DType = "float32" | "float64" | "int32" | "bool";

/** The typed arrays behind each {@link DType}. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/**
 * Every dtype name, in promotion order (bool < int32 < float32 < float64).
 *
 * @example
 * ```ts
 * DTYPES.includes("float64"); // true
 * ```
 */
export const DTYPES: readonly DType[] = ["bool", "int32", "float32", "float64"];

/** The constructor of each dtype's typed array. */
export const ARRAY_TYPES = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  bool: Uint8Array,
} as const;

/** Allocates a zero-filled typed array of `dtype` with `length` elements. */
export function allocate(dtype: DType, length: number): TypedArray {
  return new ARRAY_TYPES[dtype](length);
}

/**
 * True for float32 and float64: the dtypes that can carry gradients.
 *
 * @example
 * ```ts
 * isFloatingPoint("float32"); // true
 * isFloatingPoint("int32");   // false
 * ```
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
