/**
 * The safetensors format (Hugging Face's, read by PyTorch, JAX, ONNX tooling and every Hugging Face
 * library): an 8-byte little-endian header length N, N bytes of JSON, then the raw little-endian
 * data of every tensor, back to back:
 *
 * ```text
 * {"__metadata__": {"format": "pt"}, "0.weight": {"dtype": "F32", "shape": [32, 2], "data_offsets": [0, 256]}, ...}
 * ```
 *
 * The header's `data_offsets` are `[begin, end)` byte ranges inside the data section. This file
 * holds what every runtime shares: the header's layout and validation, the conversion of a tensor's
 * bytes, and {@link encodeSafetensors} / {@link decodeSafetensors} on `Uint8Array`. The Node entry
 * (node/safetensors-file.ts) streams the same header and bytes to and from files.
 *
 * Files are untrusted: decoding validates as the reference implementation (safetensors'
 * `Metadata::validate`) does, before anything is allocated: a header of at most 100 MB that
 * starts with `{`, offsets that tile the data section exactly (contiguous from 0, in order, no
 * overlap, nothing left over), `shape`'s element count × the dtype's size equal to each range's
 * length. F16, BF16 and I64 are converted on load (to float32, float32 and int32: tsgrad has
 * neither half precision nor int64; an int64 value outside int32's range throws).
 */
import { sha256 } from "@noble/hashes/sha2";
import { Tensor } from "./tensor.js";
import { type DType } from "./dtype.js";
import { fmtShape } from "./shape.js";
import { describeValue, optionChecks, resolveOptions } from "./options.js";
import { tensorBytes, toLittleEndian } from "./serialize.js";

/** The header may be at most this many bytes (the reference implementation's MAX_HEADER_SIZE). */
export const MAX_HEADER_BYTES = 100_000_000;
const METADATA_KEY = "__metadata__";
/** The metadata key that holds the SHA-256 (lowercase hex) of the data section. */
export const CHECKSUM_KEY = "sha256";

/** How each safetensors dtype is stored and which tsgrad dtype it loads as. */
interface StoredType {
  /** Bytes per element in the file. */
  size: number;
  dtype: DType;
}

const STORED: Readonly<Record<string, StoredType>> = {
  F64: { size: 8, dtype: "float64" },
  F32: { size: 4, dtype: "float32" },
  F16: { size: 2, dtype: "float32" },
  BF16: { size: 2, dtype: "float32" },
  I64: { size: 8, dtype: "int32" },
  I32: { size: 4, dtype: "int32" },
  I16: { size: 2, dtype: "int16" },
  I8: { size: 1, dtype: "int8" },
  U8: { size: 1, dtype: "uint8" },
  BOOL: { size: 1, dtype: "bool" },
};

/** The safetensors dtype each tsgrad dtype is written as. */
const WRITTEN: Readonly<Record<DType, string>> = {
  float64: "F64", float32: "F32", int32: "I32", int16: "I16", int8: "I8", uint8: "U8", bool: "BOOL",
};

/** One tensor of a safetensors header, validated. */
export interface SafetensorsEntry {
  name: string;
  /** The dtype as stored (F32, BF16, I64, ...). */
  stored: string;
  shape: number[];
  numel: number;
  /** Byte range [begin, end) inside the data section. */
  begin: number;
  end: number;
}

/** A validated header: its tensors in data order, and its metadata. */
export interface SafetensorsHeader {
  entries: SafetensorsEntry[];
  metadata: Record<string, string>;
}

/**
 * Options of {@link encodeSafetensors} and the Node entry's `saveSafetensors`.
 *
 * | option | default | meaning |
 * |---|---|---|
 * | `metadata` | `{}` | string → string pairs stored as the header's `__metadata__` |
 * | `checksum` | `false` | store the SHA-256 of the data as `__metadata__.sha256`, verified on load |
 *
 * @example
 * ```ts
 * const options: SafetensorsOptions = { metadata: { format: "pt" }, checksum: true };
 * ```
 * @group Serialization
 */
export interface SafetensorsOptions {
  /** Free-form string → string pairs, stored as the header's `__metadata__` (PyTorch's `metadata=`). */
  metadata?: Record<string, string>;
  /** Store the SHA-256 of the data section as `__metadata__.sha256`; loading then verifies it. */
  checksum?: boolean;
}

const isStringRecord = (v: unknown): boolean =>
  v !== null && typeof v === "object" && !Array.isArray(v) && Object.values(v as object).every((x) => typeof x === "string");

/** Resolves {@link SafetensorsOptions} for `op`. */
export function resolveSafetensorsOptions(op: string, options: SafetensorsOptions | undefined): Required<SafetensorsOptions> {
  return resolveOptions(op, options, { metadata: {} as Record<string, string>, checksum: false }, {
    metadata: (op_, name, v) => {
      if (!isStringRecord(v)) throw new TypeError(`${op_}: ${name} must be an object of string values, got ${describeValue(v)}`);
    },
    checksum: optionChecks.boolean,
  });
}

// ---------------------------------------------------------------- writing

/** What to write: the header's bytes (with the 8-byte length in front) and the tensors in order. */
export interface SafetensorsLayout {
  header: Uint8Array;
  tensors: Array<[string, Tensor]>;
  /** The data section's length in bytes. */
  dataBytes: number;
}

/** The tensors of a `Record<string, Tensor>` (a state dict), checked, in their order. */
export function tensorEntries(op: string, tensors: unknown): Array<[string, Tensor]> {
  if (tensors === null || typeof tensors !== "object" || Array.isArray(tensors) || tensors instanceof Tensor) {
    throw new TypeError(`${op}: expected an object of named tensors (a state dict), got ${describeValue(tensors)}`);
  }
  const entries = Object.entries(tensors as Record<string, unknown>);
  for (const [name, t] of entries) {
    if (!(t instanceof Tensor)) throw new TypeError(`${op}: ${JSON.stringify(name)} is ${describeValue(t)}, not a Tensor`);
    if (name === METADATA_KEY) throw new RangeError(`${op}: a tensor cannot be named "${METADATA_KEY}" (the header's metadata key)`);
  }
  return entries as Array<[string, Tensor]>;
}

/**
 * The header of a file holding `tensors` in order, with `metadata` (and the data's `sha256` when
 * given), padded with spaces to a multiple of 8 bytes so the data starts aligned, as the
 * reference writer does.
 */
export function safetensorsLayout(tensors: Array<[string, Tensor]>, metadata: Record<string, string>, sha256Hex?: string): SafetensorsLayout {
  const header: Record<string, unknown> = {};
  const meta = sha256Hex === undefined ? metadata : { ...metadata, [CHECKSUM_KEY]: sha256Hex };
  if (Object.keys(meta).length > 0) header[METADATA_KEY] = meta;
  let offset = 0;
  for (const [name, t] of tensors) {
    const end = offset + t.numel() * STORED[WRITTEN[t.dtype]].size;
    // defineProperty: a tensor named "__proto__" stays a key of the header.
    Object.defineProperty(header, name, {
      value: { dtype: WRITTEN[t.dtype], shape: [...t.shape], data_offsets: [offset, end] }, enumerable: true, writable: true, configurable: true,
    });
    offset = end;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const bytes = new Uint8Array(8 + padded).fill(0x20, 8 + json.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(padded), true);
  bytes.set(json, 8);
  return { header: bytes, tensors, dataBytes: offset };
}

/** A tensor's bytes as stored: little-endian, row-major (a view of its storage when it can be). */
export { tensorBytes as safetensorsBytes };

/**
 * Encodes named tensors (a state dict) as the bytes of a safetensors file, the format Hugging
 * Face's `safetensors` library, PyTorch (`safetensors.torch.load_file`) and ONNX tooling read.
 * Each tensor is stored row-major and little-endian with its dtype (float32 as `F32`, float64 `F64`,
 * int32 `I32`, int16 `I16`, int8 `I8`, uint8 `U8`, bool `BOOL`), views as contiguous copies, in the
 * order given, so a module's `stateDict()` keeps PyTorch's names and order (`0.weight`, `0.bias`,
 * …). `metadata` becomes the header's `__metadata__`; `checksum: true` adds the SHA-256 of the
 * data there. Runs in every runtime; the Node entry's `saveSafetensors` streams to a file.
 * PyTorch: `safetensors.torch.save(tensors, metadata)`.
 *
 * @example
 * ```ts
 * const bytes = encodeSafetensors({ weight: tensor([[1, 2]]) }, { metadata: { format: "pt" } });
 * decodeSafetensors(bytes).weight.toArray(); // → [[1, 2]]
 * ```
 * @group Serialization
 */
export function encodeSafetensors(tensors: Record<string, Tensor>, options?: SafetensorsOptions): Uint8Array {
  const op = "encodeSafetensors";
  const { metadata, checksum } = resolveSafetensorsOptions(op, options);
  const entries = tensorEntries(op, tensors);
  let digest: string | undefined;
  if (checksum) {
    const hash = sha256.create();
    for (const [, t] of entries) hash.update(tensorBytes(t));
    digest = hex(hash.digest());
  }
  const layout = safetensorsLayout(entries, metadata, digest);
  const out = new Uint8Array(layout.header.length + layout.dataBytes);
  out.set(layout.header);
  let at = layout.header.length;
  for (const [, t] of entries) {
    const bytes = tensorBytes(t);
    out.set(bytes, at);
    at += bytes.length;
  }
  return out;
}

/** Lowercase hex of a digest. */
export function hex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

// ---------------------------------------------------------------- reading

/**
 * The header length N from a file's first 8 bytes, checked against the reference limits: at most
 * 100 MB, and no more than the `fileBytes - 8` that follow.
 */
export function headerLength(op: string, first8: Uint8Array, fileBytes: number): number {
  if (fileBytes < 8) throw new RangeError(`${op}: not a safetensors file: it has ${fileBytes} bytes, fewer than the 8 of the header length`);
  const n = new DataView(first8.buffer, first8.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) throw new RangeError(`${op}: the header length ${n} is more than the ${MAX_HEADER_BYTES} bytes allowed; not a safetensors file?`);
  if (Number(n) > fileBytes - 8) throw new RangeError(`${op}: the header length ${n} is more than the ${fileBytes - 8} bytes after it; was the file truncated?`);
  return Number(n);
}

const own = (o: Record<string, unknown>, k: string): unknown => (Object.hasOwn(o, k) ? o[k] : undefined);
const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const show = (v: unknown): string => (typeof v === "string" || typeof v === "number" || Array.isArray(v) ? JSON.stringify(v).slice(0, 80) : describeValue(v));

/**
 * Parses and validates a header's JSON bytes against a data section of `dataBytes` bytes, as the
 * reference implementation does: the tensors sorted by offset must tile the data exactly.
 */
export function parseSafetensorsHeader(op: string, json: Uint8Array, dataBytes: number): SafetensorsHeader {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(json);
  } catch {
    throw new TypeError(`${op}: the header is not UTF-8 text; not a safetensors file`);
  }
  if (!text.startsWith("{")) throw new TypeError(`${op}: the header does not start with "{"; not a safetensors file`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new TypeError(`${op}: the header is not valid JSON (${(e as Error).message}); not a safetensors file, or truncated`);
  }
  if (!isRecord(parsed)) throw new TypeError(`${op}: the header must be a JSON object, got ${describeValue(parsed)}`);
  let metadata: Record<string, string> = {};
  const entries: SafetensorsEntry[] = [];
  for (const [name, spec] of Object.entries(parsed)) {
    if (name === METADATA_KEY) {
      if (!isRecord(spec) || !Object.values(spec).every((v) => typeof v === "string")) {
        throw new TypeError(`${op}: "${METADATA_KEY}" must be an object of string values, got ${show(spec)}`);
      }
      metadata = spec as Record<string, string>;
      continue;
    }
    entries.push(parseEntry(op, name, spec));
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  let previous: SafetensorsEntry | undefined;
  for (const e of entries) {
    if (e.begin !== expected) {
      const why = e.begin < expected ? `overlaps ${JSON.stringify(previous?.name)} (which ends at ${expected})` : `leaves a gap after byte ${expected}`;
      throw new RangeError(`${op}: invalid data_offsets [${e.begin}, ${e.end}] of ${JSON.stringify(e.name)}: it ${why}`);
    }
    const needed = e.numel * STORED[e.stored].size;
    if (e.end - e.begin !== needed) {
      throw new RangeError(`${op}: ${JSON.stringify(e.name)} of shape ${fmtShape(e.shape)} and dtype ${e.stored} needs ${needed} bytes, its data_offsets [${e.begin}, ${e.end}] hold ${e.end - e.begin}`);
    }
    expected = e.end;
    previous = e;
  }
  if (expected !== dataBytes) {
    const why = expected > dataBytes ? "the file is shorter; was it truncated?" : "bytes are left over after the last tensor";
    throw new RangeError(`${op}: the header describes ${expected} bytes of data, the file holds ${dataBytes}: ${why}`);
  }
  return { entries, metadata };
}

function parseEntry(op: string, name: string, spec: unknown): SafetensorsEntry {
  const what = `the tensor ${JSON.stringify(name)}`;
  if (!isRecord(spec)) throw new TypeError(`${op}: ${what} must be an object with dtype, shape and data_offsets, got ${show(spec)}`);
  for (const key of Object.keys(spec)) {
    if (key !== "dtype" && key !== "shape" && key !== "data_offsets") throw new TypeError(`${op}: unexpected key ${JSON.stringify(key)} in ${what} (expected dtype, shape, data_offsets)`);
  }
  const stored = own(spec, "dtype");
  if (typeof stored !== "string" || !Object.hasOwn(STORED, stored)) {
    throw new TypeError(`${op}: ${what} has dtype ${show(stored)}, which tsgrad cannot load (it loads ${Object.keys(STORED).join(", ")})`);
  }
  const shape = own(spec, "shape");
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
    throw new TypeError(`${op}: ${what} has shape ${show(shape)}; a shape is an array of non-negative integers`);
  }
  const numel = (shape as number[]).reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(numel * STORED[stored].size)) throw new RangeError(`${op}: ${what} of shape ${show(shape)} has too many elements`);
  const offsets = own(spec, "data_offsets");
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && (o as number) >= 0)) {
    throw new TypeError(`${op}: ${what} has data_offsets ${show(offsets)}; expected [begin, end], two non-negative integers`);
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) throw new RangeError(`${op}: invalid data_offsets [${begin}, ${end}] of ${what}: end before begin`);
  return { name, stored, shape: shape as number[], numel, begin, end };
}

/**
 * Where a tensor's stored bytes go while reading: the buffer the tensor will own when the file
 * holds a dtype tsgrad has (so the bytes are read straight into it), else a scratch buffer that
 * {@link finishTensor} converts.
 */
export function tensorTarget(entry: SafetensorsEntry): Uint8Array {
  // A fresh buffer, so its start is aligned for every typed array.
  return new Uint8Array(entry.numel * STORED[entry.stored].size);
}

/** The tensor of `entry` from its stored bytes (little-endian, as returned by {@link tensorTarget}). */
export function finishTensor(op: string, entry: SafetensorsEntry, bytes: Uint8Array): Tensor {
  const { data, dtype } = storedElements(op, entry.stored, bytes, `the ${entry.stored} tensor ${JSON.stringify(entry.name)}`);
  return new Tensor(data, entry.shape, dtype);
}

/**
 * The elements of little-endian `bytes` stored as `stored` (a safetensors dtype name), as the
 * typed array of the tsgrad dtype they load as: a view of `bytes` itself when no conversion is
 * needed (so `bytes` must start aligned), else converted (F16, BF16 to float32; I64 to int32,
 * throwing on a value outside int32's range; BOOL checked to be 0 or 1). `what` names the tensor.
 */
export function storedElements(op: string, stored: string, bytes: Uint8Array, what: string): { data: Tensor["data"]; dtype: DType } {
  const { dtype, size } = STORED[stored];
  // To the machine's order (a no-op on little-endian machines); int64 as two int32 halves, low first.
  toLittleEndian(bytes, stored === "I64" ? 4 : size);
  const n = bytes.length / size;
  if (stored === "F16" || stored === "BF16") {
    const half = new Uint16Array(bytes.buffer, bytes.byteOffset, n);
    if (stored === "BF16") return { data: new Float32Array(Uint32Array.from(half, (h) => h << 16).buffer), dtype };
    return { data: Float32Array.from(half, halfToFloat), dtype };
  }
  if (stored === "I64") return { data: int64ToInt32(op, what, new Int32Array(bytes.buffer, bytes.byteOffset, 2 * n)), dtype };
  if (dtype === "bool") {
    const bad = bytes.findIndex((b) => b > 1);
    if (bad >= 0) throw new RangeError(`${op}: element ${bad} of ${what} is ${bytes[bad]} (bool elements are 0 or 1)`);
  }
  return { data: viewAs(dtype, bytes), dtype };
}

function viewAs(dtype: DType, bytes: Uint8Array): Tensor["data"] {
  const { buffer, byteOffset, byteLength } = bytes;
  switch (dtype) {
    case "float64": return new Float64Array(buffer, byteOffset, byteLength / 8);
    case "float32": return new Float32Array(buffer, byteOffset, byteLength / 4);
    case "int32": return new Int32Array(buffer, byteOffset, byteLength / 4);
    case "int16": return new Int16Array(buffer, byteOffset, byteLength / 2);
    case "int8": return new Int8Array(buffer, byteOffset, byteLength);
    default: return bytes;
  }
}

/**
 * int64 values (as [low, high] int32 pairs, little-endian order) narrowed to int32; a value outside
 * int32's range throws, naming `what`, the element and its value (tsgrad has no int64).
 */
export function int64ToInt32(op: string, what: string, pairs: Int32Array): Int32Array {
  const n = pairs.length / 2;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const lo = pairs[2 * i];
    if (pairs[2 * i + 1] !== lo >> 31) {
      const value = (BigInt(pairs[2 * i + 1]) << 32n) | BigInt(lo >>> 0);
      throw new RangeError(`${op}: element ${i} of ${what} is ${value}, outside int32's range (tsgrad has no int64; int64 loads as int32)`);
    }
    out[i] = lo;
  }
  return out;
}

/** An IEEE 754 half-precision number's bits as a number (exactly: float32 holds every half). */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 31) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** Throws unless the data's SHA-256 matches the `sha256` in the metadata. */
export function checkDigest(op: string, expected: string, actual: string): void {
  if (expected.toLowerCase() !== actual) {
    throw new Error(`${op}: the data's SHA-256 is ${actual}, the header's __metadata__.sha256 says ${expected}: the file is corrupt`);
  }
}

/** The header of safetensors `bytes`, validated against their length. */
function headerOf(op: string, bytes: Uint8Array): { header: SafetensorsHeader; dataStart: number } {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${op}: expected the bytes of a safetensors file (a Uint8Array), got ${describeValue(bytes)}`);
  const n = headerLength(op, bytes.subarray(0, 8), bytes.length);
  const dataStart = 8 + n;
  return { header: parseSafetensorsHeader(op, bytes.subarray(8, dataStart), bytes.length - dataStart), dataStart };
}

/**
 * The named tensors of a safetensors file's bytes, validated as untrusted input (see the module
 * notes above: offsets, sizes, the 100 MB header limit), as fresh tensors in the file's data
 * order. F32, F64, I32, I16, I8, U8 and BOOL load as float32, float64, int32, int16, int8, uint8
 * and bool; F16 and BF16 as float32 (exactly); I64 as int32, throwing on a value outside int32's
 * range. When the metadata holds `sha256`, the data is checked against it. The metadata itself is
 * read by {@link safetensorsMetadata}. PyTorch: `safetensors.torch.load(bytes)`.
 *
 * @example
 * ```ts
 * const bytes = encodeSafetensors({ "0.weight": tensor([[1, 2], [3, 4]]), "0.bias": tensor([0.5, -1]) });
 * const sd = decodeSafetensors(bytes);
 * Object.keys(sd); // → ["0.weight", "0.bias"]
 * sd["0.bias"].toArray(); // → [0.5, -1]
 * ```
 * @group Serialization
 */
export function decodeSafetensors(bytes: Uint8Array): Record<string, Tensor> {
  const op = "decodeSafetensors";
  const { header, dataStart } = headerOf(op, bytes);
  const data = bytes.subarray(dataStart);
  const expected = own(header.metadata, CHECKSUM_KEY);
  if (typeof expected === "string") checkDigest(op, expected, hex(sha256(data)));
  return Object.fromEntries(
    header.entries.map((e) => {
      const target = tensorTarget(e);
      target.set(data.subarray(e.begin, e.end));
      return [e.name, finishTensor(op, e, target)];
    }),
  );
}

/**
 * The `__metadata__` of a safetensors file's bytes (string → string; `{}` when there is none),
 * after validating the header as {@link decodeSafetensors} does.
 * PyTorch: `safetensors.safe_open(...).metadata()`.
 *
 * @example
 * ```ts
 * const bytes = encodeSafetensors({ w: tensor([1]) }, { metadata: { epoch: "3" } });
 * safetensorsMetadata(bytes); // → { epoch: "3" }
 * ```
 * @group Serialization
 */
export function safetensorsMetadata(bytes: Uint8Array): Record<string, string> {
  return { ...headerOf("safetensorsMetadata", bytes).header.metadata };
}
