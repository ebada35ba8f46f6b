/**
 * nn.Linear at its degenerate sizes (issue 7): with inFeatures = 0 the product is empty and the
 * output is the bias, as in PyTorch (whose default init then draws the bias from U(0, 0)); bad
 * feature counts throw naming the layer.
 */
import { describe, expect, it } from "vitest";
import { ones, tensor } from "@tsgrad/core";
import { Linear } from "@tsgrad/nn";
import { expectBadInput, type BadInputRow } from "../../../tools/test-utils.js";

describe("Linear with an empty inner dim", () => {
  it("gives the bias and passes it the gradient, like PyTorch", () => {
    const layer = new Linear(0, 2);
    expect(layer.bias!.toArray()).toEqual([0, 0]); // PyTorch: bound 1/sqrt(fanIn) is 0 for fanIn 0
    layer.bias!.data.set([0.5, -1]);
    const y = layer.forward(ones([3, 0]));
    expect(y.shape).toEqual([3, 2]);
    expect(y.toArray()).toEqual([[0.5, -1], [0.5, -1], [0.5, -1]]);
    y.mul(tensor([1, 2])).sum().backward();
    expect(layer.bias!.grad!.toArray()).toEqual([3, 6]);
    expect(layer.weight.grad!.shape).toEqual([2, 0]);
  });
});

const rows: BadInputRow[] = [
  { what: "negative inFeatures", call: () => new Linear(-1, 2), error: RangeError, op: "Linear", names: ["inFeatures", "-1"] },
  { what: "fractional outFeatures", call: () => new Linear(2, 1.5), error: RangeError, op: "Linear", names: ["outFeatures", "1.5"] },
  { what: "NaN inFeatures", call: () => new Linear(NaN, 2), error: RangeError, op: "Linear", names: ["NaN"] },
  { what: "input without the inner dim", call: () => new Linear(0, 2).forward(ones([1])), error: RangeError, op: "linear", names: ["[1]", "[2, 0]"] },
];

describe("bad inputs: nn.Linear sizes", () => {
  for (const row of rows) it(row.what, () => expectBadInput(row));
});
