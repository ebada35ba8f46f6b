/**
 * Autograd debugging: autograd.functional against torch.autograd.functional, checkpoint against
 * torch.utils.checkpoint (fixtures/core-autograd.json, tools/fixtures/gen_core_autograd.py), the
 * memory checkpointing saves, and anomaly detection.
 */
import { describe, it, expect } from "vitest";
import {
  Node, Tensor, autograd, checkpoint, detectAnomaly, isAnomalyEnabled, manualSeed, rand, randn, setDetectAnomaly, tensor,
} from "@tsgrad/core";
import { decode, expectClose, loadFixture, type EncodedTensor } from "../../../tools/test-utils.js";

const AF = autograd.functional;
type Nested = EncodedTensor | Nested[];
interface Case { kind: string; fn: string; tupleInputs: boolean; inputs: EncodedTensor[]; result: Nested; v?: Nested }
interface Fixture {
  cases: Case[];
  graphs: Array<{ kind: string; fn: string; v?: EncodedTensor[]; grads: EncodedTensor[] }>;
  checkpoint: Record<"w1" | "w2" | "x" | "out" | "gradW1" | "gradW2" | "gradX", EncodedTensor>;
}
const fx = loadFixture<Fixture>(new URL("./fixtures/core-autograd.json", import.meta.url));

// The twins of gen_core_autograd.py's FUNCTIONS.
const FUNCTIONS: Record<string, (...xs: Tensor[]) => Tensor | Tensor[]> = {
  sinDot: (x) => x.sin().mul(x).sum(),
  tanhMatvec: (a, b) => a.matmul(b).tanh(),
  expAndSum: (x) => [x.exp(), x.pow(2).sum()],
  mixed: (x, y) => x.mul(x).mul(y.sin()).sum().add(x.exp().mul(y.sum()).sum()),
  unusedY: (x) => x.pow(3).sum(),
};

const isEncoded = (n: Nested): n is EncodedTensor => !Array.isArray(n);
function compare(actual: unknown, expected: Nested, what: string): void {
  if (isEncoded(expected)) {
    expect(actual, what).toBeInstanceOf(Tensor);
    expectClose(actual as Tensor, expected, what, 1e-10, 1e-12);
    expect((actual as Tensor).requiresGrad, `${what}: detached without createGraph`).toBe(false);
    return;
  }
  expect(Array.isArray(actual), what).toBe(true);
  expect((actual as unknown[]).length, what).toBe(expected.length);
  expected.forEach((e, i) => compare((actual as unknown[])[i], e, `${what}[${i}]`));
}
const vOf = (v: Nested | undefined): Tensor | Tensor[] | undefined =>
  v === undefined ? undefined : isEncoded(v) ? decode(v) : v.map((e) => decode(e as EncodedTensor));

describe("autograd.functional against torch.autograd.functional", () => {
  it("jacobian, hessian, vjp, jvp, hvp, vhp: every case, values and structure", () => {
    const kinds = new Set<string>();
    for (const c of fx.cases) {
      const ins = c.inputs.map((e) => decode(e));
      const inputs = c.tupleInputs ? ins : ins[0];
      const f = FUNCTIONS[c.fn];
      const what = `${c.kind}(${c.fn})`;
      kinds.add(c.kind);
      const v = vOf(c.v);
      const result =
        c.kind === "jacobian" ? AF.jacobian(f, inputs)
          : c.kind === "hessian" ? AF.hessian(f as (...xs: Tensor[]) => Tensor, inputs)
            : c.kind === "vjp" ? AF.vjp(f, inputs, v)
              : c.kind === "jvp" ? AF.jvp(f, inputs, v)
                : c.kind === "hvp" ? AF.hvp(f as (...xs: Tensor[]) => Tensor, inputs, v)
                  : AF.vhp(f as (...xs: Tensor[]) => Tensor, inputs, v);
      compare(result, c.result, what);
      ins.forEach((t) => expect(t.grad, `${what} leaves the inputs' .grad alone`).toBe(null));
    }
    expect([...kinds].sort()).toEqual(["hessian", "hvp", "jacobian", "jvp", "vhp", "vjp"]);
  });

  it("createGraph: the results differentiate back to the inputs as PyTorch's do", () => {
    for (const g of fx.graphs) {
      const leaves = fx.cases.find((c) => c.fn === g.fn)!.inputs.map((e) => decode(e, { requiresGrad: true }));
      const f = FUNCTIONS[g.fn];
      const v = g.v?.map((e) => decode(e));
      const inputs = leaves.length > 1 ? leaves : leaves[0];
      const vv = v && (leaves.length > 1 ? v : v[0]);
      let loss: Tensor;
      if (g.kind === "jacobian") loss = (AF.jacobian(f, inputs, { createGraph: true }) as Tensor).pow(2).sum();
      else if (g.kind === "hessian") loss = (AF.hessian(f as (...xs: Tensor[]) => Tensor, inputs, { createGraph: true }) as Tensor[][]).flat().map((h) => h.sum()).reduce((a, b) => a.add(b));
      else if (g.kind === "jvp") loss = (AF.jvp(f, inputs, vv, { createGraph: true })[1] as Tensor).pow(2).sum();
      else if (g.kind === "hvp") loss = (AF.hvp(f as (...xs: Tensor[]) => Tensor, inputs, vv, { createGraph: true })[1] as Tensor).sum();
      else {
        const [ga, gb] = AF.vjp(f, inputs, vv, { createGraph: true })[1] as Tensor[];
        loss = ga.sum().add(gb.pow(2).sum());
      }
      expect(loss.requiresGrad, g.kind).toBe(true);
      loss.backward();
      leaves.forEach((l, i) => expectClose(l.grad!, g.grads[i], `${g.kind}(${g.fn}) grad ${i}`, 1e-10, 1e-12));
    }
  });

  it("vectorize: false and true give the same Jacobian; strict throws for an unused input", () => {
    const x = tensor([0.5, 2], { dtype: "float64" });
    const f = (t: Tensor) => t.pow(3);
    const a = AF.jacobian(f, x, { vectorize: false }) as Tensor;
    const b = AF.jacobian(f, x, { vectorize: true }) as Tensor;
    expect(a.toArray()).toEqual(b.toArray());
    expect(a.toArray()).toEqual([[0.75, 0], [0, 12]]);
    const y = tensor([1, 2], { dtype: "float64" });
    expect(() => AF.jacobian((p: Tensor) => p.sum(), [x, y], { strict: true })).toThrow(
      /jacobian: output 0 of the user-provided function is independent of input 1. This is not allowed in strict mode/,
    );
    expect(() => AF.vjp((p: Tensor) => p.sum(), [x, y], undefined, { strict: true })).toThrow(/vjp: the output of the user-provided function is independent of input 1/);
    expect((AF.jacobian((p: Tensor) => p.sum(), [x, y]) as Tensor[])[1].toArray()).toEqual([0, 0]);
  });

  it("errors name the function and the shapes", () => {
    const x = tensor([1, 2]);
    expect(() => AF.vjp((t: Tensor) => t.mul(2), x)).toThrow(/vjp: the vector v can only be omitted if the user-provided function returns a single Tensor with a single element/);
    expect(() => AF.jvp((t: Tensor) => t.mul(2), x)).toThrow(/jvp: the vector v can only be omitted if the input to the user-provided function is a single Tensor with a single element/);
    expect(() => AF.vjp((t: Tensor) => t.mul(2), x, tensor([1, 2, 3]))).toThrow(/vjp: v has invalid size: should be \[2\] but got \[3\]/);
    expect(() => AF.jvp((a: Tensor) => a, [x, x], [x])).toThrow(/jvp: v is an array of invalid length: should be 2 but got 1/);
    expect(() => AF.hessian((t: Tensor) => t.mul(2), x)).toThrow(/hessian: the Tensor returned by the function given to hessian should contain a single element, got shape \[2\]/);
    expect(() => AF.hvp((t: Tensor) => [t.sum()], x, x)).toThrow(/hvp: the function given to hvp should return a single Tensor/);
    expect(() => AF.jacobian((t: Tensor) => t, [x, 3 as unknown as Tensor])).toThrow(/jacobian: the inputs must be either a Tensor or an array of Tensors, but the value at index 1 is number 3/);
    expect(() => AF.jacobian((t: Tensor) => t, x, { create_graph: true } as never)).toThrow(/did you mean "createGraph"/);
  });
});

// Bytes of the distinct storages the graph behind `t` keeps for backward (each node's saved
// tensors), leaving out `params` (they live in the model either way).
function savedBytes(t: Tensor, params: readonly Tensor[] = []): number {
  const seenNodes = new Set<Node>();
  const storages = new Set<ArrayBufferView>();
  const skip = new Set(params.map((p) => p.data as ArrayBufferView));
  const stack = t.gradFn ? [t.gradFn] : [];
  while (stack.length) {
    const node = stack.pop()!;
    if (seenNodes.has(node)) continue;
    seenNodes.add(node);
    for (const s of (node as unknown as { saved: readonly Tensor[] }).saved) if (!skip.has(s.data as ArrayBufferView)) storages.add(s.data as ArrayBufferView);
    for (const e of node.next) if (e instanceof Node) stack.push(e);
  }
  return [...storages].reduce((n, d) => n + d.byteLength, 0);
}

describe("checkpoint", () => {
  it("gives PyTorch's gradients for the inputs and the parameters used inside", () => {
    const c = fx.checkpoint;
    const w1 = decode(c.w1, { requiresGrad: true });
    const w2 = decode(c.w2, { requiresGrad: true });
    const x = decode(c.x, { requiresGrad: true });
    const block = (inp: Tensor) => inp.matmul(w1.t()).tanh().matmul(w2.t()).sigmoid();
    const out = checkpoint(block, x);
    expectClose(out, c.out, "checkpoint output");
    expect(out.gradFn!.name).toBe("CheckpointFunctionBackward");
    out.pow(2).sum().backward();
    expectClose(w1.grad!, c.gradW1, "w1.grad", 1e-10, 1e-12);
    expectClose(w2.grad!, c.gradW2, "w2.grad", 1e-10, 1e-12);
    expectClose(x.grad!, c.gradX, "x.grad", 1e-10, 1e-12);
  });

  it("keeps only its inputs for backward: the saved activation bytes of a deep MLP, measured", () => {
    const width = 64;
    const batch = 32;
    const depth = 8;
    const ws = Array.from({ length: depth }, () => randn([width, width], { requiresGrad: true }));
    const layers = (from: number, to: number) => (h: Tensor) => ws.slice(from, to).reduce((a, w) => a.matmul(w).tanh(), h);
    const x = randn([batch, width], { requiresGrad: true });
    const plain = layers(0, depth)(x);
    // Two checkpointed segments of four layers (PyTorch's checkpoint_sequential(…, 2, …)).
    const ckpt = checkpoint(layers(4, 8), checkpoint(layers(0, 4), x));
    const act = batch * width * 4; // one float32 activation
    // Plain: x, and per layer matmul's output and tanh's output.
    expect(savedBytes(plain, ws)).toBe((2 * depth + 1) * act); // 139264 bytes
    // Checkpointed: the two segments' inputs, x and the first segment's output.
    expect(savedBytes(ckpt, ws)).toBe(2 * act); // 16384 bytes
    expect(savedBytes(plain)).toBe((2 * depth + 1) * act + depth * width * width * 4);
    // And the gradients agree.
    plain.sum().backward();
    const plainGrads = [x, ...ws].map((t) => t.grad!.clone());
    [x, ...ws].forEach((t) => (t.grad = null));
    ckpt.sum().backward();
    [x, ...ws].forEach((t, i) => expectClose(t.grad!, plainGrads[i], `grad ${i}`, 1e-6, 1e-7));
  });

  it("replays the global generator in the recomputation (the same dropout mask twice)", () => {
    manualSeed(3);
    const x = tensor([1, 2, 3, 4, 5, 6], { requiresGrad: true });
    const noisy = (h: Tensor) => h.mul(rand([6]).lt(0.5).to("float32")).mul(2);
    const out = checkpoint(noisy, x);
    out.sum().backward();
    const mask = (out.toArray() as number[]).map((v, i) => v / (2 * (i + 1)));
    expect(x.grad!.toArray()).toEqual(mask.map((m) => 2 * m));
    expect(() => checkpoint(() => [x] as unknown as Tensor, x)).toThrow(/checkpoint: fn must return a single Tensor, got an array of length 1/);
  });
});

describe("detectAnomaly", () => {
  it("throws at the first NaN gradient, naming the gradFn, the input shapes and where the op was called", () => {
    const x = tensor([-1, 4], { requiresGrad: true });
    function lossOf(t: Tensor): Tensor {
      return t.sqrt().mul(2).sum();
    }
    let message = "";
    try {
      detectAnomaly(() => lossOf(x).backward());
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^detectAnomaly: Function 'SqrtBackward0' returned nan values in its 0th output \(input shapes \[2\]; gradient 0 has shape \[2\]\)\.\nTraceback of forward call that caused the error:\n/);
    expect(message).toMatch(/\blossOf\b/); // the caller's frame (file names differ between Node and a bundled page)
    const firstFrame = message.split("caused the error:\n")[1].split("\n")[0];
    expect(firstFrame).not.toMatch(/anomaly\.ts|autograd[\\/]node\.ts/);
    expect(isAnomalyEnabled()).toBe(false);
  });

  it("flags infinite gradients too, names the output index, and says when the forward ran outside", () => {
    const a = tensor([0, 1], { requiresGrad: true });
    const b = tensor([2, 0], { requiresGrad: true });
    expect(() => detectAnomaly(() => a.mul(b).log().sum().backward())).toThrow(
      /Function 'LogBackward0' returned inf values in its 0th output \(input shapes \[2\]; gradient 0 has shape \[2\]\)/,
    );
    const y = tensor([0, 1], { requiresGrad: true }).sqrt().sum(); // forward with anomaly mode off
    setDetectAnomaly(true);
    try {
      expect(() => y.backward()).toThrow(/SqrtBackward0' returned inf values.*\nNo forward pass information available/);
    } finally {
      setDetectAnomaly(false);
    }
  });

  it("is off by default, passes finite backward untouched, and checkNan: false only records", () => {
    expect(isAnomalyEnabled()).toBe(false);
    const x = tensor([1, 4], { requiresGrad: true });
    detectAnomaly(() => x.sqrt().sum().backward());
    expect(x.grad!.toArray()).toEqual([0.5, 0.25]);
    const z = tensor([-1], { requiresGrad: true });
    detectAnomaly(() => z.sqrt().sum().backward(), { checkNan: false });
    expect(Number.isNaN(z.grad!.item())).toBe(true);
    const w = tensor([-1], { requiresGrad: true });
    w.sqrt().sum().backward(); // off: NaN flows through, as in PyTorch
    expect(Number.isNaN(w.grad!.item())).toBe(true);
    expect(setDetectAnomaly(true)).toBe(false);
    expect(setDetectAnomaly(false)).toBe(true);
    expect(() => setDetectAnomaly(1 as unknown as boolean)).toThrow(/setDetectAnomaly: mode must be a boolean, got number 1/);
    expect(() => detectAnomaly(3 as unknown as () => void)).toThrow(/detectAnomaly: expected a function to run/);
  });
});
