/**
 * Reading the files `torch.save` writes (PyTorch ≥ 1.6's zip format): a zip archive holding
 * `<name>/data.pkl`, a pickle of the saved object, and `<name>/data/<key>`, the raw little-endian
 * bytes of each storage the pickle refers to by a persistent id
 * `("storage", torch.FloatStorage, "<key>", "cpu", numel)`. A tensor is pickled as a call
 * `torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks)`, so views
 * (offsets, strides, expand's stride 0) and storages shared between tensors come back as tsgrad
 * views over one shared typed array.
 *
 * The pickle runs in torch-pickle.ts's weights-only unpickler with the allowlist below: the same
 * guarantee as `torch.load(weights_only=True)`; nothing in a file can run code. The records come
 * from a {@link TorchRecords}: bytes in memory are unzipped by fflate (`decodeTorch`); the Node
 * entry's `loadTorch` reads the zip's central directory and each record by file handle
 * (node/zip-file.ts), so a large file is never held in memory whole.
 */
import { unzipSync, type UnzipFileInfo } from "fflate/browser"; // the build without Node workers (no `module` import), for every runtime
import { Tensor } from "./tensor.js";
import { describeValue } from "./options.js";
import { fmtShape } from "./shape.js";
import { storedElements } from "./safetensors.js";
import { PyDict, PyTuple, describe, unpickle, type PyCallable } from "./torch-pickle.js";

/** The storage types PyTorch names in persistent ids, as the safetensors dtype of their bytes. */
const STORAGE_TYPES: Readonly<Record<string, { stored: string; size: number }>> = {
  DoubleStorage: { stored: "F64", size: 8 },
  FloatStorage: { stored: "F32", size: 4 },
  HalfStorage: { stored: "F16", size: 2 },
  BFloat16Storage: { stored: "BF16", size: 2 },
  LongStorage: { stored: "I64", size: 8 },
  IntStorage: { stored: "I32", size: 4 },
  ShortStorage: { stored: "I16", size: 2 },
  CharStorage: { stored: "I8", size: 1 },
  ByteStorage: { stored: "U8", size: 1 },
  BoolStorage: { stored: "BOOL", size: 1 },
};

/** A storage read from `data/<key>`, as the typed array tensors view. */
class Storage {
  constructor(readonly key: string, readonly data: Tensor["data"], readonly dtype: Tensor["dtype"]) {}
}

/** A storage type named in a persistent id (a global the pickle can name but never call). */
class StorageType implements PyCallable {
  constructor(readonly op: string, readonly qualifiedName: string, readonly stored: string, readonly size: number) {}
  call(): never {
    throw new TypeError(`${this.op}: ${this.qualifiedName} can only name a storage's type in a weights-only load, not be called`);
  }
}

/**
 * The records of a `torch.save` zip archive that a load reads ({@link isTorchRecord}), wherever
 * they are: unzipped bytes in memory, or a file read by handle.
 */
export interface TorchRecords {
  /** The names of the archive's records that {@link isTorchRecord} accepts, in the archive's order. */
  readonly names: readonly string[];
  /** The bytes of the record `name` (one of `names`), in a fresh buffer the caller owns. */
  read(name: string): Uint8Array;
}

/** Whether a record of the archive is one a load reads: `data.pkl`, the storages and the byte order (and `constants.pkl`, to refuse TorchScript). */
export function isTorchRecord(name: string): boolean {
  return /(^|\/)(data\.pkl|byteorder|constants\.pkl|data\/[^/]+)$/.test(name);
}

/**
 * Throws unless `originalSize` bytes can come from `size` compressed ones: deflate expands at most
 * 1032-fold, so a larger claim is a zip bomb, refused before anything is allocated for it.
 */
export function checkExpansion(op: string, name: string, compression: number, size: number, originalSize: number): void {
  if (compression !== 0 && originalSize > 1032 * size + 1024) {
    throw new RangeError(`${op}: the zip record ${JSON.stringify(name)} claims to expand ${size} bytes to ${originalSize}, more than compression can`);
  }
}

/** What one load needs: the op's name, the archive's records, and the storages read so far. */
interface Archive {
  op: string;
  records: TorchRecords;
  /** `records.names`, for lookups. */
  names: ReadonlySet<string>;
  prefix: string;
  storages: Map<string, Storage>;
}

const int = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v);
const ints = (v: unknown): v is PyTuple => v instanceof PyTuple && v.items.every((x) => int(x) && x >= 0);

function storageOf(ar: Archive, pid: unknown): Storage {
  const { op } = ar;
  const items = pid instanceof PyTuple ? pid.items : [];
  const [kind, type, key, , numel] = items;
  if (items.length !== 5 || kind !== "storage" || !(type instanceof StorageType) || typeof key !== "string" || !int(numel) || numel < 0) {
    throw new TypeError(`${op}: malformed pickle: a persistent id must be ("storage", <storage type>, key, location, numel), got ${describe(pid)}`);
  }
  const seen = ar.storages.get(key);
  if (seen !== undefined) return seen; // a storage shared by several tensors is read once
  const record = `${ar.prefix}data/${key}`;
  if (!ar.names.has(record)) throw new RangeError(`${op}: the pickle refers to storage ${JSON.stringify(key)}, but the archive has no record ${JSON.stringify(record)}`);
  const bytes = ar.records.read(record); // a fresh, aligned buffer the tensors then own
  if (bytes.length !== numel * type.size) {
    throw new RangeError(`${op}: storage ${JSON.stringify(key)} is ${numel} elements of ${type.qualifiedName} (${numel * type.size} bytes), its record holds ${bytes.length} bytes`);
  }
  const { data, dtype } = storedElements(op, type.stored, bytes, `storage ${JSON.stringify(key)} (${type.qualifiedName})`);
  const storage = new Storage(key, data, dtype);
  ar.storages.set(key, storage);
  return storage;
}

/** `_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])`. */
function rebuildTensor(op: string, args: unknown[]): Tensor {
  const [storage, offset, size, stride, requiresGrad] = args;
  if (args.length < 5 || !(storage instanceof Storage) || !int(offset) || offset < 0 || !ints(size) || !ints(stride) || typeof requiresGrad !== "boolean") {
    throw new TypeError(`${op}: malformed pickle: _rebuild_tensor_v2 needs (storage, offset, size, stride, requires_grad, hooks), got (${args.map(describe).join(", ")})`);
  }
  const shape = size.items as number[];
  const strides = stride.items as number[];
  if (shape.length !== strides.length) {
    throw new RangeError(`${op}: a tensor of shape ${fmtShape(shape)} has ${strides.length} strides ${fmtShape(strides)}`);
  }
  const numel = shape.reduce((a, b) => a * b, 1);
  const last = numel === 0 ? offset : offset + shape.reduce((sum, s, d) => sum + (s - 1) * strides[d], 0);
  const available = storage.data.length;
  if (numel === 0 ? offset > available : last >= available) {
    throw new RangeError(
      `${op}: a tensor of shape ${fmtShape(shape)}, strides ${fmtShape(strides)} and storage offset ${offset} reaches element ${last} of storage ${JSON.stringify(storage.key)}, which holds ${available}`,
    );
  }
  const t = new Tensor(storage.data, shape, storage.dtype, strides, offset);
  return requiresGrad && (t.dtype === "float32" || t.dtype === "float64") ? t.requiresGrad_(true) : t;
}

/** `_rebuild_parameter(data, requires_grad, backward_hooks)` (and `_with_state`): the tensor, as torch.load gives it. */
function rebuildParameter(op: string, args: unknown[]): Tensor {
  const [data, requiresGrad] = args;
  if (!(data instanceof Tensor) || typeof requiresGrad !== "boolean") {
    throw new TypeError(`${op}: malformed pickle: _rebuild_parameter needs (tensor, requires_grad, hooks), got (${args.map(describe).join(", ")})`);
  }
  const isFloat = data.dtype === "float32" || data.dtype === "float64";
  return requiresGrad && isFloat && !data.requiresGrad ? data.requiresGrad_(true) : data;
}

/** The globals a weights-only load may name, by `module.name`. */
function allowlist(op: string): Map<string, PyCallable> {
  const table = new Map<string, PyCallable>();
  const add = (qualifiedName: string, call: (args: unknown[]) => unknown, build?: PyCallable["build"]): void => {
    table.set(qualifiedName, { qualifiedName, call, build });
  };
  // An OrderedDict's BUILD state holds attributes such as a state dict's `_metadata` (layer versions).
  add("collections.OrderedDict", () => new PyDict(), () => {});
  add("torch._utils._rebuild_tensor_v2", (args) => rebuildTensor(op, args));
  add("torch._utils._rebuild_parameter", (args) => rebuildParameter(op, args));
  add("torch._utils._rebuild_parameter_with_state", (args) => rebuildParameter(op, args));
  for (const [name, { stored, size }] of Object.entries(STORAGE_TYPES)) table.set(`torch.${name}`, new StorageType(op, `torch.${name}`, stored, size));
  return table;
}

/** What the pickle built, as plain tsgrad values: dicts as objects, tuples and lists as arrays. */
function toPlain(op: string, value: unknown, done: Map<unknown, unknown>, path: string): unknown {
  if (value === null || typeof value !== "object" || value instanceof Tensor) return value;
  if (done.has(value)) return done.get(value);
  if (value instanceof Storage) return new Tensor(value.data, [value.data.length], value.dtype);
  if (value instanceof Uint8Array) return value;
  if (value instanceof PyTuple || Array.isArray(value)) {
    const items = value instanceof PyTuple ? value.items : value;
    const out: unknown[] = [];
    done.set(value, out);
    items.forEach((v, i) => out.push(toPlain(op, v, done, `${path}[${i}]`)));
    return out;
  }
  if (value instanceof PyDict) {
    const out: Record<string, unknown> = {};
    done.set(value, out);
    for (const [key, v] of value.entries) {
      if (typeof key !== "string" && !int(key)) throw new TypeError(`${op}: a dict at ${path || "the top level"} has the key ${describe(key)}; tsgrad keeps str and int keys`);
      const name = String(key);
      // defineProperty: a "__proto__" key stays data.
      Object.defineProperty(out, name, { value: toPlain(op, v, done, path ? `${path}.${name}` : name), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  throw new TypeError(`${op}: the file holds ${describe(value)} at ${path || "the top level"}, which is not data`);
}

/** The records of zip `bytes` that a load reads, unzipped by fflate. */
function recordsOfBytes(op: string, bytes: Uint8Array): TorchRecords {
  const wanted = (f: UnzipFileInfo): boolean => {
    checkExpansion(op, f.name, f.compression, f.size, f.originalSize);
    return isTorchRecord(f.name);
  };
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: wanted });
  } catch (e) {
    if (e instanceof RangeError && e.message.startsWith(op)) throw e;
    throw new TypeError(`${op}: not a readable torch.save zip archive (${(e as Error).message}); was the file truncated?`, { cause: e });
  }
  // A fresh, aligned copy per read (fflate's records may be views into one buffer).
  return { names: Object.keys(files), read: (name) => files[name].slice() };
}

/** Throws unless the first bytes of a file are a zip's (naming the legacy format, which is a bare pickle). */
export function checkTorchSignature(op: string, first: Uint8Array): void {
  if (first[0] === 0x80 && first.length > 1 && first[1] <= 5) {
    throw new TypeError(`${op}: this is PyTorch's legacy (pre-1.6) format, a bare pickle; re-save it with torch.save in PyTorch >= 1.6, which writes the zip format`);
  }
  if (!(first[0] === 0x50 && first[1] === 0x4b)) throw new TypeError(`${op}: not a torch.save file (no zip signature "PK" at its start)`);
}

/** Reads `torch.save` bytes for `op` (decodeTorch). */
export function decodeTorchAs(op: string, bytes: Uint8Array): unknown {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${op}: expected the bytes of a torch.save file (a Uint8Array), got ${describeValue(bytes)}`);
  checkTorchSignature(op, bytes.subarray(0, 2));
  return decodeTorchRecords(op, recordsOfBytes(op, bytes));
}

/** The object the records of a `torch.save` archive hold, for `op` (loadTorch or decodeTorch). */
export function decodeTorchRecords(op: string, records: TorchRecords): unknown {
  const names = new Set(records.names);
  const has = (name: string): boolean => names.has(name);
  const pickles = records.names.filter((name) => /^([^/]+\/)?data\.pkl$/.test(name));
  if (pickles.length !== 1) throw new TypeError(`${op}: not a torch.save archive: it has ${pickles.length} data.pkl records (${pickles.slice(0, 3).join(", ") || "none"}), expected one`);
  const prefix = pickles[0].slice(0, -"data.pkl".length);
  if (has(`${prefix}constants.pkl`)) {
    throw new TypeError(`${op}: this is a TorchScript archive (torch.jit.save), which holds code; save the model's state_dict() with torch.save instead`);
  }
  if (has(`${prefix}byteorder`)) {
    const order = new TextDecoder().decode(records.read(`${prefix}byteorder`));
    if (order !== "little") throw new RangeError(`${op}: the file was written on a big-endian machine (byteorder ${JSON.stringify(order)}); tsgrad reads little-endian files`);
  }
  const archive: Archive = { op, records, names, prefix, storages: new Map() };
  const globals = allowlist(op);
  const value = unpickle(records.read(pickles[0]), {
    op,
    findGlobal: (module, name) => globals.get(`${module}.${name}`),
    persistentLoad: (pid) => storageOf(archive, pid),
    allowed: [...globals.keys()].filter((k) => !k.endsWith("Storage")).concat("torch.*Storage"),
  });
  return toPlain(op, value, new Map(), "");
}

/**
 * The object a `torch.save` file holds, from its bytes (the zip format of PyTorch ≥ 1.6): a model's
 * or an optimizer's state dict, a tensor, or nested dicts, lists and tuples of tensors, ints,
 * floats, strings, bools and None. Dicts (OrderedDict included) become plain objects with their
 * keys in order (int keys as strings, as in an optimizer's `state`), lists and tuples arrays, None
 * null. Tensors keep their views: storage offsets and strides, and tensors that shared a storage in
 * PyTorch share one typed array. Storages of float32/64, int32/16/8, uint8 and bool load as they
 * are; float16 and bfloat16 as float32; int64 as int32, throwing on a value outside int32's range.
 *
 * The file is untrusted: a weights-only unpickler (PyTorch's `weights_only=True`) builds only data,
 * and a pickle that names any global other than `collections.OrderedDict`,
 * `torch._utils._rebuild_tensor_v2`, `_rebuild_parameter` and the storage types is refused with an
 * error naming that global; offsets and strides are checked against their storage, and storage
 * sizes against their records. Runs in every runtime; the Node entry's `loadTorch` reads a path.
 * PyTorch: `torch.load(io.BytesIO(b), weights_only=True)`.
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * // doctest: skip (needs a .pt file written by PyTorch)
 * const sd = decodeTorch(readFileSync("model.pt")) as Record<string, Tensor>;
 * ```
 * @group Serialization
 */
export function decodeTorch(bytes: Uint8Array): unknown {
  return decodeTorchAs("decodeTorch", bytes);
}
