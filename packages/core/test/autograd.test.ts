/**
 * The autograd engine: graph recording, backward through long chains and shared subgraphs,
 * retainGraph, gradient accumulation, grad() and higher-order gradients, grad mode, and
 * user-defined AutogradFunctions.
 */
import { describe, it, expect } from "vitest";
import {
  AutogradFunction, FunctionCtx, Tensor, tensor, grad, gradcheck, gradgradcheck, noGrad, enableGrad,
  isGradEnabled, randn, Generator, linear, zeros,
} from "@tsgrad/core";
import { expectClose } from "../../../tools/test-utils.js";

const f64 = { dtype: "float64", requiresGrad: true } as const;

describe("graph recording", () => {
  it("records a gradFn only when an input requires grad", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const c = tensor([3, 4]);
    const y = x.mul(c);
    expect(y.requiresGrad).toBe(true);
    expect(y.isLeaf).toBe(false);
    expect(y.gradFn?.name).toBe("MulBackward0");
    const z = c.mul(c);
    expect(z.requiresGrad).toBe(false);
    expect(z.gradFn).toBeNull();
    expect(x.isLeaf && c.isLeaf).toBe(true);
  });

  it("keeps comparisons, argmax and integer casts out of the graph", () => {
    const x = tensor([1, -2, 3], { requiresGrad: true });
    expect(x.gt(0).requiresGrad).toBe(false);
    expect(x.argmax().requiresGrad).toBe(false);
    expect(x.int().requiresGrad).toBe(false);
    expect(x.max(0).indices.requiresGrad).toBe(false);
  });

  it("detach() shares the data but leaves the graph", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2);
    const d = y.detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.gradFn).toBeNull();
    expect(d.data).toBe(y.data);
  });
});

describe("backward", () => {
  it("walks a chain of 10,000 ops without overflowing the stack", () => {
    const x = tensor(1.5, f64);
    let y = x;
    for (let i = 0; i < 10_000; i++) y = y.mul(0.9999).add(0.001);
    y.backward();
    expect(x.grad!.item()).toBeCloseTo(0.9999 ** 10_000, 12);
  });

  it("also walks a 10,000-op chain of views and reductions", () => {
    const x = randn([4], f64);
    let y = x;
    for (let i = 0; i < 5_000; i++) y = y.unsqueeze(0).squeeze(0);
    y.sum().backward();
    expect(x.grad!.toArray()).toEqual([1, 1, 1, 1]);
  });

  it("sums the gradients of every path through a shared subgraph (diamond)", () => {
    // y = 2x; z = y² + 3y  →  dz/dx = (2y + 3) · 2 = 8x + 6
    const x = tensor([1, -0.5, 2], f64);
    const y = x.mul(2);
    y.mul(y).add(y.mul(3)).sum().backward();
    expect(x.grad!.toArray()).toEqual([14, 2, 22]);
  });

  it("takes the upstream gradient of a non-scalar output", () => {
    const x = tensor([1, 2, 3], f64);
    x.mul(x).backward(tensor([1, 0.5, -1], { dtype: "float64" }));
    expect(x.grad!.toArray()).toEqual([2, 2, -6]);
  });

  it("accumulates into a leaf's .grad across two backward calls", () => {
    const x = tensor([1, 2], f64);
    x.mul(2).sum().backward();
    x.mul(x).sum().backward();
    expect(x.grad!.toArray()).toEqual([2 + 2, 2 + 4]);
  });

  it("stores a copy in .grad, not the upstream tensor itself", () => {
    const x = tensor([1, 2], f64);
    const g = tensor([5, 6], { dtype: "float64" });
    x.clone().backward(g);
    g.data[0] = 100;
    expect(x.grad!.toArray()).toEqual([5, 6]);
    expect(x.grad).not.toBe(g);
  });

  it("runs twice through a graph kept with retainGraph", () => {
    const x = tensor([1, 3], f64);
    const y = x.exp().sum();
    y.backward(undefined, { retainGraph: true });
    y.backward();
    expectClose(x.grad!, tensor([2 * Math.E, 2 * Math.exp(3)], { dtype: "float64" }), "twice e^x");
  });

  it("frees the graph after backward, so a second run fails clearly", () => {
    const x = tensor([1, 3], f64);
    const y = x.exp().sum();
    y.backward();
    expect(() => y.backward()).toThrow(/backward through the graph a second time.*retainGraph: true/);
    expect(y.gradFn!.rule).toBeNull();
  });

  it("keeps .grad of a non-leaf that asked with retainGrad()", () => {
    const x = tensor([1, 2], f64);
    const h = x.mul(3).retainGrad();
    h.square().sum().backward();
    expect(h.grad!.toArray()).toEqual([6, 12]);
    expect(x.grad!.toArray()).toEqual([18, 36]);
  });

  it("leaves inputs without requiresGrad with a null .grad", () => {
    const x = tensor([1, 2], f64);
    const c = tensor([3, 4], { dtype: "float64" });
    x.mul(c).sum().backward();
    expect(c.grad).toBeNull();
    expect(x.grad!.toArray()).toEqual([3, 4]);
  });

  it("casts the gradient to a float32 leaf's dtype after mixing dtypes", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const w = tensor([0.5, 0.25], f64);
    const y = x.mul(w).sum();
    expect(y.dtype).toBe("float64");
    y.backward();
    expect(x.grad!.dtype).toBe("float32");
    expect(w.grad!.dtype).toBe("float64");
    expect(x.grad!.toArray()).toEqual([0.5, 0.25]);
  });
});

describe("grad()", () => {
  it("returns gradients without touching .grad", () => {
    const x = tensor([1, 2], f64);
    const [g] = grad([x.square().sum()], [x]);
    expect(g!.toArray()).toEqual([2, 4]);
    expect(x.grad).toBeNull();
  });

  it("gives null for unused inputs with allowUnused", () => {
    const x = tensor([1], f64);
    const unused = tensor([1], f64);
    const [gx, gu] = grad([x.mul(2).sum()], [x, unused], { allowUnused: true });
    expect(gx!.toArray()).toEqual([2]);
    expect(gu).toBeNull();
  });

  it("differentiates with respect to an intermediate tensor", () => {
    const x = tensor([1, 2], f64);
    const h = x.mul(3);
    const [gh] = grad([h.square().sum()], [h]);
    expect(gh!.toArray()).toEqual([6, 12]);
  });

  it("takes several outputs with their gradOutputs", () => {
    const x = tensor([1, 2], f64);
    const [g] = grad([x.mul(2), x.square()], [x], {
      gradOutputs: [tensor([1, 1], { dtype: "float64" }), tensor([1, -1], { dtype: "float64" })],
    });
    expect(g!.toArray()).toEqual([2 + 2, 2 - 4]);
  });

  it("gives d²/dx² x³ = 6x through createGraph", () => {
    const x = tensor([-1, 0.5, 2], f64);
    const [dy] = grad([x.pow(3).sum()], [x], { createGraph: true });
    expectClose(dy!, tensor([3, 0.75, 12], { dtype: "float64" }), "3x²");
    expect(dy!.requiresGrad).toBe(true);
    const [d2y] = grad([dy!.sum()], [x], { createGraph: true });
    expectClose(d2y!, tensor([-6, 3, 12], { dtype: "float64" }), "6x");
    const [d3y] = grad([d2y!.sum()], [x]);
    expectClose(d3y!, tensor([6, 6, 6], { dtype: "float64" }), "6");
  });

  it("gives second derivatives through backward({ createGraph })", () => {
    const x = tensor([0.3, -1.2], f64);
    x.sin().sum().backward(undefined, { createGraph: true });
    const first = x.grad!;
    expectClose(first, x.detach().cos(), "cos x");
    const [second] = grad([first.sum()], [x]);
    expectClose(second!, x.detach().sin().neg(), "−sin x");
  });
});

describe("grad mode", () => {
  it("noGrad records nothing and restores the mode even when fn throws", () => {
    const x = tensor([1], { requiresGrad: true });
    const y = noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(() => noGrad(() => {
      throw new Error("boom");
    })).toThrow("boom");
    expect(isGradEnabled()).toBe(true);
  });

  it("enableGrad records inside noGrad", () => {
    const x = tensor([1], { requiresGrad: true });
    const y = noGrad(() => enableGrad(() => x.mul(2)));
    expect(y.requiresGrad).toBe(true);
    expect(isGradEnabled()).toBe(true);
  });

  it("allows in-place updates of parameters under noGrad, as optimizers do", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    w.mul(w).sum().backward();
    noGrad(() => w.sub_(w.grad!, { alpha: 0.5 }));
    expect(w.toArray()).toEqual([0, 0]);
    expect(w.isLeaf && w.requiresGrad).toBe(true);
  });
});

// softplus(αx)/α with a hand-written backward σ(αx), written with Tensor ops so it can be
// differentiated again.
class ScaledSoftplus extends AutogradFunction {
  static override forward(ctx: FunctionCtx, x: Tensor, alpha: number): Tensor {
    ctx.saveForBackward(x);
    ctx.values.alpha = alpha;
    return x.mul(alpha).exp().log1p().div(alpha);
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Array<Tensor | null> {
    const [x] = ctx.savedTensors;
    return [g.mul(x.mul(ctx.values.alpha as number).sigmoid()), null];
  }
}

// a·b with backward for both tensor arguments; the second gets none when it does not need one.
class Product extends AutogradFunction {
  static override forward(ctx: FunctionCtx, a: Tensor, b: Tensor): Tensor {
    ctx.saveForBackward(a, b);
    return a.mul(b);
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Array<Tensor | null> {
    const [a, b] = ctx.savedTensors;
    return [ctx.needsInputGrad[0] ? g.mul(b) : null, ctx.needsInputGrad[1] ? g.mul(a) : null];
  }
}

describe("AutogradFunction", () => {
  it("runs forward without a graph and records its own node", () => {
    const x = tensor([-1, 0, 2], f64);
    const y = ScaledSoftplus.apply(x, 2);
    expect(y.gradFn!.name).toBe("ScaledSoftplusBackward");
    expectClose(y, x.detach().mul(2).exp().log1p().div(2), "softplus(2x)/2");
  });

  it("backpropagates through a graph that mixes it with built-in ops", () => {
    const x = tensor([-1, 0, 2], f64);
    ScaledSoftplus.apply(x.mul(3), 2).sum().backward();
    expectClose(x.grad!, x.detach().mul(6).sigmoid().mul(3), "3σ(6x)");
  });

  it("passes gradcheck and gradgradcheck", () => {
    const g = new Generator(3);
    const x = randn([5], { ...f64, generator: g });
    expect(gradcheck((x) => ScaledSoftplus.apply(x, 1.5), [x])).toBe(true);
    expect(gradgradcheck((x) => ScaledSoftplus.apply(x, 1.5), [x])).toBe(true);
  });

  it("reports needsInputGrad and skips inputs that do not require grad", () => {
    const a = tensor([2, 3], f64);
    const b = tensor([5, 7], { dtype: "float64" });
    Product.apply(a, b).sum().backward();
    expect(a.grad!.toArray()).toEqual([5, 7]);
    expect(b.grad).toBeNull();
    const a2 = randn([3], { ...f64, generator: new Generator(1) });
    const b2 = randn([3], { ...f64, generator: new Generator(2) });
    expect(gradcheck((p, q) => Product.apply(p, q), [a2, b2])).toBe(true);
  });
});

describe("in-place modification of saved tensors", () => {
  it("refuses to backward through a product whose factor was modified in place since", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const c = tensor([3, 4]);
    const y = x.mul(c);
    noGrad(() => c.mul_(10));
    expect(() => y.sum().backward()).toThrow(
      /backward: a tensor needed to compute the gradient of MulBackward0 \(shape \[2\], float32\) was modified by an in-place operation after it was used: it is at version 1, expected version 0/,
    );
  });

  it("sees writes through a view of the saved tensor", () => {
    const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const w = tensor([[1, 0], [0, 1]]);
    const y = x.matmul(w.T);
    noGrad(() => w.narrow(0, 0, 1).fill_(5));
    expect(() => y.sum().backward()).toThrow(/MmBackward0.*version 1, expected version 0/);
  });

  it("lets ops whose backward reads no saved value (add, reshape, sum) run after the input changed, as PyTorch does", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.add(1).reshape(2, 1).sum();
    noGrad(() => x.add_(5));
    y.backward();
    expect(x.grad!.toArray()).toEqual([1, 1]);
  });

  it("counts versions per storage: markModified bumps it for every view", () => {
    const base = tensor([1, 2, 3, 4]);
    const view = base.reshape(2, 2);
    expect(view.version).toBe(0);
    base.markModified();
    expect(view.version).toBe(1);
    noGrad(() => view.zero_());
    expect(base.version).toBe(2);
  });

  it("checks the tensors an AutogradFunction saved", () => {
    class Square extends AutogradFunction {
      static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
        ctx.saveForBackward(x);
        return x.mul(x);
      }
      static override backward(ctx: FunctionCtx, g: Tensor): Tensor[] {
        const [x] = ctx.savedTensors;
        return [g.mul(x).mul(2)];
      }
    }
    const x = tensor([3], { requiresGrad: true });
    const y = Square.apply(x);
    noGrad(() => x.add_(1));
    expect(() => y.backward()).toThrow(/SquareBackward.*modified by an in-place operation/);
  });
});

describe("gradients a leaf keeps without a copy", () => {
  // A leaf may take a gradient the engine's own kernels just made as its .grad; these check that
  // no other tensor, hook or later pass ever shares its storage.
  it("gives two leaves fed one gradient unchanged (add passes it on) storage of their own", () => {
    const a = tensor([1, -2, 3], { requiresGrad: true });
    const b = tensor([2, 1, -5], { requiresGrad: true });
    a.add(b).relu().sum().backward();
    expect(a.grad!.toArray()).toEqual([1, 0, 0]);
    expect(b.grad!.toArray()).toEqual([1, 0, 0]);
    expect(a.grad!.data).not.toBe(b.grad!.data);
    a.grad!.mul_(5);
    expect(b.grad!.toArray()).toEqual([1, 0, 0]);
  });

  it("does not hand a leaf a gradient its hook has seen", () => {
    const x = tensor([1, -2], { requiresGrad: true });
    const seen: Tensor[] = [];
    x.registerHook((g) => void seen.push(g));
    x.relu().sum().backward();
    expect(x.grad!.data).not.toBe(seen[0].data);
    x.grad!.zero_();
    expect(seen[0].toArray()).toEqual([1, 0]);
  });

  it("keeps a retained non-leaf gradient apart from the leaf's", () => {
    const x = tensor([[1, -2], [3, 4]], { requiresGrad: true });
    const w = tensor([[1, 0], [0, 1]], { requiresGrad: true });
    const h = linear(x, w).retainGrad();
    h.relu().sum().backward();
    expect(h.grad!.toArray()).toEqual([[1, 0], [1, 1]]);
    expect(h.grad!.data).not.toBe(x.grad!.data);
    expect(h.grad!.data).not.toBe(w.grad!.data);
    x.grad!.zero_();
    w.grad!.zero_();
    expect(h.grad!.toArray()).toEqual([[1, 0], [1, 1]]);
  });

  it("accumulates into a kept gradient on the next pass, touching nothing else", () => {
    const w = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const x = tensor([[1, 1]]);
    const out1 = linear(x, w);
    out1.sum().backward();
    const first = w.grad!;
    expect(first.toArray()).toEqual([[1, 1], [1, 1]]);
    linear(x, w).sum().backward();
    expect(w.grad).toBe(first);
    expect(w.grad!.toArray()).toEqual([[2, 2], [2, 2]]);
    expect(x.grad).toBeNull();
  });

  it("gives grad() results that are nobody's .grad", () => {
    const x = tensor([1, -2], { requiresGrad: true });
    const [g] = grad(x.relu().sum(), [x]);
    expect(x.grad).toBeNull();
    expect(g!.toArray()).toEqual([1, 0]);
  });
});

describe("gradient buffers backward gives back for reuse", () => {
  // Between two linear layers the gradient flowing into the ReLU's rule is consumable: once read,
  // its buffer serves the next allocation of that size (the first layer's gradients, in the same
  // pass). Whatever a user can still see must never be among those buffers.
  const twoLayers = () => {
    const gen = new Generator(3);
    const x = randn([8, 8], { generator: gen, requiresGrad: true });
    const w1 = randn([8, 8], { generator: gen, requiresGrad: true });
    const w2 = randn([8, 8], { generator: gen, requiresGrad: true });
    const z = linear(x, w1).relu();
    return { x, w1, w2, z, out: linear(z, w2).sum() };
  };
  const allocateMany = () => Array.from({ length: 20 }, () => randn([8, 8]).add(1));
  // z's gradient, computed with nothing reusable in its way (retainGrad keeps a copy).
  const reference = () => {
    const { z, out } = twoLayers();
    z.retainGrad();
    out.backward();
    return Array.from(z.grad!.dataSync());
  };

  it("leaves a gradient a hook has seen alone", () => {
    const { z, out } = twoLayers();
    let seen: Tensor | undefined;
    z.registerHook((g) => void (seen = g));
    out.backward();
    allocateMany();
    expect(Array.from(seen!.dataSync())).toEqual(reference());
  });

  it("leaves a retained gradient alone", () => {
    const { z, out } = twoLayers();
    z.retainGrad();
    out.backward();
    allocateMany();
    expect(Array.from(z.grad!.dataSync())).toEqual(reference());
  });

  it("leaves grad()'s results and the leaves' gradients alone", () => {
    const { x, w1, w2, z, out } = twoLayers();
    const [gz] = grad(out, [z, x]);
    allocateMany();
    expect(Array.from(gz!.dataSync())).toEqual(reference());
    const again = twoLayers();
    again.out.backward();
    const leaves = [again.x, again.w1, again.w2].map((t) => Array.from(t.grad!.dataSync()));
    allocateMany();
    const fresh = twoLayers();
    fresh.z.retainGrad(); // no reuse on this pass: the ReLU's incoming gradient is retained
    fresh.out.backward();
    expect(leaves).toEqual([fresh.x, fresh.w1, fresh.w2].map((t) => Array.from(t.grad!.dataSync())));
    expect([x, w1, w2].every((t) => t.grad === null)).toBe(true);
  });

  it("gives a fresh allocation zeros, whatever buffer it reuses", () => {
    const { out } = twoLayers();
    out.backward();
    for (const t of Array.from({ length: 20 }, () => zeros([8, 8]))) expect(t.dataSync().every((v) => v === 0)).toBe(true);
  });
});
