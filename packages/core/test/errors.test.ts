/**
 * DESIGN.md's error policy: bad input throws a TypeError or RangeError whose message names the
 * op and the offending shapes, dtypes or values; misuse of the autograd engine gets its own
 * clear Error. Each case checks the class and the message.
 */
import { describe, it, expect } from "vitest";
import {
  AutogradFunction, FunctionCtx, Tensor, tensor, zeros, ones, arange, randint, randperm, cat, stack,
  where, grad, gradcheck, gradgradcheck, noGrad, full, Generator,
} from "@tsgrad/core";

type ErrorClass = typeof Error | typeof TypeError | typeof RangeError;

/** Asserts `fn` throws an instance of `cls` whose message matches every pattern. */
function expectThrow(fn: () => unknown, cls: ErrorClass, ...patterns: Array<string | RegExp>): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, "expected a throw").toBeInstanceOf(cls);
  const message = (caught as Error).message;
  for (const p of patterns) {
    if (typeof p === "string") expect(message).toContain(p);
    else expect(message).toMatch(p);
  }
}

const leaf = (): Tensor => tensor([1, 2, 3], { requiresGrad: true });

/** A one-input AutogradFunction named `name` (its name shows in error messages). */
function unaryFunction(name: string, forward: (x: Tensor) => Tensor, backward: (g: Tensor) => Tensor[]) {
  const cls = class extends AutogradFunction {
    static override forward(_ctx: FunctionCtx, x: Tensor): Tensor {
      return forward(x);
    }
    static override backward(_ctx: FunctionCtx, g: Tensor): Tensor[] {
      return backward(g);
    }
  };
  Object.defineProperty(cls, "name", { value: name });
  return cls;
}

describe("creating tensors", () => {
  it("rejects a ragged nested array", () => {
    expectThrow(() => tensor([[1, 2], [3]]), TypeError, "tensor: ragged nested array", "expected 2 elements", "found 1");
  });

  it("rejects a ragged nesting depth", () => {
    expectThrow(() => tensor([[1, 2], 3] as never), TypeError, "ragged nested array", "found a number");
    expectThrow(() => tensor([1, [2]] as never), TypeError, "ragged nested array", "found an array");
  });

  it("rejects non-numbers inside nested arrays", () => {
    expectThrow(() => tensor([1, "2"] as never), TypeError, "tensor: element at [1] is string");
    expectThrow(() => tensor([1, null] as never), TypeError, "is null");
  });

  it("rejects a typed array whose length does not fit the shape", () => {
    expectThrow(() => tensor(new Float32Array(5), { shape: [2, 3] }), RangeError, "tensor: shape [2, 3] needs 6 elements", "has 5");
  });

  it("rejects unknown dtypes", () => {
    expectThrow(() => zeros([2], { dtype: "int64" as never }), TypeError, 'unknown dtype "int64"', "float32");
    expectThrow(() => tensor([1]).to("half" as never), TypeError, "to: unknown dtype");
  });

  it("rejects invalid shapes", () => {
    expectThrow(() => zeros([2, -1]), RangeError, "zeros: size -1 at dim 1 of [2, -1]");
    expectThrow(() => ones([1.5]), RangeError, "ones: size 1.5 at dim 0 of [1.5]");
  });

  it("rejects a zero or inconsistent arange step", () => {
    expectThrow(() => arange(0, 5, 0), RangeError, "arange: step must be nonzero");
    expectThrow(() => arange(5, 0, 1), RangeError, "arange:", "inconsistent with step sign");
  });

  it("rejects bad random arguments", () => {
    expectThrow(() => randint(3, 3, [2]), RangeError, "randint: expected integers low < high", "low=3, high=3");
    expectThrow(() => randperm(-1), RangeError, "randperm: n must be a non-negative integer, got -1");
    expectThrow(() => new Generator(-5), RangeError, "manualSeed: seed must be a non-negative safe integer, got -5");
  });
});

describe("autograd misuse", () => {
  it("refuses requiresGrad on an integer tensor", () => {
    expectThrow(() => tensor([1, 2], { dtype: "int32", requiresGrad: true }), TypeError, "requiresGrad_", "only floating-point", "int32");
    expectThrow(() => tensor([true]).requiresGrad_(), TypeError, "dtype bool");
    expectThrow(() => {
      arange(3).requiresGrad = true;
    }, TypeError, "int32");
  });

  it("refuses backward on a non-scalar without a gradient", () => {
    expectThrow(() => leaf().mul(2).backward(), RangeError, "backward: grad can be implicitly created only for scalar outputs", "shape [3]");
  });

  it("refuses a gradient of the wrong shape", () => {
    expectThrow(() => leaf().mul(2).backward(ones([2])), RangeError, "backward: gradient of shape [2] does not match output 0 of shape [3]");
  });

  it("refuses backward on a tensor that does not require grad", () => {
    expectThrow(() => tensor([1]).sum().backward(), Error, "does not require grad");
  });

  it("refuses a second backward through a freed graph", () => {
    const y = leaf().exp().sum();
    y.backward();
    expectThrow(() => y.backward(), Error, "second time", "SumBackward1", "retainGraph: true");
  });

  it("refuses grad() for an input the outputs do not use", () => {
    const x = leaf();
    const unused = leaf();
    expectThrow(() => grad([x.sum()], [x, unused]), Error, "grad: input 1 (shape [3]) was not used", "allowUnused");
  });

  it("refuses an in-place op on a leaf requiring grad outside noGrad", () => {
    const w = leaf();
    expectThrow(() => w.add_(1), Error, "add_: a leaf tensor that requires grad", "noGrad");
    expectThrow(() => w.zero_(), Error, "zero_:");
    expectThrow(() => w.copy_(zeros([3])), Error, "copy_:");
    expect(noGrad(() => w.zero_()).toArray()).toEqual([0, 0, 0]);
  });

  it("refuses an in-place op on a tensor inside a recorded graph", () => {
    const h = leaf().mul(2);
    expectThrow(() => h.mul_(3), Error, "mul_: in-place ops on a tensor that is part of a recorded graph");
  });

  it("refuses an in-place op that would broadcast its target", () => {
    expectThrow(() => zeros([3]).add_(ones([2, 3])), RangeError, "add_: the result of shape [2, 3] does not fit the tensor's shape [3]");
  });

  it("refuses an in-place float result into an integer tensor", () => {
    expectThrow(() => arange(3).mul_(0.5), TypeError, "mul_: result type float32 can't be cast to the tensor's dtype int32");
  });

  it("rejects an AutogradFunction backward of the wrong shape or count", () => {
    const BadShape = unaryFunction("BadShape", (x) => x.sum(), (g) => [g]);
    const BadCount = unaryFunction("BadCount", (x) => x.mul(2), (g) => [g, g, g]);
    expectThrow(() => BadShape.apply(leaf()).backward(), RangeError, "BadShape.backward: gradient [] for argument 0 does not match its shape [3]");
    expectThrow(() => BadCount.apply(leaf()).sum().backward(), RangeError, "BadCount.backward returned 3 gradients, expected 1");
  });

  it("gradcheck refuses float32 inputs", () => {
    expectThrow(() => gradcheck((x) => x.exp(), [leaf()]), TypeError, "gradcheck: input 0 has dtype float32; gradcheck needs float64");
  });

  it("gradcheck reports a wrong backward with the Jacobian entry", () => {
    const WrongGrad = unaryFunction("WrongGrad", (x) => x.square(), (g) => [g]);
    const x = tensor([1, 2], { dtype: "float64", requiresGrad: true });
    expectThrow(() => gradcheck((x) => WrongGrad.apply(x), [x]), Error, "gradcheck: Jacobian mismatch", "d out[0] / d in[0] numerical 2", "analytical 1");
  });
});

describe("gradcheck catches lost graphs", () => {
  const x = (): Tensor => tensor([0.5, 1.5], { dtype: "float64", requiresGrad: true });

  it("fails an output that depends on the inputs but was cut from the graph", () => {
    expectThrow(() => gradcheck((x) => x.exp().detach(), [x()]), Error, "gradcheck: Jacobian mismatch", "does not require grad", "analytical 0");
  });

  it("still passes outputs that neither require grad nor depend on the inputs", () => {
    expect(gradcheck((x) => [x.exp(), ones([2], { dtype: "float64" }), x.argmax()], [x()])).toBe(true);
  });

  it("gradgradcheck fails a backward that is not itself differentiable", () => {
    // 2x with the right gradient 2, computed outside the graph: first order fine, second order lost.
    const Opaque = unaryFunction("Opaque", (x) => x.mul(2), (g) => [noGrad(() => g.mul(2))]);
    expect(gradcheck((x) => Opaque.apply(x), [x()])).toBe(true);
    expectThrow(() => gradgradcheck((x) => Opaque.apply(x), [x()]), Error, "gradcheck: Jacobian mismatch");
  });
});

describe("shapes", () => {
  it("reports a matmul inner-dim mismatch", () => {
    expectThrow(() => zeros([3, 4]).matmul(zeros([5, 2])), RangeError, "matmul: cannot multiply [3, 4] by [5, 2] (inner dims 4 != 5)");
    expectThrow(() => zeros([2, 3, 4]).matmul(zeros([3])), RangeError, "matmul: cannot multiply [2, 3, 4] by [3] (inner dims 4 != 3)");
  });

  it("reports matmul batch dims that do not broadcast", () => {
    expectThrow(() => zeros([2, 3, 4]).matmul(zeros([3, 4, 5])), RangeError, "matmul: shapes [2] and [3] cannot be broadcast together");
  });

  it("refuses matmul of 0-d tensors", () => {
    expectThrow(() => tensor(2).matmul(zeros([2])), RangeError, "matmul: both arguments need at least 1 dim", "[] and [2]");
  });

  it("reports a broadcast failure naming both shapes", () => {
    expectThrow(() => zeros([2, 3]).add(zeros([4])), RangeError, "add: shapes [2, 3] and [4] cannot be broadcast together (dim 1: 3 vs 4)");
    expectThrow(() => zeros([2, 3]).mul(zeros([3, 3])), RangeError, "mul: shapes [2, 3] and [3, 3]");
    expectThrow(() => where(tensor([true, false, true]), zeros([2]), 0), RangeError, "where: shapes [3] and [2]");
  });

  it("reports a reshape to an incompatible size", () => {
    expectThrow(() => zeros([2, 3]).reshape(4, 2), RangeError, "reshape: shape [4, 2] is invalid for input of size 6");
    expectThrow(() => zeros([2, 3]).reshape(-1, 4), RangeError, "reshape: shape [-1, 4] is invalid for input of size 6");
    expectThrow(() => zeros([2, 3]).reshape(-1, -1), RangeError, "only one dimension can be inferred");
  });

  it("refuses view() of a non-contiguous tensor", () => {
    expectThrow(() => zeros([2, 3]).T.view(6), RangeError, "view: a tensor of shape [3, 2] with strides [1, 3] is not contiguous", "reshape()");
  });

  it("reports dims out of range", () => {
    expectThrow(() => zeros([2, 3]).sum(2), RangeError, "sum: dim 2 is out of range for a tensor of 2 dims (expected [-2, 1])");
    expectThrow(() => zeros([2, 3]).softmax(-3), RangeError, "softmax: dim -3 is out of range");
    expectThrow(() => zeros([2, 3]).sum([0, 0]), RangeError, "sum: dim 0 appears more than once");
    expectThrow(() => zeros([2, 3]).permute(0, 0), RangeError, "permute: repeated dim in [0, 0]");
    expectThrow(() => zeros([2, 3]).permute(0), RangeError, "permute: got 1 dims [0] for a tensor of 2 dims");
  });

  it("reports an expand that does not fit", () => {
    expectThrow(() => zeros([3]).expand(2, 4), RangeError, "expand: the expanded size 4 must match the existing size 3 at non-singleton dim 1");
    expectThrow(() => zeros([2, 3]).expand(3), RangeError, "expand: the target shape [3] has fewer dims than the tensor's [2, 3]");
  });

  it("reports narrow, select, slice and split out of range", () => {
    expectThrow(() => zeros([2, 3]).narrow(1, 2, 2), RangeError, "narrow: start 2 and length 2 are out of range for dim 1 of size 3");
    expectThrow(() => zeros([2, 3]).select(0, 2), RangeError, "select: index 2 is out of range for dim 0 of size 2");
    expectThrow(() => zeros([2, 3]).slice(1, 0, 3, 0), RangeError, "slice: step must be a positive integer, got 0");
    expectThrow(() => zeros([2, 3]).split([1, 1], 1), RangeError, "split: sizes [1, 1] sum to 2, but dim 1 has size 3");
    expectThrow(() => zeros([2, 3]).chunk(0), RangeError, "chunk: chunks must be a positive integer, got 0");
  });

  it("reports cat and stack mismatches", () => {
    expectThrow(() => cat([zeros([2, 3]), zeros([2, 4])], 0), RangeError, "cat: sizes must match except in dim 0; tensor 1 has shape [2, 4], tensor 0 has [2, 3]");
    expectThrow(() => cat([zeros([2, 3]), zeros([3])]), RangeError, "cat: tensor 1 has 1 dims (shape [3]) but tensor 0 has 2");
    expectThrow(() => cat([]), RangeError, "cat: expected a non-empty array");
    expectThrow(() => cat([tensor(1), tensor(2)]), RangeError, "cat: zero-dimensional tensor (at position 0, shape []) cannot be concatenated");
    expectThrow(() => stack([zeros([2]), zeros([3])]), RangeError, "stack: expects each tensor to be the same shape, but tensor 1 has [3] and tensor 0 has [2]");
  });

  it("refuses item() on a multi-element tensor", () => {
    expectThrow(() => zeros([2, 2]).item(), RangeError, "item: a tensor with 4 elements (shape [2, 2]) cannot be converted to a number");
    expectThrow(() => zeros([0]).item(), RangeError, "item: a tensor with 0 elements");
  });

  it("refuses amax / max over an empty dim", () => {
    expectThrow(() => zeros([2, 0]).amax(1), RangeError, "amax: cannot reduce over dim 1 of size 0 in shape [2, 0]");
    expectThrow(() => zeros([0, 3]).max(0), RangeError, "max: cannot reduce over dim 0 of size 0 in shape [0, 3]");
    expectThrow(() => zeros([0]).argmax(), RangeError, "argmax: cannot take the argmax of an empty tensor");
  });
});

describe("index ops", () => {
  const x = zeros([3, 4]);

  it("reports a gather index out of range", () => {
    expectThrow(() => x.gather(1, tensor([[0, 4]], { dtype: "int32" })), RangeError, "gather: index 4 is out of bounds for dim 1 with size 4");
    expectThrow(() => x.gather(1, tensor([[-1]], { dtype: "int32" })), RangeError, "gather: index -1 is out of bounds");
  });

  it("refuses a gather index of the wrong dtype", () => {
    expectThrow(() => x.gather(1, tensor([[0, 1]])), TypeError, "gather: index must be an int32 tensor, got dtype float32");
  });

  it("refuses a gather index of the wrong rank or size", () => {
    expectThrow(() => x.gather(1, tensor([0, 1], { dtype: "int32" })), RangeError, "gather: index [2] must have as many dims as the input [3, 4]");
    expectThrow(() => x.gather(1, zeros([4, 1], { dtype: "int32" })), RangeError, "gather: index [4, 1] is larger than the input [3, 4] in dim 0");
  });

  it("reports scatterAdd, indexSelect and indexAdd problems", () => {
    const i = tensor([[0, 1]], { dtype: "int32" });
    expectThrow(() => x.scatterAdd(1, i, zeros([1, 1])), RangeError, "scatterAdd: index [1, 2] is larger than src [1, 1] in dim 1");
    expectThrow(() => x.indexSelect(0, tensor([0, 3], { dtype: "int32" })), RangeError, "indexSelect: index 3 is out of bounds for dim 0 with size 3");
    expectThrow(() => x.indexSelect(0, tensor([0.5])), TypeError, "indexSelect: index must be an int32 tensor, got dtype float32");
    expectThrow(() => x.indexSelect(0, zeros([1, 1], { dtype: "int32" })), RangeError, "indexSelect: index must be 0-d or 1-d, got shape [1, 1]");
    expectThrow(() => x.indexAdd(0, tensor([1], { dtype: "int32" }), zeros([2, 4])), RangeError, "indexAdd: source [2, 4] must have shape [1, 4]");
  });

  it("refuses a non-bool condition in where and maskedFill", () => {
    expectThrow(() => where(tensor([1, 0]), 1, 2), TypeError, "where: condition must be a bool tensor, got dtype float32");
    expectThrow(() => zeros([2]).maskedFill(tensor([1, 0], { dtype: "int32" }), 1), TypeError, "maskedFill: mask must be a bool tensor, got dtype int32");
  });
});

describe("dtypes and operands", () => {
  it("refuses operands that are not tensors or numbers", () => {
    expectThrow(() => zeros([2]).add("1" as never), TypeError, "add: other must be a Tensor or a number, got string");
    expectThrow(() => zeros([2]).mul(null as never), TypeError, "mul: other must be a Tensor or a number, got null");
    expectThrow(() => zeros([2]).matmul([1, 2] as never), TypeError, "matmul: expected a Tensor operand");
  });

  it("refuses float-only ops on integer tensors", () => {
    expectThrow(() => arange(4).mean(), TypeError, "mean: expected a floating-point tensor, got dtype int32");
    expectThrow(() => arange(4).softmax(0), TypeError, "softmax: expected a floating-point tensor, got dtype int32");
    expectThrow(() => arange(4).var(), TypeError, "var: expected a floating-point tensor");
  });

  it("refuses bool subtraction and bool matmul", () => {
    expectThrow(() => tensor([true]).sub(tensor([false])), TypeError, "sub: subtraction of bool tensors is not supported");
    expectThrow(() => tensor([true]).matmul(tensor([true])), TypeError, "matmul: bool tensors are not supported");
  });

  it("refuses clamp without bounds and full with a non-number", () => {
    expectThrow(() => zeros([2]).clamp(), TypeError, "clamp: at least one of min or max must be given");
    expectThrow(() => full([2], "1" as never), TypeError, 'full: fillValue must be a number, got "1"');
  });
});
