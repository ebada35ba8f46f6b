/**
 * Module hooks against PyTorch: each scenario mirrors the function of the same name in
 * tools/fixtures/gen_nn_hooks.py; `log` lists the hook calls in order with what they received.
 */
import { describe, it, expect } from "vitest";
import { Tensor, tensor, ones, noGrad, grad } from "@tsgrad/core";
import { Module, Linear, Sequential, Tanh, ReLU, Identity } from "@tsgrad/nn";
import { decode, describeScenarios, expectClose, loadFixture, type EncodedTensor } from "../../../tools/test-utils.js";

interface LogEntry { hook: string; args?: EncodedTensor[]; out?: EncodedTensor; gradInput?: Array<EncodedTensor | null>; gradOutput?: Array<EncodedTensor | null> }
type Scenario = Record<string, EncodedTensor | LogEntry[]>;
const fixture = loadFixture<{ weight: EncodedTensor; bias: EncodedTensor; x: EncodedTensor; y: EncodedTensor; scenarios: Record<string, Scenario> }>(
  new URL("./fixtures/nn-hooks.json", import.meta.url),
);
const X = (): Tensor => decode(fixture.x, { requiresGrad: true });
const Y = decode(fixture.y);

function linear(): Linear {
  const m = new Linear(3, 2).double();
  m.loadStateDict({ weight: decode(fixture.weight), bias: decode(fixture.bias) });
  return m;
}
const snap = (t: unknown): Tensor | null => (t instanceof Tensor ? t.detach().clone() : null);
const grads = (entry: string, gin: ReadonlyArray<Tensor | null>, gout: ReadonlyArray<Tensor | null>) => ({ hook: entry, gradInput: gin.map(snap), gradOutput: gout.map(snap) });

class HookMix extends Module {
  static override readonly typeName = "Mix";
  forward(x: Tensor, y: Tensor, k: number) { return x.mul(y).mul(k).tanh(); }
}
class HookTwo extends Module {
  static override readonly typeName = "Two";
  forward(x: Tensor) { return [x.sin(), x.cos()]; }
}

type Got = Record<string, Tensor | Array<Record<string, unknown>>>;
const SCENARIOS: Record<string, () => Got> = {
  linear_all_hooks() {
    const m = linear();
    const log: Array<Record<string, unknown>> = [];
    m.registerForwardPreHook((_m, args) => { log.push({ hook: "pre1", args: args.map(snap) }); return [(args[0] as Tensor).mul(2)]; });
    m.registerForwardPreHook((_m, args) => { log.push({ hook: "pre2", args: args.map(snap) }); return (args[0] as Tensor).add(1); });
    m.registerForwardHook((_m, args, out) => { log.push({ hook: "fwd", args: args.map(snap), out: snap(out) }); return (out as Tensor).mul(3); });
    m.registerFullBackwardHook((_m, gin, gout) => { log.push(grads("bw", gin, gout)); return [gin[0]!.mul(10)]; });
    const x = X();
    const out = m.forward(x);
    out.pow(2).sum().backward();
    return { out, xGrad: x.grad!, weightGrad: m.weight.grad!, log };
  },
  mixed_inputs() {
    const m = new HookMix();
    const log: Array<Record<string, unknown>> = [];
    m.registerFullBackwardHook((_m, gin, gout) => void log.push(grads("bw", gin, gout)));
    const x = X();
    m.forward(x, Y, 0.5).sum().backward();
    return { xGrad: x.grad!, log };
  },
  two_outputs_one_used() {
    const m = new HookTwo();
    const log: Array<Record<string, unknown>> = [];
    m.registerFullBackwardHook((_m, gin, gout) => void log.push(grads("bw", gin, gout)));
    const x = X();
    const [a] = m.forward(x);
    a.mul(3).sum().backward();
    return { xGrad: x.grad!, log };
  },
  no_input_requires_grad() {
    const m = linear();
    const log: Array<Record<string, unknown>> = [];
    m.registerFullBackwardHook((_m, gin, gout) => void log.push(grads("bw", gin, gout)));
    m.forward(decode(fixture.x)).sum().backward();
    return { weightGrad: m.weight.grad!, log };
  },
  sequential_order() {
    const last = new Linear(2, 1).double();
    last.loadStateDict({ weight: tensor([[0.5, -1.5]], { dtype: "float64" }), bias: tensor([0.25], { dtype: "float64" }) });
    const seq = new Sequential(linear(), new Tanh(), last);
    const log: Array<Record<string, unknown>> = [];
    for (const [name, child] of seq.namedChildren()) {
      child.registerForwardPreHook(() => void log.push({ hook: `pre ${name}` }));
      child.registerForwardHook(() => void log.push({ hook: `fwd ${name}` }));
      child.registerFullBackwardHook((_m, gin, gout) => void log.push(grads(`bw ${name}`, gin, gout)));
    }
    const x = X();
    seq.forward(x).sum().backward();
    return { xGrad: x.grad!, log };
  },
  retained_graph_twice() {
    const m = new Tanh();
    const log: Array<Record<string, unknown>> = [];
    m.registerFullBackwardHook((_m, gin, gout) => void log.push(grads("bw", gin, gout)));
    const x = X();
    const y = m.forward(x).sum();
    y.backward({ retainGraph: true });
    y.backward();
    return { xGrad: x.grad!, log };
  },
  removed_hooks() {
    const m = linear();
    const log: Array<Record<string, unknown>> = [];
    const handles = [
      m.registerForwardPreHook(() => void log.push({ hook: "pre" })),
      m.registerForwardHook(() => void log.push({ hook: "fwd" })),
      m.registerFullBackwardHook(() => void log.push({ hook: "bw" })),
    ];
    for (const h of handles) h.remove();
    const x = X();
    m.forward(x).sum().backward();
    return { xGrad: x.grad!, log };
  },
};

function compareTensorList(got: unknown, want: Array<EncodedTensor | null> | undefined, what: string): void {
  if (want === undefined) return expect(got, what).toBeUndefined();
  const list = got as Array<Tensor | null>;
  expect(list.map((t) => t === null), `${what}: which entries are null`).toEqual(want.map((t) => t === null));
  want.forEach((w, i) => w && expectClose(list[i]!, w, `${what}[${i}]`, 1e-12, 1e-12));
}

describeScenarios("module hooks match PyTorch", SCENARIOS, fixture.scenarios, (name, key, value, want) => {
  if (key !== "log") {
    expectClose(value as Tensor, want as EncodedTensor, `${name}: ${key}`, 1e-12, 1e-12);
    return;
  }
  const log = value as Array<Record<string, unknown>>;
  const wantLog = want as LogEntry[];
  expect(log.map((e) => e.hook), `${name}: hook calls in order`).toEqual(wantLog.map((e) => e.hook));
  wantLog.forEach((w, i) => {
    compareTensorList(log[i].args, w.args, `${name}: call ${i} args`);
    compareTensorList(log[i].gradInput, w.gradInput, `${name}: call ${i} gradInput`);
    compareTensorList(log[i].gradOutput, w.gradOutput, `${name}: call ${i} gradOutput`);
    if (w.out) expectClose(log[i].out as Tensor, w.out, `${name}: call ${i} out`, 1e-12, 1e-12);
  });
});

describe("module hooks: the rest of PyTorch's rules", () => {
  it("prepend puts a hook first (PyTorch 2), for every kind", () => {
    const m = new Tanh();
    const order: string[] = [];
    m.registerForwardPreHook(() => void order.push("pre"));
    m.registerForwardPreHook(() => void order.push("pre first"), { prepend: true });
    m.registerForwardHook(() => void order.push("fwd"));
    m.registerForwardHook(() => void order.push("fwd first"), { prepend: true });
    m.registerFullBackwardHook(() => void order.push("bw"));
    m.registerFullBackwardHook(() => void order.push("bw first"), { prepend: true });
    m.forward(ones([2]).requiresGrad_()).sum().backward();
    expect(order).toEqual(["pre first", "pre", "fwd first", "fwd", "bw first", "bw"]);
  });

  it("a backward pre-hook sees the output gradients first and may replace them (PyTorch 2)", () => {
    const m = new Tanh();
    const order: string[] = [];
    m.registerFullBackwardHook((_m, _gin, [gOut]) => void order.push(`bw ${gOut!.toArray()}`));
    m.registerFullBackwardPreHook((_m, [g]) => { order.push(`pre ${g!.toArray()}`); return [g!.mul(2)]; });
    const x = tensor([0, 0], { dtype: "float64", requiresGrad: true });
    m.forward(x).backward(tensor([1, 3], { dtype: "float64" }));
    expect(order).toEqual(["pre 1,3", "bw 2,6"]); // the full hook sees the replaced gradient
    expect(x.grad!.toArray()).toEqual([2, 6]);   // tanh'(0) = 1
  });

  it("hooks run through call() and inside containers calling forward()", () => {
    const inner = new ReLU();
    let calls = 0;
    inner.registerForwardHook(() => void calls++);
    const net = new Sequential(new Identity(), inner);
    net.forward(ones([1]));
    net.call(ones([1]));
    inner.call(ones([1]));
    expect(calls).toBe(3);
  });

  it("a subclass calling super.forward runs the hooks once", () => {
    class ShiftedLinear extends Linear {
      static override readonly typeName = "ShiftedLinear";
      override forward(x: Tensor) { return super.forward(x).add(1); }
    }
    const m = new ShiftedLinear(2, 2);
    let calls = 0;
    m.registerForwardHook(() => void calls++);
    m.forward(ones([1, 2]));
    expect(calls).toBe(1);
  });

  it("hooks leave the field walk, state dict and printing alone", () => {
    const m = new Linear(2, 1);
    const before = [m.toString(), Object.keys(m.stateDict()), m.namedParameters().map(([n]) => n)];
    m.registerForwardHook(() => undefined);
    m.registerFullBackwardHook(() => undefined);
    expect([m.toString(), Object.keys(m.stateDict()), m.namedParameters().map(([n]) => n)]).toEqual(before);
  });

  it("under noGrad the backward hooks are not installed; an output alias carries the node name", () => {
    const m = new Tanh();
    let calls = 0;
    m.registerFullBackwardHook(() => void calls++);
    const x = ones([2]).requiresGrad_();
    expect(noGrad(() => m.forward(x)).requiresGrad).toBe(false);
    expect(m.forward(x).gradFn!.name).toBe("BackwardHookFunctionBackward");
    expect(calls).toBe(0);
  });

  it("with createGraph the hooked gradient is differentiated again", () => {
    const m = new Tanh();
    m.registerFullBackwardHook((_m, [g]) => [g!.mul(g!)]);
    const x = tensor([0.5], { dtype: "float64", requiresGrad: true });
    const [g] = grad(m.forward(x).sum(), x, { createGraph: true });
    const s = 1 - Math.tanh(0.5) ** 2; // tanh'(x); the hook squares it
    expect(g!.item()).toBeCloseTo(s * s, 14);
    const [gg] = grad(g!, x); // d/dx (tanh'(x))² = 2·tanh'·(−2·tanh·tanh')
    expect(gg!.item()).toBeCloseTo(-4 * Math.tanh(0.5) * s * s, 14);
  });

  it("throws clear errors", () => {
    const m = new Tanh();
    expect(() => m.registerForwardHook(3 as never)).toThrow(/Tanh\.registerForwardHook: expected a function/);
    expect(() => m.registerForwardHook(() => undefined, { prepand: true } as never)).toThrow(/registerForwardHook.*prepand/);
    const wrongCount = new Tanh();
    wrongCount.registerFullBackwardHook((_m, gin) => [...gin, null]);
    expect(() => wrongCount.forward(ones([2]).requiresGrad_()).sum().backward()).toThrow(/Tanh: a full backward hook returned .*expected an array of 1 gradients/);
    const wrongShape = new Tanh();
    wrongShape.registerFullBackwardHook(() => [ones([3])]);
    expect(() => wrongShape.forward(ones([2]).requiresGrad_()).sum().backward()).toThrow(/gradient of shape \[3\] at position 0, expected \[2\]/);
    const noInputs = new Linear(2, 1);
    noInputs.registerFullBackwardHook(() => [ones([1, 2])]);
    expect(() => noInputs.forward(ones([1, 2])).sum().backward()).toThrow(/no input requires grad must return nothing/);
  });
});
