/**
 * Writing what `torch.load` reads: the pickle (`data.pkl`) of tsgrad values in PyTorch's zip
 * format, with each tensor's elements as a storage record (`data/<key>`) of its own. The inverse
 * of torch-load.ts: dicts from plain objects, lists from arrays, int/float/str/bool/None from
 * numbers, strings, booleans and null, and each tensor as PyTorch pickles one,
 * `torch._utils._rebuild_tensor_v2(storage, 0, size, stride, False, OrderedDict())` over a
 * persistent id `("storage", torch.FloatStorage, key, "cpu", numel)`. The pickle names only
 * those globals, so `torch.load(path, weights_only=True)` takes it too.
 *
 * Pickle protocol 2 (Python's `pickletools` documents the opcodes), no memo: nothing is shared.
 */
import { Tensor } from "./tensor.js";
import type { DType } from "./dtype.js";
import { describeValue } from "./options.js";

/** The storage type PyTorch names for each tsgrad dtype. */
const STORAGE_TYPES: Readonly<Record<DType, string>> = {
  float64: "DoubleStorage", float32: "FloatStorage", int32: "IntStorage", int16: "ShortStorage",
  int8: "CharStorage", uint8: "ByteStorage", bool: "BoolStorage",
};

/** Pickle opcodes used below. */
const OP = {
  PROTO: 0x80, STOP: 0x2e, NONE: 0x4e, TRUE: 0x88, FALSE: 0x89, BININT: 0x4a, LONG1: 0x8a, BINFLOAT: 0x47,
  BINUNICODE: 0x58, EMPTY_LIST: 0x5d, APPENDS: 0x65, EMPTY_DICT: 0x7d, SETITEMS: 0x75, MARK: 0x28,
  TUPLE: 0x74, EMPTY_TUPLE: 0x29, GLOBAL: 0x63, REDUCE: 0x52, BINPERSID: 0x51,
} as const;

/** How deeply arrays and objects may nest (as serialize.ts). */
const MAX_DEPTH = 1000;

/** A pickle of tsgrad values and the tensors whose storages it refers to, by key (`"0"`, `"1"`, ...). */
export interface TorchPickle {
  pickle: Uint8Array;
  storages: Tensor[];
}

/** Bytes appended in pieces, then joined once. */
class Output {
  private readonly parts: Uint8Array[] = [];
  private current = new Uint8Array(1 << 12);
  private used = 0;
  private readonly view = new DataView(new ArrayBuffer(8));
  private readonly encoder = new TextEncoder();

  byte(b: number): void {
    if (this.used === this.current.length) this.flush();
    this.current[this.used++] = b;
  }
  bytes(b: Uint8Array): void {
    for (const x of b) this.byte(x);
  }
  u32(n: number): void {
    this.view.setUint32(0, n, true);
    for (let i = 0; i < 4; i++) this.byte(this.view.getUint8(i));
  }
  f64be(x: number): void {
    this.view.setFloat64(0, x, false);
    for (let i = 0; i < 8; i++) this.byte(this.view.getUint8(i));
  }
  text(s: string): void {
    this.bytes(this.encoder.encode(s));
  }
  private flush(): void {
    this.parts.push(this.current.subarray(0, this.used));
    this.current = new Uint8Array(this.current.length * 2);
    this.used = 0;
  }
  join(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

/** Key strings written as Python ints: the canonical non-negative integers (loadTorch reads int keys back as such strings). */
const INT_KEY = /^(0|[1-9]\d{0,14})$/;

/**
 * Pickles `value` for `op` (`saveTorch`): what it can hold is serialize.ts's `Savable` (tensors,
 * finite and non-finite numbers, strings, booleans, null, arrays and plain objects); errors name
 * the path of the value at fault.
 */
export function pickleForTorch(op: string, value: unknown): TorchPickle {
  const out = new Output();
  const storages: Tensor[] = [];
  const ancestors = new Set<object>();
  const int = (n: number): void => {
    if (n >= -(2 ** 31) && n < 2 ** 31) {
      out.byte(OP.BININT);
      out.u32(n >>> 0);
      return;
    }
    // LONG1: little-endian two's complement, as few bytes as hold the sign.
    let big = BigInt(n);
    const bytes: number[] = [];
    do {
      bytes.push(Number(big & 0xffn));
      big >>= 8n;
    } while (!((big === 0n && bytes[bytes.length - 1] < 0x80) || (big === -1n && bytes[bytes.length - 1] >= 0x80)));
    out.byte(OP.LONG1);
    out.byte(bytes.length);
    out.bytes(Uint8Array.from(bytes));
  };
  const string = (s: string): void => {
    const utf8 = new TextEncoder().encode(s);
    out.byte(OP.BINUNICODE);
    out.u32(utf8.length);
    out.bytes(utf8);
  };
  const global = (module: string, name: string): void => {
    out.byte(OP.GLOBAL);
    out.text(`${module}\n${name}\n`);
  };
  const tuple = (items: readonly number[]): void => {
    if (items.length === 0) {
      out.byte(OP.EMPTY_TUPLE);
      return;
    }
    out.byte(OP.MARK);
    items.forEach(int);
    out.byte(OP.TUPLE);
  };
  const tensor = (t: Tensor): void => {
    const key = String(storages.push(t) - 1);
    // Row-major strides of the contiguous copy the storage record will hold.
    const strides = t.shape.map((_, d) => t.shape.slice(d + 1).reduce((a, b) => a * b, 1));
    global("torch._utils", "_rebuild_tensor_v2");
    out.byte(OP.MARK);
    out.byte(OP.MARK);
    string("storage");
    global("torch", STORAGE_TYPES[t.dtype]);
    string(key);
    string("cpu");
    int(t.numel());
    out.byte(OP.TUPLE);
    out.byte(OP.BINPERSID);
    int(0);
    tuple(t.shape);
    tuple(strides);
    out.byte(OP.FALSE);
    global("collections", "OrderedDict");
    out.byte(OP.EMPTY_TUPLE);
    out.byte(OP.REDUCE);
    out.byte(OP.TUPLE);
    out.byte(OP.REDUCE);
  };
  const write = (v: unknown, path: string, depth: number): void => {
    if (v instanceof Tensor) return tensor(v);
    if (v === null || v === undefined) return out.byte(OP.NONE);
    if (typeof v === "boolean") return out.byte(v ? OP.TRUE : OP.FALSE);
    if (typeof v === "number") {
      if (Number.isSafeInteger(v) && !Object.is(v, -0)) return int(v);
      out.byte(OP.BINFLOAT);
      return out.f64be(v);
    }
    if (typeof v === "string") return string(v);
    const at = path === "" ? "the top level" : path;
    const proto = typeof v === "object" ? Object.getPrototypeOf(v) : undefined;
    if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) {
      throw new TypeError(`${op}: cannot store ${typeof v === "object" ? describeValue(v) : typeof v} at ${at}; only tensors, numbers, strings, booleans, null, arrays and plain objects`);
    }
    const object = v as object;
    if (ancestors.has(object)) throw new TypeError(`${op}: cyclic reference at ${at}`);
    if (depth >= MAX_DEPTH) throw new RangeError(`${op}: arrays and objects nest deeper than ${MAX_DEPTH} levels at ${at}`);
    ancestors.add(object);
    if (Array.isArray(object)) {
      out.byte(OP.EMPTY_LIST);
      if (object.length > 0) {
        out.byte(OP.MARK);
        object.forEach((item, i) => write(item, `${path}[${i}]`, depth + 1));
        out.byte(OP.APPENDS);
      }
    } else {
      const entries = Object.entries(object);
      out.byte(OP.EMPTY_DICT);
      if (entries.length > 0) {
        out.byte(OP.MARK);
        for (const [k, item] of entries) {
          if (INT_KEY.test(k)) int(Number(k));
          else string(k);
          write(item, path === "" ? k : `${path}.${k}`, depth + 1);
        }
        out.byte(OP.SETITEMS);
      }
    }
    ancestors.delete(object);
  };
  out.byte(OP.PROTO);
  out.byte(2);
  write(value, "", 0);
  out.byte(OP.STOP);
  return { pickle: out.join(), storages };
}
