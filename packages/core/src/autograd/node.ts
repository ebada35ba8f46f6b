import type { Tensor } from "../tensor.js";
import type { TensorHook } from "./hooks.js";
import { fmtShape } from "../shape.js";
import { isGradEnabled } from "./grad-mode.js";
import { storageVersion } from "./version.js";
import { anomalyMode, noteForward } from "./anomaly.js";

/**
 * A backward rule: given the gradient of the op's output, returns one gradient per input
 * (null where an input gets none). Rules are written with Tensor ops, so running them with grad
 * mode on (`createGraph: true`) records a graph of the gradient itself: higher-order gradients.
 * @group Autograd
 */
export type BackwardRule = (gradOutput: Tensor) => ReadonlyArray<Tensor | null | undefined>;

/** Where an input's gradient goes: the node that produced it, or the leaf itself. @group Autograd */
export type Edge = Node | Tensor | null;

/**
 * A graph node: the `gradFn` of a tensor produced by a differentiable op. One small object per op
 * result; it holds the edges to its inputs and the backward closure (with what the rule saved).
 *
 * @example
 * ```ts
 * const y = tensor([1, 2], { requiresGrad: true }).exp();
 * y.gradFn!.name;       // "ExpBackward0"
 * y.gradFn!.next.length; // 1 (one edge, to the leaf)
 * ```
 * @group Autograd
 */
export class Node {
  /** Set once backward has run through this node without `retainGraph`: the saved values are gone. */
  released = false;
  /** The non-leaf tensor asking for its `.grad` to be kept ({@link Tensor.retainGrad}). */
  retained: Tensor | null = null;
  /** Hooks registered on the non-leaf tensor this node produced ({@link Tensor.registerHook}), by handle id. */
  tensorHooks: Map<number, TensorHook> | null = null;

  /** The storage versions of the tensors the rule reads, as they were when the op ran. */
  private savedVersions: number[];

  /**
   * A node named `name` with one edge per input and the rule that maps the output's gradient to
   * theirs; it remembers the storage versions of `saved` to detect later in-place changes.
   * Ops do not call it directly: {@link record} builds the node and attaches it to the result.
   */
  constructor(
    /** The op's name as PyTorch prints it, e.g. `MulBackward0`. */
    readonly name: string,
    /** One edge per input, in input order. */
    readonly next: Edge[],
    /** The backward rule; dropped when the graph is freed. */
    public rule: BackwardRule | null,
    /** The tensors whose values the rule reads (checked for in-place changes before it runs). */
    private saved: readonly Tensor[] = [],
  ) {
    const versions = new Array<number>(saved.length);
    for (let i = 0; i < saved.length; i++) versions[i] = storageVersion(saved[i].data);
    this.savedVersions = versions;
  }

  /**
   * Throws if a tensor the rule reads was modified in place after the op ran (its values are no
   * longer the ones the gradient formula needs), as PyTorch does. Backward calls it before
   * running each node's rule.
   *
   * @example
   * ```ts
   * const a = tensor([1, 2], { requiresGrad: true });
   * const b = tensor([3, 4]);
   * const y = a.mul(b); // the gradient with respect to a needs b
   * b.add_(1);
   * y.gradFn!.checkSaved(); // throws Error: backward: a tensor needed to compute the gradient of MulBackward0 …
   * ```
   */
  checkSaved(): void {
    const saved = this.saved;
    for (let i = 0; i < saved.length; i++) {
      const t = saved[i];
      const now = storageVersion(t.data);
      if (now !== this.savedVersions[i]) {
        throw new Error(
          `backward: a tensor needed to compute the gradient of ${this.name} (shape ${fmtShape(t.shape)}, ${t.dtype}) was modified ` +
            `by an in-place operation after it was used: it is at version ${now}, expected version ${this.savedVersions[i]}; ` +
            "clone() it before modifying it, or modify it after backward()",
        );
      }
    }
  }

  /**
   * Drops the rule and what it saved; backward calls it on every node it passes without
   * `retainGraph`, so a second backward through the node throws.
   *
   * @example
   * ```ts
   * const x = tensor([1, 2], { requiresGrad: true });
   * const y = x.exp().sum();
   * const node = y.gradFn!;
   * y.backward();
   * node.released; // → true
   * node.rule;     // → null
   * ```
   */
  release(): void {
    this.rule = null;
    this.saved = [];
    this.savedVersions = [];
    this.released = true;
  }

  /** `<MulBackward0>`: the node's name in angle brackets, as PyTorch prints a `grad_fn`. */
  toString(): string {
    return `<${this.name}>`;
  }
}

/**
 * @internal True when an op on `inputs` records a node (grad mode on, some input requires grad):
 * what {@link record} checks first. Hot ops test it before building their backward closure, which
 * would otherwise be made (and under tsx's keepNames, named) on every call for nothing.
 */
export function isRecording(a: Tensor, b?: Tensor | null, c?: Tensor | null): boolean {
  return isGradEnabled() && (a.requiresGrad || (b?.requiresGrad ?? false) || (c?.requiresGrad ?? false));
}

/**
 * Records `out` as the result of a differentiable op over `inputs` whose backward is `rule`,
 * when grad mode is on and any input requires grad. Every differentiable op ends with this call,
 * so an op cannot exist without its backward rule beside it.
 *
 * `saves` lists the tensors the rule reads — by default the inputs and the output. Backward
 * refuses to run if any of them was modified in place since; an op whose rule reads none of
 * them (add, reshape, sum, ...) passes `[]`.
 *
 * @example
 * ```ts
 * // a custom op: the output computed without a graph, then the backward rule d/dx = 2x
 * function mySquare(x: Tensor): Tensor {
 *   const out = x.detach().square();
 *   return record(out, "MySquareBackward", [x], (g) => [g.mul(x).mul(2)]);
 * }
 * const x = tensor([3], { requiresGrad: true });
 * mySquare(x).sum().backward();
 * x.grad!.toArray(); // → [6]
 * ```
 * @group Autograd
 */
export function record(out: Tensor, name: string, inputs: readonly Tensor[], rule: BackwardRule, saves?: readonly Tensor[]): Tensor {
  if (!isGradEnabled()) return out;
  let needed = false;
  const next = new Array<Edge>(inputs.length);
  for (let i = 0; i < inputs.length; i++) {
    const t = inputs[i];
    if (t.requiresGrad) {
      needed = true;
      next[i] = t.gradFn ?? t;
    } else {
      next[i] = null;
    }
  }
  if (!needed) return out;
  const node = new Node(name, next, rule, saves ?? [...inputs, out]);
  if (anomalyMode.enabled) noteForward(node, inputs);
  out._setGradFn(node);
  return out;
}

// Gradients made by the engine's own first-order kernels during a backward pass and held by
// nothing else: a leaf may take one as its `.grad` without copying it (see ownedGradient).
const owned = new WeakSet<Tensor>();

/**
 * @internal Marks `g` as a gradient an op's first-order backward has just allocated and returns
 * it: a fresh contiguous tensor that neither the rule nor anything else keeps a reference to.
 * Backward may then hand it to a leaf as its `.grad` instead of a copy (PyTorch's AccumulateGrad
 * steals such gradients too). Backward clears the mark wherever someone else could get hold of the
 * tensor: a hook sees it, a rule passes it on unchanged, `retainGrad` or `grad()` keeps it.
 */
export function ownedGradient(g: Tensor): Tensor {
  owned.add(g);
  return g;
}

/** @internal True (once) when `g` carries {@link ownedGradient}'s mark; the mark is removed. */
export function takeOwnedGradient(g: Tensor): boolean {
  return owned.delete(g);
}

