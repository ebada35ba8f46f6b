import type { Tensor } from "../tensor.js";
import { isGradEnabled } from "./grad-mode.js";

/**
 * A backward rule: given the gradient of the op's output, returns one gradient per input
 * (null where an input gets none). Rules are written with Tensor ops, so running them with grad
 * mode on (`createGraph: true`) records a graph of the gradient itself: higher-order gradients.
 */
export type BackwardRule = (gradOutput: Tensor) => ReadonlyArray<Tensor | null | undefined>;

/** Where an input's gradient goes: the node that produced it, or the leaf itself. */
export type Edge = Node | Tensor | null;

/**
 * A graph node: the `gradFn` of a tensor produced by a differentiable op. One small object per op
 * result; it holds the edges to its inputs and the backward closure (with what the rule saved).
 */
export class Node {
  /** Set once backward has run through this node without `retainGraph`: the saved values are gone. */
  released = false;
  /** The non-leaf tensor asking for its `.grad` to be kept ({@link Tensor.retainGrad}). */
  retained: Tensor | null = null;

  constructor(
    /** The op's name as PyTorch prints it, e.g. `MulBackward0`. */
    readonly name: string,
    /** One edge per input, in input order. */
    readonly next: Edge[],
    /** The backward rule; dropped when the graph is freed. */
    public rule: BackwardRule | null,
  ) {}

  toString(): string {
    return `<${this.name}>`;
  }
}

/**
 * Records `out` as the result of a differentiable op over `inputs` whose backward is `rule`,
 * when grad mode is on and any input requires grad. Every differentiable op ends with this call,
 * so an op cannot exist without its backward rule beside it.
 */
export function record(out: Tensor, name: string, inputs: readonly Tensor[], rule: BackwardRule): Tensor {
  if (!isGradEnabled()) return out;
  let needed = false;
  for (const t of inputs) if (t.requiresGrad) needed = true;
  if (!needed) return out;
  const next = inputs.map((t): Edge => (t.requiresGrad ? (t.gradFn ?? t) : null));
  out._setGradFn(new Node(name, next, rule));
  return out;
}
