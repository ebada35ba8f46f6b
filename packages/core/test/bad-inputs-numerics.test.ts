/**
 * Bad inputs of the numerics at the edges (issue 7, item 12): each row must throw its error class
 * with a message that starts with the op's name and names the offending value or dtype.
 */
import { describe, it } from "vitest";
import { linspace, tensor } from "@tsgrad/core";
import { expectBadInput, type BadInputRow } from "../../../tools/test-utils.js";

const ROWS: BadInputRow[] = [
  { what: "linspace with dtype bool (PyTorch: \"linspace_cpu\" not implemented for 'Bool')", call: () => linspace(0, 1, 5, { dtype: "bool" }), error: TypeError, op: "linspace", names: ["bool"] },
  { what: "linspace with bool and one step", call: () => linspace(0, 1, 1, { dtype: "bool" }), error: TypeError, op: "linspace", names: ["bool"] },
  { what: "linspace with negative steps", call: () => linspace(0, 1, -1), error: RangeError, op: "linspace", names: ["-1"] },
  { what: "linspace with fractional steps", call: () => linspace(0, 1, 2.5), error: RangeError, op: "linspace", names: ["2.5"] },
  { what: "linspace with NaN steps", call: () => linspace(0, 1, NaN), error: RangeError, op: "linspace", names: ["NaN"] },
  { what: "norm of an int32 tensor", call: () => tensor([3, 4], { dtype: "int32" }).norm(), error: TypeError, op: "norm", names: ["int32"] },
  { what: "norm of a bool tensor", call: () => tensor([true, false]).norm(1), error: TypeError, op: "norm", names: ["bool"] },
  { what: "var of an int32 tensor", call: () => tensor([1, 2], { dtype: "int32" }).var(), error: TypeError, op: "var", names: ["int32"] },
  { what: "std of a bool tensor", call: () => tensor([true, false]).std(), error: TypeError, op: "std", names: ["bool"] },
];

describe("bad inputs: numerics (linspace, norm, var, std)", () => {
  for (const row of ROWS) it(row.what, () => expectBadInput(row));
});
