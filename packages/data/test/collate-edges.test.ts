/**
 * defaultCollate's dtypes against torch.utils.data.default_collate (fixture written by
 * tools/fixtures/gen_core_edges.py): Python ints collate to int64, which is int32 in tsgrad.
 * Python floats collate to float64 in PyTorch; tsgrad collates non-integer numbers to float32,
 * its default float dtype (docs/pytorch-users.md), so only their values are compared.
 */
import { describe, expect, it } from "vitest";
import { Tensor, tensor, ones, zeros } from "@tsgrad/core";
import { defaultCollate } from "@tsgrad/data";
import { expectClose, loadFixture, type EncodedTensor } from "../../../tools/test-utils.js";

const fixture = loadFixture<{ collate: Record<string, EncodedTensor | EncodedTensor[]> }>(
  new URL("../../core/test/fixtures/core-edges.json", import.meta.url),
);

const ITEMS: Record<string, unknown[]> = {
  ints: [3, 4, 5],
  floats: [0.5, 2.0],
  "mixed int and float": [3, 2.5],
  bools: [true, false],
  "image and label": [[ones([2]), 3], [zeros([2]), 1]],
  "negative ints": [-1, 0, 7],
};

describe("defaultCollate dtypes (core-edges.json)", () => {
  it("covers every fixture case", () => {
    expect(Object.keys(ITEMS).sort()).toEqual(Object.keys(fixture.collate).sort());
  });

  for (const [name, expected] of Object.entries(fixture.collate)) {
    it(`${name}: PyTorch's values, int32 for integers, float32 for other numbers`, () => {
      const got = defaultCollate(ITEMS[name]) as Tensor | Tensor[];
      const pairs: Array<[Tensor, EncodedTensor]> = Array.isArray(got)
        ? got.map((t, i) => [t, (expected as EncodedTensor[])[i]])
        : [[got, expected as EncodedTensor]];
      for (const [t, e] of pairs) {
        expectClose(t, e, name);
        expect(t.dtype, `${name}: dtype`).toBe(e.dtype === "float64" ? "float32" : e.dtype);
      }
    });
  }

  it("collates integer labels so crossEntropy-style int32 targets need no cast", () => {
    const [, labels] = defaultCollate([[tensor([1, 2]), 0], [tensor([3, 4]), 2]]);
    expect(labels.dtype).toBe("int32");
    expect(labels.toArray()).toEqual([0, 2]);
  });
});
