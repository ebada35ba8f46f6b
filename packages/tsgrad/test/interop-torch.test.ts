/**
 * Reading `torch.save` files (issue 12): state dicts PyTorch wrote (tools/fixtures/gen_interop.py)
 * load into tsgrad models that compute PyTorch's outputs; views keep their offsets and strides and
 * shared storages stay shared; an Adam state dict keeps its nesting; every storage dtype loads.
 * Untrusted files (a pickle that calls os.system or eval, offsets past a storage, a truncated zip,
 * int64 overflow) are refused with errors that name what is wrong, by `decodeTorch` (bytes, unzipped
 * by fflate) and `loadTorch` (the zip's directory and records read by file handle) alike.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import * as tg from "tsgrad";
import { loadTorch, saveTorch } from "tsgrad/node";
import { decode, expectClose, expectBadInput, loadFixture, type EncodedTensor } from "../../../tools/test-utils.js";
import { F32, checkInterop, expectPyTorchComputes, hasTorch } from "./check-interop.js";

const { nn } = tg;
const FIXTURES = new URL("./fixtures/interop/", import.meta.url);
const fixturePath = (name: string): string => new URL(name, FIXTURES).pathname;
const fx = loadFixture<{
  mlp: { input: EncodedTensor; output: EncodedTensor };
  cnn: { input: EncodedTensor; output: EncodedTensor };
  dtypes: Record<string, EncodedTensor>;
  views: Record<string, EncodedTensor>;
  optimizer: { state: Record<string, Record<string, EncodedTensor>>; param_groups: Array<Record<string, unknown>> };
}>(new URL("interop.json", FIXTURES));

type StateDict = Record<string, tg.Tensor>;
const mlp = (): tg.nn.Sequential => new nn.Sequential(new nn.Linear(2, 32), new nn.ReLU(), new nn.Linear(32, 1));

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

describe("loadTorch: state dicts PyTorch saved", () => {
  // mlp_zip64.pt and mlp_deflated.pt hold mlp.pt's records, rezipped by Python's zipfile.
  for (const file of ["mlp.pt", "mlp_protocol4.pt", "mlp_zip64.pt", "mlp_deflated.pt"]) {
    for (const [op, read] of [["loadTorch", loadTorch], ["decodeTorch", (p: string) => tg.decodeTorch(readFileSync(p))]] as const) {
      it(`${file} through ${op}: the MLP under PyTorch's keys computes PyTorch's output`, () => {
        const sd = read(fixturePath(file)) as StateDict;
        expect(Object.keys(sd)).toEqual(["0.weight", "0.bias", "2.weight", "2.bias"]);
        const net = mlp();
        net.loadStateDict(sd);
        expectClose(net.forward(decode(fx.mlp.input)), fx.mlp.output, "mlp output", F32.rtol, F32.atol);
      });
    }
  }

  it("cnn.pt: conv, batch norm (int64 num_batches_tracked as int32), linear compute PyTorch's eval output", () => {
    const sd = loadTorch(fixturePath("cnn.pt")) as StateDict;
    expect(sd["bn.num_batches_tracked"].dtype).toBe("int32");
    const net = new CNN();
    net.loadStateDict(sd);
    net.eval();
    expectClose(net.forward(decode(fx.cnn.input)), fx.cnn.output, "cnn output", F32.rtol, F32.atol);
  });

  it("the Uint8Array form reads the same; parameters (nn.Parameter) come back requiring grad", () => {
    const sd = tg.decodeTorch(readFileSync(fixturePath("mlp.pt"))) as StateDict;
    expect(sd["0.weight"].requiresGrad).toBe(false);
    const params = loadTorch(fixturePath("parameters.pt")) as tg.Tensor[];
    expect(params.map((p) => p.shape)).toEqual([[32, 2], [32], [1, 32], [1]]);
    expect(params.every((p) => p.requiresGrad && p.isLeaf)).toBe(true);
    expect(params[0].toArray()).toEqual(sd["0.weight"].toArray());
  });

  it("every storage dtype: float16/bfloat16 exactly as float32, int64 as int32, 0-d and empty", () => {
    const sd = loadTorch(fixturePath("dtypes.pt")) as StateDict;
    const dtypes: Record<string, tg.DType> = { f64: "float64", f32: "float32", f16: "float32", bf16: "float32", i64: "int32", i32: "int32", i16: "int16", i8: "int8", u8: "uint8", bool: "bool", scalar: "float32", empty: "float32" };
    expect(Object.keys(sd)).toEqual(Object.keys(dtypes));
    for (const [name, dtype] of Object.entries(dtypes)) {
      expect(sd[name].dtype, name).toBe(dtype);
      expectClose(sd[name], fx.dtypes[name], name, 0, 0);
    }
  });

  it("views keep their offsets and strides, over one shared storage as in PyTorch", () => {
    const v = loadTorch(fixturePath("views.pt")) as StateDict;
    for (const [name, expected] of Object.entries(fx.views)) expectClose(v[name], expected, name, 0, 0);
    expect(v.transposed.strides).toEqual([1, 6]);
    expect(v.column.offset).toBe(2);
    expect(v.block.offset).toBe(9);
    expect(v.expanded.strides).toEqual([0, 1]);
    expect(v.other.offset).toBe(1);
    // base, transposed, column and block share one storage: a write through one shows in the others.
    for (const name of ["transposed", "column", "block"]) expect(v[name].data, name).toBe(v.base.data);
    tg.noGrad(() => v.base.fill_(-1));
    expect(v.block.toArray()).toEqual([[-1, -1], [-1, -1]]);
    expect(v.expanded.data).not.toBe(v.base.data);
  });

  it("an optimizer checkpoint: nested dicts, lists, tuples, ints, floats, None, with Adam's tensors", () => {
    const ckpt = loadTorch(fixturePath("optimizer.pt")) as {
      optimizer: { state: Record<string, Record<string, tg.Tensor>>; param_groups: Array<Record<string, unknown>> };
      epoch: number; loss: number; note: null; pair: unknown[];
    };
    expect([ckpt.epoch, ckpt.loss, ckpt.note, ckpt.pair]).toEqual([2, 0.25, null, [1, "a"]]);
    expect(ckpt.optimizer.param_groups).toEqual(fx.optimizer.param_groups);
    expect(ckpt.optimizer.param_groups[0].betas).toEqual([0.8, 0.99]);
    expect(Object.keys(ckpt.optimizer.state)).toEqual(["0", "1", "2", "3"]);
    for (const [i, state] of Object.entries(fx.optimizer.state)) {
      expect(Object.keys(ckpt.optimizer.state[i])).toEqual(Object.keys(state));
      for (const [k, expected] of Object.entries(state)) expectClose(ckpt.optimizer.state[i][k], expected, `state ${i}.${k}`, 0, 0);
    }
  });
});

// ---------------------------------------------------------------- saveTorch


describe("saveTorch writes what torch.load reads", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsgrad-save-torch-"));
  const dtypes = {
    f64: tg.tensor([1.5, -0, NaN, Infinity], { dtype: "float64" }), f32: tg.tensor([[0.1, -2], [3e38, 1e-45]]),
    i32: tg.tensor([-(2 ** 31), 2 ** 31 - 1], { dtype: "int32" }), i16: tg.tensor([-32768], { dtype: "int16" }),
    i8: tg.tensor([-1], { dtype: "int8" }), u8: tg.tensor([200], { dtype: "uint8" }), bool: tg.tensor([false, true]),
    view: tg.arange(6).reshape(2, 3).T, scalar: tg.tensor(2.5), empty: tg.zeros([0, 3]),
  };

  it("round-trips through loadTorch: tensors of every dtype (views saved contiguous), nesting, numbers, int keys", () => {
    const value = { model: dtypes, epoch: 3, big: 2 ** 40, lrs: [0.1, -0, NaN, -Infinity], note: "é", none: null, flags: [true, false], state: { 0: { step: 2 }, 7: {} } };
    const path = join(dir, "mixed.pt");
    saveTorch(value, path);
    const back = loadTorch(path) as typeof value;
    for (const [name, t] of Object.entries(dtypes)) {
      expect(back.model[name as keyof typeof dtypes].dtype, name).toBe(t.dtype);
      expect(back.model[name as keyof typeof dtypes].toArray(), name).toEqual(t.toArray());
    }
    expect(back.model.view.isContiguous()).toBe(true);
    expect([back.epoch, back.big, back.note, back.none, back.flags]).toEqual([3, 2 ** 40, "é", null, [true, false]]);
    expect(back.lrs).toEqual([0.1, -0, NaN, -Infinity]);
    expect(Object.keys(back.state)).toEqual(["0", "7"]);
  });

  it.skipIf(!hasTorch)("PyTorch loads tsgrad's state dicts (weights_only) into the same architectures and computes tsgrad's outputs", () => {
    for (const [arch, net, input] of [["mlp", mlp(), fx.mlp.input], ["cnn", new CNN().eval(), fx.cnn.input]] as const) {
      const path = join(dir, `${arch}.pt`);
      saveTorch(net.stateDict(), path);
      expectPyTorchComputes(arch, net, input, path, dir);
    }
    const path = join(dir, "dtypes.pt");
    saveTorch(dtypes, path);
    const got = checkInterop("tensors", path) as { tensors: Record<string, EncodedTensor & { dtype: string }> };
    for (const [name, t] of Object.entries(dtypes)) {
      expect(got.tensors[name].dtype, name).toBe(t.dtype);
      expectClose(t, got.tensors[name], name, 0, 0);
    }
  });

  it("refuses what it cannot store, naming where", () => {
    const path = join(dir, "never.pt");
    expect(() => saveTorch({ a: { f: () => 1 } }, path)).toThrow("saveTorch: cannot store function at a.f");
    const cyclic: Record<string, unknown> = {};
    cyclic.self = [cyclic];
    expect(() => saveTorch(cyclic, path)).toThrow("saveTorch: cyclic reference at self[0]");
    expect(() => saveTorch({ m: new Map() }, path)).toThrow(/saveTorch: cannot store .*Map.* at m/);
  });
});

// ---------------------------------------------------------------- untrusted files

const mlpBytes = new Uint8Array(readFileSync(fixturePath("mlp.pt")));
/** mlp.pt with its records changed by `edit` (a zip written by fflate, stored, as torch.save's). */
function rezip(edit: (files: Record<string, Uint8Array>) => void): Uint8Array {
  const files = unzipSync(mlpBytes);
  edit(files);
  return zipSync(files, { level: 0 });
}
/** Where mlp.pt's central directory entry `k` starts, and a copy of mlp.pt with `edit` applied to that entry's fields. */
function editDirectory(k: number, edit: (entry: DataView) => void): Uint8Array {
  const bytes = mlpBytes.slice();
  const view = new DataView(bytes.buffer);
  const starts: number[] = [];
  for (let i = 0; i + 4 <= bytes.length; i++) if (view.getUint32(i, true) === 0x02014b50) starts.push(i);
  edit(new DataView(bytes.buffer, starts[k]));
  return bytes;
}
const pickle = (...bytes: number[]): Uint8Array => zipSync({ "x/data.pkl": new Uint8Array(bytes) }, { level: 0 });
const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

/** `fileOnly`: a check of loadTorch's directory reader (fflate, reading bytes in memory, trusts the local headers instead). */
const untrusted: Array<{ what: string; bytes: () => Uint8Array; error: typeof Error; names: string[]; fileOnly?: true }> = [
  { what: "a pickle that calls os.system", bytes: () => readFileSync(fixturePath("evil.pt")), error: TypeError, names: ['"posix.system"', "weights-only", "torch._utils._rebuild_tensor_v2"] },
  { what: "a protocol-4 pickle that calls eval", bytes: () => readFileSync(fixturePath("evil_protocol4.pt")), error: TypeError, names: ['"builtins.eval"'] },
  { what: "a tensor past its storage's end", bytes: () => readFileSync(fixturePath("bad_offset.pt")), error: RangeError, names: ["shape [4]", "storage offset 3", "reaches element 6", "holds 4"] },
  { what: "an int64 beyond int32", bytes: () => readFileSync(fixturePath("int64_overflow.pt")), error: RangeError, names: ["element 1", "torch.LongStorage", "-2147483649", "int32"] },
  { what: "a truncated zip", bytes: () => mlpBytes.subarray(0, mlpBytes.length >> 1), error: TypeError, names: ["not a readable torch.save zip archive", "truncated"] },
  { what: "not a zip", bytes: () => new Uint8Array([1, 2, 3, 4]), error: TypeError, names: ['no zip signature "PK"'] },
  { what: "the legacy pickle format", bytes: () => new Uint8Array([0x80, 0x02, 0x8a, 0x0a]), error: TypeError, names: ["legacy (pre-1.6) format"] },
  { what: "a zip without data.pkl", bytes: () => zipSync({ "a.txt": new Uint8Array([1]) }), error: TypeError, names: ["0 data.pkl records"] },
  { what: "a TorchScript archive", bytes: () => rezip((f) => { f["mlp/constants.pkl"] = new Uint8Array([0x80, 2, 0x29, 0x2e]); }), error: TypeError, names: ["TorchScript"] },
  { what: "a storage record shorter than its numel", bytes: () => rezip((f) => { f["mlp/data/0"] = f["mlp/data/0"].subarray(4); }), error: RangeError, names: ['storage "0"', "64 elements of torch.FloatStorage (256 bytes)", "holds 252 bytes"] },
  { what: "a missing storage record", bytes: () => rezip((f) => { delete f["mlp/data/3"]; }), error: RangeError, names: ['storage "3"', '"mlp/data/3"'] },
  { what: "a truncated pickle", bytes: () => rezip((f) => { f["mlp/data.pkl"] = f["mlp/data.pkl"].subarray(0, 100); }), error: TypeError, names: ["malformed pickle", "data.pkl"] },
  { what: "an unknown opcode", bytes: () => pickle(0x80, 2, 0x69), error: TypeError, names: ["opcode 0x69"] },
  { what: "a GET of a memo never stored", bytes: () => pickle(0x80, 2, 0x68, 7, 0x2e), error: TypeError, names: ["memo entry 7"] },
  { what: "a REDUCE on a plain value", bytes: () => pickle(0x80, 2, 0x4b, 1, 0x29, 0x52, 0x2e), error: TypeError, names: ["REDUCE calls the number 1"] },
  { what: "BUILD on a list (setting attributes)", bytes: () => pickle(0x80, 2, 0x5d, 0x7d, 0x62, 0x2e), error: TypeError, names: ["BUILD sets the state of a list"] },
  { what: "an integer beyond 2^53", bytes: () => pickle(0x80, 2, 0x8a, 8, 0, 0, 0, 0, 0, 0, 0, 0x40, 0x2e), error: RangeError, names: ["4611686018427387904", "2^53"] },
  // The zip's own structure (central directory entry 1 is mlp/data/0, 256 bytes).
  { what: "a record past the file's end", bytes: () => editDirectory(1, (e) => e.setUint32(42, 1 << 30, true)), error: TypeError, names: ["not a readable torch.save zip archive", "past the file's end"], fileOnly: true },
  { what: "a stored record whose sizes disagree", bytes: () => editDirectory(1, (e) => e.setUint32(24, 1 << 20, true)), error: TypeError, names: ["not a readable torch.save zip archive", '"mlp/data/0"', "1048576"], fileOnly: true },
  { what: "a deflated record that claims to expand 1 GB", bytes: () => editDirectory(1, (e) => { e.setUint16(10, 8, true); e.setUint32(24, 1 << 30, true); }), error: RangeError, names: ['"mlp/data/0"', "claims to expand 256 bytes to 1073741824"] },
  { what: "a storage type called as a function", bytes: () => pickle(0x80, 2, 0x63, ...ascii("torch\nFloatStorage\n"), 0x29, 0x52, 0x2e), error: TypeError, names: ["torch.FloatStorage can only name a storage's type"] },
];

describe("loadTorch and decodeTorch refuse untrusted files", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsgrad-untrusted-pt-"));
  untrusted.forEach((c, i) => {
    it(c.what, () => {
      const bytes = new Uint8Array(c.bytes());
      if (!c.fileOnly) {
        expectBadInput({ what: c.what, op: "decodeTorch", error: c.error, names: c.names, call: () => tg.decodeTorch(bytes) });
      }
      const path = join(dir, `case${i}.pt`);
      writeFileSync(path, bytes);
      expectBadInput({ what: c.what, op: "loadTorch", error: c.error, names: c.names, call: () => loadTorch(path) });
    });
  });
  it("loadTorch names its own op and a missing file", () => {
    expect(() => loadTorch(fixturePath("evil.pt"))).toThrow(/^loadTorch: the file refers to the Python global "posix.system"/);
    expect(() => loadTorch(fixturePath("missing.pt"))).toThrow(/loadTorch: cannot read ".*missing.pt": ENOENT/);
    expect(() => tg.decodeTorch("x" as unknown as Uint8Array)).toThrow(/decodeTorch: expected the bytes of a torch.save file \(a Uint8Array\)/);
  });
});
