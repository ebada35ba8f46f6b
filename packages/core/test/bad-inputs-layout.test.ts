/**
 * Bad inputs of the shape and layout ops: each throws a TypeError (wrong kind or dtype) or a
 * RangeError (bad value, shape or dim) whose message starts with the op's name and names the
 * offending value.
 */
import { describe, it } from "vitest";
import { zeros, tensor, pad, meshgrid, oneHot, type Tensor } from "@tsgrad/core";
import { expectBadInput, type BadInputRow } from "../../../tools/test-utils.js";

const x1 = zeros([5]);
const x2 = zeros([3, 5]);
const x3 = zeros([2, 3, 5]);
const x4 = zeros([2, 3, 4, 5]);
const ints = (v: number[]): Tensor => tensor(v, { dtype: "int32" });
const untyped = (v: unknown): never => v as never;

const ROWS: BadInputRow[] = [
  // pad
  { what: "pad of a non-tensor", call: () => pad(untyped([1, 2]), [1, 1]), error: TypeError, op: "pad", names: ["an array of length 2"] },
  { what: "pad amounts not an array", call: () => pad(x2, untyped(1)), error: TypeError, op: "pad", names: ["number 1"] },
  { what: "fractional pad", call: () => pad(x2, [1.5, 0]), error: RangeError, op: "pad", names: ["[1.5, 0]"] },
  { what: "odd pad length", call: () => pad(x2, [1, 2, 3]), error: RangeError, op: "pad", names: ["even", "[1, 2, 3]"] },
  { what: "more padded dims than dims", call: () => pad(x1, [1, 1, 1, 1]), error: RangeError, op: "pad", names: ["2 dims", "[5]"] },
  { what: "unknown mode", call: () => pad(x3, [1, 1], untyped({ mode: "wrap" })), error: RangeError, op: "pad", names: ['"wrap"', '"reflect"'] },
  { what: "mode as a string, unknown", call: () => pad(x3, [1, 1], untyped("edge")), error: RangeError, op: "pad", names: ['"edge"'] },
  { what: "unknown option", call: () => pad(x3, [1, 1], untyped({ fill: 1 })), error: TypeError, op: "pad", names: ['"fill"'] },
  { what: "value is not a number", call: () => pad(x3, [1, 1], untyped({ value: "1" })), error: TypeError, op: "pad", names: ["value", '"1"'] },
  { what: "value with mode reflect", call: () => pad(x3, [1, 1], { mode: "reflect", value: 2 }), error: RangeError, op: "pad", names: ['"reflect"', "value 2"] },
  { what: "crop past the edge", call: () => pad(zeros([4]), [-5, 2]), error: RangeError, op: "pad", names: ["(-5, 2)", "4"] },
  { what: "crop to a negative size", call: () => pad(x1, [-3, -3]), error: RangeError, op: "pad", names: ["(-3, -3)", "-1"] },
  { what: "reflect of a 1-D input", call: () => pad(x1, [1, 1], { mode: "reflect" }), error: RangeError, op: "pad", names: ["2-D or 3-D", "[5]"] },
  { what: "reflect of one dim of a 4-D input", call: () => pad(x4, [1, 1], { mode: "reflect" }), error: RangeError, op: "pad", names: ["4-D", "[2, 3, 4, 5]"] },
  { what: "reflect of 4 dims", call: () => pad(zeros([1, 1, 2, 2, 2, 2]), [1, 1, 1, 1, 1, 1, 1, 1], { mode: "reflect" }), error: RangeError, op: "pad", names: ["1, 2 or 3", "length 8"] },
  { what: "reflect padding as large as the dim", call: () => pad(x3, [5, 0], { mode: "reflect" }), error: RangeError, op: "pad", names: ["(5, 0)", "dim 2", "size 5"] },
  { what: "circular of an unbatched input", call: () => pad(x2, [1, 1], { mode: "circular" }), error: RangeError, op: "pad", names: ["3-D", "[3, 5]"] },
  { what: "circular wrapping more than once", call: () => pad(zeros([1, 2, 3]), [4, 0], { mode: "circular" }), error: RangeError, op: "pad", names: ["(4, 0)", "size 3"] },
  { what: "replicate of an empty channel dim", call: () => pad(zeros([2, 0, 3]), [1, 1], { mode: "replicate" }), error: RangeError, op: "pad", names: ["[2, 0, 3]"] },
  { what: "replicate cropping everything", call: () => pad(zeros([1, 2, 4]), [-2, -2], { mode: "replicate" }), error: RangeError, op: "pad", names: ["(-2, -2)", "empty"] },

  // diagonals and triangles
  { what: "diagonal of the same dim twice", call: () => x3.diagonal(0, 1, -2), error: RangeError, op: "diagonal", names: ["both 1"] },
  { what: "diagonal of a vector", call: () => x1.diagonal(), error: RangeError, op: "diagonal", names: ["2 dims", "got 1"] },
  { what: "diagonal dim out of range", call: () => x2.diagonal(0, 0, 2), error: RangeError, op: "diagonal", names: ["dim 2"] },
  { what: "fractional diagonal offset", call: () => x2.diagonal(0.5), error: RangeError, op: "diagonal", names: ["0.5"] },
  { what: "diagEmbed into the same dim twice", call: () => x2.diagEmbed(0, 0, -3), error: RangeError, op: "diagEmbed", names: ["both 0"] },
  { what: "diag of a 3-D tensor", call: () => x3.diag(), error: RangeError, op: "diag", names: ["3-D", "[2, 3, 5]"] },
  { what: "trace of a vector", call: () => x1.trace(), error: RangeError, op: "trace", names: ["1-D", "[5]"] },
  { what: "tril of a vector", call: () => x1.tril(), error: RangeError, op: "tril", names: ["1-D", "[5]"] },
  { what: "fractional triu diagonal", call: () => x2.triu(1.5), error: RangeError, op: "triu", names: ["1.5"] },

  // flip, roll, rot90
  { what: "flip of a repeated dim", call: () => x2.flip(0, -2), error: RangeError, op: "flip", names: ["[0, -2]"] },
  { what: "flip dim out of range", call: () => x2.flip(2), error: RangeError, op: "flip", names: ["dim 2"] },
  { what: "fliplr of a vector", call: () => x1.fliplr(), error: RangeError, op: "fliplr", names: ["1-D", "[5]"] },
  { what: "flipud of a 0-d tensor", call: () => tensor(1).flipud(), error: RangeError, op: "flipud", names: ["0-d"] },
  { what: "roll with more shifts than dims", call: () => x2.roll([1, 2], [0]), error: RangeError, op: "roll", names: ["[1, 2]", "[0]"] },
  { what: "roll without dims and two shifts", call: () => x2.roll([1, 2]), error: RangeError, op: "roll", names: ["[1, 2]"] },
  { what: "roll of a 0-d tensor along a dim", call: () => tensor(1).roll(1, 0), error: RangeError, op: "roll", names: ["0-d"] },
  { what: "diagEmbed of a 0-d tensor", call: () => tensor(1).diagEmbed(), error: RangeError, op: "diagEmbed", names: ["0-d"] },
  { what: "fractional roll", call: () => x2.roll(0.5, 0), error: RangeError, op: "roll", names: ["0.5"] },
  { what: "roll dim out of range", call: () => x2.roll(1, 3), error: RangeError, op: "roll", names: ["dim 3"] },
  { what: "rot90 in three dims", call: () => x3.rot90(1, [0, 1, 2]), error: RangeError, op: "rot90", names: ["[0, 1, 2]"] },
  { what: "rot90 in one dim twice", call: () => x3.rot90(1, [1, -2]), error: RangeError, op: "rot90", names: ["[1, -2]"] },
  { what: "rot90 of a vector", call: () => x1.rot90(), error: RangeError, op: "rot90", names: ["1-D"] },
  { what: "fractional rot90 k", call: () => x2.rot90(0.5), error: RangeError, op: "rot90", names: ["0.5"] },

  // repeat, tile, repeatInterleave
  { what: "repeat with fewer sizes than dims", call: () => x2.repeat(2), error: RangeError, op: "repeat", names: ["[2]", "2-D", "[3, 5]"] },
  { what: "repeat a negative count", call: () => x2.repeat(2, -1), error: RangeError, op: "repeat", names: ["[2, -1]"] },
  { what: "tile a negative count", call: () => x2.tile(-1), error: RangeError, op: "tile", names: ["-1"] },
  { what: "repeatInterleave with float repeats", call: () => x1.repeatInterleave(zeros([5]), 0), error: TypeError, op: "repeatInterleave", names: ["float32"] },
  { what: "repeatInterleave repeats of the wrong length", call: () => x2.repeatInterleave(ints([1, 2]), 1), error: RangeError, op: "repeatInterleave", names: ["2 entries", "size 5"] },
  { what: "repeatInterleave negative repeats", call: () => x2.repeatInterleave(-1, 0), error: RangeError, op: "repeatInterleave", names: ["-1"] },
  { what: "repeatInterleave 2-D repeats", call: () => x2.repeatInterleave(tensor([[1]], { dtype: "int32" }), 0), error: RangeError, op: "repeatInterleave", names: ["[1, 1]"] },
  { what: "repeatInterleave outputSize not the total", call: () => x2.repeatInterleave(2, 0, { outputSize: 5 }), error: RangeError, op: "repeatInterleave", names: ["outputSize 5", "6"] },
  { what: "repeatInterleave snake_case option", call: () => x2.repeatInterleave(2, 0, untyped({ output_size: 6 })), error: TypeError, op: "repeatInterleave", names: ['"outputSize"'] },
  { what: "repeatInterleave repeats not a number", call: () => x2.repeatInterleave(untyped("2"), 0), error: TypeError, op: "repeatInterleave", names: ['"2"'] },

  // splits
  { what: "tensorSplit into 0 sections", call: () => x2.tensorSplit(0), error: RangeError, op: "tensorSplit", names: ["got 0"] },
  { what: "tensorSplit of a 0-d tensor", call: () => tensor(1).tensorSplit(1), error: RangeError, op: "tensorSplit", names: ["0-d"] },
  { what: "tensorSplit by a float tensor", call: () => x2.tensorSplit(zeros([2])), error: TypeError, op: "tensorSplit", names: ["float32"] },
  { what: "tensorSplit at a fractional index", call: () => x2.tensorSplit([1.5]), error: RangeError, op: "tensorSplit", names: ["[1.5]"] },
  { what: "split into negative sizes", call: () => zeros([4]).split([5, -1]), error: RangeError, op: "split", names: ["[5, -1]"] },
  { what: "chunk of a 0-d tensor", call: () => tensor(1).chunk(2), error: RangeError, op: "chunk", names: ["0-d"] },
  { what: "unbind of a 0-d tensor", call: () => tensor(1).unbind(), error: RangeError, op: "unbind", names: ["0-d"] },
  { what: "unflatten into sizes of another product", call: () => x2.unflatten(1, [2, 2]), error: RangeError, op: "unflatten", names: ["[2, 2]", "5"] },
  { what: "unflatten with two -1", call: () => zeros([2, 6]).unflatten(1, [-1, -1]), error: RangeError, op: "unflatten", names: ["[-1, -1]"] },

  // dim moves, transposes, views
  { what: "movedim with mismatched lengths", call: () => x3.movedim([0, 1], [2]), error: RangeError, op: "movedim", names: ["[0, 1]", "[2]"] },
  { what: "movedim of a repeated dim", call: () => x3.movedim([0, -3], [1, 2]), error: RangeError, op: "movedim", names: ["[0, -3]"] },
  { what: "moveaxis dim out of range", call: () => x3.moveaxis(3, 0), error: RangeError, op: "moveaxis", names: ["dim 3"] },
  { what: "t of a 3-D tensor", call: () => x3.t(), error: RangeError, op: "t", names: ["3-D", "[2, 3, 5]"] },
  { what: "mT of a vector", call: () => x1.mT, error: RangeError, op: "mT", names: ["1-D", "[5]"] },
  { what: "broadcastTo an incompatible shape", call: () => x2.broadcastTo(4, 5), error: RangeError, op: "broadcastTo", names: ["[4, 5]", "[3, 5]"] },
  { what: "viewAs a tensor of another size", call: () => x2.viewAs(x1), error: RangeError, op: "viewAs", names: ["15", "[5]"] },
  { what: "viewAs of a transposed tensor", call: () => x2.T.viewAs(x2), error: RangeError, op: "viewAs", names: ["not contiguous", "[5, 3]"] },
  { what: "reshapeAs a non-tensor", call: () => x2.reshapeAs(untyped([3, 5])), error: TypeError, op: "reshapeAs", names: ["an array of length 2"] },
  { what: "unfold windows larger than the dim", call: () => x2.unfold(1, 6, 1), error: RangeError, op: "unfold", names: ["size 6", "5"] },
  { what: "unfold of a 0-d tensor along dim 1", call: () => tensor(1).unfold(1, 1, 1), error: RangeError, op: "unfold", names: ["dim 1"] },
  { what: "unfold with step 0", call: () => x2.unfold(1, 2, 0), error: RangeError, op: "unfold", names: ["got 0"] },

  // meshgrid, oneHot
  { what: "meshgrid of nothing", call: () => meshgrid(), error: RangeError, op: "meshgrid", names: ["at least one"] },
  { what: "meshgrid of a matrix", call: () => meshgrid(x1, x2), error: RangeError, op: "meshgrid", names: ["tensor 1", "[3, 5]"] },
  { what: "meshgrid of mixed dtypes", call: () => meshgrid(x1, ints([1])), error: TypeError, op: "meshgrid", names: ["int32", "float32"] },
  { what: "meshgrid with an unknown indexing", call: () => meshgrid(x1, x1, untyped({ indexing: "yx" })), error: RangeError, op: "meshgrid", names: ['"yx"'] },
  { what: "meshgrid with a non-tensor", call: () => meshgrid([x1, untyped(3)]), error: TypeError, op: "meshgrid", names: ["argument 1", "number 3"] },
  { what: "oneHot of float indices", call: () => oneHot(zeros([3]), 2), error: TypeError, op: "oneHot", names: ["float32"] },
  { what: "oneHot index past numClasses", call: () => oneHot(ints([1, 4]), 4), error: RangeError, op: "oneHot", names: ["index 4", "numClasses 4"] },
  { what: "oneHot negative index", call: () => oneHot(ints([-1]), 3), error: RangeError, op: "oneHot", names: ["-1"] },
  { what: "oneHot of nothing without numClasses", call: () => oneHot(ints([])), error: RangeError, op: "oneHot", names: ["numClasses", "[0]"] },
  { what: "oneHot numClasses -2", call: () => oneHot(ints([0]), -2), error: RangeError, op: "oneHot", names: ["-2"] },
];

describe("bad inputs of the layout ops", () => {
  for (const row of ROWS) it(row.what, () => expectBadInput(row));
});
