/** save / load (and serialize / deserialize): exact round trips of tensors and the data around them. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Tensor, tensor, randn, serialize, deserialize } from "@tsgrad/core";
import { save, load } from "@tsgrad/core/node";
import { encodeBase64, decodeBase64 } from "../src/serialize.js";

const dir = mkdtempSync(join(tmpdir(), "tsgrad-serialize-"));

describe("save and load", () => {
  it("round-trips every dtype exactly, NaN and ±Infinity included, as fresh contiguous tensors", () => {
    const values = {
      f32: tensor([[1.5, NaN], [Infinity, -Infinity]]),
      f64: tensor([0.1, 1e-300, -0], { dtype: "float64" }),
      i32: tensor([-2147483648, 0, 2147483647], { dtype: "int32" }),
      b: tensor([true, false, true]),
      scalar: tensor(3.25),
      empty: tensor(new Float32Array(0), { shape: [0, 3] }),
      view: randn([3, 4]).T,
    };
    const path = join(dir, "tensors.json");
    save(values, path);
    const back = load(path) as Record<string, Tensor>;
    for (const [name, t] of Object.entries(values)) {
      const r = back[name];
      expect([name, r.dtype, r.shape]).toEqual([name, t.dtype, t.shape]);
      expect(Array.from(r.dataSync()).map(String)).toEqual(Array.from(t.dataSync()).map(String));
      expect(r.data).not.toBe(t.data);
    }
    expect(Object.is(back.f64.dataSync()[2], -0)).toBe(true);
  });

  it("keeps the plain data around tensors: numbers (non-finite too), strings, booleans, null, nesting", () => {
    const state = { step: 3, lr: 1e-3, betas: [0.9, 0.999], best: -Infinity, name: "adam", amsgrad: false, extra: null, nested: { buf: [tensor([1, 2])] } };
    const back = deserialize(serialize(state)) as typeof state;
    expect({ ...back, nested: undefined }).toEqual({ ...state, nested: undefined });
    expect(back.nested.buf[0].toArray()).toEqual([1, 2]);
  });

  it("refuses what it cannot store and files that are not its own, with clear messages", () => {
    expect(() => serialize({ w: new Map() })).toThrow("serialize: cannot store Map at w; only tensors, numbers, strings, booleans, null, arrays and plain objects");
    expect(() => serialize({ f: () => 1 })).toThrow(/serialize: cannot store function at f;/);
    expect(() => deserialize("{")).toThrow(/deserialize: not a tsgrad file \(invalid JSON/);
    expect(() => deserialize('{"value": 1}')).toThrow('deserialize: not a tsgrad file (no "format": "tsgrad" header)');
    expect(() => deserialize('{"format": "tsgrad", "version": 9, "value": 1}')).toThrow("deserialize: file format version 9 is not supported");
    const path = join(dir, "short.json");
    writeFileSync(path, JSON.stringify({ format: "tsgrad", version: 1, value: { $tensor: { dtype: "float32", shape: [2], data: "AAAA" } } }));
    expect(() => load(path)).toThrow("load: the tensor at the top level of shape [2] and dtype float32 needs 8 bytes, the file holds 3");
  });
});

describe("serialize and deserialize: bytes in every runtime", () => {
  it("serialize gives UTF-8 bytes, the very bytes save writes; deserialize takes them or their text", () => {
    const value = { w: randn([3, 2]), name: "é→", step: 7 };
    const bytes = serialize(value);
    expect(bytes).toBeInstanceOf(Uint8Array);
    const path = join(dir, "bytes.json");
    save(value, path);
    expect(new Uint8Array(readFileSync(path))).toEqual(bytes);
    for (const input of [bytes, new TextDecoder().decode(bytes)]) {
      const back = deserialize(input) as typeof value;
      expect(back.name).toBe("é→");
      expect(Array.from(back.w.dataSync())).toEqual(Array.from(value.w.dataSync()));
    }
  });

  it("encodes base64 exactly as RFC 4648 (Buffer's) for every length and byte value, and decodes it back", () => {
    for (const n of [...Array(70).keys(), 3 << 14, (3 << 14) + 1, (3 << 15) + 2]) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 97 + n * 31) & 255);
      expect(encodeBase64(bytes)).toBe(Buffer.from(bytes).toString("base64"));
      const back = new Uint8Array(n);
      expect(decodeBase64(encodeBase64(bytes), back)).toBe(true);
      expect(back).toEqual(bytes);
    }
    const all = new Uint8Array(256).map((_, i) => i);
    expect(encodeBase64(all)).toBe(Buffer.from(all).toString("base64"));
    expect(decodeBase64("AB=C", new Uint8Array(2))).toBe(false);
    expect(decodeBase64("AB*C", new Uint8Array(3))).toBe(false);
    expect(decodeBase64("ABé=", new Uint8Array(2))).toBe(false);
  });

  it("rejects bytes that are not UTF-8 and inputs that are neither bytes nor text", () => {
    expect(() => deserialize(new Uint8Array([0x7b, 0xff, 0x7d]))).toThrow("deserialize: not a tsgrad file (its bytes are not UTF-8 text)");
    expect(() => deserialize(new Float32Array(2) as unknown as Uint8Array)).toThrow(/deserialize: expected the bytes of a tsgrad file \(a Uint8Array\) or its text \(a string\), got/);
  });
});
