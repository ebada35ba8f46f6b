/**
 * Tensor hooks (registerHook, retainGrad, retainsGrad) against PyTorch: each scenario mirrors the
 * function of the same name in tools/fixtures/gen_core_hooks.py, and a hook's `calls` list holds
 * the gradient it received each time it ran, so call order and count are checked too.
 */
import { describe, it, expect } from "vitest";
import { tensor, grad, Tensor, RemovableHandle, type TensorHook } from "@tsgrad/core";
import { describeScenarios, expectClose, loadFixture, type EncodedTensor } from "../../../tools/test-utils.js";

interface Scenario {
  xGrad?: EncodedTensor;
  yGrad?: EncodedTensor;
  gx?: EncodedTensor;
  gxRequiresGrad?: boolean;
  xGradRequiresGrad?: boolean;
  calls?: EncodedTensor[][];
}
const fixture = loadFixture<{ x: number[]; scenarios: Record<string, Scenario> }>(new URL("./fixtures/core-hooks.json", import.meta.url));

const leaf = (): Tensor => tensor(fixture.x, { dtype: "float64", requiresGrad: true });
function logger(calls: Tensor[], transform?: (g: Tensor) => Tensor): TensorHook {
  return (g) => {
    calls.push(g.detach().clone());
    return transform?.(g);
  };
}

// name -> what the scenario computes, as in the generator
const SCENARIOS: Record<string, () => Record<string, Tensor | boolean | Tensor[][]>> = {
  two_hooks_in_order() {
    const x = leaf();
    const y = x.mul(3);
    const first: Tensor[] = [];
    const second: Tensor[] = [];
    y.registerHook(logger(first, (g) => g.mul(2)));
    y.registerHook(logger(second, (g) => g.add(1)));
    y.mul(y).sum().backward();
    return { xGrad: x.grad!, calls: [first, second] };
  },
  leaf_used_twice() {
    const x = leaf();
    const calls: Tensor[] = [];
    x.registerHook(logger(calls, (g) => g.mul(10)));
    x.mul(2).add(x.mul(x)).sum().backward();
    return { xGrad: x.grad!, calls: [calls] };
  },
  nonleaf_used_twice() {
    const x = leaf();
    const y = x.mul(2);
    const calls: Tensor[] = [];
    y.registerHook(logger(calls, (g) => g.neg()));
    y.mul(y).add(y.sin()).sum().backward();
    return { xGrad: x.grad!, calls: [calls] };
  },
  retain_after_hook() {
    const x = leaf();
    const y = x.mul(3);
    y.registerHook((g) => g.mul(2));
    y.retainGrad();
    y.mul(y).sum().backward();
    return { xGrad: x.grad!, yGrad: y.grad! };
  },
  root_hook() {
    const x = leaf();
    const y = x.mul(x).sum();
    const calls: Tensor[] = [];
    y.registerHook(logger(calls, (g) => g.mul(5)));
    y.backward();
    return { xGrad: x.grad!, calls: [calls] };
  },
  removed_hook() {
    const x = leaf();
    const calls: Tensor[] = [];
    const handle = x.registerHook(logger(calls, (g) => g.mul(10)));
    handle.remove();
    handle.remove();
    x.mul(x).sum().backward();
    return { xGrad: x.grad!, calls: [calls] };
  },
  leaf_two_backwards() {
    const x = leaf();
    const calls: Tensor[] = [];
    x.registerHook(logger(calls, (g) => g.mul(10)));
    x.mul(x).sum().backward();
    x.mul(x).mul(x).sum().backward();
    return { xGrad: x.grad!, calls: [calls] };
  },
  hook_then_grad_of_leaf() {
    const x = leaf();
    const y = x.mul(1);
    y.registerHook((g) => g.mul(10));
    const [gx] = grad(y.mul(y).sum(), x);
    return { gx: gx! };
  },
  retain_with_grad() {
    const x = leaf();
    const y = x.exp();
    y.retainGrad();
    grad(y.mul(y).sum(), x);
    return { yGrad: y.grad! };
  },
  create_graph_hook() {
    const x = leaf();
    const y = x.mul(x);
    y.registerHook((g) => g.mul(y));
    const [gx] = grad(y.sum(), x, { createGraph: true });
    gx!.sum().backward();
    return { gx: gx!, gxRequiresGrad: gx!.requiresGrad, xGrad: x.grad! };
  },
  hooks_on_two_branches() {
    const x = leaf();
    const a = x.mul(2);
    const b = x.exp();
    const ca: Tensor[] = [];
    const cb: Tensor[] = [];
    a.registerHook(logger(ca, (g) => g.mul(3)));
    b.registerHook(logger(cb));
    a.mul(b).sum().backward();
    return { xGrad: x.grad!, calls: [ca, cb] };
  },
  hook_on_leaf_in_create_graph() {
    const x = leaf();
    x.registerHook((g) => g.mul(x));
    x.pow(3).sum().backward({ createGraph: true });
    return { xGrad: x.grad!, xGradRequiresGrad: x.grad!.requiresGrad };
  },
};

describeScenarios("tensor hooks match PyTorch", SCENARIOS, fixture.scenarios, (name, key, value, want) => {
  if (typeof want === "boolean") {
    expect(value, key).toBe(want);
  } else if (key === "calls") {
    const calls = value as Tensor[][];
    const wantCalls = want as EncodedTensor[][];
    expect(calls.map((c) => c.length), "number of calls per hook").toEqual(wantCalls.map((c) => c.length));
    calls.forEach((c, h) => c.forEach((g, i) => expectClose(g, wantCalls[h][i], `${name}: hook ${h}, call ${i}`, 1e-12, 1e-12)));
  } else {
    expectClose(value as Tensor, want as EncodedTensor, `${name}: ${key}`, 1e-12, 1e-12);
  }
});

describe("tensor hooks: PyTorch 2 behaviour and errors", () => {
  it("retainGrad stores the gradient after every hook, whatever the registration order (PyTorch 2)", () => {
    const x = tensor([1, 2], { dtype: "float64", requiresGrad: true });
    const y = x.mul(3);
    y.retainGrad(); // before the hooks: 1.13 would store the unhooked [6, 12]
    y.registerHook((g) => g.mul(2));
    y.registerHook((g) => g.add(1));
    y.mul(y).sum().backward();
    expect(y.grad!.toArray()).toEqual([13, 25]); // (2y)·2 + 1 with y = [3, 6]
    expect(x.grad!.toArray()).toEqual([39, 75]);
  });

  it("grad() runs the hooks of the tensors it returns gradients for (PyTorch 2)", () => {
    const x = tensor([1, 2], { dtype: "float64", requiresGrad: true });
    x.registerHook((g) => g.mul(10));
    expect(grad(x.mul(x).sum(), x)[0]!.toArray()).toEqual([20, 40]);
    const y = x.mul(1);
    y.registerHook((g) => g.mul(10));
    expect(grad(y.mul(y).sum(), y)[0]!.toArray()).toEqual([20, 40]);
    expect(x.grad).toBeNull(); // grad() accumulates nothing, hooked or not
  });

  it("grad() does not run the hooks of leaves it was not asked about", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const w = tensor([3, 4], { requiresGrad: true });
    let calls = 0;
    w.registerHook(() => void calls++);
    grad(x.mul(w).sum(), x);
    expect(calls).toBe(0);
  });

  it("a hook on a leaf that is the output itself runs", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    x.registerHook((g) => g.mul(3));
    x.backward(tensor([1, 1]));
    expect(x.grad!.toArray()).toEqual([3, 3]);
  });

  it("retainsGrad is false on leaves and on non-leaves until retainGrad()", () => {
    const x = tensor([1], { requiresGrad: true });
    const y = x.exp();
    expect([x.retainsGrad, y.retainsGrad]).toEqual([false, false]);
    y.retainGrad();
    expect(y.retainsGrad).toBe(true);
    expect(x.retainGrad().retainsGrad).toBe(false); // a no-op on a leaf, as PyTorch
  });

  it("handles have distinct ids and remove only their own hook", () => {
    const x = tensor([1], { requiresGrad: true });
    const a = x.registerHook((g) => g.mul(2));
    const b = x.registerHook((g) => g.mul(5));
    expect(a).toBeInstanceOf(RemovableHandle);
    expect(a.id).not.toBe(b.id);
    a.remove();
    x.sum().backward();
    expect(x.grad!.item()).toBe(5);
  });

  it("a hook removed while hooks run does not disturb the others", () => {
    const x = tensor([1], { requiresGrad: true });
    let later: RemovableHandle | null = null;
    x.registerHook(() => later!.remove());
    later = x.registerHook((g) => g.mul(7));
    x.sum().backward(); // this pass still runs the second hook (the list is read before the first runs)
    expect(x.grad!.item()).toBe(7);
    x.grad = null;
    x.sum().backward();
    expect(x.grad!.item()).toBe(1);
  });

  it("throws clear errors", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => tensor([1]).registerHook((g) => g)).toThrow(/registerHook: cannot register a hook on a tensor that does not require grad/);
    expect(() => x.registerHook(5 as never)).toThrow(/registerHook: expected a function/);
    const shape = tensor([1, 2], { requiresGrad: true });
    shape.registerHook(function sumIt(g) { return g.sum(); });
    expect(() => shape.mul(2).sum().backward()).toThrow(/tensor hook \("sumIt"\) changed the gradient's shape from \[2\] to \[\]/);
    const dtype = tensor([1, 2], { dtype: "float64", requiresGrad: true });
    dtype.registerHook((g) => g.to("float32"));
    expect(() => dtype.mul(2).sum().backward()).toThrow(/changed the gradient's dtype from float64 to float32/);
    const wrong = tensor([1, 2], { requiresGrad: true });
    wrong.registerHook(() => 3 as never);
    expect(() => wrong.mul(2).sum().backward()).toThrow(/must return a Tensor or nothing, got/);
  });

  it("a chain of 10,000 ops with a hook at each end still backpropagates", () => {
    const x = tensor([1], { dtype: "float64", requiresGrad: true });
    x.registerHook((g) => g.mul(2));
    let y = x;
    for (let i = 0; i < 10000; i++) y = y.mul(1);
    y.registerHook((g) => g.mul(3));
    y.sum().backward();
    expect(x.grad!.item()).toBe(6);
  });
});
