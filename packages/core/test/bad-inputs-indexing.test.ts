/**
 * Bad inputs of the indexing ops: each throws a TypeError (wrong kind or dtype), a RangeError
 * (bad value, shape, dim or index; PyTorch's IndexError) or, for autograd misuse, an Error, whose
 * message starts with the op's name as called and names the offending value, dim and size.
 */
import { describe, it } from "vitest";
import { zeros, ones, tensor, slice, type Tensor } from "@tsgrad/core";
import { expectBadInput, type BadInputRow } from "../../../tools/test-utils.js";

const x1 = zeros([5]);
const x2 = zeros([3, 5]);
const x0 = zeros([]);
const ints = (v: number[] | number[][]): Tensor => tensor(v, { dtype: "int32" });
const untyped = (v: unknown): never => v as never;
const m2 = zeros([3, 5]).eq(0);
const k2 = ints([[0, 1]]);

const ROWS: BadInputRow[] = [
  // index: the index expression
  { what: "too many indices", call: () => x2.index(0, 0, 0), error: RangeError, op: "index", names: ["too many indices", "2 dims", "3 given"] },
  { what: "a mask with too many dims", call: () => x1.index(m2), error: RangeError, op: "index", names: ["too many indices", "[5]"] },
  { what: "two ellipses", call: () => x2.index("...", 0, "..."), error: RangeError, op: "index", names: ['"..."', "got 2"] },
  { what: "an integer past the end", call: () => x2.index(0, 5), error: RangeError, op: "index", names: ["index 5", "dim 1", "size 5"] },
  { what: "a negative integer past the start", call: () => x2.index(-4), error: RangeError, op: "index", names: ["index -4", "dim 0", "size 3"] },
  { what: "an index tensor past the end", call: () => x2.index(slice(), ints([0, 5])), error: RangeError, op: "index", names: ["index 5", "dim 1", "size 5"] },
  { what: "an index tensor past the start", call: () => x2.index(ints([-4])), error: RangeError, op: "index", names: ["index -4", "dim 0", "size 3"] },
  { what: "an index array past the end, after an ellipsis", call: () => x2.index("...", [7]), error: RangeError, op: "index", names: ["index 7", "dim 1", "size 5"] },
  { what: "a fractional number", call: () => x2.index(0.5), error: TypeError, op: "index", names: ["index 0", "0.5"] },
  { what: "a float index tensor", call: () => x2.index(zeros([2])), error: TypeError, op: "index", names: ["int32 or bool", "float32"] },
  { what: "a string other than ...", call: () => x2.index(untyped(":")), error: TypeError, op: "index", names: ['":"'] },
  { what: "undefined", call: () => x2.index(untyped(undefined)), error: TypeError, op: "index", names: ["undefined"] },
  { what: "an array of fractions", call: () => x2.index([0.5]), error: TypeError, op: "index", names: ["0.5"] },
  { what: "an array mixing numbers and booleans", call: () => x2.index([0, true]), error: TypeError, op: "index", names: ["mixes numbers and booleans"] },
  { what: "a ragged array", call: () => x2.index([[0], [1, 2]]), error: TypeError, op: "index", names: ["ragged"] },
  { what: "a mask of the wrong shape", call: () => x2.index(zeros([3, 4]).eq(0)), error: RangeError, op: "index", names: ["[3, 4]", "[3, 5]", "dims 0..1"] },
  { what: "a boolean array of the wrong length", call: () => x2.index(slice(), [true, false]), error: RangeError, op: "index", names: ["[2]", "dims 1..1", "[5]"] },
  { what: "index tensors that do not broadcast", call: () => x2.index(ints([0, 1]), ints([0, 1, 2])), error: RangeError, op: "index", names: ["[2]", "[3]", "broadcast"] },
  { what: "slice step 0", call: () => slice(null, null, 0), error: RangeError, op: "slice", names: ["step", "got 0"] },
  { what: "slice negative step", call: () => slice(null, null, -1), error: RangeError, op: "slice", names: ["got -1", "flip"] },
  { what: "slice fractional start", call: () => slice(1.5), error: TypeError, op: "slice", names: ["start", "number 1.5"] },

  // indexPut / indexPut_
  { what: "values of a shape that does not broadcast", call: () => x2.indexPut([0], zeros([4])), error: RangeError, op: "indexPut", names: ["[4]", "[5]"] },
  { what: "values of another dtype for an advanced index", call: () => x2.indexPut([ints([0])], zeros([5], { dtype: "float64" })), error: TypeError, op: "indexPut", names: ["float64", "float32"] },
  { what: "values that are not a tensor or a number", call: () => x2.indexPut([0], untyped("1")), error: TypeError, op: "indexPut", names: ['"1"'] },
  { what: "indices not in an array", call: () => x2.indexPut(untyped(0), 1), error: TypeError, op: "indexPut", names: ["array", "number 0"] },
  { what: "a misspelled option", call: () => x2.indexPut([0], 1, untyped({ accumlate: true })), error: TypeError, op: "indexPut", names: ['"accumlate"', '"accumulate"'] },
  { what: "accumulate not a boolean", call: () => x2.indexPut([0], 1, untyped({ accumulate: 1 })), error: TypeError, op: "indexPut", names: ["accumulate", "number 1"] },
  { what: "indexPut_ index past the end", call: () => zeros([3]).indexPut_([[3]], 1), error: RangeError, op: "indexPut_", names: ["index 3", "dim 0", "size 3"] },
  { what: "indexPut_ on a leaf that requires grad", call: () => zeros([3], { requiresGrad: true }).indexPut_([0], 1), error: Error, op: "indexPut_", names: ["leaf", "requires grad", "noGrad"] },
  { what: "indexPut_ with values that require grad", call: () => zeros([3]).indexPut_([0], ones([], { requiresGrad: true })), error: Error, op: "indexPut_", names: ["values requires grad", "indexPut"] },
  { what: "indexPut_ into an expanded tensor", call: () => zeros([1, 3]).expand(2, 3).indexPut_([0], 1), error: RangeError, op: "indexPut_", names: ["expanded", "dim 0", "[2, 3]"] },

  // masks
  { what: "maskedFill with an int mask", call: () => x2.maskedFill(ints([1, 0, 0, 0, 0]), 1), error: TypeError, op: "maskedFill", names: ["bool", "int32"] },
  { what: "maskedFill with an array value", call: () => x2.maskedFill(m2, untyped([1])), error: TypeError, op: "maskedFill", names: ["0-d", "an array of length 1"] },
  { what: "maskedFill with a 1-D tensor value", call: () => x2.maskedFill(m2, zeros([2])), error: TypeError, op: "maskedFill", names: ["0-d", "[2]"] },
  { what: "maskedFill with a mask that does not broadcast", call: () => x2.maskedFill(zeros([4]).eq(0), 1), error: RangeError, op: "maskedFill", names: ["[3, 5]", "[4]"] },
  { what: "maskedFill_ whose mask would broadcast the tensor", call: () => zeros([5]).maskedFill_(m2, 1), error: RangeError, op: "maskedFill_", names: ["[3, 5]", "[5]"] },
  { what: "maskedSelect with a non-tensor mask", call: () => x2.maskedSelect(untyped([true])), error: TypeError, op: "maskedSelect", names: ["an array of length 1"] },
  { what: "maskedScatter with too small a source", call: () => zeros([3]).maskedScatter(tensor([true, true, true]), zeros([2])), error: RangeError, op: "maskedScatter", names: ["3 true", "[2]"] },
  { what: "maskedScatter with a source of another dtype", call: () => zeros([3]).maskedScatter(tensor([true, false, true]), ints([1, 2])), error: TypeError, op: "maskedScatter", names: ["int32", "float32"] },
  { what: "maskedScatter_ whose mask would broadcast the tensor", call: () => zeros([5]).maskedScatter_(m2, zeros([15])), error: RangeError, op: "maskedScatter_", names: ["[3, 5]", "[5]"] },
  { what: "nonzero with a snake_case option", call: () => x2.nonzero(untyped({ as_tuple: true })), error: TypeError, op: "nonzero", names: ['"as_tuple"', '"asTuple"'] },

  // take, takeAlongDim
  { what: "take past the end", call: () => x2.take(ints([15])), error: RangeError, op: "take", names: ["index 15", "size 15"] },
  { what: "take with a float index", call: () => x2.take(zeros([1])), error: TypeError, op: "take", names: ["int32", "float32"] },
  { what: "takeAlongDim with another rank", call: () => x2.takeAlongDim(ints([0]), 1), error: RangeError, op: "takeAlongDim", names: ["[3, 5]", "[1]"] },
  { what: "takeAlongDim index past the end", call: () => x2.takeAlongDim(ints([[5]]), 1), error: RangeError, op: "takeAlongDim", names: ["index 5", "dim 1", "size 5"] },
  { what: "takeAlongDim dim out of range", call: () => x2.takeAlongDim(ints([[0]]), 2), error: RangeError, op: "takeAlongDim", names: ["dim 2"] },
  { what: "takeAlongDim shapes that do not broadcast", call: () => x2.takeAlongDim(ints([[0], [0]]), 1), error: RangeError, op: "takeAlongDim", names: ["[3, 1]", "[2, 1]"] },

  // scatter, scatterAdd, scatterReduce
  { what: "scatter index of another rank", call: () => x2.scatter(0, ints([0]), 1), error: RangeError, op: "scatter", names: ["[1]", "[3, 5]"] },
  { what: "scatter src smaller than the index", call: () => x2.scatter(0, k2, zeros([1, 1])), error: RangeError, op: "scatter", names: ["[1, 2]", "[1, 1]", "dim 1"] },
  { what: "scatter index larger than the input off dim", call: () => x2.scatter(1, zeros([4, 1], { dtype: "int32" }), 1), error: RangeError, op: "scatter", names: ["[4, 1]", "[3, 5]", "dim 0"] },
  { what: "scatter index past the end", call: () => x2.scatter(0, ints([[3]]), 1), error: RangeError, op: "scatter", names: ["index 3", "dim 0", "size 3"] },
  { what: "scatter negative index", call: () => x2.scatter(0, ints([[-1]]), 1), error: RangeError, op: "scatter", names: ["index -1", "dim 0"] },
  { what: "scatter src of another dtype", call: () => x2.scatter(0, k2, zeros([1, 2], { dtype: "float64" })), error: TypeError, op: "scatter", names: ["float64", "float32"] },
  { what: "scatter with an unknown reduce", call: () => x2.scatter(0, k2, 1, untyped({ reduce: "mean" })), error: RangeError, op: "scatter", names: ['"mean"', '"add"', '"multiply"'] },
  { what: "scatter src that is neither tensor nor number", call: () => x2.scatter(0, k2, untyped("1")), error: TypeError, op: "scatter", names: ['"1"'] },
  { what: "scatter with a float index", call: () => x2.scatter(0, zeros([1, 1]), 1), error: TypeError, op: "scatter", names: ["int32", "float32"] },
  { what: "scatter_ index past the end", call: () => zeros([3, 5]).scatter_(1, ints([[5]]), 1), error: RangeError, op: "scatter_", names: ["index 5", "dim 1", "size 5"] },
  { what: "scatter_ on a leaf that requires grad", call: () => zeros([2], { requiresGrad: true }).scatter_(0, ints([0]), 1), error: Error, op: "scatter_", names: ["leaf"] },
  { what: "scatterAdd dim out of range", call: () => x2.scatterAdd(2, k2, zeros([1, 2])), error: RangeError, op: "scatterAdd", names: ["dim 2"] },
  { what: "scatterReduce with an unknown reduction", call: () => x2.scatterReduce(0, k2, zeros([1, 2]), untyped("max")), error: RangeError, op: "scatterReduce", names: ['"max"', '"amax"'] },
  { what: "scatterReduce with a snake_case option", call: () => x2.scatterReduce(0, k2, zeros([1, 2]), "sum", untyped({ include_self: false })), error: TypeError, op: "scatterReduce", names: ['"include_self"', '"includeSelf"'] },
  { what: "scatterReduce includeSelf not a boolean", call: () => x2.scatterReduce(0, k2, zeros([1, 2]), "sum", untyped({ includeSelf: 0 })), error: TypeError, op: "scatterReduce", names: ["includeSelf", "number 0"] },
  { what: "scatterReduce of a bool tensor", call: () => m2.scatterReduce(0, k2, m2, "sum"), error: TypeError, op: "scatterReduce", names: ["bool"] },
  { what: "scatterReduce_ with a src that requires grad", call: () => zeros([3, 5]).scatterReduce_(0, k2, zeros([1, 2], { requiresGrad: true }), "sum"), error: Error, op: "scatterReduce_", names: ["src requires grad"] },

  // indexAdd, indexCopy, indexFill
  { what: "indexAdd alpha NaN", call: () => x2.indexAdd(0, ints([0]), zeros([1, 5]), { alpha: NaN }), error: RangeError, op: "indexAdd", names: ["alpha", "NaN"] },
  { what: "indexAdd with a 2-D index", call: () => x2.indexAdd(0, k2, zeros([1, 5])), error: RangeError, op: "indexAdd", names: ["0-d or 1-d", "[1, 2]"] },
  { what: "indexAdd negative index", call: () => x2.indexAdd(0, ints([-1]), zeros([1, 5])), error: RangeError, op: "indexAdd", names: ["index -1", "dim 0", "size 3"] },
  { what: "indexAdd source of another dtype", call: () => x2.indexAdd(0, ints([0]), zeros([1, 5], { dtype: "float64" })), error: TypeError, op: "indexAdd", names: ["float64", "float32"] },
  { what: "indexCopy source of the wrong shape", call: () => x2.indexCopy(1, ints([0, 1]), zeros([3, 3])), error: RangeError, op: "indexCopy", names: ["[3, 3]", "[3, 2]"] },
  { what: "indexCopy index past the end", call: () => x2.indexCopy(1, ints([5]), zeros([3, 1])), error: RangeError, op: "indexCopy", names: ["index 5", "dim 1", "size 5"] },
  { what: "indexCopy_ source requires grad", call: () => zeros([3, 5]).indexCopy_(0, ints([0]), zeros([1, 5], { requiresGrad: true })), error: Error, op: "indexCopy_", names: ["source requires grad"] },
  { what: "indexFill with a 1-D tensor value", call: () => x2.indexFill(0, ints([0]), zeros([1])), error: TypeError, op: "indexFill", names: ["0-d", "[1]"] },
  { what: "indexFill negative index past the start", call: () => x2.indexFill(0, ints([-4]), 1), error: RangeError, op: "indexFill", names: ["index -4", "dim 0", "size 3"] },
  { what: "indexFill_ dim out of range", call: () => zeros([3]).indexFill_(1, ints([0]), 1), error: RangeError, op: "indexFill_", names: ["dim 1"] },

  // narrow, select, slice
  { what: "narrow with a float tensor start", call: () => x2.narrow(1, zeros([]), 1), error: TypeError, op: "narrow", names: ["float32"] },
  { what: "narrow of a 0-d tensor", call: () => x0.narrow(0, 0, 1), error: RangeError, op: "narrow", names: ["0-d"] },
  { what: "select of a 0-d tensor", call: () => x0.select(0, 0), error: RangeError, op: "select", names: ["0-d"] },
  { what: "slice of a 0-d tensor", call: () => x0.slice(0, 0, 1), error: RangeError, op: "slice", names: ["0-d"] },
  { what: "select past the end of the last dim", call: () => x2.select(-1, 5), error: RangeError, op: "select", names: ["index 5", "dim 1", "size 5"] },
];

describe("bad inputs of the indexing ops", () => {
  for (const row of ROWS) it(row.what, () => expectBadInput(row));
});
