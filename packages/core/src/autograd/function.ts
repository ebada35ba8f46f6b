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
 */
export class FunctionCtx {
  /** The tensors given to {@link FunctionCtx.saveForBackward}. */
  savedTensors: Tensor[] = [];
  /** For each forward argument, whether it is a tensor that requires grad. */
  needsInputGrad: boolean[] = [];
  /** Free-form values forward wants backward to see (`ctx.values.alpha = 2`). */
  values: Record<string, unknown> = {};

  /** Keeps tensors for backward; backward refuses to run if any of them is modified in place meanwhile. */
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
 */
export abstract class AutogradFunction {
  /** Computes the output from the arguments (no graph is recorded inside). Override it. */
  static forward(_ctx: FunctionCtx, ..._args: never[]): Tensor {
    throw new Error(`${this.name}.forward is not implemented`);
  }

  /** Returns the gradients of the forward arguments from the output's gradient. Override it. */
  static backward(_ctx: FunctionCtx, _gradOutput: Tensor): Tensor | ReadonlyArray<Tensor | null | undefined> | null {
    throw new Error(`${this.name}.backward is not implemented`);
  }

  /** Runs the function on `args`, recording a graph node whose backward is this class's `backward`. */
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
