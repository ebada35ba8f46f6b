import { Tensor } from "../tensor.js";
import { fmtShape } from "../shape.js";
import { isFloatingPoint } from "../dtype.js";
import { noGrad, enableGrad } from "./grad-mode.js";
import { grad } from "./engine.js";
import { randn } from "../random.js";
import { Generator } from "../random.js";
import { describeValue, optionChecks, resolveOptions } from "../options.js";

/**
 * Options of {@link gradcheck} and {@link gradgradcheck}: the finite-difference step and the
 * tolerances an analytical gradient must meet, `|analytical − numerical| <= atol + rtol·|numerical|`.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `eps` | `1e-6` | `eps` |
 * | `atol` | `1e-5` | `atol` |
 * | `rtol` | `1e-3` | `rtol` |
 *
 * @example
 * ```ts
 * const x = randn([3], { dtype: "float64", requiresGrad: true });
 * gradcheck((t) => t.sin(), [x], { eps: 1e-6, atol: 1e-7, rtol: 1e-5 }); // → true
 * ```
 * @group Autograd
 */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
}

const GRADCHECK_OPTIONS = { eps: 1e-6, atol: 1e-5, rtol: 1e-3 };
const GRADCHECK_OPTION_CHECKS = { eps: optionChecks.positive, atol: optionChecks.atLeast(0), rtol: optionChecks.atLeast(0), seed: optionChecks.intAtLeast(0) };

type Fn = (...inputs: Tensor[]) => Tensor | readonly Tensor[];

function outputsOf(op: string, result: Tensor | readonly Tensor[]): Tensor[] {
  if (result instanceof Tensor) return [result];
  if (Array.isArray(result) && result.every((r) => r instanceof Tensor)) return [...result];
  throw new TypeError(`${op}: fn must return a Tensor or an array of Tensors, got ${describeValue(result)}`);
}

/** The checked function and its inputs (a Tensor or an array), as both checks take them. */
function checkArgs(op: string, fn: unknown, inputs: Tensor | readonly Tensor[]): readonly Tensor[] {
  if (typeof fn !== "function") throw new TypeError(`${op}: fn must be a function, got ${describeValue(fn)}`);
  if (inputs instanceof Tensor) return [inputs];
  if (!Array.isArray(inputs)) throw new TypeError(`${op}: inputs must be a Tensor or an array of Tensors, got ${describeValue(inputs)}`);
  return inputs;
}

// Position in `data` of flat element k of a strided tensor.
function storageIndex(t: Tensor, k: number): number {
  let off = t.offset;
  for (let d = t.ndim - 1; d >= 0; d--) {
    const i = k % t.shape[d];
    k = (k - i) / t.shape[d];
    off += i * t.strides[d];
  }
  return off;
}

/**
 * Checks the analytical gradients of `fn` against central finite differences, like
 * `torch.autograd.gradcheck`: every Jacobian entry d output_j / d input_k must satisfy
 * `|analytical − numerical| ≤ atol + rtol·|numerical|`. Inputs that require grad must be float64.
 * Returns true, or throws an Error naming the output, input, element and both values.
 *
 * @example
 * ```ts
 * const x = randn([3], { dtype: "float64", requiresGrad: true });
 * gradcheck((x) => x.sigmoid().mul(x), [x]); // true
 * ```
 * @group Autograd
 */
export function gradcheck(fn: Fn, inputs: Tensor | readonly Tensor[], options: GradcheckOptions = {}): boolean {
  inputs = checkArgs("gradcheck", fn, inputs);
  const { eps, atol, rtol } = resolveOptions("gradcheck", options, GRADCHECK_OPTIONS, GRADCHECK_OPTION_CHECKS);
  const diffInputs = inputs.map((t, i) => ({ t, i })).filter(({ t }) => t instanceof Tensor && t.requiresGrad);
  for (const { t, i } of diffInputs) {
    if (t.dtype !== "float64") throw new TypeError(`gradcheck: input ${i} has dtype ${t.dtype}; gradcheck needs float64 inputs`);
  }
  if (diffInputs.length === 0) throw new Error("gradcheck: no input requires grad");
  const outputs = outputsOf("gradcheck", fn(...inputs));
  outputs.forEach((out, o) => {
    // Integer outputs (indices, masks) have no gradient. A float output without a graph must not
    // depend on the inputs at all (its analytical Jacobian is 0), as in PyTorch's gradcheck: that
    // is how a derivative cut from the graph (by detach or noGrad) shows up.
    if (!isFloatingPoint(out.dtype)) return;
    const flatOut = out.dataSync();
    // Analytical Jacobian rows, one backward per output element.
    const analytical: Float64Array[][] = diffInputs.map(({ t }) => Array.from({ length: flatOut.length }, () => new Float64Array(t.numel())));
    for (let j = 0; j < (out.requiresGrad ? flatOut.length : 0); j++) {
      const seed = new Float64Array(flatOut.length);
      seed[j] = 1;
      const gradOut = new Tensor(seed, out.shape, "float64").to(out.dtype);
      const grads = grad([out], diffInputs.map(({ t }) => t), { gradOutputs: [gradOut], retainGraph: true, allowUnused: true });
      grads.forEach((g, k) => {
        if (g) analytical[k][j].set(g.to("float64").dataSync());
      });
    }
    diffInputs.forEach(({ t, i }, k) => {
      for (let e = 0; e < t.numel(); e++) {
        const pos = storageIndex(t, e);
        const orig = t.data[pos];
        const evalAt = (v: number): Float64Array => {
          t.data[pos] = v;
          const r = noGrad(() => outputsOf("gradcheck", fn(...inputs))[o]);
          return r.to("float64").dataSync() as Float64Array;
        };
        const plus = evalAt(orig + eps);
        const minus = evalAt(orig - eps);
        t.data[pos] = orig;
        for (let j = 0; j < flatOut.length; j++) {
          const numerical = (plus[j] - minus[j]) / (2 * eps);
          const a = analytical[k][j][e];
          const bothNaN = Number.isNaN(a) && Number.isNaN(numerical);
          if (!bothNaN && !(Math.abs(a - numerical) <= atol + rtol * Math.abs(numerical))) {
            throw new Error(
              `gradcheck: Jacobian mismatch for output ${o} (shape ${fmtShape(out.shape)}${out.requiresGrad ? "" : ", does not require grad"}) ` +
                `with respect to input ${i} (shape ${fmtShape(t.shape)}): ` +
                `d out[${j}] / d in[${e}] numerical ${numerical}, analytical ${a}`,
            );
          }
        }
      }
    });
  });
  return true;
}

/**
 * Checks second derivatives: runs {@link gradcheck} on the function that maps the inputs (and a
 * random output gradient) to the gradients `fn`'s backward produces with `createGraph: true`,
 * like `torch.autograd.gradgradcheck`.
 *
 * @example
 * ```ts
 * const x = randn([3], { dtype: "float64", requiresGrad: true });
 * gradgradcheck((x) => x.tanh(), [x]); // true
 * ```
 * @group Autograd
 */
export function gradgradcheck(fn: Fn, inputs: Tensor | readonly Tensor[], options: GradcheckOptions & { seed?: number } = {}): boolean {
  inputs = checkArgs("gradgradcheck", fn, inputs);
  const { seed, ...tolerances } = resolveOptions("gradgradcheck", options, { ...GRADCHECK_OPTIONS, seed: 0 }, GRADCHECK_OPTION_CHECKS);
  const diff = inputs.filter((t) => t instanceof Tensor && t.requiresGrad);
  const outputs = outputsOf("gradgradcheck", fn(...inputs)).filter((o) => o.requiresGrad);
  const generator = new Generator(seed);
  const gradOutputs = outputs.map((o) => randn(o.shape, { dtype: "float64", generator, requiresGrad: true }));
  const n = inputs.length;
  // gradcheck evaluates this under noGrad for its finite differences, but the first derivative
  // needs a graph to exist at all, so grad mode is forced on inside.
  const second = (...all: Tensor[]): Tensor[] => enableGrad(() => {
    const ins = all.slice(0, n);
    const gos = all.slice(n);
    const outs = outputsOf("gradgradcheck", fn(...ins)).filter((o) => o.requiresGrad);
    const grads = grad(outs, ins.filter((t) => t.requiresGrad), { gradOutputs: gos, createGraph: true, allowUnused: true });
    return grads.map((g, k) => g ?? diff[k].mul(0));
  });
  return gradcheck(second, [...inputs, ...gradOutputs], tolerances);
}
