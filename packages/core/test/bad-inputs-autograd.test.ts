// Autograd misuse (issue 7, items 5 and 9): each row must throw the named error class with a
// message that starts with the op the user called and names the offending value. The PyTorch
// semantics of grad assignment come from tools/fixtures/gen_core_api.py.
import { describe, expect, it } from "vitest";
import {
  AutogradFunction, FunctionCtx, Tensor, enableGrad, grad, gradcheck, gradgradcheck, noGrad, ones, onesLike, tensor, zeros,
} from "@tsgrad/core";
import { expectBadInput, loadFixture, type BadInputRow } from "../../../tools/test-utils.js";

const leaf = (): Tensor => zeros([2, 3]).requiresGrad_();
const x3 = (): Tensor => tensor([1, 2, 3], { requiresGrad: true });
const setGrad = (t: Tensor, value: unknown) => () => {
  (t as { grad: unknown }).grad = value;
};

class ReturnsNumber extends AutogradFunction {
  static override forward(_ctx: FunctionCtx, a: Tensor): Tensor { return a.mul(2); }
  static override backward(): Tensor { return 3 as unknown as Tensor; }
}
class ForwardReturnsArray extends AutogradFunction {
  static override forward(_ctx: FunctionCtx, a: Tensor): Tensor { return [a] as unknown as Tensor; }
}

const rows: BadInputRow[] = [
  // x.grad = ... (PyTorch checks at assignment)
  { what: "grad = a number", call: setGrad(leaf(), 3), error: TypeError, op: "Tensor.grad", names: ["number 3", "Tensor or null"] },
  { what: "grad = undefined", call: setGrad(leaf(), undefined), error: TypeError, op: "Tensor.grad", names: ["undefined"] },
  { what: "grad = a nested array", call: setGrad(leaf(), [[0, 0, 0], [0, 0, 0]]), error: TypeError, op: "Tensor.grad", names: ["an array of length 2"] },
  { what: "grad of another shape", call: setGrad(leaf(), ones([3])), error: RangeError, op: "Tensor.grad", names: ["different size", "[3]", "[2, 3]"] },
  { what: "grad of the same numel, another shape", call: setGrad(leaf(), ones([3, 2])), error: RangeError, op: "Tensor.grad", names: ["[3, 2]", "[2, 3]"] },
  { what: "grad of dtype float64 on float32", call: setGrad(leaf(), ones([2, 3], { dtype: "float64" })), error: TypeError, op: "Tensor.grad", names: ["different type", "float64", "float32"] },
  { what: "grad of dtype int32", call: setGrad(leaf(), ones([2, 3], { dtype: "int32" })), error: TypeError, op: "Tensor.grad", names: ["int32", "float32"] },
  { what: "a tensor as its own grad", call: () => { const t = leaf(); t.grad = t; }, error: RangeError, op: "Tensor.grad", names: ["its own grad"] },
  // requiresGrad
  { what: "requiresGrad_ with a string", call: () => zeros([1]).requiresGrad_("yes" as never), error: TypeError, op: "requiresGrad_", names: ['"yes"'] },
  { what: "requiresGrad = 1", call: () => { (zeros([1]) as { requiresGrad: unknown }).requiresGrad = 1; }, error: TypeError, op: "requiresGrad", names: ["number 1"] },
  { what: "requiresGrad_ on int32", call: () => zeros([1], { dtype: "int32" }).requiresGrad_(), error: TypeError, op: "requiresGrad_", names: ["int32"] },
  // backward(gradient?, options?)
  { what: "backward with a number gradient", call: () => x3().sum().backward(3 as never), error: TypeError, op: "backward", names: ["gradient", "number 3"] },
  { what: "backward with an array gradient", call: () => x3().mul(2).backward([1, 1, 1] as never), error: TypeError, op: "backward", names: ["an array of length 3"] },
  { what: "backward with snake_case options in the gradient slot", call: () => x3().sum().backward({ retain_graph: true } as never), error: TypeError, op: "backward", names: ["retain_graph", "retainGraph"] },
  { what: "backward with a non-boolean retainGraph", call: () => x3().sum().backward({ retainGraph: "yes" } as never), error: TypeError, op: "backward", names: ["retainGraph", '"yes"'] },
  { what: "backward with options in both slots", call: () => x3().sum().backward({ retainGraph: true } as never, { createGraph: true }), error: TypeError, op: "backward", names: ["options"] },
  { what: "backward with an unknown option", call: () => x3().sum().backward(null, { inputs: [] } as never), error: TypeError, op: "backward", names: ['"inputs"'] },
  { what: "backward of a non-scalar without a gradient", call: () => x3().mul(2).backward(), error: RangeError, op: "backward", names: ["[3]"] },
  { what: "backward with a gradient of another shape", call: () => x3().mul(2).backward(ones([2])), error: RangeError, op: "backward", names: ["[2]", "[3]"] },
  { what: "backward of a tensor that does not require grad", call: () => ones([1]).sum().backward(), error: Error, op: "backward", names: ["does not require grad"] },
  { what: "backward twice through a freed graph", call: () => { const y = x3().mul(x3()).sum(); y.backward(); y.backward(); }, error: Error, op: "backward", names: ["retainGraph"] },
  // grad(outputs, inputs, options)
  { what: "grad of a number", call: () => grad(3 as never, [x3()]), error: TypeError, op: "grad", names: ["outputs", "number 3"] },
  { what: "grad with respect to a number", call: () => grad([x3().sum()], [x3(), 3 as never]), error: TypeError, op: "grad", names: ["inputs[1]", "number 3"] },
  { what: "grad with an inputs object", call: () => grad([x3().sum()], { x: x3() } as never), error: TypeError, op: "grad", names: ["inputs", "a plain object"] },
  { what: "grad with more gradOutputs than outputs", call: () => { const a = x3(); return grad([a.mul(2)], [a], { gradOutputs: [ones([3]), ones([3])] }); }, error: RangeError, op: "grad", names: ["2 gradOutputs", "1 outputs"] },
  { what: "grad with a number gradOutput", call: () => { const a = x3(); return grad([a.mul(2)], [a], { gradOutputs: [3 as never] }); }, error: TypeError, op: "grad", names: ["gradOutputs[0]", "number 3"] },
  { what: "grad with gradOutputs not an array", call: () => { const a = x3(); return grad([a.mul(2)], [a], { gradOutputs: 3 as never }); }, error: TypeError, op: "grad", names: ["gradOutputs", "number 3"] },
  { what: "grad with snake_case allow_unused", call: () => { const a = x3(); return grad([a.sum()], [a], { allow_unused: true } as never); }, error: TypeError, op: "grad", names: ["allow_unused", "allowUnused"] },
  { what: "grad with respect to an unused input", call: () => grad([x3().sum()], [x3()]), error: Error, op: "grad", names: ["input 0", "allowUnused"] },
  // grad mode, gradcheck, custom functions
  { what: "noGrad of a non-function", call: () => noGrad(5 as never), error: TypeError, op: "noGrad", names: ["number"] },
  { what: "enableGrad of a string", call: () => enableGrad("x" as never), error: TypeError, op: "enableGrad", names: ["string"] },
  { what: "gradcheck of a non-function", call: () => gradcheck(5 as never, [x3().double()]), error: TypeError, op: "gradcheck", names: ["fn", "number 5"] },
  { what: "gradcheck of inputs that are a number", call: () => gradcheck((a) => a, 5 as never), error: TypeError, op: "gradcheck", names: ["inputs", "number 5"] },
  { what: "gradcheck of a function returning a number", call: () => gradcheck(() => 3 as never, [tensor([1], { dtype: "float64", requiresGrad: true })]), error: TypeError, op: "gradcheck", names: ["number 3"] },
  { what: "gradgradcheck of a non-function", call: () => gradgradcheck(null as never, [x3()]), error: TypeError, op: "gradgradcheck", names: ["fn", "null"] },
  { what: "an AutogradFunction whose backward returns a number", call: () => ReturnsNumber.apply(x3()).sum().backward(), error: TypeError, op: "ReturnsNumber.backward", names: ["argument 0", "number 3"] },
  { what: "an AutogradFunction whose forward returns an array", call: () => ForwardReturnsArray.apply(x3()), error: TypeError, op: "ForwardReturnsArray.forward", names: ["an array of length 1"] },
];

describe("autograd misuse gives clear errors", () => {
  it.each(rows.map((r) => [r.what, r] as const))("%s", (_, row) => expectBadInput(row));
});

interface GradAssignCase { what: string; ok: boolean; error?: string; message?: string }
const fixture = loadFixture<{ gradAssign: GradAssignCase[] }>(new URL("./fixtures/core-api.json", import.meta.url));

describe("x.grad = value follows PyTorch 1.13", () => {
  const values: Record<string, (t: Tensor) => unknown> = {
    "same shape and dtype": () => ones([2, 3]),
    null: () => null,
    "expanded view of the right shape": () => ones([3]).expand(2, 3),
    "on a tensor that does not require grad": () => ones([2, 3]),
    "wrong shape": () => ones([3]),
    "wrong shape, same numel": () => ones([3, 2]),
    "wrong dtype float64": () => ones([2, 3], { dtype: "float64" }),
    "wrong dtype int32": () => ones([2, 3], { dtype: "int32" }),
    "a number": () => 3,
    itself: (t) => t,
  };
  it.each(fixture.gradAssign.map((c) => [c.what, c] as const))("%s", (_, c) => {
    const make = values[c.what];
    expect(make, `no tsgrad value for fixture case "${c.what}"`).toBeDefined();
    const t = c.what === "on a tensor that does not require grad" ? zeros([2, 3]) : leaf();
    const value = make(t);
    const assign = setGrad(t, value);
    if (c.ok) {
      assign();
      expect(t.grad).toBe(value);
      return;
    }
    // PyTorch's RuntimeError is a TypeError (kind) or RangeError (value) here; its wording is kept.
    expect(assign).toThrow(c.error === "TypeError" || /different type/.test(c.message!) ? TypeError : RangeError);
    if (/different (size|type)/.test(c.message!)) expect(assign).toThrow(c.message!);
  });

  it("accumulation into an assigned broadcast grad replaces it instead of writing through its view", () => {
    const t = leaf();
    const shared = ones([3]);
    t.grad = shared.expand(2, 3);
    t.mul(onesLike(t)).sum().backward();
    expect(t.grad!.toArray()).toEqual([[2, 2, 2], [2, 2, 2]]);
    expect(shared.toArray()).toEqual([1, 1, 1]);
  });
});

describe("backward takes its options in the gradient slot too", () => {
  it.each([
    ["backward(options)", (y: Tensor) => y.backward({ retainGraph: true })],
    ["backward(null, options)", (y: Tensor) => y.backward(null, { retainGraph: true })],
    ["backward(undefined, options)", (y: Tensor) => y.backward(undefined, { retainGraph: true })],
  ])("%s keeps the graph for a second backward", (_, first) => {
    const a = x3();
    const y = a.mul(a).sum();
    first(y);
    y.backward();
    expect(a.grad!.toArray()).toEqual([4, 8, 12]);
  });

  it("backward({ createGraph: true }) records the gradient's graph", () => {
    const a = tensor([2], { dtype: "float64", requiresGrad: true });
    a.pow(3).sum().backward({ createGraph: true });
    expect(a.grad!.requiresGrad).toBe(true);
    const [second] = grad([a.grad!.sum()], [a]);
    expect(second!.toArray()).toEqual([12]);
  });

  it("a gradient of another float dtype is cast, as in PyTorch", () => {
    const a = x3();
    a.mul(2).backward(ones([3], { dtype: "float64" }));
    expect(a.grad!.dtype).toBe("float32");
    expect(a.grad!.toArray()).toEqual([2, 2, 2]);
  });

  it("grad() takes a single Tensor as gradOutputs, as torch.autograd.grad does", () => {
    const a = x3();
    expect(grad(a.mul(2), a, { gradOutputs: ones([3]) })[0]!.toArray()).toEqual([2, 2, 2]);
  });
});

describe("shape and strides are read-only", () => {
  it("t.shape[0] = 7 throws and leaves the tensor intact", () => {
    const t = ones([2, 3]);
    expect(() => {
      (t.shape as number[])[0] = 7;
    }).toThrow(TypeError);
    expect(() => (t.shape as number[]).push(1)).toThrow(TypeError);
    expect(() => {
      (t.strides as number[])[1] = 0;
    }).toThrow(TypeError);
    expect(t.shape).toEqual([2, 3]);
    expect(t.strides).toEqual([3, 1]);
    expect(t.sum().item()).toBe(6);
  });

  it("views, results and parameters are frozen too; size() is the user's own copy", () => {
    const t = ones([2, 3]);
    for (const u of [t.T, t.reshape(3, 2), t.add(1), t.detach(), t.narrow(1, 0, 2), t.sum(0)]) {
      expect(Object.isFrozen(u.shape)).toBe(true);
      expect(Object.isFrozen(u.strides)).toBe(true);
    }
    const size = t.size();
    size[0] = 9;
    expect(t.shape).toEqual([2, 3]);
  });

  it("the array a tensor was created from can be changed afterwards without effect", () => {
    const shape = [2, 2];
    const t = new Tensor(new Float32Array(4), shape, "float32");
    shape[0] = 1;
    expect(t.shape).toEqual([2, 2]);
  });
});
