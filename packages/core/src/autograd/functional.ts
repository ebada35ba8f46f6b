/**
 * Higher-level differentiation of whole functions, PyTorch's `torch.autograd.functional`:
 * Jacobians, Hessians, and vector products with them. Each is built from {@link grad} exactly
 * as PyTorch 1.13 builds it (forward-mode products through the double-backward trick), so the
 * results match PyTorch's to float precision, with PyTorch's rules for unused inputs (zeros, or
 * an error with `strict`) and for `createGraph` (results that can be differentiated again).
 */
import { Tensor } from "../tensor.js";
import { fmtShape, sameShape } from "../shape.js";
import { describeValue, optionChecks, resolveOptions } from "../options.js";
import { enableGrad, isGradEnabled, setGradEnabled } from "./grad-mode.js";
import { grad } from "./engine.js";
import { stack } from "../ops/shape.js";
import { zeros, zerosLike } from "../creation.js";

/** The inputs of a function: one Tensor, or an array of Tensors passed as its arguments. @group Autograd */
export type FunctionalInputs = Tensor | readonly Tensor[];
/** A function of tensors returning a Tensor or an array of Tensors. @group Autograd */
export type TensorFunction = (...inputs: Tensor[]) => Tensor | readonly Tensor[];

/**
 * Options of {@link jacobian} and {@link hessian}.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `createGraph` | `false` | `create_graph` |
 * | `strict` | `false` | `strict` |
 * | `vectorize` | `false` | `vectorize` |
 *
 * @example
 * ```ts
 * const J = autograd.functional.jacobian((x) => x.exp(), tensor([0, 1]), { createGraph: true, vectorize: false });
 * J.requiresGrad; // → true
 * ```
 * @group Autograd
 */
export interface JacobianOptions extends ProductOptions {
  /**
   * PyTorch computes all rows in one batched backward with `vmap`; tsgrad computes them one
   * backward per output element either way (the same numbers), so `true` is accepted and only
   * PyTorch's speed-up is missing.
   */
  vectorize?: boolean;
}

/**
 * Options of {@link vjp}, {@link jvp}, {@link hvp} and {@link vhp}.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `createGraph` | `false` | `create_graph` |
 * | `strict` | `false` | `strict` |
 *
 * @example
 * ```ts
 * const [, g] = autograd.functional.vjp((x) => x.square().sum(), tensor([3]), undefined, { createGraph: true });
 * g.requiresGrad; // → true
 * ```
 * @group Autograd
 */
export interface ProductOptions {
  /** Record the computation, so the results can be differentiated again (default false: results are detached). */
  createGraph?: boolean;
  /** Throw when an output does not depend on an input, instead of returning zeros for it (default false). */
  strict?: boolean;
}

const CHECKS = { createGraph: optionChecks.boolean, strict: optionChecks.boolean, vectorize: optionChecks.boolean };

// PyTorch's _as_tuple: [wasTuple, tensors].
function asList(op: string, what: string, value: unknown): [boolean, Tensor[]] {
  const isList = Array.isArray(value);
  const list = (isList ? value : [value]) as unknown[];
  list.forEach((t, i) => {
    if (!(t instanceof Tensor)) {
      throw new TypeError(`${op}: the ${what} must be either a Tensor or an array of Tensors, but the value at index ${i} is ${describeValue(t)}`);
    }
  });
  return [isList, list as Tensor[]];
}

const unlist = <T>(values: T[], wasList: boolean): T | T[] => (wasList ? values : values[0]);

// PyTorch's _grad_preprocess: fresh leaves, or (with createGraph) views that keep the caller's graph.
function preprocess(inputs: readonly Tensor[], createGraph: boolean, needGraph: boolean): Tensor[] {
  return inputs.map((t) => (createGraph && t.requiresGrad ? t.view(t.shape) : t.detach().requiresGrad_(needGraph)));
}

const postprocess = (ts: Tensor[], createGraph: boolean): Tensor[] => (createGraph ? ts : ts.map((t) => t.detach()));

// PyTorch's _autograd_grad: grad() over the outputs that require grad, null for unused inputs.
function gradOf(outputs: readonly (Tensor | null)[], inputs: readonly Tensor[], gradOutputs: readonly (Tensor | null)[] | null, createGraph: boolean, retainGraph?: boolean): (Tensor | null)[] {
  const outs: Tensor[] = [];
  const gos: (Tensor | null)[] = [];
  outputs.forEach((o, i) => {
    if (o !== null && o.requiresGrad) {
      outs.push(o);
      gos.push(gradOutputs ? gradOutputs[i] : null);
    }
  });
  if (outs.length === 0) return inputs.map(() => null);
  return grad(outs, inputs, { gradOutputs: gos, createGraph, retainGraph: retainGraph ?? createGraph, allowUnused: true });
}

type Stage = "back" | "backTrick" | "doubleBack" | "doubleBackTrick";

// PyTorch's _fill_in_zeros: zeros for the inputs a gradient does not reach, or strict's errors.
function fillInZeros(op: string, grads: (Tensor | null)[], refs: readonly Tensor[], strict: boolean, createGraph: boolean, stage: Stage): Tensor[] {
  return grads.map((g, i) => {
    if (g === null) {
      if (strict) {
        const why = {
          back: `the output of the user-provided function is independent of input ${i}`,
          backTrick: `the gradient with respect to the input is independent of entry ${i} in the grad_outputs when using the double backward trick to compute forward mode gradients`,
          doubleBack: `the jacobian of the user-provided function is independent of input ${i}`,
          doubleBackTrick: `the hessian of the user-provided function is independent of entry ${i} in the grad_jacobian`,
        }[stage];
        throw new Error(`${op}: ${why}. This is not allowed in strict mode.`);
      }
      return zerosLike(refs[i]);
    }
    if (strict && createGraph && !g.requiresGrad) {
      const what = stage.startsWith("double") ? "hessian" : "jacobian";
      throw new Error(`${op}: the ${what} of the user-provided function is independent of input ${i}. This is not allowed in strict mode when createGraph=true.`);
    }
    return g;
  });
}

// PyTorch's _check_requires_grad (strict only).
function checkRequiresGrad(op: string, ts: readonly (Tensor | null)[], kind: "outputs" | "jacobian" | "hessian" | "gradInputs", strict: boolean): void {
  if (!strict) return;
  ts.forEach((t, i) => {
    if (t === null) throw new Error(`${op}: the output of the user-provided function is independent of input ${i}. This is not allowed in strict mode.`);
    if (t.requiresGrad) return;
    const why = {
      outputs: `output ${i} of the user-provided function does not require gradients. The outputs must be computed in a differentiable manner from the input when running in strict mode.`,
      jacobian: `while computing the hessian, found that the jacobian of the user-provided function with respect to input ${i} is independent of the input. This is not allowed in strict mode.`,
      hessian: `the hessian of the user-provided function with respect to input ${i} is independent of the input. This is not allowed in strict mode.`,
      gradInputs: `the gradient with respect to input ${i} is independent of the inputs of the user-provided function. This is not allowed in strict mode.`,
    }[kind];
    throw new Error(`${op}: ${why}`);
  });
}

// PyTorch's _validate_v.
function validateV(op: string, v: readonly Tensor[], other: readonly Tensor[], otherIsList: boolean): void {
  if (v.length !== other.length) {
    throw new RangeError(otherIsList ? `${op}: v is an array of invalid length: should be ${other.length} but got ${v.length}` : `${op}: the given v should contain a single Tensor`);
  }
  v.forEach((t, i) => {
    if (!sameShape(t.shape, other[i].shape)) {
      throw new RangeError(`${op}: ${otherIsList ? `entry ${i} in ` : ""}v has invalid size: should be ${fmtShape(other[i].shape)} but got ${fmtShape(t.shape)}`);
    }
  });
}

function checkFunction(op: string, func: unknown): asserts func is TensorFunction {
  if (typeof func !== "function") throw new TypeError(`${op}: func must be a function of tensors, got ${describeValue(func)}`);
}

function withGradMode<T>(mode: boolean, fn: () => T): T {
  const prev = setGradEnabled(mode);
  try {
    return fn();
  } finally {
    setGradEnabled(prev);
  }
}

// The vector v of vjp / jvp / hvp / vhp: given, or ones when the other side is one single-element tensor.
function readV(op: string, v: FunctionalInputs | undefined, against: readonly Tensor[], againstIsList: boolean, createGraph: boolean, side: "output" | "input"): Tensor[] | null {
  if (v === undefined || v === null) {
    if (against.length !== 1 || against[0].numel() !== 1) {
      const who = side === "output" ? "the user-provided function returns a single Tensor with a single element" : "the input to the user-provided function is a single Tensor with a single element";
      throw new RangeError(`${op}: the vector v can only be omitted if ${who}`);
    }
    return null;
  }
  const vs = preprocess(asList(op, "v", v)[1], createGraph, false);
  validateV(op, vs, against, againstIsList);
  return vs;
}

/**
 * The vector-Jacobian product `vᵀ·J` of `func` at `inputs`, like
 * `torch.autograd.functional.vjp`: returns `[func(inputs), vjp]`, the second shaped like the
 * inputs (a Tensor or an array, as `inputs` is). `v` is shaped like the output (may be omitted for
 * a one-element output). One backward pass.
 *
 * PyTorch: `torch.autograd.functional.vjp`.
 *
 * @example
 * ```ts
 * const [out, g] = autograd.functional.vjp((x) => x.square(), tensor([1, 2]), tensor([1, 10]));
 * out; // → [1, 4]
 * g;   // → [2, 40] (vᵀ·diag(2x))
 * ```
 * @group Autograd
 */
export function vjp(func: TensorFunction, inputs: FunctionalInputs, v?: FunctionalInputs, options: ProductOptions = {}): [Tensor | Tensor[], Tensor | Tensor[]] {
  const op = "vjp";
  checkFunction(op, func);
  const { createGraph, strict } = resolveOptions(op, options, { createGraph: false, strict: false }, CHECKS);
  return enableGrad(() => {
    const [inIsList, rawInputs] = asList(op, "inputs", inputs);
    const ins = preprocess(rawInputs, createGraph, true);
    const [outIsList, outs] = asList(op, "outputs of the user-provided function", func(...ins));
    checkRequiresGrad(op, outs, "outputs", strict);
    const vs = readV(op, v, outs, outIsList, createGraph, "output");
    const res = withGradMode(createGraph || isGradEnabled(), () => fillInZeros(op, gradOf(outs, ins, vs, createGraph), ins, strict, createGraph, "back"));
    return [unlist(postprocess(outs, createGraph), outIsList), unlist(postprocess(res, createGraph), inIsList)];
  });
}

/**
 * The Jacobian-vector product `J·v` of `func` at `inputs` (a forward-mode derivative), like
 * `torch.autograd.functional.jvp`: returns `[func(inputs), jvp]`, the second shaped like the
 * outputs. `v` is shaped like the inputs (may be omitted for a one-element input). Computed as
 * PyTorch does, by the double-backward trick: `g(u) = uᵀ·J` is linear in `u`, so the gradient of
 * `g(u)·v` with respect to `u` is `J·v` (two backward passes, `u` a zero tensor).
 *
 * PyTorch: `torch.autograd.functional.jvp`.
 *
 * @example
 * ```ts
 * const [, jv] = autograd.functional.jvp((x) => x.square(), tensor([1, 2]), tensor([1, 10]));
 * jv; // → [2, 40] (diag(2x)·v)
 * ```
 * @group Autograd
 */
export function jvp(func: TensorFunction, inputs: FunctionalInputs, v?: FunctionalInputs, options: ProductOptions = {}): [Tensor | Tensor[], Tensor | Tensor[]] {
  const op = "jvp";
  checkFunction(op, func);
  const { createGraph, strict } = resolveOptions(op, options, { createGraph: false, strict: false }, CHECKS);
  return enableGrad(() => {
    const [inIsList, rawInputs] = asList(op, "inputs", inputs);
    const ins = preprocess(rawInputs, createGraph, true);
    const vs = readV(op, v, ins, inIsList, createGraph, "input");
    const [outIsList, outs] = asList(op, "outputs of the user-provided function", func(...ins));
    checkRequiresGrad(op, outs, "outputs", strict);
    // The backward is linear in u, so u's value does not matter (zeros: no inf or NaN).
    const us = outs.map((o) => zerosLike(o, { requiresGrad: true }));
    const gradInputs = gradOf(outs, ins, us, true);
    checkRequiresGrad(op, gradInputs, "gradInputs", strict);
    const res = withGradMode(createGraph || isGradEnabled(), () => fillInZeros(op, gradOf(gradInputs, us, vs, createGraph), outs, strict, createGraph, "backTrick"));
    return [unlist(postprocess(outs, createGraph), outIsList), unlist(postprocess(res, createGraph), outIsList)];
  });
}

/**
 * The Jacobian of `func` at `inputs`, like `torch.autograd.functional.jacobian`: for output `i`
 * and input `j`, `J[i][j]` has shape `out_i.shape ++ in_j.shape`, entry `[a, b]` the derivative of
 * `out_i[a]` with respect to `in_j[b]`. A single output or a single (non-array) input drops that
 * level: one Tensor for one input and one output. Rows come from one backward pass per output
 * element (reverse mode). FunctionalInputs the function does not use get zero blocks (errors with `strict`).
 *
 * PyTorch: `torch.autograd.functional.jacobian`.
 *
 * @example
 * ```ts
 * const J = autograd.functional.jacobian((x) => x.square(), tensor([1, 2]));
 * J; // → [[2, 0], [0, 4]]
 * const [Ja, Jb] = autograd.functional.jacobian((a, b) => a.mul(b), [tensor([1, 2]), tensor([3, 4])]) as Tensor[];
 * Jb; // → [[1, 0], [0, 2]]
 * ```
 * @group Autograd
 */
export function jacobian(func: TensorFunction, inputs: FunctionalInputs, options: JacobianOptions = {}): Tensor | Tensor[] | Tensor[][] {
  const op = "jacobian";
  checkFunction(op, func);
  const { createGraph, strict } = resolveOptions(op, options, { createGraph: false, strict: false, vectorize: false }, CHECKS);
  return enableGrad(() => {
    const [inIsList, rawInputs] = asList(op, "inputs", inputs);
    const ins = preprocess(rawInputs, createGraph, true);
    const [outIsList, outs] = asList(op, "outputs of the user-provided function", func(...ins));
    checkRequiresGrad(op, outs, "outputs", strict);
    const blocks = outs.map((out, i) => {
      const rows: Tensor[][] = ins.map(() => []);
      const flatOut = out.reshape(-1);
      for (let k = 0; k < out.numel(); k++) {
        const vj = gradOf([flatOut.select(0, k)], ins, null, createGraph, true);
        vj.forEach((g, j) => {
          if (g !== null) {
            if (strict && createGraph && !g.requiresGrad) {
              throw new Error(`${op}: the jacobian of the user-provided function is independent of input ${j}. This is not allowed in strict mode when createGraph=true.`);
            }
            rows[j].push(g);
          } else {
            if (strict) throw new Error(`${op}: output ${i} of the user-provided function is independent of input ${j}. This is not allowed in strict mode.`);
            rows[j].push(zerosLike(ins[j]));
          }
        });
      }
      return rows.map((r, j) => {
        const shape = [...out.shape, ...ins[j].shape];
        const block = r.length ? stack(r, 0).reshape(shape) : zeros(shape, { dtype: ins[j].dtype });
        return createGraph ? block : block.detach();
      });
    });
    if (outIsList) return blocks.map((b) => unlist(b, inIsList)) as Tensor[] | Tensor[][];
    return unlist(blocks[0], inIsList);
  });
}

/**
 * The Hessian of a scalar function at `inputs`, like `torch.autograd.functional.hessian`:
 * the Jacobian of its gradient, computed as PyTorch does (`jacobian` of a function returning
 * `jacobian(func, inputs, { createGraph: true })`). For one input of shape `S` the result has
 * shape `S ++ S`; for an array of inputs, `H[i][j]` is the block `in_i.shape ++ in_j.shape`.
 * `func` must return a Tensor with one element.
 *
 * PyTorch: `torch.autograd.functional.hessian`.
 *
 * @example
 * ```ts
 * const H = autograd.functional.hessian((x) => x.pow(3).sum(), tensor([1, 2]));
 * H; // → [[6, 0], [0, 12]] (diag(6x))
 * ```
 * @group Autograd
 */
export function hessian(func: TensorFunction, inputs: FunctionalInputs, options: JacobianOptions = {}): Tensor | Tensor[][] {
  const op = "hessian";
  checkFunction(op, func);
  const { createGraph, strict, vectorize } = resolveOptions(op, options, { createGraph: false, strict: false, vectorize: false }, CHECKS);
  const [inIsList, ins] = asList(op, "inputs", inputs);
  const singleOutput = (...xs: Tensor[]): Tensor => {
    const out = func(...xs);
    const [outIsList, outs] = asList(op, "outputs of the user-provided function", out);
    checkRequiresGrad(op, outs, "outputs", strict);
    if (outIsList) throw new TypeError(`${op}: the function given to hessian should return a single Tensor, got an array of ${outs.length}`);
    if (outs[0].numel() !== 1) throw new RangeError(`${op}: the Tensor returned by the function given to hessian should contain a single element, got shape ${fmtShape(outs[0].shape)}`);
    return outs[0].squeeze();
  };
  const jacFunc = (...xs: Tensor[]): Tensor | Tensor[] => {
    const jac = jacobian(singleOutput, inIsList ? xs : xs[0], { createGraph: true }) as Tensor | Tensor[];
    checkRequiresGrad(op, Array.isArray(jac) ? jac : [jac], "jacobian", strict);
    return jac;
  };
  return jacobian(jacFunc, inIsList ? ins : ins[0], { createGraph, strict, vectorize }) as Tensor | Tensor[][];
}

/**
 * The Hessian-vector product `H·v` of a scalar function at `inputs`, like
 * `torch.autograd.functional.hvp`: returns `[func(inputs), hvp]`, the second shaped like the
 * inputs. Computed as PyTorch does, by the double-backward trick on the gradient (three backward
 * passes, no Hessian formed). `v` is shaped like the inputs (may be omitted for a one-element
 * input).
 *
 * PyTorch: `torch.autograd.functional.hvp`.
 *
 * @example
 * ```ts
 * const [, hv] = autograd.functional.hvp((x) => x.pow(3).sum(), tensor([1, 2]), tensor([1, 1]));
 * hv; // → [6, 12]
 * ```
 * @group Autograd
 */
export function hvp(func: TensorFunction, inputs: FunctionalInputs, v?: FunctionalInputs, options: ProductOptions = {}): [Tensor, Tensor | Tensor[]] {
  return hessianProduct("hvp", func, inputs, v, options);
}

/**
 * The vector-Hessian product `vᵀ·H` of a scalar function at `inputs`, like
 * `torch.autograd.functional.vhp` (the same as {@link hvp} for a twice continuously
 * differentiable function, whose Hessian is symmetric): two backward passes.
 *
 * PyTorch: `torch.autograd.functional.vhp`.
 *
 * @example
 * ```ts
 * const [, vh] = autograd.functional.vhp((x) => x.pow(3).sum(), tensor([1, 2]), tensor([1, 1]));
 * vh; // → [6, 12]
 * ```
 * @group Autograd
 */
export function vhp(func: TensorFunction, inputs: FunctionalInputs, v?: FunctionalInputs, options: ProductOptions = {}): [Tensor, Tensor | Tensor[]] {
  return hessianProduct("vhp", func, inputs, v, options);
}

function hessianProduct(op: "hvp" | "vhp", func: TensorFunction, inputs: FunctionalInputs, v: FunctionalInputs | undefined, options: ProductOptions): [Tensor, Tensor | Tensor[]] {
  checkFunction(op, func);
  const { createGraph, strict } = resolveOptions(op, options, { createGraph: false, strict: false }, CHECKS);
  return enableGrad(() => {
    const [inIsList, rawInputs] = asList(op, "inputs", inputs);
    const ins = preprocess(rawInputs, createGraph, true);
    const vs = readV(op, v, ins, inIsList, createGraph, "input");
    const [outIsList, outs] = asList(op, "outputs of the user-provided function", func(...ins));
    checkRequiresGrad(op, outs, "outputs", strict);
    if (outIsList) throw new TypeError(`${op}: the function given to ${op} should return a single Tensor, got an array of ${outs.length}`);
    if (outs[0].numel() !== 1) throw new RangeError(`${op}: the Tensor returned by the function given to ${op} should contain a single element, got shape ${fmtShape(outs[0].shape)}`);
    const jac = gradOf(outs, ins, null, true);
    checkRequiresGrad(op, jac, "jacobian", strict);
    const res = op === "vhp"
      ? withGradMode(createGraph || isGradEnabled(), () => fillInZeros(op, gradOf(jac, ins, vs, createGraph), ins, strict, createGraph, "doubleBack"))
      : (() => {
        const u = ins.map((t) => zerosLike(t, { requiresGrad: true }));
        const doubleBack = gradOf(jac, ins, u, true);
        checkRequiresGrad(op, jac, "hessian", strict);
        return withGradMode(createGraph || isGradEnabled(), () => fillInZeros(op, gradOf(doubleBack, u, vs, createGraph), ins, strict, createGraph, "doubleBackTrick"));
      })();
    return [postprocess(outs, createGraph)[0], unlist(postprocess(res, createGraph), inIsList)];
  });
}
