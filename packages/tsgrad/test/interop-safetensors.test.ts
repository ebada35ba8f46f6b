/**
 * safetensors both ways (issue 12): files PyTorch's side wrote (tools/fixtures/gen_interop.py, the
 * format written with Python's standard library) load into tsgrad models that then compute
 * PyTorch's outputs; files tsgrad writes are read back by PyTorch (tools/fixtures/check_interop.py,
 * run when /usr/bin/python3 has torch) into the same architecture; crafted files are refused with
 * errors that say what is wrong, as the reference implementation refuses them.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as tg from "tsgrad";
import type { SafetensorsOptions } from "tsgrad";
import { saveSafetensors, loadSafetensors, loadSafetensorsMetadata } from "tsgrad/node";
import { decode, expectClose, expectBadInput, loadFixture, type EncodedTensor, type BadInputRow } from "../../../tools/test-utils.js";
import { F32, checkInterop, expectPyTorchComputes, hasTorch } from "./check-interop.js";

const { nn } = tg;
const FIXTURES = new URL("./fixtures/interop/", import.meta.url);
const fixturePath = (name: string): string => new URL(name, FIXTURES).pathname;
const fx = loadFixture<{
  mlp: { input: EncodedTensor; output: EncodedTensor };
  cnn: { input: EncodedTensor; output: EncodedTensor };
  dtypes: Record<string, EncodedTensor>;
}>(new URL("interop.json", FIXTURES));
const dir = mkdtempSync(join(tmpdir(), "tsgrad-safetensors-"));

/** gen_interop.py's Sequential(Linear(2, 32), ReLU(), Linear(32, 1)). */
const mlp = (): tg.nn.Sequential => new nn.Sequential(new nn.Linear(2, 32), new nn.ReLU(), new nn.Linear(32, 1));

/** gen_interop.py's CNN, field for field (PyTorch's attribute names are its state dict's). */
class CNN extends nn.Module {
  conv = new nn.Conv2d(1, 4, 3, { padding: 1 });
  bn = new nn.BatchNorm2d(4);
  pool = new nn.MaxPool2d(2);
  fc = new nn.Linear(4 * 4 * 4, 3);
  forward(x: tg.Tensor): tg.Tensor {
    const pooled = this.pool.forward(this.bn.forward(this.conv.forward(x)).relu()) as tg.Tensor;
    return this.fc.forward(pooled.flatten(1));
  }
}

if (!hasTorch) console.log("interop-safetensors: PyTorch's read-back checks skipped: /usr/bin/python3 cannot import torch (install python3-torch)");
const python = checkInterop;

describe("safetensors written by PyTorch's side", () => {
  it("loads the MLP's state dict under PyTorch's names and computes PyTorch's output", () => {
    const sd = loadSafetensors(fixturePath("mlp.safetensors"));
    expect(Object.keys(sd)).toEqual(["0.weight", "0.bias", "2.weight", "2.bias"]);
    expect(sd["0.weight"].shape).toEqual([32, 2]);
    expect(loadSafetensorsMetadata(fixturePath("mlp.safetensors"))).toEqual({ format: "pt", source: "gen_interop.py" });
    const net = mlp();
    net.loadStateDict(sd);
    expectClose(net.forward(decode(fx.mlp.input)), fx.mlp.output, "mlp output", F32.rtol, F32.atol);
  });

  it("loads the CNN (BatchNorm's int64 num_batches_tracked as int32) and computes PyTorch's eval output", () => {
    const sd = loadSafetensors(fixturePath("cnn.safetensors"));
    expect(sd["bn.num_batches_tracked"].dtype).toBe("int32");
    expect(sd["bn.num_batches_tracked"].item()).toBe(3);
    const net = new CNN();
    expect(Object.keys(sd)).toEqual(Object.keys(net.stateDict()));
    net.loadStateDict(sd);
    net.eval();
    expectClose(net.forward(decode(fx.cnn.input)), fx.cnn.output, "cnn output", F32.rtol, F32.atol);
  });

  it("reads every dtype: F16 and BF16 exactly as float32, I64 as int32, 0-d and empty tensors", () => {
    const sd = tg.decodeSafetensors(readFileSync(fixturePath("dtypes.safetensors")));
    const dtypes: Record<string, tg.DType> = { f64: "float64", f32: "float32", f16: "float32", bf16: "float32", i64: "int32", i32: "int32", i16: "int16", i8: "int8", u8: "uint8", bool: "bool", scalar: "float32", empty: "float32" };
    expect(Object.keys(sd)).toEqual(Object.keys(dtypes));
    for (const [name, dtype] of Object.entries(dtypes)) {
      expect(sd[name].dtype, name).toBe(dtype);
      expectClose(sd[name], fx.dtypes[name], name, 0, 0);
    }
    expect(sd.scalar.shape).toEqual([]);
    expect(sd.empty.shape).toEqual([0, 3]);
  });

  it("refuses an I64 value outside int32's range, naming the tensor, the element and the value", () => {
    expect(() => loadSafetensors(fixturePath("int64_overflow.safetensors"))).toThrow(/loadSafetensors: element 1 of the I64 tensor "big" is 2147483648, outside int32's range/);
  });
});

describe("safetensors written by tsgrad", () => {
  it("lays out the published format: 8-byte LE length, space-padded JSON header, tensors in state-dict order", () => {
    const net = mlp();
    const bytes = tg.encodeSafetensors(net.stateDict(), { metadata: { format: "pt" } });
    const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, { dtype: string; shape: number[]; data_offsets: number[] }>;
    expect(Object.keys(header)).toEqual(["__metadata__", "0.weight", "0.bias", "2.weight", "2.bias"]);
    expect(header["0.weight"]).toEqual({ dtype: "F32", shape: [32, 2], data_offsets: [0, 256] });
    expect(header["2.bias"].data_offsets).toEqual([256 + 128 + 128, 256 + 128 + 128 + 4]);
    expect(bytes.length).toBe(8 + n + 516);
    // The data is the weight's own float32 bytes.
    expect(new Float32Array(bytes.slice(8 + n, 8 + n + 256).buffer)).toEqual((net.at(0) as tg.nn.Linear).weight.dataSync());
  });

  it("round-trips every dtype, views (as contiguous copies), 0-d and empty tensors, and odd names", () => {
    const base = tg.arange(0, 12, 1, { dtype: "float64" }).reshape(3, 4);
    const tensors: Record<string, tg.Tensor> = {
      t: base.T, narrow: base.narrow(1, 1, 2), i32: tg.tensor([-5, 7], { dtype: "int32" }), i16: tg.tensor([-3], { dtype: "int16" }),
      i8: tg.tensor([-128, 127], { dtype: "int8" }), u8: tg.tensor([255], { dtype: "uint8" }), b: tg.tensor([true, false]),
      zeroD: tg.tensor(3.5), empty: tg.zeros([2, 0]), "with \"quote\"": tg.tensor([2]),
    };
    Object.defineProperty(tensors, "__proto__", { value: tg.tensor([1]), enumerable: true });
    const back = tg.decodeSafetensors(tg.encodeSafetensors(tensors));
    expect(Object.keys(back)).toEqual(Object.keys(tensors));
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    for (const [name, t] of Object.entries(tensors)) {
      expect(back[name].dtype, name).toBe(t.dtype);
      expect(back[name].shape, name).toEqual(t.shape);
      expect(back[name].toArray(), name).toEqual(t.toArray());
    }
  });

  it("saveSafetensors takes a module, writes the same bytes as encodeSafetensors, with a verified checksum", () => {
    const net = mlp();
    const path = join(dir, "module.safetensors");
    saveSafetensors(net, path, { checksum: true });
    expect(new Uint8Array(readFileSync(path))).toEqual(tg.encodeSafetensors(net.stateDict(), { checksum: true }));
    expect(loadSafetensorsMetadata(path).sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(loadSafetensors(path)["2.bias"].toArray()).toEqual((net.at(2) as tg.nn.Linear).bias!.toArray());
  });

  it.skipIf(!hasTorch)("PyTorch reads tsgrad's files into the same architectures and computes tsgrad's outputs", () => {
    for (const [arch, net, input] of [["mlp", mlp(), fx.mlp.input], ["cnn", new CNN(), fx.cnn.input]] as const) {
      net.eval();
      const path = join(dir, `${arch}.safetensors`);
      saveSafetensors(net.stateDict(), path);
      expectPyTorchComputes(arch, net, input, path, dir);
    }
  });

  it.skipIf(!hasTorch)("PyTorch reads every dtype tsgrad writes, bit for bit, with the metadata", () => {
    const tensors = {
      f64: tg.tensor([1.5, -0, NaN, Infinity], { dtype: "float64" }), f32: tg.tensor([[0.1, -2], [3e38, 1e-45]]),
      i32: tg.tensor([-(2 ** 31), 2 ** 31 - 1], { dtype: "int32" }), i16: tg.tensor([-32768], { dtype: "int16" }),
      i8: tg.tensor([-1], { dtype: "int8" }), u8: tg.tensor([200], { dtype: "uint8" }), bool: tg.tensor([false, true]),
      view: tg.arange(6).reshape(2, 3).T,
    };
    const path = join(dir, "dtypes.safetensors");
    saveSafetensors(tensors, path, { metadata: { epoch: "7" } });
    const got = python("tensors", path) as { tensors: Record<string, EncodedTensor>; metadata: Record<string, string> };
    expect(got.metadata).toEqual({ epoch: "7" });
    expect(Object.keys(got.tensors)).toEqual(Object.keys(tensors));
    for (const [name, t] of Object.entries(tensors)) {
      expect(got.tensors[name].dtype, name).toBe(t.dtype);
      expectClose(decode(got.tensors[name]), t, name, 0, 0);
    }
  });
});

// ---------------------------------------------------------------- untrusted files

/** A safetensors file from a header object (or raw header text) and data bytes. */
function craft(header: unknown, data: number[] | Uint8Array = [], rawHeader?: string): Uint8Array {
  const json = new TextEncoder().encode(rawHeader ?? JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}
const f32 = (shape: number[], begin: number, end: number): unknown => ({ dtype: "F32", shape, data_offsets: [begin, end] });
const withLength = (n: bigint, rest: number[] = []): Uint8Array => {
  const out = new Uint8Array(8 + rest.length);
  new DataView(out.buffer).setBigUint64(0, n, true);
  out.set(rest, 8);
  return out;
};
const good = tg.encodeSafetensors({ a: tg.tensor([1, 2]), b: tg.tensor([3]) }, { checksum: true });
const flipped = good.slice();
flipped[flipped.length - 1] ^= 1;

const crafted: Array<{ what: string; bytes: Uint8Array; error: BadInputRow["error"]; names: string[] }> = [
  { what: "fewer than 8 bytes", bytes: new Uint8Array(5), error: RangeError, names: ["5 bytes", "fewer than the 8"] },
  { what: "a header above 100 MB", bytes: withLength(100_000_001n), error: RangeError, names: ["100000001", "100000000 bytes allowed"] },
  { what: "a header length past the end (truncated)", bytes: withLength(64n, [123, 125]), error: RangeError, names: ["header length 64", "2 bytes after it", "truncated"] },
  { what: "a header length of 2^64 - 1", bytes: withLength(2n ** 64n - 1n), error: RangeError, names: ["18446744073709551615"] },
  { what: "a header that is not an object", bytes: craft(null, [], "[1, 2]"), error: TypeError, names: ['does not start with "{"'] },
  { what: "invalid JSON", bytes: craft(null, [], '{"a": '), error: TypeError, names: ["not valid JSON"] },
  { what: "a header that is not UTF-8", bytes: craft(null, [], "{}").map((b, i) => (i === 9 ? 0xff : b)), error: TypeError, names: ["not UTF-8"] },
  { what: "an unknown dtype", bytes: craft({ a: { dtype: "F8_E4M3", shape: [1], data_offsets: [0, 1] } }, [0]), error: TypeError, names: ['"a"', '"F8_E4M3"', "F32, F16, BF16"] },
  { what: "a negative dim", bytes: craft({ a: f32([-1], 0, 0) }), error: TypeError, names: ['"a"', "[-1]"] },
  { what: "a missing data_offsets", bytes: craft({ a: { dtype: "F32", shape: [1] } }, [0, 0, 0, 0]), error: TypeError, names: ['"a"', "data_offsets undefined"] },
  { what: "an unexpected key", bytes: craft({ a: { ...(f32([1], 0, 4) as object), offsets: 1 } }, [0, 0, 0, 0]), error: TypeError, names: ['unexpected key "offsets"'] },
  { what: "end before begin", bytes: craft({ a: f32([0], 4, 0) }), error: RangeError, names: ['"a"', "end before begin"] },
  { what: "offsets that do not start at 0", bytes: craft({ a: f32([1], 4, 8) }, [0, 0, 0, 0, 0, 0, 0, 0]), error: RangeError, names: ["[4, 8]", '"a"', "gap after byte 0"] },
  { what: "overlapping tensors", bytes: craft({ a: f32([2], 0, 8), b: f32([1], 4, 8) }, new Uint8Array(8)), error: RangeError, names: ['"b"', "[4, 8]", 'overlaps "a"', "ends at 8"] },
  { what: "a gap between tensors", bytes: craft({ a: f32([1], 0, 4), b: f32([1], 8, 12) }, new Uint8Array(12)), error: RangeError, names: ['"b"', "gap after byte 4"] },
  { what: "a shape that does not match its offsets", bytes: craft({ a: f32([3], 0, 8) }, new Uint8Array(8)), error: RangeError, names: ['"a"', "[3]", "F32 needs 12 bytes", "hold 8"] },
  { what: "data shorter than the header says (no allocation of 4 GB)", bytes: craft({ a: f32([1e9], 0, 4e9) }, new Uint8Array(4)), error: RangeError, names: ["4000000000 bytes", "holds 4", "truncated"] },
  { what: "bytes left over", bytes: craft({ a: f32([1], 0, 4) }, new Uint8Array(6)), error: RangeError, names: ["4 bytes of data", "holds 6", "left over"] },
  { what: "metadata with a number", bytes: craft({ __metadata__: { epoch: 3 } }), error: TypeError, names: ["__metadata__", "string values"] },
  { what: "a BOOL of 2", bytes: craft({ b: { dtype: "BOOL", shape: [1], data_offsets: [0, 1] } }, [2]), error: RangeError, names: ['BOOL tensor "b"', "is 2", "0 or 1"] },
  { what: "a flipped bit under a checksum", bytes: flipped, error: Error, names: ["SHA-256", "corrupt"] },
];

describe("untrusted safetensors", () => {
  const readers: Record<string, (bytes: Uint8Array, i: number) => unknown> = {
    decodeSafetensors: (bytes) => tg.decodeSafetensors(bytes),
    loadSafetensors: (bytes, i) => {
      const path = join(dir, `crafted-${i}.safetensors`);
      writeFileSync(path, bytes);
      return loadSafetensors(path);
    },
  };
  for (const [op, read] of Object.entries(readers)) {
    crafted.forEach((c, i) => {
      it(`${op}: ${c.what}`, () => expectBadInput({ what: c.what, op, error: c.error, names: c.names, call: () => read(c.bytes, i) }));
    });
  }

  it("names the input that is not bytes, and a file that does not exist", () => {
    expect(() => tg.decodeSafetensors("abc" as unknown as Uint8Array)).toThrow(/decodeSafetensors: expected the bytes of a safetensors file \(a Uint8Array\), got "abc"/);
    expect(() => loadSafetensors(join(dir, "missing.safetensors"))).toThrow(/loadSafetensors: cannot read ".*missing.safetensors": ENOENT/);
  });

  it("refuses what cannot be written, naming it", () => {
    expect(() => tg.encodeSafetensors({ a: [1, 2] } as unknown as Record<string, tg.Tensor>)).toThrow(/encodeSafetensors: "a" is an array of length 2, not a Tensor/);
    expect(() => tg.encodeSafetensors({ __metadata__: tg.tensor([1]) })).toThrow(/encodeSafetensors: a tensor cannot be named "__metadata__"/);
    expect(() => tg.encodeSafetensors({}, { metadata: { a: 1 } as unknown as Record<string, string> })).toThrow(/encodeSafetensors: .*metadata.*string values/);
    expect(() => saveSafetensors({}, join(dir, "x.safetensors"), { check_sum: true } as SafetensorsOptions)).toThrow(/saveSafetensors: unknown option "check_sum"/);
    expect(() => saveSafetensors(tg.tensor([1]) as unknown as Record<string, tg.Tensor>, join(dir, "x.safetensors"))).toThrow(/saveSafetensors: expected an object of named tensors \(a state dict\), got a Tensor/);
  });
});
