/** Inverted dropout: `F.dropout` and the `Dropout` layer. */
import { Tensor, Generator, getDefaultGenerator, resolveOptions } from "@tsgrad/core";
import { Module } from "./module.js";
import { checkTensor, generatorCheck } from "./util.js";

function checkProbability(op: string, p: unknown): asserts p is number {
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) {
    throw new RangeError(`${op}: dropout probability has to be between 0 and 1, but got ${String(p)}`);
  }
}

/**
 * Inverted dropout: while `training`, zeroes each element independently with probability `p` and
 * scales the survivors by `1 / (1 − p)`, so the expected value is unchanged and evaluation needs
 * no rescaling. With `training = false` (or p = 0) it returns `x` itself; p = 1 gives zeros.
 * Gradient: the same mask and scale. Defaults as PyTorch: p = 0.5, training = true.
 *
 * @example
 * ```ts
 * F.dropout(ones([4]), 0.5, true, new Generator(0)).toArray(); // e.g. [2, 0, 2, 2]
 * ```
 */
export function dropout(x: Tensor, p = 0.5, training = true, generator?: Generator): Tensor {
  checkTensor("dropout", x);
  checkProbability("dropout", p);
  if (!training || p === 0) return x;
  if (p === 1) return x.mul(0);
  const gen = generator ?? getDefaultGenerator();
  const dtype = x.dtype === "float64" ? "float64" : "float32";
  const keep = 1 - p;
  const scale = 1 / keep;
  const mask = dtype === "float64" ? new Float64Array(x.numel()) : new Float32Array(x.numel());
  for (let i = 0; i < mask.length; i++) mask[i] = gen.random() < keep ? scale : 0;
  return x.mul(new Tensor(mask, x.shape, dtype));
}

/**
 * Layer form of {@link dropout}: active in training mode, the identity after `eval()`.
 *
 * @example
 * ```ts
 * const x = ones([1000]);
 * const drop = new Dropout(0.2);
 * const y = drop.forward(x); // about 20% zeros, the rest × 1.25
 * y.eq(0).float().mean().item(); // ≈ 0.2
 * y.max().item();                // 1.25
 * drop.eval().forward(x) === x;  // true (identity in eval mode)
 * ```
 * @group Dropout
 */
export class Dropout extends Module {
  static override readonly typeName: string = "Dropout";
  /** Probability of zeroing an element. */
  readonly p: number;
  private readonly generator: Generator | undefined;

  constructor(p = 0.5, options: { generator?: Generator } = {}) {
    super();
    const { generator } = resolveOptions("Dropout", options, { generator: undefined as Generator | undefined }, { generator: generatorCheck });
    checkProbability("Dropout", p);
    this.p = p;
    this.generator = generator;
  }

  /** {@link dropout} with this layer's `p`, active only while `training`. */
  forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training, this.generator);
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}
