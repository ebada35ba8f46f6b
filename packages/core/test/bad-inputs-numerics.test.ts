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
  { what: "linspace to int32 with an end past int32 (PyTorch: cannot be converted without overflow)", call: () => linspace(0, 3e9, 3, { dtype: "int32" }), error: RangeError, op: "linspace", names: ["3000000000", "int32", "end"] },
  { what: "linspace to int32 from NaN", call: () => linspace(NaN, 1, 3, { dtype: "int32" }), error: RangeError, op: "linspace", names: ["NaN", "start"] },
  { what: "linspace to int32 towards Infinity", call: () => linspace(0, Infinity, 3, { dtype: "int32" }), error: RangeError, op: "linspace", names: ["Infinity"] },
  { what: "linspace to float32 from past float32's range", call: () => linspace(-1e39, 0, 3), error: RangeError, op: "linspace", names: ["-1e+39", "float32"] },
  { what: "norm of an int32 tensor", call: () => tensor([3, 4], { dtype: "int32" }).norm(), error: TypeError, op: "norm", names: ["int32"] },
  { what: "norm of a bool tensor", call: () => tensor([true, false]).norm(1), error: TypeError, op: "norm", names: ["bool"] },
  { what: "var of an int32 tensor", call: () => tensor([1, 2], { dtype: "int32" }).var(), error: TypeError, op: "var", names: ["int32"] },
  { what: "std of a bool tensor", call: () => tensor([true, false]).std(), error: TypeError, op: "std", names: ["bool"] },
];

describe("bad inputs: numerics (linspace, norm, var, std)", () => {
  for (const row of ROWS) it(row.what, () => expectBadInput(row));
});
