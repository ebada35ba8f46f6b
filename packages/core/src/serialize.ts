/**
 * Saving and loading tensors and the plain data around them (state dicts of modules and
 * optimizers), like `torch.save` / `torch.load`, as bytes: {@link serialize} / {@link deserialize}
 * work on `Uint8Array` in every runtime (Node, browsers, Web Workers); the file forms `save` /
 * `load` live in the Node-only entry (`@tsgrad/core/node`, node.ts), the browser forms
 * (IndexedDB, a download) in browser.ts. The bytes are UTF-8 JSON; each tensor's elements are
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
import { Tensor } from "./tensor.js";
import { ARRAY_TYPES, BYTES_PER_ELEMENT, DTYPES, type DType } from "./dtype.js";
import { fmtShape } from "./shape.js";
import { describeValue } from "./options.js";

/**
 * What {@link serialize} (and the Node entry's `save`) can store: tensors, numbers, strings,
 * booleans, null, and arrays / plain objects of them (checked when saving; the parameter is typed `unknown` so that interfaces such
 * as an optimizer's state dict pass without a cast).
 * @group Serialization
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
const BYTES = BYTES_PER_ELEMENT;
const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const SPECIAL_NUMBERS: Readonly<Record<string, number>> = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity, "-0": -0 };

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
// is its own inverse, so saving and loading share it. In place.
export function toLittleEndian(bytes: Uint8Array, width: number): Uint8Array {
  if (littleEndian || width === 1) return bytes;
  for (let i = 0; i < bytes.length; i += width) {
    for (let a = i, b = i + width - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
  return bytes;
}

/** A tensor's elements as little-endian row-major bytes: a view of its storage when it is contiguous (read only), else a copy. */
export function tensorBytes(t: Tensor): Uint8Array {
  const width = BYTES[t.dtype];
  if (littleEndian && t.isContiguous()) {
    // The storage's own bytes, read without a copy (encoding only reads them).
    return new Uint8Array(t.data.buffer, t.data.byteOffset + t.offset * width, t.numel() * width);
  }
  const flat = t.dataSync(); // a fresh copy, so swapping it in place is safe
  return toLittleEndian(new Uint8Array(flat.buffer, flat.byteOffset, flat.byteLength), width);
}

// Base64 by hand (no Buffer, no atob on binary strings): RFC 4648's alphabet, with padding.
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const ENCODE = new Uint8Array(64).map((_, i) => ALPHABET.charCodeAt(i));
const DECODE = new Uint8Array(128).fill(255);
for (let i = 0; i < 64; i++) DECODE[ALPHABET.charCodeAt(i)] = i;
const PAD = 61; // "="

/** Input bytes per chunk of {@link encodeBase64} (a multiple of 3, so only the last chunk pads). */
const CHUNK = 3 << 14;
const decoder = new TextDecoder();

/** `bytes` as base64 text, encoded in chunks so a large tensor leaves no large scratch buffer. */
export function encodeBase64(bytes: Uint8Array): string {
  if (bytes.length <= CHUNK) return encodeChunk(bytes);
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += CHUNK) parts.push(encodeChunk(bytes.subarray(i, i + CHUNK)));
  return parts.join("");
}

function encodeChunk(bytes: Uint8Array): string {
  const n = bytes.length;
  const out = new Uint8Array(Math.ceil(n / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = ENCODE[v >> 18];
    out[o++] = ENCODE[(v >> 12) & 63];
    out[o++] = ENCODE[(v >> 6) & 63];
    out[o++] = ENCODE[v & 63];
  }
  if (i < n) {
    const v = (bytes[i] << 16) | (i + 1 < n ? bytes[i + 1] << 8 : 0);
    out[o++] = ENCODE[v >> 18];
    out[o++] = ENCODE[(v >> 12) & 63];
    out[o++] = i + 1 < n ? ENCODE[(v >> 6) & 63] : PAD;
    out[o++] = PAD;
  }
  return decoder.decode(out); // ASCII, so UTF-8 decoding is the identity
}

/**
 * Decodes base64 `text` into `out` (whose length is the byte count the text holds, checked by
 * the caller); false when a character is outside the alphabet or padding is misplaced.
 */
export function decodeBase64(text: string, out: Uint8Array): boolean {
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const end = text.length - padding;
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? DECODE[c] : 255;
    if (v === 255) return false;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 255;
    }
  }
  return o === out.length;
}

/**
 * How tensors are written and read when they are stored outside the JSON (a checkpoint keeps them
 * as safetensors records): `write` returns what stands for the tensor at `path` in the JSON,
 * `read` the tensor such a reference names (validating it).
 */
export interface TensorStore {
  write(t: Tensor, path: string): unknown;
  read(reference: unknown, path: string): Tensor;
}

interface Encoder {
  op: string;
  store?: TensorStore;
  /** The arrays and objects on the path being encoded, with their paths (to name a cycle). */
  ancestors: Map<object, string>;
  /** Whether some key was escaped (the file is then version 2). */
  escaped: boolean;
}

function encode(value: unknown, path: string, depth: number, enc: Encoder): unknown {
  if (value instanceof Tensor) {
    if (enc.store !== undefined) return { $tensor: enc.store.write(value, path) };
    return { $tensor: { dtype: value.dtype, shape: [...value.shape], data: encodeBase64(tensorBytes(value)) } };
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

export function serializeAs(op: string, value: unknown, store?: TensorStore): string {
  const enc: Encoder = { op, ancestors: new Map(), escaped: false, store };
  const encoded = encode(value, "", 0, enc);
  return JSON.stringify({ format: FORMAT, version: enc.escaped ? ESCAPED_VERSION : PLAIN_VERSION, value: encoded });
}

// ---------------------------------------------------------------- decoding

interface Decoder {
  op: string;
  store?: TensorStore;
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

/**
 * A tensor's base64 data that a streaming reader (serialize-stream.ts) decoded while reading the
 * file, instead of keeping its text: what {@link decodeTensor} needs to check it as it checks a
 * string (its length, its padding, whether every character was valid) and the bytes, decoded into
 * the buffer the tensor will own (null when the reader did not allocate them: the data cannot be
 * what the shape needs, so the checks throw before the bytes are wanted).
 */
export class DecodedBase64 {
  constructor(
    /** How many characters the text had. */
    readonly length: number,
    /** How many `=` ended it. */
    readonly padding: number,
    /** Whether every character was in the alphabet and `=` only ended it. */
    readonly valid: boolean,
    readonly bytes: Uint8Array<ArrayBuffer> | null,
  ) {}
}

/** The data a `$tensor` holds: base64 text, or text a streaming reader already decoded. */
function base64Data(dec: Decoder, data: unknown, what: string, needed: number): { length: number; held: number; decode(): Uint8Array<ArrayBuffer> | null } {
  if (data instanceof DecodedBase64) {
    return {
      length: data.length,
      held: (data.length / 4) * 3 - data.padding,
      decode: () => {
        if (data.valid && data.bytes?.length !== needed) {
          throw new TypeError(`${dec.op}: malformed tensor: the dtype or shape of ${what} changed after its data (a repeated key)`);
        }
        return data.valid ? data.bytes : null;
      },
    };
  }
  if (typeof data !== "string") throw new TypeError(`${dec.op}: the data of ${what} must be a base64 string, got ${found(data)}`);
  const padding = data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
  return {
    length: data.length,
    held: (data.length / 4) * 3 - padding,
    decode: () => {
      // Decoded into a fresh, aligned buffer that the tensor then owns.
      const bytes = new Uint8Array(needed);
      return decodeBase64(data, bytes) ? bytes : null;
    },
  };
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
  const needed = numel * width;
  const data = base64Data(dec, own(spec, "data"), what, needed);
  if (data.length % 4 !== 0) throw new TypeError(`${dec.op}: the data of ${what} is not valid base64 (its length ${data.length} is not a multiple of 4)`);
  // The byte count the base64 text holds, checked against the shape before decoding anything.
  if (data.held !== needed) {
    throw new RangeError(`${dec.op}: ${what} of shape ${fmtShape(shape)} and dtype ${dtype} needs ${needed} bytes, the file holds ${data.held}`);
  }
  const bytes = data.decode();
  if (bytes === null) throw new TypeError(`${dec.op}: the data of ${what} is not valid base64`);
  toLittleEndian(bytes, width);
  if (dtype === "bool") {
    const bad = bytes.findIndex((b) => b > 1);
    if (bad >= 0) throw new RangeError(`${dec.op}: element ${bad} of the bool tensor at ${at(path)} is ${bytes[bad]} (bool elements are 0 or 1)`);
  }
  return new Tensor(new ARRAY_TYPES[dtype as DType](bytes.buffer), shape, dtype as DType);
}

/**
 * The bytes a `$tensor` spec's dtype and shape need, for a streaming reader that decodes its data
 * as it reads it; undefined when they are not valid (the checks of {@link decodeTensor} then throw).
 */
export function plannedTensorBytes(dtype: unknown, shape: unknown): number | undefined {
  if (typeof dtype !== "string" || !Object.hasOwn(BYTES, dtype) || !Array.isArray(shape)) return undefined;
  let numel = 1;
  for (const size of shape) {
    if (!Number.isSafeInteger(size) || size < 0) return undefined;
    numel *= size;
  }
  const bytes = numel * BYTES[dtype as DType];
  return Number.isSafeInteger(bytes) ? bytes : undefined;
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
    if (marker === "$tensor") return dec.store !== undefined ? dec.store.read(object[marker], path) : decodeTensor(dec, object[marker], path);
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

/** The text of a file's bytes (strict UTF-8), for `op`'s messages. */
export function textOf(op: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new TypeError(`${op}: not a tsgrad file (its bytes are not UTF-8 text)`);
  }
}

/** The error for text that is not JSON (`reason`, the parser's message). */
export function invalidJson(op: string, reason: string): TypeError {
  return new TypeError(`${op}: not a tsgrad file (invalid JSON: ${reason}); was it truncated?`);
}

/** Parses and validates the text of a tsgrad file; `op` starts every error message. */
export function deserializeAs(op: string, text: unknown, store?: TensorStore): unknown {
  if (typeof text !== "string") throw new TypeError(`${op}: expected the text of a tsgrad file (a string), got ${describeValue(text)}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw invalidJson(op, (e as Error).message);
  }
  return decodeParsed(op, parsed, store);
}

/**
 * Validates and decodes the parsed JSON of a tsgrad file (from `JSON.parse`, or from the streaming
 * reader, whose tensors' data may be {@link DecodedBase64}).
 */
export function decodeParsed(op: string, parsed: unknown, store?: TensorStore): unknown {
  if (!isPlainRecord(parsed) || own(parsed, "format") !== FORMAT) {
    const format = isPlainRecord(parsed) ? own(parsed, "format") : undefined;
    const got = format === undefined ? "" : `; its format is ${found(format)}`;
    throw new TypeError(`${op}: not a tsgrad file (no "format": "tsgrad" header${got})`);
  }
  const version = own(parsed, "version");
  if (version !== PLAIN_VERSION && version !== ESCAPED_VERSION) {
    throw new RangeError(`${op}: file format version ${found(version)} is not supported (this tsgrad reads versions ${PLAIN_VERSION} and ${ESCAPED_VERSION})`);
  }
  const dec: Decoder = { op, unescape: version === ESCAPED_VERSION, store };
  checkKeys(dec, parsed, ["format", "version", "value"], "the file header");
  return decode(dec, parsed.value, "", 0);
}

// ---------------------------------------------------------------- public API

/**
 * `value` as the bytes of a tsgrad file (UTF-8 JSON), which {@link deserialize} turns back into
 * equal tensors and data: the same bytes the Node entry's `save` writes to a file and
 * `saveToIndexedDB` stores, so one format moves between Node, browsers and workers. What can be
 * stored is {@link Savable}. Errors start with `serialize:` and name the path of the value at
 * fault: something that is not {@link Savable}, a cycle, or nesting deeper than 1000 levels.
 * PyTorch: `torch.save(obj, io.BytesIO())`.
 *
 * @example
 * ```ts
 * const bytes = serialize({ step: 3, w: tensor([1, 2]) });
 * bytes instanceof Uint8Array; // → true
 * ```
 * @group Serialization
 */
export function serialize(value: unknown): Uint8Array {
  return new TextEncoder().encode(serializeAs("serialize", value));
}

/**
 * The tensors and data of {@link serialize}d bytes (or of their text, a string), as fresh tensors
 * (cast the result to what was saved). The input is untrusted and validated as a file is; errors
 * start with `deserialize:` and name the path inside the file. PyTorch: `torch.load(io.BytesIO(b))`.
 *
 * @example
 * ```ts
 * const copy = deserialize(serialize({ w: tensor([1, 2]) })) as { w: Tensor };
 * copy.w.toArray(); // → [1, 2]
 * ```
 * @group Serialization
 */
export function deserialize(bytes: Uint8Array | string): unknown {
  if (bytes instanceof Uint8Array) return deserializeAs("deserialize", textOf("deserialize", bytes));
  if (typeof bytes !== "string") {
    throw new TypeError(`deserialize: expected the bytes of a tsgrad file (a Uint8Array) or its text (a string), got ${describeValue(bytes)}`);
  }
  return deserializeAs("deserialize", bytes);
}
