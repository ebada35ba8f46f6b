/**
 * pad and advanced indexing copy rows through kernels/runs.ts's RunCopier: 8-byte word moves for
 * rows of 16 to 2047 elements, TypedArray.set beyond, an element loop below; the fixtures' shapes
 * are small, so these check the long-row paths against compositions that share no code with them,
 * and that word moves keep every bit (NaN payloads included) of every dtype.
 */
import { describe, expect, it } from "vitest";
import { arange, cat, full, pad, tensor, Tensor, type DType } from "@tsgrad/core";

const wide = (rows: number, width: number): Tensor => arange(rows * width).reshape(rows, width).to("float32");

describe("long-row copies", () => {
  it.each([31, 32, 33, 64, 300])("constant pad of rows of %i equals cat with fill columns", (width) => {
    const x = wide(3, width);
    const expected = cat([full([3, 2], -1), x, full([3, 1], -1)], 1);
    expect(pad(x, [2, 1], { value: -1 }).toArray()).toEqual(expected.toArray());
  });

  it("constant pad of a 4-D input on three dims (fill rows and fill planes among copied rows) equals cat, and its gradient is the crop", () => {
    const x = arange(2 * 3 * 4 * 40).reshape(2, 3, 4, 40).to("float32").requiresGrad_();
    const y = pad(x, [2, 1, 1, 2, 1, 0], { value: 5 }); // last dim 2 | 1, dim 2: 1 | 2, dim 1: 1 | 0
    const rows = cat([full([2, 3, 1, 40], 5), x.detach(), full([2, 3, 2, 40], 5)], 2);
    const cols = cat([full([2, 3, 7, 2], 5), rows, full([2, 3, 7, 1], 5)], 3);
    const expected = cat([full([2, 1, 7, 43], 5), cols], 1);
    expect(y.toArray()).toEqual(expected.toArray());
    const g = arange(y.numel()).reshape(...y.shape).to("float32");
    y.backward(g);
    expect(x.grad!.toArray()).toEqual(g.narrow(1, 1, 3).narrow(2, 1, 4).narrow(3, 2, 40).toArray());
  });

  it("pads a transposed (non-contiguous) input row by row", () => {
    const x = wide(40, 3).T; // [3, 40], last-dim stride 3
    expect(pad(x, [1, 1]).toArray()).toEqual(pad(x.contiguous(), [1, 1]).toArray());
  });

  it.each([31, 32, 64, 257])("indexing rows of width %i by an int32 tensor equals indexSelect", (width) => {
    const x = wide(10, width);
    const idx = tensor([7, 0, 7, 3], { dtype: "int32" });
    expect(x.index(idx).toArray()).toEqual(x.indexSelect(0, idx).toArray());
    expect(x.index(idx, null).shape).toEqual([4, 1, width]);
  });

  it.each([16, 17, 33, 2047, 2048, 3000])("indexing rows of width %i at odd offsets equals indexSelect", (width) => {
    const x = wide(9, width + 1).narrow(1, 1, width); // rows start at odd offsets
    const idx = tensor([8, 1, 4, 1], { dtype: "int32" });
    expect(x.index(idx).toArray()).toEqual(x.indexSelect(0, idx).toArray());
    expect(pad(x, [3, 2]).toArray()).toEqual(cat([full([9, 3], 0), x, full([9, 2], 0)], 1).toArray());
  });

  // Every NaN pattern a pair of float32s (or 8 uint8s, 4 int16s) can form as a float64 word: the
  // high word 0x7FF00000–0xFFFFFFFF with payloads, signalling ones included.
  const patterns = (): Uint32Array => {
    const words = new Uint32Array(64 * 2);
    for (let i = 0; i < 64; i++) {
      words[2 * i] = (i * 0x9e3779b1) >>> 0;
      words[2 * i + 1] = (i % 2 ? 0xfff00000 : 0x7ff00000) | ((i * 0x1234567) & 0xfffff);
    }
    words[2] = 1; // a signalling NaN with the smallest payload
    words[3] = 0x7ff00000;
    return words;
  };
  it.each(["float32", "int32", "int16", "int8", "uint8", "float64"] as DType[])("copies every bit of %s rows, NaN payloads included", (dtype) => {
    const bytes = new Uint8Array(patterns().buffer);
    const ctor = { float32: Float32Array, int32: Int32Array, int16: Int16Array, int8: Int8Array, uint8: Uint8Array, float64: Float64Array }[dtype as "float32"];
    const flat = new ctor(bytes.buffer);
    const rows = 4;
    const x = tensor(flat, { dtype }).reshape(rows, -1);
    const idx = tensor([3, 0, 2, 1, 3], { dtype: "int32" });
    const bitsOf = (t: Tensor): number[] => Array.from(new Uint8Array(t.contiguous().dataSync().buffer));
    const rowBytes = bytes.length / rows;
    const expected = [3, 0, 2, 1, 3].flatMap((r) => Array.from(bytes.subarray(r * rowBytes, (r + 1) * rowBytes)));
    for (let warm = 0; warm < 3; warm++) expect(bitsOf(x.index(idx))).toEqual(expected);
    const padded = pad(x, [2, 2]);
    for (let r = 0; r < rows; r++) {
      expect(bitsOf(padded.select(0, r).narrow(0, 2, x.shape[1]))).toEqual(Array.from(bytes.subarray(r * rowBytes, (r + 1) * rowBytes)));
    }
  });
});
