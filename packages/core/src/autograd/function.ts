import { Tensor } from "../tensor.js";
import { fmtShape, sameShape } from "../shape.js";
import { noGrad } from "./grad-mode.js";
import { record } from "./node.js";
import { describeValue } from "../options.js";

/**
 * The context an {@link AutogradFunction} passes from `forward` to `backward`, like PyTorch's
 * `ctx`: save tensors with `saveForBackward`, stash anything else as a property.
 *
 * @example
 * ```ts
 * class Scale extends AutogradFunction {
 *   static override forward(ctx: FunctionCtx, x: Tensor, k: number): Tensor {
 *     ctx.values.k = k;
 *     return x.mul(k);
 *   }
 *   static override backward(ctx: FunctionCtx, g: Tensor) {
 *     return [g.mul(ctx.values.k as number), null];
 *   }
 * }
 * ```
 * @group Autograd
 */
export class FunctionCtx {
  /**
   * An empty context. {@link AutogradFunction.apply} makes a fresh one for every call and passes
   * it to `forward` and then `backward`; you do not create one yourself.
   */
  constructor() {}

  /** The tensors given to {@link FunctionCtx.saveForBackward}. */
  savedTensors: Tensor[] = [];
  /** For each forward argument, whether it is a tensor that requires grad. */
  needsInputGrad: boolean[] = [];
  /** Free-form values forward wants backward to see (`ctx.values.alpha = 2`). */
  values: Record<string, unknown> = {};

  /**
   * Keeps tensors for backward (read them back as `savedTensors`); backward refuses to run if any
   * of them is modified in place meanwhile.
   *
   * PyTorch: `ctx.save_for_backward`.
   *
   * @example
   * ```ts
   * class Square extends AutogradFunction {
   *   static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
   *     ctx.saveForBackward(x);
   *     return x.square();
   *   }
   *   static override backward(ctx: FunctionCtx, g: Tensor): Tensor[] {
   *     const [x] = ctx.savedTensors;
   *     return [g.mul(x).mul(2)];
   *   }
   * }
   * const x = tensor([3], { requiresGrad: true });
   * Square.apply(x).sum().backward();
   * x.grad; // → [6]
   * const y = Square.apply(x);
   * noGrad(() => x.fill_(1)); // modifies the saved input
   * y.sum().backward();       // throws Error: backward: a tensor needed to compute the gradient of SquareBackward …
   * ```
   */
  saveForBackward(...tensors: Tensor[]): void {
    this.savedTensors = tensors;
  }
}

type ForwardArgs<F> = F extends (ctx: FunctionCtx, ...args: infer A) => Tensor ? A : never;

/**
 * A user-defined differentiable op with a hand-written backward, like `torch.autograd.Function`
 * (not named Function, which would shadow the JS global). Subclass it with static `forward` and
 * `backward`, then call `MyOp.apply(...)`. Forward runs without recording a graph; backward gets
 * the output's gradient and returns one gradient per forward argument (null for non-tensors or
 * inputs without grad). Backward is written with Tensor ops, so it can be differentiated again.
 *
 * @example
 * ```ts
 * class Cube extends AutogradFunction {
 *   static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
 *     ctx.saveForBackward(x);
 *     return x.pow(3);
 *   }
 *   static override backward(ctx: FunctionCtx, g: Tensor): Tensor[] {
 *     const [x] = ctx.savedTensors;
 *     return [g.mul(x.square()).mul(3)];
 *   }
 * }
 * const x = tensor([2], { requiresGrad: true });
 * const y = Cube.apply(x);
 * y.item();        // → 8
 * y.backward();
 * x.grad!.item();  // → 12
 * ```
 * @group Autograd
 */
export abstract class AutogradFunction {
  /**
   * Not called by users: a function is used through its static {@link AutogradFunction.apply}
   * and never instantiated (as PyTorch's `torch.autograd.Function`).
   */
  constructor() {}

  /**
   * Computes the output from the arguments (no graph is recorded inside). Override it; `ctx`
   * carries what backward needs, the other arguments are those given to `apply` (tensors or not).
   *
   * PyTorch: `torch.autograd.Function.forward`.
   *
   * @example
   * ```ts
   * class MulConst extends AutogradFunction {
   *   static override forward(ctx: FunctionCtx, x: Tensor, k: number): Tensor {
   *     ctx.values.k = k;
   *     return x.mul(k);
   *   }
   *   static override backward(ctx: FunctionCtx, g: Tensor) {
   *     return [g.mul(ctx.values.k as number), null]; // null: k is not a tensor
   *   }
   * }
   * MulConst.apply(tensor([1, 2]), 3); // → [3, 6]
   * ```
   */
  static forward(_ctx: FunctionCtx, ..._args: never[]): Tensor {
    throw new Error(`${this.name}.forward is not implemented`);
  }

  /**
   * Returns the gradients of the forward arguments from the output's gradient: one per argument
   * (null for a non-tensor or one that needs none, see `ctx.needsInputGrad`), each of its
   * argument's shape. Override it, with Tensor ops, so that it can be differentiated again.
   *
   * PyTorch: `torch.autograd.Function.backward`.
   *
   * @example
   * ```ts
   * class Mul extends AutogradFunction {
   *   static override forward(ctx: FunctionCtx, a: Tensor, b: Tensor): Tensor {
   *     ctx.saveForBackward(a, b);
   *     return a.mul(b);
   *   }
   *   static override backward(ctx: FunctionCtx, g: Tensor) {
   *     const [a, b] = ctx.savedTensors;
   *     return [ctx.needsInputGrad[0] ? g.mul(b) : null, ctx.needsInputGrad[1] ? g.mul(a) : null];
   *   }
   * }
   * const a = tensor([2], { requiresGrad: true });
   * Mul.apply(a, tensor([5])).sum().backward();
   * a.grad; // → [5]
   * ```
   */
  static backward(_ctx: FunctionCtx, _gradOutput: Tensor): Tensor | ReadonlyArray<Tensor | null | undefined> | null {
    throw new Error(`${this.name}.backward is not implemented`);
  }

  /**
   * Runs the function on `args`, recording a graph node (named `<ClassName>Backward`) whose
   * backward is this class's `backward`.
   *
   * PyTorch: `torch.autograd.Function.apply`.
   *
   * @example
   * ```ts
   * class Double extends AutogradFunction {
   *   static override forward(_ctx: FunctionCtx, x: Tensor): Tensor { return x.mul(2); }
   *   static override backward(_ctx: FunctionCtx, g: Tensor) { return [g.mul(2)]; }
   * }
   * const x = tensor([1, 2], { requiresGrad: true });
   * const y = Double.apply(x);
   * y.gradFn!.name; // → "DoubleBackward"
   * y.sum().backward();
   * x.grad;         // → [2, 2]
   * ```
   */
  static apply<F extends typeof AutogradFunction>(this: F, ...args: ForwardArgs<F["forward"]>): Tensor {
    const ctx = new FunctionCtx();
    const list = args as unknown[];
    ctx.needsInputGrad = list.map((a) => a instanceof Tensor && a.requiresGrad);
    const out = noGrad(() => (this.forward as (ctx: FunctionCtx, ...a: unknown[]) => Tensor)(ctx, ...list));
    if (!(out instanceof Tensor)) throw new TypeError(`${this.name}.forward: must return a Tensor, got ${describeValue(out)}`);
    const positions = list.flatMap((a, i) => (a instanceof Tensor ? [i] : []));
    const inputs = positions.map((i) => list[i] as Tensor);
    return record(out.detach(), `${this.name}Backward`, inputs, (g) => {
      const result = this.backward(ctx, g);
      const grads = Array.isArray(result) ? [...(result as ReadonlyArray<Tensor | null | undefined>)] : [result as Tensor | null];
      if (grads.length !== list.length && grads.length !== inputs.length) {
        throw new RangeError(`${this.name}.backward returned ${grads.length} gradients, expected ${list.length} (one per forward argument)`);
      }
      return inputs.map((input, k) => {
        const gi = grads.length === list.length ? grads[positions[k]] : grads[k];
        if (gi != null && !(gi instanceof Tensor)) {
          throw new TypeError(`${this.name}.backward: the gradient for argument ${positions[k]} must be a Tensor or null, got ${describeValue(gi)}`);
        }
        if (gi && !sameShape(gi.shape, input.shape)) {
          throw new RangeError(`${this.name}.backward: gradient ${fmtShape(gi.shape)} for argument ${positions[k]} does not match its shape ${fmtShape(input.shape)}`);
        }
        return gi ?? null;
      });
    }, ctx.savedTensors);
  }
}
