/**
 * Bad inputs to @tsgrad/core's sizes, dtype ranges, dims and degenerate arguments (issue 7,
 * "nothing silent"): each row must throw its error class with a message that starts with the op
 * the user called and names the offending value, shape or dtype.
 */
import { describe, it } from "vitest";
import { arange, cat, empty, eye, full, fullLike, ones, rand, randint, randn, stack, tensor, zeros, Generator } from "@tsgrad/core";
import { expectBadInput, type BadInputRow } from "../../../tools/test-utils.js";

const I32 = { dtype: "int32" } as const;
const anyArgs = (f: unknown) => f as (...args: unknown[]) => unknown;

const sizes: BadInputRow[] = [
  { what: "zeros negative vararg size", call: () => zeros(2, -3), error: RangeError, op: "zeros", names: ["-3", "[2, -3]"] },
  { what: "zeros negative array size", call: () => zeros([-1]), error: RangeError, op: "zeros", names: ["-1"] },
  { what: "ones fractional size", call: () => ones(2.5), error: RangeError, op: "ones", names: ["2.5"] },
  { what: "empty NaN size", call: () => empty([2, NaN]), error: RangeError, op: "empty", names: ["NaN"] },
  { what: "zeros Infinity size", call: () => zeros(Infinity), error: RangeError, op: "zeros", names: ["Infinity"] },
  { what: "zeros string size", call: () => anyArgs(zeros)("2", 3), error: TypeError, op: "zeros", names: ['"2"'] },
  { what: "zeros string inside the array", call: () => anyArgs(zeros)(["2"]), error: TypeError, op: "zeros", names: ['"2"'] },
  { what: "zeros number mixed with an array", call: () => anyArgs(zeros)(2, [3]), error: TypeError, op: "zeros", names: ["element 1", "an array of length 1"] },
  { what: "zeros nested arrays", call: () => anyArgs(zeros)([[2, 3]]), error: TypeError, op: "zeros", names: ["an array of length 2"] },
  { what: "zeros without a size", call: () => anyArgs(zeros)(), error: TypeError, op: "zeros", names: ["expected a size"] },
  { what: "zeros given a tensor as size", call: () => anyArgs(zeros)(ones([2])), error: TypeError, op: "zeros", names: ["a Tensor of shape [2]"] },
  { what: "zeros too large to allocate", call: () => zeros([1e6, 1e6]), error: RangeError, op: "zeros", names: ["1000000000000 elements"] },
  { what: "ones product beyond 2^53", call: () => ones(2 ** 30, 2 ** 30, 2 ** 30), error: RangeError, op: "ones", names: ["[1073741824, 1073741824, 1073741824]", "too many"] },
  { what: "rand negative size", call: () => rand(2, -1), error: RangeError, op: "rand", names: ["-1"] },
  { what: "randn fractional size with options", call: () => randn(1.5, { generator: new Generator(0) }), error: RangeError, op: "randn", names: ["1.5"] },
  { what: "randn string size", call: () => anyArgs(randn)("3"), error: TypeError, op: "randn", names: ['"3"'] },
  { what: "randn too large", call: () => randn([1e5, 1e5, 10]), error: RangeError, op: "randn", names: ["100000000000 elements"] },
  { what: "full with a number for size", call: () => anyArgs(full)(2, 7), error: TypeError, op: "full", names: ["number 2"] },
  { what: "full negative size", call: () => full([-2], 1), error: RangeError, op: "full", names: ["-2"] },
  { what: "full non-number fill value", call: () => anyArgs(full)([2], "7"), error: TypeError, op: "full", names: ['"7"'] },
  { what: "randint size as a number", call: () => anyArgs(randint)(0, 10, 3), error: TypeError, op: "randint", names: ["number 3"] },
  { what: "randint negative size", call: () => randint(0, 10, [-1]), error: RangeError, op: "randint", names: ["-1"] },
  { what: "randint string bound", call: () => anyArgs(randint)("0", 10, [2]), error: TypeError, op: "randint", names: ['"0"'] },
  { what: "eye negative n", call: () => eye(-2), error: RangeError, op: "eye", names: ["-2"] },
  { what: "eye fractional m", call: () => eye(2, 1.5), error: RangeError, op: "eye", names: ["1.5"] },
  { what: "tensor shape option negative", call: () => tensor(new Float32Array(2), { shape: [-2, -1] }), error: RangeError, op: "tensor", names: ["-2"] },
  { what: "reshape with a string size", call: () => anyArgs(ones([4]).reshape.bind(ones([4])))("2", 2), error: TypeError, op: "reshape", names: ['"2"'] },
  { what: "view with a fractional size", call: () => ones([4]).view(1.5, 2), error: RangeError, op: "view", names: ["1.5"] },
  { what: "expand with a string size", call: () => anyArgs(ones([1]).expand.bind(ones([1])))(["3"]), error: TypeError, op: "expand", names: ['"3"'] },
  { what: "expand to a negative size", call: () => ones([1]).expand(-2), error: RangeError, op: "expand", names: ["-2"] },
  { what: "expand to a fractional size", call: () => ones([1, 1]).expand(2, 1.5), error: RangeError, op: "expand", names: ["1.5"] },
  { what: "tensor shape option not an array", call: () => tensor(new Float32Array(2), { shape: 2 as never }), error: TypeError, op: "tensor", names: ["number 2"] },
  { what: "permute with a string dim", call: () => anyArgs(ones([2, 3]).permute.bind(ones([2, 3])))("1", 0), error: TypeError, op: "permute", names: ['"1"'] },
];

const int32Values: BadInputRow[] = [
  { what: "tensor int32 3e9", call: () => tensor([3e9], I32), error: RangeError, op: "tensor", names: ["3000000000", "int32"] },
  { what: "tensor int32 NaN", call: () => tensor([1, NaN], I32), error: RangeError, op: "tensor", names: ["NaN", "index 1"] },
  { what: "tensor int32 -Infinity", call: () => tensor([[-Infinity]], I32), error: RangeError, op: "tensor", names: ["-Infinity"] },
  { what: "tensor int32 from a Float64Array", call: () => tensor(new Float64Array([2 ** 31]), I32), error: RangeError, op: "tensor", names: ["2147483648"] },
  { what: "full int32 3e9", call: () => full([2], 3e9, I32), error: RangeError, op: "full", names: ["3000000000", "int32"] },
  { what: "full int32 NaN", call: () => full([2], NaN, I32), error: RangeError, op: "full", names: ["NaN", "int32"] },
  { what: "full float32 1e40", call: () => full([2], 1e40), error: RangeError, op: "full", names: ["1e+40", "float32"] },
  { what: "fullLike int32 overflow", call: () => fullLike(zeros([2], I32), -3e9), error: RangeError, op: "fullLike", names: ["-3000000000"] },
  { what: "fill_ int32 overflow", call: () => zeros([2], I32).fill_(2 ** 31), error: RangeError, op: "fill_", names: ["2147483648"] },
  { what: "arange past int32", call: () => arange(2 ** 31 - 1, 2 ** 31 + 1), error: RangeError, op: "arange", names: ["2147483648", "int32"] },
  { what: "arange int32 dtype past int32", call: () => arange(0, 4e9, 1e9, I32), error: RangeError, op: "arange", names: ["3000000000"] },
  { what: "randint high 2^40", call: () => randint(0, 2 ** 40, [3]), error: RangeError, op: "randint", names: ["1099511627776", "int32"] },
  { what: "randint low below int32", call: () => randint(-(2 ** 31) - 1, 0, [3]), error: RangeError, op: "randint", names: ["-2147483649"] },
  { what: "randint bool beyond 2", call: () => randint(0, 3, [2], { dtype: "bool" }), error: RangeError, op: "randint", names: ["[0, 3)", "bool"] },
  { what: "randint low >= high", call: () => randint(5, 5, [2]), error: RangeError, op: "randint", names: ["low=5", "high=5"] },
  { what: "randint fractional bound", call: () => randint(0, 2.5, [2]), error: RangeError, op: "randint", names: ["2.5"] },
  { what: "int32 sum overflow", call: () => tensor([2 ** 30, 2 ** 30, 2 ** 30], I32).sum(), error: RangeError, op: "sum", names: ["3221225472", "int32"] },
  { what: "int32 sum overflow along a dim", call: () => full([2, 3], 2 ** 30, I32).sum(1), error: RangeError, op: "sum", names: ["3221225472", "[2, 3]"] },
  { what: "int32 negative sum overflow", call: () => full([3], -(2 ** 30), I32).sum(), error: RangeError, op: "sum", names: ["-3221225472"] },
  { what: "int32 pow -2", call: () => tensor([1, 2, 3], I32).pow(-2), error: RangeError, op: "pow", names: ["Integers to negative integer powers are not allowed", "-2"] },
  { what: "bool pow -1", call: () => tensor([true]).pow(-1), error: RangeError, op: "pow", names: ["bool", "-1"] },
  { what: "to int32 of 3e9", call: () => tensor([1, 3e9]).to("int32"), error: RangeError, op: "to", names: ["3000000000", "index 1"] },
  { what: "int() of NaN", call: () => tensor([NaN], { dtype: "float64" }).int(), error: RangeError, op: "to", names: ["NaN", "int32"] },
  { what: "int32 mean", call: () => tensor([1, 2], I32).mean(), error: TypeError, op: "mean", names: ["int32"] },
];

const dims: BadInputRow[] = [
  { what: "select on 0-d", call: () => tensor(3.14).select(0, 0), error: RangeError, op: "select", names: ["0-d", "[]"] },
  { what: "narrow on 0-d", call: () => tensor(2).narrow(0, 0, 1), error: RangeError, op: "narrow", names: ["0-d"] },
  { what: "slice on 0-d", call: () => tensor(2).slice(0, 0, 1), error: RangeError, op: "slice", names: ["0-d"] },
  { what: "size(0) on 0-d", call: () => tensor(1).size(0), error: RangeError, op: "size", names: ["0-d", "dim 0"] },
  { what: "size out of range", call: () => ones([2]).size(1), error: RangeError, op: "size", names: ["dim 1"] },
  { what: "split on 0-d", call: () => tensor(1).split(1), error: RangeError, op: "split", names: ["0-d"] },
  { what: "chunk on 0-d", call: () => tensor(1).chunk(1), error: RangeError, op: "chunk", names: ["0-d"] },
  { what: "argmax dim 2 of a matrix", call: () => ones([2, 3]).argmax(2), error: RangeError, op: "argmax", names: ["dim 2", "2 dims"] },
  { what: "argmin dim -3 of a matrix", call: () => ones([2, 3]).argmin(-3), error: RangeError, op: "argmin", names: ["dim -3"] },
  { what: "argmax over an empty dim", call: () => ones([0, 3]).argmax(0), error: RangeError, op: "argmax", names: ["size 0", "[0, 3]"] },
  { what: "max() of an empty tensor", call: () => ones([0]).max(), error: RangeError, op: "max", names: ["size 0", "[0]"] },
  { what: "min() of an empty tensor", call: () => ones([2, 0]).min(), error: RangeError, op: "min", names: ["size 0", "[2, 0]"] },
  { what: "max over an empty dim", call: () => ones([0, 3]).max(0), error: RangeError, op: "max", names: ["dim 0", "[0, 3]"] },
  { what: "transpose dim 1 of 0-d", call: () => tensor(1).transpose(0, 1), error: RangeError, op: "transpose", names: ["dim 1", "0 dims"] },
  { what: "squeeze dim 1 of 0-d", call: () => tensor(1).squeeze(1), error: RangeError, op: "squeeze", names: ["dim 1"] },
  { what: "unsqueeze dim 2 of 0-d", call: () => tensor(1).unsqueeze(2), error: RangeError, op: "unsqueeze", names: ["dim 2", "0 dims", "[-1, 0]"] },
  { what: "flatten startDim 1 of 0-d", call: () => tensor(1).flatten(1), error: RangeError, op: "flatten", names: ["dim 1"] },
  { what: "softmax dim 1 of 0-d", call: () => tensor(1).softmax(1), error: RangeError, op: "softmax", names: ["dim 1"] },
  { what: "logsumexp dim 1 of 0-d", call: () => tensor(1).logsumexp(1), error: RangeError, op: "logsumexp", names: ["dim 1"] },
  { what: "gather dim 1 of 0-d", call: () => tensor(1).gather(1, tensor(0, I32)), error: RangeError, op: "gather", names: ["dim 1"] },
  { what: "sum dim 1 of 0-d", call: () => tensor(1).sum(1), error: RangeError, op: "sum", names: ["dim 1"] },
  { what: "cat of 0-d tensors", call: () => cat([tensor(1), tensor(2)]), error: RangeError, op: "cat", names: ["zero-dimensional", "position 0"] },
  { what: "stack dim 1 of 0-d tensors", call: () => stack([tensor(1)], 1), error: RangeError, op: "stack", names: ["dim 1", "0 dims"] },
  { what: "sum with a string dim", call: () => anyArgs(ones([2]).sum.bind(ones([2])))("0"), error: TypeError, op: "sum", names: ['"0"'] },
  { what: "softmax with a fractional dim", call: () => ones([2]).softmax(0.5), error: RangeError, op: "softmax", names: ["0.5"] },
];

const degenerate: BadInputRow[] = [
  { what: "arange to NaN", call: () => arange(0, NaN), error: RangeError, op: "arange", names: ["NaN"] },
  { what: "arange to Infinity", call: () => arange(0, Infinity), error: RangeError, op: "arange", names: ["Infinity"] },
  { what: "arange from NaN", call: () => arange(NaN), error: RangeError, op: "arange", names: ["NaN"] },
  { what: "arange zero step", call: () => arange(0, 1, 0), error: RangeError, op: "arange", names: ["step", "0"] },
  { what: "arange infinite step", call: () => arange(0, 1, -Infinity), error: RangeError, op: "arange", names: ["-Infinity"] },
  { what: "arange NaN step", call: () => arange(0, 1, NaN), error: RangeError, op: "arange", names: ["NaN"] },
  { what: "arange string end", call: () => anyArgs(arange)(0, "5"), error: TypeError, op: "arange", names: ['"5"'] },
  { what: "arange too long to allocate", call: () => arange(0, 1e12, 1, { dtype: "float32" }), error: RangeError, op: "arange", names: ["1000000000000 elements"] },
  { what: "a broadcast too large to allocate", call: () => ones([1e6, 1]).add(ones([1e6])), error: RangeError, op: "add", names: ["1000000000000 elements"] },
  { what: "a matmul result too large to allocate", call: () => ones([1e6, 1]).matmul(ones([1, 1e6])), error: RangeError, op: "matmul", names: ["1000000000000 elements"] },
  { what: "reshape -1 of an empty tensor is ambiguous", call: () => ones([0, 6]).reshape(-1, 0), error: RangeError, op: "reshape", names: ["[-1, 0]"] },
];

describe("bad inputs: @tsgrad/core", () => {
  for (const [group, rows] of [["sizes", sizes], ["int32 values", int32Values], ["dims", dims], ["degenerate", degenerate]] as const) {
    describe(group, () => {
      for (const row of rows) it(row.what, () => expectBadInput(row));
    });
  }
});
