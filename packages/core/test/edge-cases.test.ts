/**
 * Edge cases: PyTorch's gradients at kinks (spelled out here; reference.test.ts checks the same
 * points against PyTorch's numbers), extremes in the default float32, empty and 0-d tensors,
 * non-contiguous leaves, views sharing storage, NaN propagation, and the whole op table run in
 * float32.
 */
import { describe, it, expect } from "vitest";
import { Tensor, tensor, zeros, ones, arange, randn, cat, grad, gradcheck, Generator } from "@tsgrad/core";
import { expectClose } from "../../../tools/test-utils.js";
import { CASES, checkAgainstReference } from "./op-table.js";

const f64 = { dtype: "float64", requiresGrad: true } as const;

/** The gradient of `fn(x).sum()` with respect to x, as nested arrays. */
function gradOfSum(x: Tensor, fn: (x: Tensor) => Tensor): unknown {
  const [g] = grad([fn(x).sum()], [x]);
  return g!.toArray();
}

describe("kinks follow PyTorch", () => {
  it("relu and abs have gradient 0 at 0", () => {
    expect(gradOfSum(tensor([-1, 0, 2], f64), (x) => x.relu())).toEqual([0, 0, 1]);
    expect(gradOfSum(tensor([-1, 0, 2], f64), (x) => x.abs())).toEqual([-1, 0, 1]);
  });

  it("clamp has gradient 1 at its closed bounds", () => {
    expect(gradOfSum(tensor([-1, -0.5, 0, 0.5, 1], f64), (x) => x.clamp(-0.5, 0.5))).toEqual([0, 1, 1, 1, 0]);
    expect(gradOfSum(tensor([-1, 0, 1], f64), (x) => x.clamp(0))).toEqual([0, 1, 1]);
  });

  it("maximum and minimum split the gradient in half at ties", () => {
    const a = tensor([1, 2, 3], f64);
    const b = tensor([1, 0, 3], f64);
    const [ga, gb] = grad([a.maximum(b).sum()], [a, b]);
    expect(ga!.toArray()).toEqual([0.5, 1, 0.5]);
    expect(gb!.toArray()).toEqual([0.5, 0, 0.5]);
    const [ha, hb] = grad([a.minimum(b).sum()], [a, b]);
    expect(ha!.toArray()).toEqual([0.5, 0, 0.5]);
    expect(hb!.toArray()).toEqual([0.5, 1, 0.5]);
  });

  it("amax / amin / max() split the gradient evenly among tied extremes", () => {
    const x = (): Tensor => tensor([[1, 3, 3], [2, 2, 2]], f64);
    expect(gradOfSum(x(), (x) => x.amax(1))).toEqual([[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]]);
    expect(gradOfSum(x(), (x) => x.amax())).toEqual([[0, 0.5, 0.5], [0, 0, 0]]);
    expect(gradOfSum(x(), (x) => x.max())).toEqual([[0, 0.5, 0.5], [0, 0, 0]]);
    expect(gradOfSum(x(), (x) => x.amin())).toEqual([[1, 0, 0], [0, 0, 0]]);
  });

  it("max(dim) / min(dim) give the first tied index all of the gradient", () => {
    const x = tensor([[1, 3, 3], [2, 2, 2]], f64);
    const { values, indices } = x.max(1);
    expect(values.toArray()).toEqual([3, 2]);
    expect(indices.toArray()).toEqual([1, 0]);
    expect(gradOfSum(x, (x) => x.max(1).values)).toEqual([[0, 1, 0], [1, 0, 0]]);
    expect(gradOfSum(x, (x) => x.min(1).values)).toEqual([[1, 0, 0], [1, 0, 0]]);
  });

  it("norm and std have gradient 0 (not NaN) where they are 0", () => {
    expect(gradOfSum(zeros([3], f64), (x) => x.norm())).toEqual([0, 0, 0]);
    expect(gradOfSum(zeros([2, 2], f64), (x) => x.norm(3, 1))).toEqual([[0, 0], [0, 0]]);
    expect(gradOfSum(ones([3], f64), (x) => x.std())).toEqual([0, 0, 0]);
  });
});

describe("extremes in float32", () => {
  const logits = (): Tensor => tensor([[1000, -1000, 0], [-1000, -1000, -1000]], { requiresGrad: true });

  it("softmax of ±1000 is finite and sums to 1", () => {
    const y = logits().softmax(1);
    expect(y.dtype).toBe("float32");
    expectClose(y, tensor([[1, 0, 0], [1 / 3, 1 / 3, 1 / 3]]), "softmax", 1e-6);
    const x = logits();
    x.softmax(1).mul(tensor([1, 2, 3])).sum().backward();
    expect(x.grad!.isnan().any().item()).toBe(0);
  });

  it("logSoftmax and logsumexp of ±1000 stay finite", () => {
    expect(logits().logSoftmax(1).toArray()).toEqual([[0, -2000, -1000], [-Math.log(3), -Math.log(3), -Math.log(3)].map(Math.fround)]);
    expectClose(logits().logsumexp(1), tensor([1000, -1000 + Math.log(3)]), "logsumexp", 1e-6);
    const x = logits();
    x.logSoftmax(1).sum().backward();
    expectClose(x.grad!, tensor([[-2, 1, 1], [0, 0, 0]]), "logSoftmax grad", 1e-6, 1e-6);
  });

  it("sigmoid(±800) is exactly 0 or 1 with gradient 0, and tanh saturates", () => {
    const x = tensor([-800, 800, 0], { requiresGrad: true });
    const y = x.sigmoid();
    expect(y.toArray()).toEqual([0, 1, 0.5]);
    y.sum().backward();
    expect(x.grad!.toArray()).toEqual([0, 0, 0.25]);
    expect(tensor([-800, 800]).tanh().toArray()).toEqual([-1, 1]);
  });

  it("exp overflows to inf and log(0) is -inf, as in PyTorch", () => {
    const x = tensor([1000, -1000, 0], { requiresGrad: true });
    const y = x.exp();
    expect(y.toArray()).toEqual([Infinity, 0, 1]);
    y.sum().backward();
    expect(x.grad!.toArray()).toEqual([Infinity, 0, 1]);
    expect(tensor([100]).exp().toArray()).toEqual([Infinity]); // float32 overflow at ~88.7
    expect(tensor([0, -1]).log().toArray()).toEqual([-Infinity, NaN]);
  });
});

describe("norm orders", () => {
  it("p = 0 counts nonzeros and p = ±Infinity takes max/min |x| (values from PyTorch 1.13)", () => {
    const x = tensor([[0, -2, 3], [0, 0, -1]]);
    expect(x.norm(0).item()).toBe(3);
    expect(x.norm(0, 1).toArray()).toEqual([2, 1]);
    expect(x.norm(-Infinity, 1).toArray()).toEqual([0, 0]);
    expect(x.norm(Infinity).item()).toBe(3);
  });
});

describe("NaN propagates", () => {
  it("through maximum, amax, max(dim), relu and clamp", () => {
    const x = tensor([1, NaN, 3]);
    expect(x.maximum(tensor([2, 2, 2])).toArray()).toEqual([2, NaN, 3]);
    expect(x.amax().item()).toBeNaN();
    const { values, indices } = x.max(0);
    expect(values.item()).toBeNaN();
    expect(indices.item()).toBe(1);
    expect(x.relu().toArray()).toEqual([1, NaN, 3]);
    expect(x.clamp(0, 2).toArray()).toEqual([1, NaN, 2]);
    expect(x.softmax(0).isnan().all().item()).toBe(1);
  });
});

describe("empty tensors", () => {
  it("flow through elementwise ops, reductions, matmul and shape ops", () => {
    const e = zeros([2, 0], f64);
    expect(e.exp().shape).toEqual([2, 0]);
    expect(e.add(ones([1])).shape).toEqual([2, 0]);
    expect(e.sum().item()).toBe(0);
    expect(e.sum(1).toArray()).toEqual([0, 0]);
    expect(e.sum(0).shape).toEqual([0]);
    expect(e.mean(1).toArray()).toEqual([NaN, NaN]);
    expect(e.logsumexp(1).toArray()).toEqual([-Infinity, -Infinity]);
    expect(e.matmul(zeros([0, 3], { dtype: "float64" })).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(e.T.shape).toEqual([0, 2]);
    expect(e.reshape(0, 7).shape).toEqual([0, 7]);
    expect(e.toArray()).toEqual([[], []]);
    expect(cat([e, zeros([2, 3], { dtype: "float64" })], 1).shape).toEqual([2, 3]);
    expect(tensor([]).shape).toEqual([0]);
    expect(tensor([[], []]).shape).toEqual([2, 0]);
  });

  it("split of an empty dim gives one empty piece and chunk gives `chunks` of them, as in PyTorch", () => {
    expect(zeros([0]).split(2).map((t) => t.shape)).toEqual([[0]]);
    // torch.zeros(3, 0).chunk(2, 1) is two [3, 0] pieces (layout.test.ts's chunk_empty_dim checks the fixture)
    expect(zeros([3, 0]).chunk(2, 1).map((t) => t.shape)).toEqual([[3, 0], [3, 0]]);
  });

  it("backpropagate empty gradients", () => {
    const e = zeros([0], f64);
    e.mul(2).sum().backward();
    expect(e.grad!.shape).toEqual([0]);
    const m = zeros([2, 0], f64);
    const w = randn([0, 3], f64);
    m.matmul(w).sum().backward();
    expect(m.grad!.shape).toEqual([2, 0]);
    expect(w.grad!.shape).toEqual([0, 3]);
  });
});

describe("0-d tensors", () => {
  it("act as scalars in ops, reductions and backward", () => {
    const s = tensor(2, f64);
    expect(s.shape).toEqual([]);
    expect(s.ndim).toBe(0);
    expect(s.numel()).toBe(1);
    expect(s.item()).toBe(2);
    expect(s.toArray()).toBe(2);
    const y = s.mul(tensor([1, 2, 3], { dtype: "float64" }));
    expect(y.shape).toEqual([3]);
    y.sum().backward();
    expect(s.grad!.shape).toEqual([]);
    expect(s.grad!.item()).toBe(6);
    expect(s.sum().shape).toEqual([]);
    expect(s.amax(0).shape).toEqual([]);
    expect(s.softmax(0).item()).toBe(1);
    expect(s.T.shape).toEqual([]);
    expect(s.squeeze().shape).toEqual([]);
    expect(s.flatten().shape).toEqual([1]);
    expect(s.unsqueeze(0).shape).toEqual([1]);
  });
});

describe("non-contiguous inputs", () => {
  // Leaves that are views: a transposed, an expanded and a narrowed tensor.
  function views(): Record<string, { view: Tensor; copy: Tensor }> {
    const g = new Generator(5);
    const make = (v: Tensor): { view: Tensor; copy: Tensor } => {
      expect(v.isContiguous()).toBe(false);
      return { view: v.requiresGrad_(), copy: v.contiguous().detach().requiresGrad_() };
    };
    return {
      transposed: make(randn([4, 3], { dtype: "float64", generator: g }).T),
      expanded: make(randn([3, 1], { dtype: "float64", generator: g }).expand(3, 4)),
      narrowed: make(randn([3, 6], { dtype: "float64", generator: g }).narrow(1, 1, 4)),
    };
  }
  const other = randn([3, 4], { dtype: "float64", generator: new Generator(9) });
  const ops: Record<string, (x: Tensor) => Tensor> = {
    elementwise: (x) => x.mul(other).add(x.exp()).sigmoid(),
    "sum(dim)": (x) => x.sum(0),
    "amax(dim)": (x) => x.amax(1),
    var: (x) => x.var(1),
    softmax: (x) => x.softmax(0),
    logsumexp: (x) => x.logsumexp(1),
    "matmul (left)": (x) => x.matmul(other.T),
    "matmul (right)": (x) => other.T.matmul(x),
    reshape: (x) => x.reshape(-1).mul(arange(12).to("float64")),
    "gather": (x) => x.gather(1, tensor([[3, 0], [1, 1], [2, 0]], { dtype: "int32" })),
  };

  for (const [viewName] of Object.entries(views())) {
    for (const [opName, op] of Object.entries(ops)) {
      it(`${opName} of a ${viewName} leaf equals the contiguous result, values and gradients`, () => {
        const { view, copy } = views()[viewName];
        const a = op(view);
        const b = op(copy);
        expectClose(a, b, `${opName} value`, 1e-12, 1e-14);
        const [ga] = grad([a.sum()], [view]);
        const [gb] = grad([b.sum()], [copy]);
        expect(ga!.shape).toEqual(view.shape);
        expectClose(ga!, gb!, `${opName} gradient`, 1e-12, 1e-14);
      });
    }
  }

  it("gradcheck accepts transposed and narrowed leaves", () => {
    const { transposed, narrowed } = views();
    expect(gradcheck((x, y) => x.mul(y).matmul(other.T).tanh(), [transposed.view, narrowed.view])).toBe(true);
  });
});

describe("views share storage", () => {
  it("transpose, narrow, select, expand, reshape and squeeze are views; reshape of a transposed tensor copies", () => {
    const x = arange(12).to("float32").reshape(3, 4);
    for (const v of [x.T, x.narrow(1, 1, 2), x.select(0, 1), x.unsqueeze(0).expand(2, 3, 4), x.reshape(4, 3), x.unsqueeze(1).squeeze()]) {
      expect(v.data).toBe(x.data);
    }
    const copy = x.T.reshape(12);
    expect(copy.data).not.toBe(x.data);
    expect(copy.toArray()).toEqual([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
  });
});

describe("in-place ops and reading values", () => {
  it("zero_, fill_, add_ (with alpha), sub_, mul_, div_, clamp_ and copy_ write in place", () => {
    const t = tensor([1, 2, 3]);
    const data = t.data;
    expect(t.add_(tensor([1, 1, 1]), { alpha: 2 }).toArray()).toEqual([3, 4, 5]);
    expect(t.sub_(1).mul_(2).div_(4).toArray()).toEqual([1, 1.5, 2]);
    expect(t.clamp_(1.2, 1.8).toArray()).toEqual([1.2, 1.5, 1.8].map(Math.fround));
    expect(t.fill_(7).toArray()).toEqual([7, 7, 7]);
    expect(t.zero_().toArray()).toEqual([0, 0, 0]);
    expect(t.data).toBe(data);
  });

  it("copy_ broadcasts and casts its source", () => {
    const t = zeros([2, 3], { dtype: "int32" });
    t.copy_(tensor([1.9, -2.5, 3]));
    expect(t.toArray()).toEqual([[1, -2, 3], [1, -2, 3]]);
  });

  it("in-place ops on a view write through to the base tensor", () => {
    const base = arange(12).to("float32").reshape(3, 4);
    base.T.narrow(0, 1, 2).fill_(-1);
    base.select(0, 2).add_(100);
    expect(base.toArray()).toEqual([[0, -1, -1, 3], [4, -1, -1, 7], [108, 99, 99, 111]]);
    base.T.copy_(zeros([4, 3]).add(tensor([1, 2, 3])));
    expect(base.toArray()).toEqual([[1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3]]);
  });

  it("dataSync returns a row-major copy of a view; toArray nests it", () => {
    const base = arange(6).reshape(2, 3);
    const flat = base.T.dataSync();
    expect([...flat]).toEqual([0, 3, 1, 4, 2, 5]);
    flat[0] = 99;
    expect(base.toArray()).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(base.T.toArray()).toEqual([[0, 3], [1, 4], [2, 5]]);
    expect(base.select(1, 2).narrow(0, 1, 1).item()).toBe(5);
  });
});

describe("the op table in float32", () => {
  // Same rows as reference.test.ts with inputs rounded to float32: results and gradients must be
  // float32 and agree with PyTorch's float64 values to float32 accuracy. Kink and extreme rows
  // (no gradcheck) are skipped: rounding moves inputs off the kink or changes what overflows.
  // So are the casts, whose output dtype is the point of the row.
  for (const c of CASES.filter((c) => c.gradcheck && !c.name.startsWith("to_"))) {
    it(c.name, () => {
      checkAgainstReference(c, { dtype: "float32", rtol: 1e-4, atol: 1e-5 });
    });
  }
});
