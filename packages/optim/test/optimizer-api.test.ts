/** The Optimizer base: param groups, zeroGrad, step with a closure, addParamGroup, and every option error. */
import { describe, expect, it } from "vitest";
import { Tensor, noGrad, isGradEnabled, tensor, zeros } from "@tsgrad/core";
import { SGD, Adam, AdamW, RMSprop, Adagrad, Optimizer, sgdUpdate, adamUpdate, rmspropUpdate, adagradUpdate } from "@tsgrad/optim";

const param = (values: number[] = [1, 2, 3]) => tensor(values, { dtype: "float64", requiresGrad: true });
const grad = (values: number[]) => tensor(values, { dtype: "float64" });

describe("steps", () => {
  it("SGD takes θ − lr·g in place, reading the group's current lr", () => {
    const w = param([1, 2]);
    const data = w.data;
    const opt = new SGD([w], { lr: 0.5 });
    w.grad = grad([1, -2]);
    opt.step();
    expect(w.toArray()).toEqual([0.5, 3]);
    expect(w.data).toBe(data);
    opt.paramGroups[0].lr = 0.25;
    opt.step();
    expect(w.toArray()).toEqual([0.25, 3.5]);
    expect(w.isLeaf && w.gradFn === null && w.requiresGrad).toBe(true);
  });

  it("skips parameters without a gradient and does not advance their state", () => {
    const a = param([1]);
    const b = param([1]);
    const opt = new Adam([a, b], { lr: 0.1 });
    a.grad = grad([1]);
    opt.step();
    expect(b.toArray()).toEqual([1]);
    expect(opt.state.has(b)).toBe(false);
    b.grad = grad([1]);
    opt.step();
    expect(opt.state.get(a)!.step).toBe(2);
    expect(opt.state.get(b)!.step).toBe(1);
    expect(a.dataSync()[0]).toBeCloseTo(0.8, 6); // Adam moves ~lr per step on a constant gradient
    expect(b.dataSync()[0]).toBeCloseTo(0.9, 6);
  });

  it("accepts a frozen (requiresGrad false) parameter, as PyTorch does, and leaves it alone until it gets a gradient", () => {
    const trained = param([1, 2]);
    const frozen = tensor([5, 6], { dtype: "float64" });
    const opt = new SGD([trained, frozen], { lr: 0.5 });
    trained.grad = grad([1, 1]);
    opt.step();
    expect(trained.toArray()).toEqual([0.5, 1.5]);
    expect(frozen.toArray()).toEqual([5, 6]);
    frozen.requiresGrad_(true);
    frozen.grad = grad([2, 2]);
    opt.step();
    expect(frozen.toArray()).toEqual([4, 5]);
  });

  it("updates float32 parameters with float32 buffers", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const opt = new RMSprop([w], { momentum: 0.9, centered: true });
    w.grad = tensor([0.5, -0.5]);
    opt.step();
    const s = opt.state.get(w)!;
    expect([w.dtype, s.squareAvg.dtype, s.momentumBuffer!.dtype, s.gradAvg!.dtype]).toEqual(["float32", "float32", "float32", "float32"]);
    expect(w.data).toBeInstanceOf(Float32Array);
    expect(w.dataSync()[0]).toBeLessThan(1);
    expect(w.dataSync()[1]).toBeGreaterThan(2);
  });

  it("step(closure) runs the closure with grad enabled and returns its loss", () => {
    const w = param([3]);
    const opt = new SGD([w], { lr: 0.1 });
    const loss = noGrad(() =>
      opt.step(() => {
        expect(isGradEnabled()).toBe(true);
        opt.zeroGrad();
        const l = w.mul(w).sum();
        l.backward();
        return l;
      }),
    );
    expect(loss!.item()).toBe(9);
    expect(w.dataSync()[0]).toBeCloseTo(3 - 0.1 * 6, 15);
    expect(opt.step()).toBeUndefined();
  });

  it("accepts a gradient of another layout as long as shape and dtype match", () => {
    const w = tensor([[1, 2], [3, 4]], { dtype: "float64", requiresGrad: true });
    const opt = new SGD([w], { lr: 1 });
    w.grad = tensor([[1, 3], [2, 4]], { dtype: "float64" }).T; // transposed
    opt.step();
    expect(w.toArray()).toEqual([[0, 0], [0, 0]]);
    // Another dtype is refused when assigned, as in PyTorch, not at step().
    expect(() => (w.grad = tensor([[1, 3], [2, 4]]))).toThrow(/Tensor.grad: assigned grad has data of a different type: dtype float32/);
  });

  it("exports the pure update functions that the classes use", () => {
    const w = new Float64Array([1]);
    sgdUpdate(w, new Float64Array([2]), null, false, { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false });
    expect(w[0]).toBeCloseTo(0.8, 15);
    adamUpdate(w, new Float64Array([2]), { expAvg: new Float64Array(1), expAvgSq: new Float64Array(1), maxExpAvgSq: null }, 1,
      { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false }, false);
    expect(w[0]).toBeCloseTo(0.7, 7);
    rmspropUpdate(w, new Float64Array([2]), { squareAvg: new Float64Array(1), momentumBuffer: null, gradAvg: null },
      { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false });
    expect(w[0]).toBeCloseTo(0.6, 7);
    adagradUpdate(w, new Float64Array([2]), new Float64Array(1), 1, { lr: 0.1, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false });
    expect(w[0]).toBeCloseTo(0.5, 7);
  });
});

describe("param groups", () => {
  it("fills each group's options from the defaults, its own overriding them", () => {
    const [a, b] = [param(), param()];
    const opt = new SGD([{ params: [a] }, { params: b, lr: 0.01, nesterov: true }], { lr: 0.1, momentum: 0.9 });
    expect(opt.paramGroups).toEqual([
      { params: [a], lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false },
      { params: [b], lr: 0.01, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: true, maximize: false },
    ]);
    expect(opt.defaults).toEqual({ lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false });
  });

  it("gives every group its own copy of array options", () => {
    const betas: [number, number] = [0.8, 0.9];
    const opt = new Adam([{ params: [param()] }, { params: [param()] }], { betas });
    opt.paramGroups[0].betas[0] = 0.5;
    expect(opt.paramGroups[1].betas).toEqual([0.8, 0.9]);
    expect(opt.defaults.betas).toEqual([0.8, 0.9]);
    expect(betas).toEqual([0.8, 0.9]);
  });

  it("AdamW defaults to weightDecay 0.01, Adam to 0", () => {
    expect(new AdamW([param()]).defaults.weightDecay).toBe(0.01);
    expect(new AdamW([param()], { weightDecay: undefined }).defaults.weightDecay).toBe(0.01);
    expect(new Adam([param()]).defaults.weightDecay).toBe(0);
    expect(new Adagrad([param()]).defaults).toEqual({ lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false });
  });

  it("addParamGroup adds parameters that step with their own options", () => {
    const a = param([1]);
    const b = param([1]);
    const opt = new SGD([a], { lr: 0.1 });
    opt.addParamGroup({ params: [b], lr: 1 });
    a.grad = grad([1]);
    b.grad = grad([1]);
    opt.step();
    expect(a.dataSync()[0]).toBeCloseTo(0.9, 15);
    expect(b.dataSync()[0]).toBe(0);
    expect(() => opt.addParamGroup({ params: [a] })).toThrow(/SGD: parameter 2 \(shape \[1\], float64\) appears more than once across the parameter groups/);
  });
});

describe("zeroGrad", () => {
  it("sets grads to null by default, or zeros them in place with setToNone: false", () => {
    const a = param([1, 2]);
    const opt = new SGD([a], { lr: 0.1 });
    a.mul(a).sum().backward();
    const g = a.grad!;
    opt.zeroGrad({ setToNone: false });
    expect(a.grad).toBe(g);
    expect(g.toArray()).toEqual([0, 0]);
    opt.zeroGrad();
    expect(a.grad).toBeNull();
  });

  it("detaches a gradient that has a graph (createGraph) before zeroing it", () => {
    const a = param([1, 2]);
    a.mul(a).sum().backward(undefined, { createGraph: true });
    expect(a.grad!.requiresGrad).toBe(true);
    new SGD([a], { lr: 0.1 }).zeroGrad({ setToNone: false });
    expect(a.grad!.requiresGrad).toBe(false);
    expect(a.grad!.toArray()).toEqual([0, 0]);
  });
});

describe("option errors", () => {
  const p = () => [param()];
  it.each([
    ["SGD without lr", () => new SGD(p(), {} as never), TypeError, /SGD: lr is required/],
    ["SGD negative lr", () => new SGD(p(), { lr: -0.1 }), RangeError, /SGD: lr must be a number >= 0, got -0.1/],
    ["SGD lr as a string", () => new SGD(p(), { lr: "0.1" as never }), TypeError, /SGD: lr must be a number >= 0, got "0.1"/],
    ["SGD negative momentum", () => new SGD(p(), { lr: 0.1, momentum: -0.9 }), RangeError, /SGD: momentum must be a number >= 0, got -0.9/],
    ["SGD negative weightDecay", () => new SGD(p(), { lr: 0.1, weightDecay: -1 }), RangeError, /SGD: weightDecay must be a number >= 0, got -1/],
    ["SGD nesterov without momentum", () => new SGD(p(), { lr: 0.1, nesterov: true }), RangeError,
      /SGD: Nesterov momentum requires a momentum > 0 and zero dampening \(got momentum 0, dampening 0\)/],
    ["SGD nesterov with dampening", () => new SGD(p(), { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }), RangeError,
      /Nesterov momentum requires a momentum > 0 and zero dampening \(got momentum 0.9, dampening 0.1\)/],
    ["SGD nesterov as a string", () => new SGD(p(), { lr: 0.1, nesterov: "yes" as never }), TypeError, /SGD: nesterov must be a boolean, got "yes"/],
    ["SGD snake_case option", () => new SGD(p(), { lr: 0.1, weight_decay: 0.1 } as never), TypeError,
      /SGD: unknown option "weight_decay" \(did you mean "weightDecay"\?\)/],
    ["SGD bad option in a group", () => new SGD([{ params: p(), lr: -1 }], { lr: 0.1 }), RangeError, /SGD: lr must be a number >= 0, got -1/],
    ["SGD unknown option in a group", () => new SGD([{ params: p(), lrDecay: 0.1 } as never], { lr: 0.1 }), TypeError,
      /SGD: parameter group 0: unknown option "lrDecay"; known options: lr, momentum/],
    ["Adam negative lr", () => new Adam(p(), { lr: -1e-3 }), RangeError, /Adam: lr must be a number >= 0, got -0.001/],
    ["Adam beta1 = 1", () => new Adam(p(), { betas: [1, 0.999] }), RangeError, /Adam: betas\[0\] must be a number in \[0, 1\), got 1/],
    ["Adam beta2 < 0", () => new Adam(p(), { betas: [0.9, -0.1] }), RangeError, /Adam: betas\[1\] must be a number in \[0, 1\), got -0.1/],
    ["Adam betas not a pair", () => new Adam(p(), { betas: [0.9] as never }), TypeError, /Adam: betas must be an array of two numbers \[beta1, beta2\], got an array of length 1/],
    ["Adam negative eps", () => new Adam(p(), { eps: -1e-8 }), RangeError, /Adam: eps must be a number >= 0, got -1e-8/],
    ["Adam negative weightDecay", () => new Adam(p(), { weightDecay: -0.1 }), RangeError, /Adam: weightDecay must be a number >= 0, got -0.1/],
    ["Adam amsgrad as a number", () => new Adam(p(), { amsgrad: 1 as never }), TypeError, /Adam: amsgrad must be a boolean, got number 1/],
    ["AdamW beta out of range", () => new AdamW(p(), { betas: [0.9, 1.5] }), RangeError, /AdamW: betas\[1\] must be a number in \[0, 1\), got 1.5/],
    ["AdamW NaN lr", () => new AdamW(p(), { lr: NaN }), RangeError, /AdamW: lr must be a number >= 0, got NaN/],
    ["RMSprop negative alpha", () => new RMSprop(p(), { alpha: -0.5 }), RangeError, /RMSprop: alpha must be a number >= 0, got -0.5/],
    ["RMSprop negative momentum", () => new RMSprop(p(), { momentum: -0.5 }), RangeError, /RMSprop: momentum must be a number >= 0, got -0.5/],
    ["RMSprop negative eps", () => new RMSprop(p(), { eps: -1 }), RangeError, /RMSprop: eps must be a number >= 0, got -1/],
    ["Adagrad negative lrDecay", () => new Adagrad(p(), { lrDecay: -0.1 }), RangeError, /Adagrad: lrDecay must be a number >= 0, got -0.1/],
    ["Adagrad negative initialAccumulatorValue", () => new Adagrad(p(), { initialAccumulatorValue: -1 }), RangeError, /Adagrad: initialAccumulatorValue must be a number >= 0, got -1/],
    ["Adagrad negative weightDecay", () => new Adagrad(p(), { weightDecay: -1 }), RangeError, /Adagrad: weightDecay must be a number >= 0, got -1/],
  ] as const)("%s", (_name, make, type, message) => {
    expect(make).toThrow(type);
    expect(make).toThrow(message);
  });
});

describe("parameter errors", () => {
  it.each([
    ["an empty list", () => new SGD([], { lr: 0.1 }), RangeError, /SGD: got an empty parameter list/],
    ["a single tensor", () => new Adam(param() as never), TypeError, /Adam: params must be an array of Tensors or of parameter groups, got a single Tensor \(wrap it in an array\)/],
    ["a number", () => new Adam(3 as never), TypeError, /Adam: params must be an array of Tensors or of parameter groups, got number 3/],
    ["a Set", () => new SGD([{ params: new Set([param()]) }], { lr: 0.1 }), TypeError, /SGD: parameters must be an ordered collection \(an array\), not a Set/],
    ["a non-tensor", () => new SGD([param(), [1, 2] as never], { lr: 0.1 }), TypeError, /SGD: can only optimize Tensors, but parameter 1 is an array of length 2/],
    ["a group without params", () => new SGD([{ lr: 0.1 } as never], { lr: 0.1 }), TypeError, /SGD: a parameter group must be an object with a params field, got a plain object/],
    ["a non-leaf tensor", () => new SGD([param().mul(2)], { lr: 0.1 }), TypeError,
      /SGD: can't optimize a non-leaf tensor: parameter 0 \(shape \[3\], float64\) was computed by an op/],
    ["a model instead of its parameters", () => new Adam({ parameters: () => [param()] } as never), TypeError,
      /Adam: got a module \(a plain object\), not its parameters; pass model.parameters\(\)/],
    ["an int32 tensor", () => new Adam([tensor([1, 2], { dtype: "int32" })]), TypeError,
      /Adam: can only optimize floating-point tensors, but parameter 0 \(shape \[2\], int32\) is not/],
    ["a non-contiguous tensor", () => new SGD([zeros([2, 3], { dtype: "float64" }).T.requiresGrad_()], { lr: 0.1 }), TypeError,
      /SGD: parameter 0 \(shape \[3, 2\], float64\) is not contiguous/],
    ["the same tensor twice", () => { const w = param(); return new SGD([w, w], { lr: 0.1 }); }, RangeError, /parameter 1 \(shape \[3\], float64\) appears more than once/],
  ] as const)("%s", (_name, make, type, message) => {
    expect(make).toThrow(type);
    expect(make).toThrow(message);
  });

  it("a gradient of the wrong shape is refused when assigned, naming both shapes", () => {
    const w = param([1, 2, 3]);
    const opt = new RMSprop([w]);
    // Refused when assigned, as in PyTorch, so step() never sees it.
    expect(() => (w.grad = grad([1, 2]))).toThrow(RangeError);
    expect(() => (w.grad = grad([1, 2]))).toThrow(/Tensor.grad: assigned grad has data of a different size: shape \[2\], the tensor's shape is \[3\]/);
    expect(w.grad).toBeNull();
    opt.step();
  });

  it("a subclass is an Optimizer with its own name in messages", () => {
    class SignSGD extends Optimizer<{ lr: number }, { [key: string]: never }> {
      constructor(params: Tensor[], options: { lr?: number } = {}) {
        super(params, { lr: 0.01 }, options);
      }
      protected validate(o: { lr: number }): void {
        if (!(o.lr >= 0)) throw new RangeError(`${this.name}: invalid lr ${o.lr}`);
      }
      protected initState() {
        return {};
      }
      protected updateParam(p: Tensor, g: Float32Array | Float64Array, _s: object, group: { lr: number }): void {
        const x = p.data;
        for (let i = 0; i < g.length; i++) x[p.offset + i] -= group.lr * Math.sign(g[i]);
      }
    }
    const w = param([1, 1]);
    const opt = new SignSGD([w], { lr: 0.5 });
    w.grad = grad([3, -0.1]);
    opt.step();
    expect(w.toArray()).toEqual([0.5, 1.5]);
    expect(() => new SignSGD([w], { lr: -1 })).toThrow(/SignSGD: invalid lr -1/);
    expect(opt).toBeInstanceOf(Optimizer);
  });
});

describe("versions", () => {
  it("step() marks each updated parameter as modified, so a retained graph that saved it refuses a second backward", () => {
    const w = param([1, 2]);
    const x = tensor([3, 4], { dtype: "float64" });
    const loss = w.mul(x).mul(w).sum();
    loss.backward(undefined, { retainGraph: true });
    const before = w.version;
    new SGD([w], { lr: 0.1 }).step();
    expect(w.version).toBe(before + 1);
    expect(() => loss.backward()).toThrow(/modified by an in-place operation/);
  });
});
