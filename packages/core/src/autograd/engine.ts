import { Tensor } from "../tensor.js";
import { runTensorHooks, tensorHooksOf } from "./hooks.js";
import { fmtShape, sameShape } from "../shape.js";
import { describeValue, isPlainObject, optionChecks, resolveOptions, type OptionCheck } from "../options.js";
import { setGradEnabled } from "./grad-mode.js";
import { Node, ownedGradient, takeOwnedGradient } from "./node.js";
import { setConsumable } from "./recycle.js";
import { anomalyMode, checkGradients } from "./anomaly.js";

/**
 * Options of {@link Tensor.backward}: whether the graph survives the pass, and whether the pass
 * itself is recorded.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `retainGraph` | the value of `createGraph` | `retain_graph` |
 * | `createGraph` | `false` | `create_graph` |
 *
 * @example
 * ```ts
 * const x = tensor([3], { requiresGrad: true });
 * const y = x.pow(3).sum();
 * y.backward(undefined, { retainGraph: true });
 * y.backward(); // a second pass through the kept graph
 * x.grad;       // → [54] (27 + 27, accumulated)
 * ```
 * @group Autograd
 */
export interface BackwardOptions {
  /** Keep the graph's saved values so backward can run through it again. Default: `createGraph`. */
  retainGraph?: boolean;
  /** Record the backward computation itself, for higher-order gradients. Default false. */
  createGraph?: boolean;
}

/**
 * Options of {@link grad}: the outputs' gradients, whether the graph survives, whether the
 * gradients are differentiable, and what an input the outputs do not depend on gets.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `gradOutputs` | ones, for scalar outputs | `grad_outputs` |
 * | `retainGraph` | the value of `createGraph` | `retain_graph` |
 * | `createGraph` | `false` | `create_graph` |
 * | `allowUnused` | `false` | `allow_unused` |
 *
 * @example
 * ```ts
 * const x = tensor([1, 2], { requiresGrad: true });
 * const unused = tensor([0], { requiresGrad: true });
 * const [gx, gu] = grad(x.square(), [x, unused], { gradOutputs: ones([2]), createGraph: true, allowUnused: true });
 * gx;              // → [2, 4]
 * gx.requiresGrad; // → true (differentiable again)
 * gu;              // → null
 * ```
 * @group Autograd
 */
export interface GradOptions extends BackwardOptions {
  /** The gradients of the outputs (required for non-scalar outputs). */
  gradOutputs?: Tensor | ReadonlyArray<Tensor | null | undefined>;
  /** Return null for inputs the outputs do not depend on, instead of throwing. Default false. */
  allowUnused?: boolean;
}

interface RunSpec {
  outputs: readonly Tensor[];
  gradOutputs: readonly Tensor[];
  retainGraph: boolean;
  createGraph: boolean;
  /** When set (for `grad()`), gradients are captured for these tensors and not accumulated into leaves. */
  capture?: readonly Tensor[];
}

// The sum of two gradients of one tensor: a fresh tensor only the engine holds (under
// createGraph it carries a graph, and is left unmarked).
function addGrads(a: Tensor | undefined, b: Tensor): Tensor {
  if (a === undefined) return b;
  const sum = a.add(b);
  return sum.requiresGrad ? sum : ownedGradient(sum);
}

// Reverse topological order by dependency counting (Kahn), with explicit stacks: no recursion,
// so a chain of any length backpropagates. A leaf is waited for like a node (PyTorch's
// AccumulateGrad): its gradients from every use are summed first, then its hooks run once on the
// sum, then it is accumulated (or captured, for grad()). One GraphTask per pass: its state lives in
// fields and its steps are methods, so a pass allocates no closures (backward runs every step).
class GraphTask {
  readonly buffers = new Map<Node, Tensor>();
  readonly leafBuffers = new Map<Tensor, Tensor>();
  readonly captured = new Map<Tensor | Node, Tensor>();
  readonly captureNodes = new Set<Node>();
  readonly captureLeaves = new Set<Tensor>();
  readonly dependencies = new Map<Node | Tensor, number>();
  readonly ready: Node[] = [];
  // A node all of whose consumers passed no gradient gets none itself; its inputs still wait on it.
  readonly unreached: Node[] = [];
  readonly retainGraph: boolean;
  readonly createGraph: boolean;
  readonly capture: readonly Tensor[] | undefined;

  constructor(spec: RunSpec) {
    this.retainGraph = spec.retainGraph;
    this.createGraph = spec.createGraph;
    this.capture = spec.capture;
    for (const t of spec.capture ?? []) {
      if (t.gradFn) this.captureNodes.add(t.gradFn);
      else this.captureLeaves.add(t);
    }
    const { outputs, gradOutputs } = spec;
    const roots: Node[] = [];
    for (let i = 0; i < outputs.length; i++) {
      const out = outputs[i];
      const node = out.gradFn;
      if (node) {
        this.buffers.set(node, addGrads(this.buffers.get(node), gradOutputs[i]));
        if (!this.dependencies.has(node)) {
          this.dependencies.set(node, 0);
          roots.push(node);
        }
      } else {
        this.leafBuffers.set(out, addGrads(this.leafBuffers.get(out), gradOutputs[i]));
      }
    }
    const dependencies = this.dependencies;
    const stack = [...roots];
    while (stack.length) {
      const node = stack.pop()!;
      for (const edge of node.next) {
        if (!edge) continue;
        const seen = dependencies.get(edge);
        dependencies.set(edge, (seen ?? 0) + 1);
        if (seen === undefined && edge instanceof Node) stack.push(edge);
      }
    }
    for (const n of roots) if (dependencies.get(n) === 0) this.ready.push(n);
  }

  flushLeaf(leaf: Tensor): void {
    const summed = this.leafBuffers.get(leaf);
    if (summed === undefined) return;
    this.leafBuffers.delete(leaf);
    // grad() accumulates nothing: only the leaves it was asked about are reached (and hooked).
    if (this.capture && !this.captureLeaves.has(leaf)) return;
    const hooks = tensorHooksOf(leaf);
    // Only a gradient no hook has seen and grad() does not return may become the leaf's .grad.
    const owned = takeOwnedGradient(summed) && !this.capture && !hooks?.size;
    const g = runTensorHooks(hooks, summed);
    if (this.capture) this.captured.set(leaf, g);
    else leaf._accumulateGrad(g, this.createGraph, owned);
  }

  // One consumer of `edge` is done, with gradient `g` or none.
  arrive(edge: Node | Tensor, g: Tensor | null | undefined): void {
    const isNode = edge instanceof Node;
    if (g) {
      if (isNode) this.buffers.set(edge, addGrads(this.buffers.get(edge), g));
      else this.leafBuffers.set(edge, addGrads(this.leafBuffers.get(edge), g));
    }
    const left = this.dependencies.get(edge)! - 1;
    this.dependencies.set(edge, left);
    if (left !== 0) return;
    if (!isNode) this.flushLeaf(edge);
    else if (this.buffers.has(edge)) this.ready.push(edge);
    else this.unreached.push(edge);
  }

  execute(): void {
    const { ready, unreached } = this;
    while (ready.length || unreached.length) {
      if (!ready.length) {
        for (const edge of unreached.pop()!.next) if (edge) this.arrive(edge, null);
        continue;
      }
      const node = ready.pop()!;
      const incoming = this.buffers.get(node)!;
      this.buffers.delete(node);
      // The rule may pass this gradient on unchanged, a hook or retainGrad may keep it: from here
      // on it is no longer the engine's alone. Unless one of those can see it, tsgrad's own rule
      // may give its buffer back once read (recycle.ts).
      const owned = takeOwnedGradient(incoming) && !node.tensorHooks?.size && !node.retained && !this.createGraph && !anomalyMode.enabled && !this.captureNodes.has(node);
      const grad = runTensorHooks(node.tensorHooks, incoming);
      if (this.captureNodes.has(node)) this.captured.set(node, grad);
      // After the hooks, whatever their registration order (PyTorch 2: retains_grad hooks run last).
      if (node.retained) node.retained._accumulateGrad(grad, this.createGraph);
      const rule = node.rule;
      if (!rule) {
        throw new Error(
          `backward: trying to backward through the graph a second time (${node.name} was freed by an earlier backward); ` +
            "pass { retainGraph: true } to the first backward() or grad() call if you need to run it again",
        );
      }
      node.checkSaved();
      setConsumable(owned ? grad : null);
      let inputGrads: ReadonlyArray<Tensor | null | undefined>;
      try {
        inputGrads = rule(grad);
      } finally {
        setConsumable(null);
      }
      if (anomalyMode.enabled) checkGradients(node, inputGrads);
      if (!this.retainGraph) node.release();
      const next = node.next;
      for (let i = 0; i < next.length; i++) {
        const edge = next[i];
        if (edge) this.arrive(edge, inputGrads[i]);
      }
    }
    // Leaves given as outputs themselves (grad(x, x), x.backward()) are reached by no node.
    if (this.leafBuffers.size) for (const leaf of [...this.leafBuffers.keys()]) this.flushLeaf(leaf);
  }
}

function run(spec: RunSpec): Map<Tensor | Node, Tensor> {
  const task = new GraphTask(spec);
  const prev = setGradEnabled(spec.createGraph);
  try {
    task.execute();
  } finally {
    setGradEnabled(prev);
  }
  return task.captured;
}

const BACKWARD_DEFAULTS: { retainGraph: boolean | undefined; createGraph: boolean } = { retainGraph: undefined, createGraph: false };
const BACKWARD_CHECKS = { retainGraph: optionChecks.boolean, createGraph: optionChecks.boolean };

/** Throws a TypeError naming `op` and `what` unless `value` is a Tensor. */
function checkTensorArg(op: string, what: string, value: unknown): asserts value is Tensor {
  if (!(value instanceof Tensor)) throw new TypeError(`${op}: ${what} must be a Tensor, got ${describeValue(value)}`);
}

/** `outputs` / `inputs` of grad(): a Tensor or an array of Tensors (empty gives no gradients). */
function tensorList(op: string, what: string, value: unknown): readonly Tensor[] {
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  list.forEach((t, i) => checkTensorArg(op, Array.isArray(value) ? `${what}[${i}]` : what, t));
  return list as Tensor[];
}

function checkOutputs(op: string, outputs: readonly Tensor[], gradOutputs: ReadonlyArray<Tensor | null | undefined>): Tensor[] {
  if (gradOutputs.length > outputs.length) {
    throw new RangeError(`${op}: got ${gradOutputs.length} gradOutputs for ${outputs.length} outputs; pass one per output (null for a scalar output)`);
  }
  return outputs.map((out, i) => {
    if (!out.requiresGrad) {
      throw new Error(`${op}: element ${i} of tensors does not require grad and does not have a gradFn`);
    }
    const g = gradOutputs[i];
    if (g == null) {
      if (out.numel() !== 1) {
        throw new RangeError(
          `${op}: grad can be implicitly created only for scalar outputs, but output ${i} has shape ${fmtShape(out.shape)}; pass a gradient of that shape`,
        );
      }
      return out._onesLike();
    }
    checkTensorArg(op, op === "backward" ? "gradient" : `gradOutputs[${i}]`, g);
    if (!sameShape(g.shape, out.shape)) {
      throw new RangeError(`${op}: gradient of shape ${fmtShape(g.shape)} does not match output ${i} of shape ${fmtShape(out.shape)}`);
    }
    return g;
  });
}

/**
 * Runs backward from `output` into the `.grad` of every leaf it depends on. Used by
 * `Tensor.backward`, whose first argument may be the gradient or, for a scalar, the options.
 */
export function backward(output: Tensor, gradientOrOptions?: Tensor | BackwardOptions | null, options?: BackwardOptions): void {
  let gradient: unknown = gradientOrOptions;
  if (isPlainObject(gradientOrOptions)) {
    if (options !== undefined) {
      throw new TypeError("backward: got an options object in place of the gradient and options after it; pass backward(gradient, options) or backward(options)");
    }
    gradient = undefined;
    options = gradientOrOptions as BackwardOptions;
  }
  const { retainGraph, createGraph } = resolveOptions("backward", options, BACKWARD_DEFAULTS, BACKWARD_CHECKS);
  const outputs = [output];
  run({
    outputs,
    gradOutputs: checkOutputs("backward", outputs, [gradient as Tensor | null | undefined]),
    retainGraph: retainGraph ?? createGraph,
    createGraph,
  });
}

const GRAD_DEFAULTS: { gradOutputs: ReadonlyArray<Tensor | null | undefined> | Tensor; allowUnused: boolean } & typeof BACKWARD_DEFAULTS = {
  ...BACKWARD_DEFAULTS,
  gradOutputs: [],
  allowUnused: false,
};
const GRAD_CHECKS = {
  ...BACKWARD_CHECKS,
  allowUnused: optionChecks.boolean,
  gradOutputs: ((op, name, value) => {
    if (!(value instanceof Tensor) && !Array.isArray(value)) {
      throw new TypeError(`${op}: ${name} must be an array of Tensors (null for scalar outputs), got ${describeValue(value)}`);
    }
  }) as OptionCheck,
};

/**
 * Gradients of `outputs` with respect to `inputs`, like `torch.autograd.grad`: returned, not
 * accumulated into `.grad`. With `createGraph: true` the results carry a graph, so they can be
 * differentiated again (higher-order gradients).
 *
 * @example
 * ```ts
 * const x = tensor(2, { dtype: "float64", requiresGrad: true });
 * const [dy] = grad([x.pow(3)], [x], { createGraph: true }); // dy/dx = 3x², with a graph
 * dy!.item();  // → 12
 * const [d2y] = grad([dy!], [x]);                             // d²y/dx² = 6x
 * d2y!.item(); // → 12
 * ```
 * @group Autograd
 */
export function grad(
  outputs: Tensor | readonly Tensor[],
  inputs: Tensor | readonly Tensor[],
  options: GradOptions = {},
): Array<Tensor | null> {
  const outs = tensorList("grad", "outputs", outputs);
  const ins = tensorList("grad", "inputs", inputs);
  ins.forEach((t, i) => {
    if (!t.requiresGrad) throw new Error(`grad: input ${i} does not require grad`);
  });
  const { retainGraph, createGraph, gradOutputs, allowUnused } = resolveOptions("grad", options, GRAD_DEFAULTS, GRAD_CHECKS);
  const gradOutputList = gradOutputs instanceof Tensor ? [gradOutputs] : gradOutputs;
  const captured = run({
    outputs: outs,
    gradOutputs: checkOutputs("grad", outs, gradOutputList),
    retainGraph: retainGraph ?? createGraph,
    createGraph,
    capture: ins,
  });
  return ins.map((t, i) => {
    const g = captured.get(t.gradFn ?? t);
    if (g) return g;
    if (!allowUnused) {
      throw new Error(`grad: input ${i} (shape ${fmtShape(t.shape)}) was not used to compute the outputs; pass { allowUnused: true } to get null for it`);
    }
    return null;
  });
}
