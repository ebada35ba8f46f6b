/**
 * Saving and loading tensors and the plain data around them (state dicts of modules and
 * optimizers), like `torch.save` / `torch.load`. The file is JSON; each tensor's elements are
 * stored as base64 little-endian bytes, so values (NaN and ±Infinity included) round-trip exactly.
 *
 * The format, `{"format": "tsgrad", "version": V, "value": E}`, where E is one of
 * - a finite JSON number other than -0, a string, a boolean or null;
 * - an array of E, or an object of E whose keys do not start with `$`;
 * - `{"$tensor": {"dtype": ..., "shape": [...], "data": "<base64>"}}`;
 * - `{"$number": "NaN" | "Infinity" | "-Infinity" | "-0"}` for the numbers JSON cannot hold.
 *
 * Version 2 adds key escaping: a user key that starts with `$` is stored with one more `$` in
 * front (`$tensor` as `$$tensor`), so it cannot be mistaken for an encoded value. The writer
 * writes version 2 only when the data has such a key, so every other file stays readable by
 * readers of version 1 (which reject, rather than misread, the files they do not understand).
 *
 * Files are untrusted input: everything read is validated (shapes against the data's length
 * before anything is allocated, dtypes, base64, nesting depth), keys stay data (an object's
 * `__proto__` key is an own property, never its prototype), and every malformed input throws an
 * error that starts with the function called (`load:` or `deserialize:`) and names the path
 * inside the file, like `state.3.expAvg` or `paramGroups[0].betas`.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { Tensor } from "./tensor.js";
import { ARRAY_TYPES, DTYPES, type DType } from "./dtype.js";
import { fmtShape } from "./shape.js";
import { describeValue } from "./options.js";

/**
 * What {@link save} can store: tensors, numbers, strings, booleans, null, and arrays / plain
 * objects of them (checked when saving; the parameter is typed `unknown` so that interfaces such
 * as an optimizer's state dict pass without a cast).
 */
export type Savable = Tensor | number | string | boolean | null | Savable[] | { [key: string]: Savable };

const FORMAT = "tsgrad";
/** The version written when no key needs escaping (readable by every tsgrad). */
const PLAIN_VERSION = 1;
/** The version written when some key starting with `$` was escaped. */
const ESCAPED_VERSION = 2;
/**
 * How deeply arrays and objects may nest, on both sides: JSON.stringify recurses, and a few
 * thousand levels overflow the stack. State dicts nest a handful of levels.
 */
const MAX_DEPTH = 1000;
const BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };
const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const SPECIAL_NUMBERS: Readonly<Record<string, number>> = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity, "-0": -0 };
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

// ---------------------------------------------------------------- paths in messages

/** The path of `key` inside the value at `path`: `state.3.expAvg`, `paramGroups[0]`, `model["0.weight"]`. */
function childPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  if (/^[\w$]+$/.test(key)) return path === "" ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(clip(key, 40))}]`;
}

/** `path` for a message: "the top level" for the root, long paths elided in the middle. */
function at(path: string): string {
  if (path === "") return "the top level";
  return path.length <= 160 ? path : `${path.slice(0, 60)}…${path.slice(-80)}`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** A value found in a file, for a message (long strings and arrays cut short). */
function found(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(clip(value, 40));
  if (Array.isArray(value)) {
    const items = value.slice(0, 8).map((v: unknown) => (Array.isArray(v) ? describeValue(v) : found(v)));
    return `[${items.join(", ")}${value.length > 8 ? ", …" : ""}]`;
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return describeValue(value);
}

// ---------------------------------------------------------------- encoding

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

interface Encoder {
  op: string;
  /** The arrays and objects on the path being encoded, with their paths (to name a cycle). */
  ancestors: Map<object, string>;
  /** Whether some key was escaped (the file is then version 2). */
  escaped: boolean;
}

function encode(value: unknown, path: string, depth: number, enc: Encoder): unknown {
  if (value instanceof Tensor) {
    return { $tensor: { dtype: value.dtype, shape: [...value.shape], data: tensorBytes(value).toString("base64") } };
  }
  if (typeof value === "number") {
    if (Object.is(value, -0)) return { $number: "-0" };
    return Number.isFinite(value) ? value : { $number: String(value) };
  }
  if (value === null || value === undefined || typeof value === "string" || typeof value === "boolean") return value ?? null;
  const proto = typeof value === "object" ? Object.getPrototypeOf(value) : undefined;
  const isArray = Array.isArray(value);
  if (!isArray && proto !== Object.prototype && proto !== null) {
    const kind = typeof value === "object" ? describeValue(value).replace(/^an? /, "") : typeof value;
    throw new TypeError(`${enc.op}: cannot store ${kind} at ${at(path)}; only tensors, numbers, strings, booleans, null, arrays and plain objects`);
  }
  const object = value as object;
  const seenAt = enc.ancestors.get(object);
  if (seenAt !== undefined) {
    throw new TypeError(`${enc.op}: cyclic reference at ${at(path)} (it refers back to ${at(seenAt)}, which contains it)`);
  }
  if (depth >= MAX_DEPTH) throw new RangeError(`${enc.op}: arrays and objects nest deeper than ${MAX_DEPTH} levels at ${at(path)}`);
  if (!isArray && Object.getOwnPropertySymbols(object).length > 0) {
    throw new TypeError(`${enc.op}: cannot store the symbol keys of the object at ${at(path)}`);
  }
  enc.ancestors.set(object, path);
  let out: unknown;
  if (isArray) {
    out = Array.from(value as unknown[], (v, i) => encode(v, childPath(path, i), depth + 1, enc));
  } else {
    // Object.fromEntries defines own properties: a "__proto__" key stays a key.
    out = Object.fromEntries(
      Object.entries(object).map(([k, v]) => {
        const stored = k.startsWith("$") ? `$${k}` : k;
        if (stored !== k) enc.escaped = true;
        return [stored, encode(v, childPath(path, k), depth + 1, enc)];
      }),
    );
  }
  enc.ancestors.delete(object);
  return out;
}

function serializeAs(op: string, value: unknown): string {
  const enc: Encoder = { op, ancestors: new Map(), escaped: false };
  const encoded = encode(value, "", 0, enc);
  return JSON.stringify({ format: FORMAT, version: enc.escaped ? ESCAPED_VERSION : PLAIN_VERSION, value: encoded });
}

// ---------------------------------------------------------------- decoding

interface Decoder {
  op: string;
  /** Whether keys starting with `$$` are escaped user keys (version 2). */
  unescape: boolean;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The own property `key` of a parsed JSON object (never one inherited from Object.prototype). */
function own(object: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

/** Throws unless `object` has exactly the keys `expected`; `what` names the object in messages. */
function checkKeys(dec: Decoder, object: Record<string, unknown>, expected: readonly string[], what: string): void {
  for (const key of Object.keys(object)) {
    if (!expected.includes(key)) throw new TypeError(`${dec.op}: unexpected key ${found(key)} in ${what} (expected ${expected.join(", ")})`);
  }
  for (const key of expected) {
    if (!Object.hasOwn(object, key)) throw new TypeError(`${dec.op}: ${what} has no ${JSON.stringify(key)}`);
  }
}

/**
 * The size a tensor's shape gives, after checking every dim; only arithmetic, so a shape of
 * [1e9] costs nothing until its data's length has been checked.
 */
function checkedNumel(dec: Decoder, shape: unknown, path: string): { shape: number[]; numel: number } {
  if (!Array.isArray(shape)) throw new TypeError(`${dec.op}: the shape of the tensor at ${at(path)} must be an array, got ${found(shape)}`);
  let numel = 1;
  shape.forEach((size: unknown, d) => {
    if (typeof size !== "number") {
      throw new TypeError(`${dec.op}: invalid shape ${found(shape)} of the tensor at ${at(path)}: dim ${d} is ${found(size)}, not a number`);
    }
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new RangeError(`${dec.op}: invalid shape ${found(shape)} of the tensor at ${at(path)}: dim ${d} is ${size} (sizes must be non-negative integers)`);
    }
    numel *= size;
  });
  if (!Number.isSafeInteger(numel)) throw new RangeError(`${dec.op}: the shape ${found(shape)} of the tensor at ${at(path)} has too many elements`);
  return { shape: shape as number[], numel };
}

function decodeTensor(dec: Decoder, spec: unknown, path: string): Tensor {
  const what = `the tensor at ${at(path)}`;
  if (!isPlainRecord(spec)) throw new TypeError(`${dec.op}: malformed tensor at ${at(path)}: "$tensor" must be an object with dtype, shape and data, got ${found(spec)}`);
  checkKeys(dec, spec, ["dtype", "shape", "data"], what);
  const dtype = own(spec, "dtype");
  if (typeof dtype !== "string" || !(DTYPES as readonly string[]).includes(dtype)) {
    throw new TypeError(`${dec.op}: unknown dtype ${found(dtype)} of ${what} (expected one of ${DTYPES.join(", ")})`);
  }
  const width = BYTES[dtype as DType];
  const { shape, numel } = checkedNumel(dec, own(spec, "shape"), path);
  const data = own(spec, "data");
  if (typeof data !== "string") throw new TypeError(`${dec.op}: the data of ${what} must be a base64 string, got ${found(data)}`);
  if (data.length % 4 !== 0) throw new TypeError(`${dec.op}: the data of ${what} is not valid base64 (its length ${data.length} is not a multiple of 4)`);
  // The byte count the base64 text holds, checked against the shape before decoding anything.
  const padding = data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
  const held = (data.length / 4) * 3 - padding;
  const needed = numel * width;
  if (held !== needed) {
    throw new RangeError(`${dec.op}: ${what} of shape ${fmtShape(shape)} and dtype ${dtype} needs ${needed} bytes, the file holds ${held}`);
  }
  if (!BASE64.test(data)) throw new TypeError(`${dec.op}: the data of ${what} is not valid base64`);
  // A copy into a fresh, aligned buffer (base64 decoding may hand back a slice of a shared pool).
  const bytes = new Uint8Array(needed);
  bytes.set(Buffer.from(data, "base64"));
  toLittleEndian(Buffer.from(bytes.buffer), width);
  if (dtype === "bool") {
    const bad = bytes.findIndex((b) => b > 1);
    if (bad >= 0) throw new RangeError(`${dec.op}: element ${bad} of the bool tensor at ${at(path)} is ${bytes[bad]} (bool elements are 0 or 1)`);
  }
  return new Tensor(new ARRAY_TYPES[dtype as DType](bytes.buffer), shape, dtype as DType);
}

function decodeNumber(dec: Decoder, spec: unknown, path: string): number {
  if (typeof spec !== "string" || !Object.hasOwn(SPECIAL_NUMBERS, spec)) {
    throw new TypeError(`${dec.op}: malformed number at ${at(path)}: "$number" must be one of ${Object.keys(SPECIAL_NUMBERS).join(", ")}, got ${found(spec)}`);
  }
  return SPECIAL_NUMBERS[spec];
}

/** Whether a key of a parsed object marks an encoded value rather than user data. */
function isMarker(dec: Decoder, key: string): boolean {
  return dec.unescape ? key.startsWith("$") && !key.startsWith("$$") : key === "$tensor" || key === "$number";
}

function decode(dec: Decoder, value: unknown, path: string, depth: number): Savable {
  if (typeof value === "number" && !Number.isFinite(value)) {
    // A literal like 1e400 parses as Infinity; the writer stores non-finite numbers as "$number".
    throw new RangeError(`${dec.op}: the number at ${at(path)} is out of range (${value} once parsed)`);
  }
  if (value === null || typeof value !== "object") return value as Savable;
  if (depth >= MAX_DEPTH) throw new RangeError(`${dec.op}: arrays and objects nest deeper than ${MAX_DEPTH} levels at ${at(path)}`);
  if (Array.isArray(value)) return value.map((v, i) => decode(dec, v, childPath(path, i), depth + 1));
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  const marker = keys.find((k) => isMarker(dec, k));
  if (marker !== undefined) {
    if (keys.length !== 1) {
      throw new TypeError(`${dec.op}: malformed encoded value at ${at(path)}: ${JSON.stringify(clip(marker, 40))} must be its object's only key, found ${keys.length} keys`);
    }
    if (marker === "$tensor") return decodeTensor(dec, object[marker], path);
    if (marker === "$number") return decodeNumber(dec, object[marker], path);
    throw new TypeError(`${dec.op}: unknown encoded value ${found(marker)} at ${at(path)} (expected "$tensor" or "$number")`);
  }
  // Object.fromEntries defines own properties: a "__proto__" key stays a key.
  return Object.fromEntries(
    keys.map((k) => {
      const key = dec.unescape && k.startsWith("$$") ? k.slice(1) : k;
      return [key, decode(dec, object[k], childPath(path, key), depth + 1)];
    }),
  );
}

function deserializeAs(op: string, text: unknown): unknown {
  if (typeof text !== "string") throw new TypeError(`${op}: expected the text of a tsgrad file (a string), got ${describeValue(text)}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new TypeError(`${op}: not a tsgrad file (invalid JSON: ${(e as Error).message}); was it truncated?`);
  }
  if (!isPlainRecord(parsed) || own(parsed, "format") !== FORMAT) {
    const format = isPlainRecord(parsed) ? own(parsed, "format") : undefined;
    const got = format === undefined ? "" : `; its format is ${found(format)}`;
    throw new TypeError(`${op}: not a tsgrad file (no "format": "tsgrad" header${got})`);
  }
  const version = own(parsed, "version");
  if (version !== PLAIN_VERSION && version !== ESCAPED_VERSION) {
    throw new RangeError(`${op}: file format version ${found(version)} is not supported (this tsgrad reads versions ${PLAIN_VERSION} and ${ESCAPED_VERSION})`);
  }
  const dec: Decoder = { op, unescape: version === ESCAPED_VERSION };
  checkKeys(dec, parsed, ["format", "version", "value"], "the file header");
  return decode(dec, parsed.value, "", 0);
}

// ---------------------------------------------------------------- public API

/**
 * `value` as a JSON string that {@link deserialize} turns back into equal tensors and data (the
 * same format as {@link save}). Errors start with `serialize:` and name the path of the value at
 * fault: something that is not {@link Savable}, a cycle, or nesting deeper than 1000 levels.
 *
 * @example
 * ```ts
 * const text = serialize({ step: 3, w: tensor([1, 2]) }); // a JSON string
 * ```
 */
export function serialize(value: unknown): string {
  return serializeAs("serialize", value);
}

/**
 * The tensors and data of a {@link serialize}d string, as fresh tensors (cast it to what was
 * saved). The text is validated as {@link load} validates a file; errors start with
 * `deserialize:`.
 *
 * @example
 * ```ts
 * const copy = deserialize(serialize({ w: tensor([1, 2]) })) as { w: Tensor };
 * ```
 */
export function deserialize(text: string): unknown {
  return deserializeAs("deserialize", text);
}

/**
 * Writes tensors and the plain data around them to `path`, like `torch.save`: a module's or an
 * optimizer's `stateDict()`, a tensor, or any nesting of arrays and plain objects of tensors,
 * numbers (-0, NaN and ±Infinity included), strings, booleans and null (`undefined` is saved as
 * null). Tensors are saved as contiguous copies with their dtype. Keys are saved as they are,
 * `__proto__` and keys starting with `$` included. Shared sub-objects are saved once per
 * reference; a cycle throws, naming where it closes.
 *
 * @example
 * ```ts
 * const model = new nn.Linear(2, 1);
 * const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 });
 * save(model.stateDict(), "model.json");
 * model.loadStateDict(load("model.json") as Record<string, Tensor>);
 * save(optimizer.stateDict(), "optimizer.json");
 * ```
 */
export function save(value: unknown, path: string): void {
  const text = serializeAs("save", value);
  try {
    writeFileSync(path, text);
  } catch (e) {
    throw new Error(`save: cannot write ${JSON.stringify(path)}: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Reads what {@link save} wrote to `path`: the same structure (a {@link Savable}), with fresh
 * tensors. Like `torch.load`; cast the result to the type you saved.
 *
 * The file is treated as untrusted: a malformed, truncated or malicious file throws an error that
 * starts with `load:` and names the path inside the file (`state.3.expAvg`); a tensor's shape is
 * checked against the length of its data before anything is allocated; keys such as `__proto__`
 * load as plain data (own properties of ordinary objects), never as prototypes.
 *
 * @example
 * ```ts
 * const model = new nn.Linear(2, 1);
 * save(model.stateDict(), "model.json");
 * const copy = new nn.Linear(2, 1);
 * copy.loadStateDict(load("model.json") as Record<string, Tensor>);
 * copy.weight.allclose(model.weight); // → true
 * ```
 */
export function load(path: string): unknown {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(readFileSync(path));
  } catch (e) {
    throw new Error(`load: cannot read ${JSON.stringify(path)}: ${(e as Error).message}`, { cause: e });
  }
  return deserializeAs("load", text);
}
