import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { arange, pad, randint, randn, manualSeed } from "@tsgrad/core";
import { gatherRowsWasm } from "../src/kernels/wasm/rows.js";
import { ROWS_WAT_SHA256 } from "../src/kernels/wasm/rows-bytes.js";

// What gatherRowsWasm must write, by the definition in its doc comment.
function reference<T extends Float32Array | Float64Array | Int32Array | Int16Array | Uint8Array>(
  out: T, src: T, bases: Int32Array, outStride: number, at: number, from: number, length: number, fill: number,
): T {
  const expected = out.slice() as T;
  expected.fill(fill);
  bases.forEach((base, r) => {
    if (base >= 0) for (let i = 0; i < length; i++) expected[r * outStride + at + i] = src[base + from + i];
  });
  return expected;
}

describe("gatherRowsWasm (rows.wat)", () => {
  it("rows-bytes.ts is compiled from the current rows.wat", () => {
    const wat = readFileSync(new URL("../src/kernels/wasm/rows.wat", import.meta.url), "utf8");
    expect(createHash("sha256").update(wat).digest("hex")).toBe(ROWS_WAT_SHA256);
  });

  const types = [Float32Array, Float64Array, Int32Array, Int16Array, Uint8Array] as const;
  for (const Ctor of types) {
    it(`gathers ${Ctor.name} rows at odd offsets and lengths, skipped rows and borders filled`, () => {
      const [rows, outStride, at, from, length] = [3001, 41, 3, 5, 33];
      const src = new Ctor(rows * 40 + 64).map((_, i) => (i * 7919) % 251);
      // Rows in a scrambled order, every 7th skipped, some reading the same source row.
      const bases = Int32Array.from({ length: rows }, (_, r) => (r % 7 === 3 ? -1 : ((r * 37) % rows) * 13 % (rows * 40 - 40)));
      const out = new Ctor(rows * outStride).fill(99);
      const expected = reference(out, src, bases, outStride, at, from, length, 2);
      expect(gatherRowsWasm(out, src, bases, outStride, at, from, length, 2)).toBe(true);
      expect(Array.from(out)).toEqual(Array.from(expected));
    });
  }

  it("copies float bits exactly (NaN payloads, -0, subnormals)", () => {
    const words = new Uint32Array([0x7fc00001, 0xffc12345, 0x80000000, 0x00000001, 0x7f800000, 0x3f800000]);
    const src = new Float32Array(new Uint32Array(60000).map((_, i) => words[i % words.length]).buffer);
    const bases = Int32Array.from({ length: 1000 }, (_, r) => r * 60);
    const out = new Float32Array(1000 * 60);
    expect(gatherRowsWasm(out, src, bases, 60, 0, 0, 60)).toBe(true);
    expect(Array.from(new Uint32Array(out.buffer))).toEqual(Array.from(new Uint32Array(src.buffer)));
  });

  it("declines, writing nothing, where the detour does not pay or cannot run", () => {
    const small = new Float32Array(100);
    expect(gatherRowsWasm(small, new Float32Array(100), new Int32Array(10), 10, 0, 0, 10)).toBe(false);
    expect(Array.from(small)).toEqual(new Array(100).fill(0));
    // A few rows of a large table: copying the table in would cost more than the rows.
    const sparse = new Float32Array(1000 * 64);
    expect(gatherRowsWasm(sparse, new Float32Array(100_000 * 64), Int32Array.from({ length: 1000 }, (_, r) => r * 6400), 64, 0, 0, 64)).toBe(false);
    expect(gatherRowsWasm(new Float32Array(1000 * 64), new Float32Array(64_000), new Float64Array(1000), 64, 0, 0, 64)).toBe(false);
    expect(gatherRowsWasm(new Float32Array(1000 * 64), new Float64Array(64_000), new Int32Array(1000), 64, 0, 0, 64)).toBe(false);
    expect(gatherRowsWasm(new Float32Array(1000 * 64), new Float32Array(64_000), new Int32Array(1000).fill(-1), 64, 0, 0, 64)).toBe(false);
  });

  it("drops a memory grown past what it keeps, and the next call still works", () => {
    const rows = 40_000;
    const src = new Float32Array(rows * 128).map((_, i) => i);
    const bases = Int32Array.from({ length: rows }, (_, r) => (rows - 1 - r) * 128);
    const out = new Float32Array(rows * 128); // 20 MB in and out: past the 16 MiB kept
    expect(gatherRowsWasm(out, src, bases, 128, 0, 0, 128)).toBe(true);
    expect([out[0], out[127], out[out.length - 128]]).toEqual([(rows - 1) * 128, (rows - 1) * 128 + 127, 0]);
    const again = new Float32Array(1000 * 64);
    expect(gatherRowsWasm(again, src, Int32Array.from({ length: 1000 }, (_, r) => r * 64), 64, 0, 0, 64)).toBe(true);
    expect(Array.from(again)).toEqual(Array.from(src.subarray(0, 64_000)));
  });
});

describe("the large-array paths of pad and indexing agree with their definitions", () => {
  it("constant pad of a [2, 3, 70, 70] float32 (and a bool), with and without a value, cropping too", () => {
    manualSeed(0);
    const x = randn([2, 3, 70, 70]);
    const xs = x.toArray() as number[][][][];
    for (const [p, value] of [[[2, 3, 1, 4], 0], [[2, 3, 1, 4], -1.5], [[-1, 2, 3, -2], 7]] as const) {
      const y = pad(x, [...p], { value });
      const [h, w] = [70 + p[2] + p[3], 70 + p[0] + p[1]];
      expect(y.shape).toEqual([2, 3, h, w]);
      const expected = xs.map((img) => img.map((plane) => Array.from({ length: h }, (_, i) => Array.from({ length: w }, (_, j) => {
        const [si, sj] = [i - p[2], j - p[0]];
        return si >= 0 && si < 70 && sj >= 0 && sj < 70 ? plane[si][sj] : Math.fround(value);
      }))));
      expect(y.toArray()).toEqual(expected);
    }
    const mask = x.gt(0);
    const padded = pad(mask, [1, 1, 1, 1], { value: 1 });
    expect(padded.dtype).toBe("bool");
    expect(padded.sum().item()).toBe(mask.sum().item() + 2 * 3 * (72 * 72 - 70 * 70));
  });

  it("x[idx] of a [10000, 64] table, and of a non-contiguous view of one", () => {
    manualSeed(1);
    const table = randn([10000, 64]);
    const idx = randint(0, 10000, [4096]);
    const picks = idx.toArray() as number[];
    const rows = table.toArray() as number[][];
    expect(table.index(idx).toArray()).toEqual(picks.map((i) => rows[i]));
    // Every other column of a wider table: strided rows, the JS path; same answer by definition.
    const wide = arange(10000 * 128).reshape(10000, 128).to("float32");
    const view = wide.slice(1, 0, 128, 2);
    expect(view.index(idx).toArray()).toEqual(picks.map((i) => Array.from({ length: 64 }, (_, j) => i * 128 + 2 * j)));
  });
});
