/**
 * pad and advanced indexing copy rows of 32+ elements with TypedArray.set and shorter ones in a
 * loop; the fixtures' shapes are small, so these check the long-row path against compositions
 * that share no code with it.
 */
import { describe, expect, it } from "vitest";
import { arange, cat, full, pad, tensor, Tensor } from "@tsgrad/core";

const wide = (rows: number, width: number): Tensor => arange(rows * width).reshape(rows, width).to("float32");

describe("long-row copies", () => {
  it.each([31, 32, 33, 64, 300])("constant pad of rows of %i equals cat with fill columns", (width) => {
    const x = wide(3, width);
    const expected = cat([full([3, 2], -1), x, full([3, 1], -1)], 1);
    expect(pad(x, [2, 1], { value: -1 }).toArray()).toEqual(expected.toArray());
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
});
