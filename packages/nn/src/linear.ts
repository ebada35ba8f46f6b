/** The affine map: `F.linear`, the `Linear` layer, and `Identity` (the "linear activation"). */
import { Tensor, Generator, empty, linear, optionChecks, resolveOptions } from "@tsgrad/core";
import { Module, Parameter } from "./module.js";
import { calculateFanInAndFanOut, kaimingUniform_, uniform_ } from "./init.js";
import { generatorCheck } from "./util.js";

const LINEAR_OPTIONS: LinearOptions = { bias: true, dtype: "float32", generator: undefined };
const LINEAR_OPTION_CHECKS = { bias: optionChecks.boolean, dtype: optionChecks.floatDType, generator: generatorCheck };


/**
 * PyTorch's default initialisation of Linear and convolution layers: `kaimingUniform_(weight,
 * { a: √5 })`, i.e. U(−1/√fanIn, 1/√fanIn), and the bias (if any) U(−1/√fanIn, 1/√fanIn).
 * Internal to the package (not exported from its index).
 */
export function resetAffine(weight: Tensor, bias: Tensor | null, generator: Generator | undefined): void {
  kaimingUniform_(weight, { a: Math.sqrt(5), generator });
  if (bias) {
    const [fanIn] = calculateFanInAndFanOut(weight);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    uniform_(bias, -bound, bound, { generator });
  }
}

/**
 * Options of {@link Linear}: whether it has a bias, the dtype of its parameters and where their
 * initial values come from.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `bias` | `true` | `bias` |
 * | `dtype` | `"float32"` | `dtype` |
 * | `generator` | the global generator | (none: PyTorch draws from the global one) |
 *
 * @example
 * ```ts
 * const fc = new nn.Linear(2, 3, { bias: false, dtype: "float64", generator: new Generator(1) });
 * fc.bias;         // → null
 * fc.weight.dtype; // → "float64"
 * ```
 * @group Linear
 */
export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** dtype of the weight and bias (default float32). */
  dtype?: "float32" | "float64";
  /** Source of randomness for the initial weights (the global generator by default). */
  generator?: Generator;
}

/**
 * Fully connected layer `y = x·Wᵀ + b` ({@link linear}) with `weight` `[outFeatures, inFeatures]`
 * and `bias` `[outFeatures]` (or null with `bias: false`).
 *
 * PyTorch's default initialisation: `kaimingUniform_(weight, { a: √5 })`, which is
 * U(−1/√inFeatures, 1/√inFeatures), and bias U(−1/√inFeatures, 1/√inFeatures). Call
 * {@link Linear.resetParameters} to draw them again.
 *
 * @example
 * ```ts
 * const fc = new Linear(2, 32, { generator: new Generator(0) });
 * fc.forward(randn([8, 2])).shape; // [8, 32]
 * String(fc); // "Linear(inFeatures=2, outFeatures=32, bias=true)"
 * ```
 * @group Linear
 */
export class Linear extends Module {
  static override readonly typeName: string = "Linear";
  /** Size of each input sample (last dim of the input). */
  readonly inFeatures: number;
  /** Size of each output sample. */
  readonly outFeatures: number;
  /** Learned weight `[outFeatures, inFeatures]`. */
  weight: Parameter;
  /** Learned bias `[outFeatures]`, or null when built with `bias: false`. */
  bias: Parameter | null;
  private readonly generator: Generator | undefined;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    const { bias, dtype, generator } = resolveOptions("Linear", options, LINEAR_OPTIONS, LINEAR_OPTION_CHECKS);
    for (const [name, v] of [["inFeatures", inFeatures], ["outFeatures", outFeatures]] as const) {
      optionChecks.intAtLeast(0)("Linear", name, v);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = new Parameter(empty([outFeatures, inFeatures], { dtype }));
    this.bias = bias ? new Parameter(empty([outFeatures], { dtype })) : null;
    this.generator = generator;
    this.resetParameters();
  }

  /**
   * Draws the weight and bias again with PyTorch's default initialisation (see the class), from
   * `generator` (default: the one given to the constructor, else the global generator).
   *
   * PyTorch: `torch.nn.Linear.reset_parameters`.
   *
   * @example
   * ```ts
   * const fc = new Linear(4, 2, { generator: new Generator(0) });
   * const first = fc.weight.clone();
   * fc.resetParameters(new Generator(0));
   * fc.weight.sub(first).abs().max().item(); // → 0
   * fc.weight.abs().max().item() <= 0.5; // → true (the bound 1/√inFeatures)
   * ```
   */
  resetParameters(generator = this.generator): void {
    resetAffine(this.weight, this.bias, generator);
  }

  /** `x·Wᵀ + b` for `x` of shape `[..., inFeatures]`; returns `[..., outFeatures]`. */
  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}

/**
 * The identity layer `y = x` (the "linear activation"): a placeholder where a layer is expected.
 *
 * @example
 * ```ts
 * const useActivation = false;
 * const act = useActivation ? new ReLU() : new Identity();
 * act.forward(tensor([-1, 2])).toArray(); // [-1, 2]
 * ```
 * @group Linear
 */
export class Identity extends Module {
  static override readonly typeName: string = "Identity";
  /** Returns `x` itself. */
  forward(x: Tensor): Tensor {
    return x;
  }
}
