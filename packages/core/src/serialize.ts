/**
 * Saving and loading tensors and the plain data around them (state dicts of modules and
 * optimizers), like `torch.save` / `torch.load`. The file is JSON; each tensor's elements are
 * stored as base64 little-endian bytes, so values (NaN and ±Infinity included) round-trip exactly.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { Tensor } from "./tensor.js";
import { ARRAY_TYPES, checkDType, type DType } from "./dtype.js";
import { fmtShape, numelOf } from "./shape.js";

/**
 * What {@link save} can store: tensors, numbers, strings, booleans, null, and arrays / plain
 * objects of them (checked when saving; the parameter is typed `unknown` so that interfaces such
 * as an optimizer's state dict pass without a cast).
 */
export type Savable = Tensor | number | string | boolean | null | Savable[] | { [key: string]: Savable };

const FORMAT = "tsgrad";
const VERSION = 1;
const BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };
const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

// Files hold little-endian bytes whatever the machine, so they move between machines; the swap
// is its own inverse, so saving and loading share it.
function toLittleEndian(bytes: Buffer, width: number): Buffer {
  if (littleEndian || width === 1) return bytes;
  return width === 8 ? bytes.swap64() : bytes.swap32();
}

function tensorBytes(t: Tensor): Buffer {
  const flat = t.dataSync();
  return toLittleEndian(Buffer.from(flat.buffer, flat.byteOffset, flat.byteLength), BYTES[t.dtype]);
}

function encode(value: unknown, path: string): unknown {
  if (value instanceof Tensor) {
    return { $tensor: { dtype: value.dtype, shape: value.shape, data: tensorBytes(value).toString("base64") } };
  }
  if (typeof value === "number") return Number.isFinite(value) ? value : { $number: String(value) };
  if (value === null || value === undefined || typeof value === "string" || typeof value === "boolean") return value ?? null;
  if (Array.isArray(value)) return value.map((v, i) => encode(v, `${path}[${i}]`));
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v, `${path}.${k}`)]));
  }
  const kind = typeof value === "object" ? (value as object).constructor?.name ?? "object" : typeof value;
  throw new TypeError(`save: cannot store ${kind} at ${path || "the top level"}; only tensors, numbers, strings, booleans, null, arrays and plain objects`);
}

function decodeTensor(spec: { dtype: unknown; shape: unknown; data: unknown }, path: string): Tensor {
  const dtype = checkDType("load", spec.dtype);
  if (!Array.isArray(spec.shape) || typeof spec.data !== "string") throw new TypeError(`load: malformed tensor at ${path}`);
  const shape = spec.shape as number[];
  const bytes = Buffer.from(spec.data, "base64");
  const n = numelOf(shape);
  if (bytes.length !== n * BYTES[dtype]) {
    throw new RangeError(`load: tensor at ${path} of shape ${fmtShape(shape)} and dtype ${dtype} needs ${n * BYTES[dtype]} bytes, found ${bytes.length}`);
  }
  // A copy into a fresh, aligned buffer (base64 decoding may hand back a slice of a shared pool).
  const own = Uint8Array.from(bytes);
  toLittleEndian(Buffer.from(own.buffer), BYTES[dtype]);
  return new Tensor(new ARRAY_TYPES[dtype](own.buffer), shape, dtype);
}

function decode(value: unknown, path: string): Savable {
  if (Array.isArray(value)) return value.map((v, i) => decode(v, `${path}[${i}]`));
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if ("$tensor" in obj) return decodeTensor(obj.$tensor as { dtype: unknown; shape: unknown; data: unknown }, path || "the top level");
    if ("$number" in obj) return Number(obj.$number);
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, decode(v, `${path}.${k}`)]));
  }
  return value as Savable;
}

/**
 * `value` as a JSON string that {@link deserialize} turns back into equal tensors and data.
 *
 * @example
 * ```ts
 * const text = serialize({ step: 3, w: tensor([1, 2]) }); // a JSON string
 * ```
 */
export function serialize(value: unknown): string {
  return JSON.stringify({ format: FORMAT, version: VERSION, value: encode(value, "") });
}

/**
 * The tensors and data of a {@link serialize}d string, as fresh tensors (cast it to what was saved).
 *
 * @example
 * ```ts
 * const copy = deserialize(serialize({ w: tensor([1, 2]) })) as { w: Tensor };
 * ```
 */
export function deserialize(text: string): unknown {
  let parsed: { format?: unknown; version?: unknown; value?: unknown };
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new TypeError(`load: not a tsgrad file (invalid JSON: ${(e as Error).message})`);
  }
  if (parsed?.format !== FORMAT) throw new TypeError("load: not a tsgrad file (no \"format\": \"tsgrad\" header)");
  if (parsed.version !== VERSION) throw new RangeError(`load: file format version ${String(parsed.version)} is not supported (this tsgrad reads version ${VERSION})`);
  return decode(parsed.value, "");
}

/**
 * Writes tensors and the plain data around them to `path`, like `torch.save`: a module's or an
 * optimizer's `stateDict()`, a tensor, or any nesting of arrays and plain objects of tensors,
 * numbers, strings, booleans and null. Tensors are saved as contiguous copies with their dtype.
 *
 * @example
 * ```ts
 * save(model.stateDict(), "model.json");
 * model.loadStateDict(load("model.json") as Record<string, Tensor>);
 * save(optimizer.stateDict(), "optimizer.json");
 * ```
 */
export function save(value: unknown, path: string): void {
  writeFileSync(path, serialize(value));
}

/**
 * Reads what {@link save} wrote to `path`: the same structure (a {@link Savable}), with fresh
 * tensors. Like `torch.load`; cast the result to the type you saved.
 *
 * @example
 * ```ts
 * save(model.stateDict(), "model.json");
 * model.loadStateDict(load("model.json") as Record<string, Tensor>);
 * ```
 */
export function load(path: string): unknown {
  return deserialize(readFileSync(path, "utf8"));
}
