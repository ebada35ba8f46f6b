/**
 * Recurrent layers, PyTorch's `torch.nn.modules.rnn`: `RNN`, `LSTM` and `GRU` over whole
 * sequences (stacked layers, both directions), and the one-step cells `RNNCell`, `LSTMCell` and
 * `GRUCell`.
 *
 * One step of each recurrence is one function ({@link STEPS}), used by the cells and, step after
 * step, by `RNN` and `LSTM` with `projSize`: Linear maps of the input and the hidden state, then the
 * gates in PyTorch's order (LSTM i, f, g, o; GRU r, z, n). `LSTM` (without `projSize`) and `GRU` run
 * each layer and direction as one fused whole-sequence op instead (rnn-kernels.ts `lstmLayer`,
 * `gruLayer`: the same values, one graph node). The fused ops' backward under `createGraph` is
 * differentiable again, so gradients of any order work.
 *
 * Weights have PyTorch's names and layout: `weight_ih_l0` `[G·H, I]`, `weight_hh_l0` `[G·H, H]`,
 * `bias_ih_l0`, `bias_hh_l0`, `weight_hr_l0` (LSTM with `projSize`), with `_reverse` for the
 * backward direction, G = 1 (RNN), 4 (LSTM) or 3 (GRU). The fields are their camelCase
 * (`weightIhL0`, `weightHhL1Reverse`), mapped to PyTorch's keys by `stateDictNames`.
 */
import { Tensor, Generator, cat, empty, linear, optionChecks, resolveOptions, stack, zeros, type OptionCheck } from "@tsgrad/core";
import { Module, Parameter } from "./module.js";
import { uniform_ } from "./init.js";
import { dropout } from "./dropout.js";
import { gruLayer, gruPointwise, lstmLayer, lstmPointwise, type LayerWeights } from "./rnn-kernels.js";
import { checkTensor, generatorCheck, pyFloat } from "./util.js";

const fmt = (shape: readonly number[]): string => `[${shape.join(", ")}]`;

// ------------------------------------------------------------------ one step

/** The weights of one cell (a layer and direction of a layer, or a cell module). */
interface CellWeights extends LayerWeights {
  /** The LSTM's projection `[projSize, H]`, or null. */
  wHr: Tensor | null;
}

/** The recurrences, named as PyTorch's `mode`. */
type Mode = "RNN_TANH" | "RNN_RELU" | "LSTM" | "GRU";

/** The state carried from step to step: `[h]`, or `[h, c]` for the LSTM. */
type State = readonly Tensor[];

/** One step: the new state from the input `x` `(N, I)`, the state (each `(N, ·)`) and the weights. */
type Step = (x: Tensor, state: State, w: CellWeights) => Tensor[];

/** `h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh)` (composed: fusing the sum and the activation measured no faster, rnn-kernels.ts). */
const rnnStep = (act: "tanh" | "relu"): Step => (x, [h], w) => {
  const pre = linear(x, w.wIh, w.bIh).add(linear(h, w.wHh, w.bHh));
  return [act === "tanh" ? pre.tanh() : pre.relu()];
};

/** The gates i, f, g, o from one sum of the two Linear maps, then the fused pointwise op and the projection. */
const lstmStep: Step = (x, [h, c], w) => {
  const hc = lstmPointwise(linear(x, w.wIh, w.bIh).add(linear(h, w.wHh, w.bHh)), c);
  const hNew = hc.select(0, 0);
  return [w.wHr ? linear(hNew, w.wHr) : hNew, hc.select(0, 1)];
};

/** r = σ(..), z = σ(..), n = tanh(x·W_inᵀ + b_in + r·(h·W_hnᵀ + b_hn)), h' = (1 − z)·n + z·h: the two Linear maps, then the fused pointwise op. */
const gruStep: Step = (x, [h], w) => [gruPointwise(linear(x, w.wIh, w.bIh), linear(h, w.wHh, w.bHh), h)];

/** Per mode: the number of gate blocks G (weights `[G·H, ·]`) and the step. */
const STEPS: Record<Mode, { gates: number; step: Step }> = {
  RNN_TANH: { gates: 1, step: rnnStep("tanh") },
  RNN_RELU: { gates: 1, step: rnnStep("relu") },
  LSTM: { gates: 4, step: lstmStep },
  GRU: { gates: 3, step: gruStep },
};

// ------------------------------------------------------------------ shared checks

type FloatDType = "float32" | "float64";

function checkInputDType(op: string, x: Tensor, dtype: string, what = "input"): void {
  if (x.dtype !== dtype) throw new TypeError(`${op}: ${what} has dtype ${x.dtype}, but the layer's weights are ${dtype} (convert one with .to())`);
}

function checkStateShape(op: string, t: unknown, expected: readonly number[], what: string, dtype: string): asserts t is Tensor {
  checkTensor(op, t, what);
  if (t.shape.length !== expected.length || t.shape.some((d, i) => d !== expected[i])) {
    throw new RangeError(`${op}: expected ${what} of size ${fmt(expected)}, got ${fmt(t.shape)}`);
  }
  checkInputDType(op, t, dtype, what);
}

/**
 * The steps `x[0], …, x[L−1]` of `x` `(L, …)`, split in halves recursively. The backward of a slice
 * allocates its whole source, so L slices of `x` itself would cost O(L²) in backward; slicing halves
 * costs O(L·log L).
 */
function unbindSteps(x: Tensor): Tensor[] {
  const n = x.shape[0];
  if (n === 1) return [x.select(0, 0)];
  const half = n >> 1;
  return [...unbindSteps(x.narrow(0, 0, half)), ...unbindSteps(x.narrow(0, half, n - half))];
}

/** U(−1/√H, 1/√H) for every parameter of `m`, PyTorch's `reset_parameters` of RNNs and cells. */
function resetUniform(m: Module, hiddenSize: number, generator: Generator | undefined): void {
  const bound = hiddenSize > 0 ? 1 / Math.sqrt(hiddenSize) : 0;
  for (const p of m.parameters()) uniform_(p, -bound, bound, { generator });
}

const LAYER_COMMON = { dtype: "float32" as FloatDType, generator: undefined as Generator | undefined };
const LAYER_COMMON_CHECKS = { dtype: optionChecks.floatDType, generator: generatorCheck };

// ------------------------------------------------------------------ RNN, LSTM, GRU

/**
 * Options of {@link RNN}, {@link LSTM} and {@link GRU} (PyTorch's constructor arguments after the
 * sizes, camelCased, same defaults).
 *
 * @example
 * ```ts
 * const gru = new GRU(4, 8, { numLayers: 2, bidirectional: true, batchFirst: true, dropout: 0.1 });
 * gru.forward(randn([3, 5, 4]))[0].shape; // → [3, 5, 16]
 * ```
 * @group Recurrent
 */
export interface RNNBaseOptions {
  /** Stacked layers, each reading the previous one's output (default 1). */
  numLayers?: number;
  /** Learn the biases `bias_ih` and `bias_hh` (default true). */
  bias?: boolean;
  /** Input and output are `(N, L, ·)` instead of `(L, N, ·)` (default false; the states stay `(D·numLayers, N, H)`). */
  batchFirst?: boolean;
  /** Dropout probability on the outputs of every layer but the last, in training mode (default 0). */
  dropout?: number;
  /** Run a second pass from the end of the sequence and concatenate (default false). */
  bidirectional?: boolean;
  /** dtype of the weights (default float32). */
  dtype?: "float32" | "float64";
  /** Source of randomness for the initial weights and the dropout (the global generator by default). */
  generator?: Generator;
}

/**
 * Options of {@link RNN}: those of every recurrent layer and the nonlinearity.
 *
 * @example
 * ```ts
 * new RNN(2, 3, { nonlinearity: "relu" }).nonlinearity; // → "relu"
 * ```
 * @group Recurrent
 */
export interface RNNOptions extends RNNBaseOptions {
  /** `"tanh"` (default) or `"relu"`. */
  nonlinearity?: "tanh" | "relu";
}

/**
 * Options of {@link LSTM}: those of every recurrent layer and the projection size.
 *
 * @example
 * ```ts
 * const lstm = new LSTM(4, 8, { projSize: 3 });
 * lstm.forward(randn([5, 2, 4]))[1][0].shape; // → [1, 2, 3]
 * ```
 * @group Recurrent
 */
export interface LSTMOptions extends RNNBaseOptions {
  /** When > 0, the hidden state is projected to this size by `weight_hr` `[projSize, H]` (default 0, none). */
  projSize?: number;
}

const BASE_OPTIONS = { numLayers: 1, bias: true, batchFirst: false, dropout: 0, bidirectional: false, ...LAYER_COMMON };
const BASE_CHECKS = {
  numLayers: optionChecks.intAtLeast(1), bias: optionChecks.boolean, batchFirst: optionChecks.boolean,
  dropout: optionChecks.probability, bidirectional: optionChecks.boolean, ...LAYER_COMMON_CHECKS,
};
const NONLINEARITY_CHECK: OptionCheck = optionChecks.oneOf(["tanh", "relu"]);

/** PyTorch's parameter name (`weight_ih_l0_reverse`) as a field name (`weightIhL0Reverse`). */
const camel = (name: string): string => name.replace(/_([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());

/**
 * What {@link RNN}, {@link LSTM} and {@link GRU} share, PyTorch's `nn.RNNBase`: the options, the
 * weights of every layer and direction, and the loop over layers, directions and time steps.
 *
 * PyTorch: `torch.nn.RNNBase`.
 *
 * @example
 * ```ts
 * const rnn: RNNBase = new LSTM(3, 5, { numLayers: 2 });
 * rnn.allWeights.map((ws) => ws.length); // → [4, 4]
 * ```
 * @group Recurrent
 */
export abstract class RNNBase extends Module {
  static override readonly typeName: string = "RNNBase";
  /**
   * Field name → PyTorch's key, for every weight any recurrent layer built so far has
   * (`weightIhL0Reverse` → `weight_ih_l0_reverse`). The number of layers is a constructor
   * argument, so the constructor adds its layers' entries; each is a fixed function of the field
   * name, so one table serves every instance.
   */
  static override readonly stateDictNames: Record<string, string> = {};
  /** PyTorch's mode: `"RNN_TANH"`, `"RNN_RELU"`, `"LSTM"` or `"GRU"`. */
  readonly mode: Mode;
  /** Features of each input step (last dim of the input). */
  readonly inputSize: number;
  /** Features of the hidden (for the LSTM, the cell) state. */
  readonly hiddenSize: number;
  /** Stacked layers. */
  readonly numLayers: number;
  /** Whether the layers have biases. */
  readonly bias: boolean;
  /** Whether input and output are `(N, L, ·)`. */
  readonly batchFirst: boolean;
  /** Dropout probability between layers (training mode only). */
  readonly dropout: number;
  /** Whether each layer also runs from the end of the sequence. */
  readonly bidirectional: boolean;
  /** The LSTM's projection size (0: none; always 0 for RNN and GRU). */
  readonly projSize: number;
  // The field names of each layer's and direction's weights, PyTorch's `_flat_weights_names` in
  // camelCase, read on every forward (`to(dtype)` replaces the Parameters in their fields).
  private readonly weightFields: string[][] = [];
  private readonly generator: Generator | undefined;

  /**
   * The weights of `numLayers` layers (and directions) of the recurrence `mode`, drawn from
   * U(−1/√H, 1/√H). Called by the subclasses with their resolved options.
   */
  protected constructor(mode: Mode, inputSize: number, hiddenSize: number, o: typeof BASE_OPTIONS & { projSize: number }) {
    super();
    const op = typeNameFor(mode);
    optionChecks.intAtLeast(0)(op, "inputSize", inputSize);
    optionChecks.intAtLeast(1)(op, "hiddenSize", hiddenSize);
    if (o.projSize >= hiddenSize) throw new RangeError(`${op}: projSize has to be smaller than hiddenSize, got projSize ${o.projSize} and hiddenSize ${hiddenSize}`);
    this.mode = mode;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = o.numLayers;
    this.bias = o.bias;
    this.batchFirst = o.batchFirst;
    this.dropout = o.dropout;
    this.bidirectional = o.bidirectional;
    this.projSize = o.projSize;
    this.generator = o.generator;
    const gateSize = STEPS[mode].gates * hiddenSize;
    const outSize = o.projSize > 0 ? o.projSize : hiddenSize;
    const dirs = o.bidirectional ? 2 : 1;
    const fields = this as unknown as Record<string, Parameter>;
    for (let layer = 0; layer < o.numLayers; layer++) {
      for (let dir = 0; dir < dirs; dir++) {
        const suffix = `_l${layer}${dir === 1 ? "_reverse" : ""}`;
        const layerInput = layer === 0 ? inputSize : outSize * dirs;
        const shapes: Array<[string, number[]]> = [["weight_ih", [gateSize, layerInput]], ["weight_hh", [gateSize, outSize]]];
        if (o.bias) shapes.push(["bias_ih", [gateSize]], ["bias_hh", [gateSize]]);
        if (o.projSize > 0) shapes.push(["weight_hr", [o.projSize, hiddenSize]]);
        const names: string[] = [];
        for (const [base, shape] of shapes) {
          const key = base + suffix;
          const field = camel(key);
          RNNBase.stateDictNames[field] = key;
          fields[field] = new Parameter(empty(shape, { dtype: o.dtype }));
          names.push(field);
        }
        this.weightFields.push(names);
      }
    }
    this.resetParameters();
  }

  /**
   * Draws every weight again from U(−1/√hiddenSize, 1/√hiddenSize), PyTorch's default, from
   * `generator` (default: the constructor's, else the global generator).
   *
   * PyTorch: `torch.nn.RNNBase.reset_parameters`.
   *
   * @example
   * ```ts
   * const gru = new GRU(3, 4);
   * gru.resetParameters(new Generator(0));
   * gru.weightHhL0.abs().max().item() <= 0.5; // → true (1/√4)
   * ```
   */
  resetParameters(generator = this.generator): void {
    resetUniform(this, this.hiddenSize, generator);
  }

  /**
   * The weights of each layer and direction (`[weight_ih, weight_hh, bias_ih, bias_hh, weight_hr]`,
   * those that exist), layer by layer, forward direction first, PyTorch's `all_weights`.
   */
  get allWeights(): Parameter[][] {
    const fields = this as unknown as Record<string, Parameter>;
    return this.weightFields.map((names) => names.map((n) => fields[n]));
  }

  /**
   * Does nothing: PyTorch's call to compact the weights into one buffer for cuDNN, kept so that
   * scripts which call it port unchanged.
   *
   * PyTorch: `torch.nn.RNNBase.flatten_parameters`.
   *
   * @example
   * ```ts
   * new LSTM(2, 3).flattenParameters(); // → undefined
   * ```
   */
  flattenParameters(): void {}

  /** The weights of layer `layer`, direction `dir`, read from their fields. */
  private cellWeights(layer: number, dir: number): CellWeights {
    const fields = this as unknown as Record<string, Parameter>;
    const suffix = `L${layer}${dir === 1 ? "Reverse" : ""}`;
    const get = (base: string): Parameter | null => fields[base + suffix] ?? null;
    return { wIh: get("weightIh")!, wHh: get("weightHh")!, bIh: get("biasIh"), bHh: get("biasHh"), wHr: get("weightHr") };
  }

  /**
   * The whole recurrence: `input` `(L, N, I)` / `(N, L, I)` / unbatched `(L, I)`, and the initial
   * state components (each `(D·numLayers, N, ·)` or unbatched `(D·numLayers, ·)`, zeros when
   * null), to the output and the final state components of the same shapes.
   */
  protected run(input: Tensor, hx: readonly (Tensor | null)[]): [Tensor, Tensor[]] {
    const op = layerName(this);
    checkTensor(op, input);
    const dtype = this.cellWeights(0, 0).wIh.dtype;
    if (input.ndim !== 2 && input.ndim !== 3) throw new RangeError(`${op}: expected input to be 2-D (unbatched) or 3-D (batched), got ${input.ndim}-D of shape ${fmt(input.shape)}`);
    checkInputDType(op, input, dtype);
    const batched = input.ndim === 3;
    if (input.shape[input.ndim - 1] !== this.inputSize) {
      throw new RangeError(`${op}: input.size(-1) must be equal to inputSize; expected ${this.inputSize}, got ${input.shape[input.ndim - 1]} (input of shape ${fmt(input.shape)})`);
    }
    let x = batched ? (this.batchFirst ? input.transpose(0, 1) : input) : input.unsqueeze(1);
    const [steps, n] = x.shape;
    if (steps === 0) throw new RangeError(`${op}: expected a sequence length larger than 0, got input of shape ${fmt(input.shape)}`);
    const dirs = this.bidirectional ? 2 : 1;
    const states = this.initialStates(op, hx, batched, n, dtype);
    const finals: Tensor[][] = [];
    for (let layer = 0; layer < this.numLayers; layer++) {
      if (layer > 0 && this.training && this.dropout > 0) x = dropout(x, this.dropout, true, this.generator);
      const outs: Tensor[] = [];
      for (let dir = 0; dir < dirs; dir++) {
        const [out, final] = this.layerPass(x, states.map((s) => s.select(0, layer * dirs + dir)), this.cellWeights(layer, dir), dir === 1);
        finals.push(final);
        outs.push(out);
      }
      x = dirs === 1 ? outs[0] : cat(outs, 2);
    }
    const output = batched ? (this.batchFirst ? x.transpose(0, 1) : x) : x.squeeze(1);
    const last = states.map((_, k) => {
      const s = stack(finals.map((f) => f[k]), 0);
      return batched ? s : s.squeeze(1);
    });
    return [output, last];
  }

  /**
   * One layer in one direction over the whole sequence `x` `(L, N, ·)` from `state`: the outputs
   * `(L, N, H_out)` and the final state. The LSTM without projection and the GRU are one fused op
   * each ({@link lstmLayer}, {@link gruLayer}); the others run their step function step after step.
   */
  private layerPass(x: Tensor, state: Tensor[], w: CellWeights, reverse: boolean): [Tensor, Tensor[]] {
    const steps = x.shape[0];
    const last = reverse ? 0 : steps - 1;
    if (this.mode === "LSTM" && w.wHr === null) {
      const y = lstmLayer(x, state[0], state[1], w, reverse);
      return [y.narrow(0, 0, steps), [y.select(0, last), y.select(0, steps)]];
    }
    if (this.mode === "GRU") {
      const y = gruLayer(x, state[0], w, reverse);
      return [y, [y.select(0, last)]];
    }
    const { step } = STEPS[this.mode];
    const xs = unbindSteps(x);
    const hs = new Array<Tensor>(steps);
    for (let k = 0; k < steps; k++) {
      const t = reverse ? steps - 1 - k : k;
      state = step(xs[t], state, w);
      hs[t] = state[0];
    }
    return [stack(hs, 0), state];
  }

  /** The initial state components `(D·numLayers, N, ·)`: the given ones (checked), or zeros. */
  private initialStates(op: string, hx: readonly (Tensor | null)[], batched: boolean, n: number, dtype: string): Tensor[] {
    const layers = this.numLayers * (this.bidirectional ? 2 : 1);
    const outSize = this.projSize > 0 ? this.projSize : this.hiddenSize;
    const sizes = this.mode === "LSTM" ? [outSize, this.hiddenSize] : [outSize];
    return sizes.map((size, k) => {
      const given = hx[k];
      const what = sizes.length > 1 ? `hx[${k}]` : "hx";
      if (given === null || given === undefined) return zeros([layers, n, size], { dtype: dtype as FloatDType });
      if (given instanceof Tensor && given.ndim !== (batched ? 3 : 2)) {
        throw new RangeError(`${op}: for ${batched ? "batched 3-D" : "unbatched 2-D"} input, ${what} should also be ${batched ? 3 : 2}-D, got ${fmt(given.shape)}`);
      }
      checkStateShape(op, given, batched ? [layers, n, size] : [layers, size], what, dtype);
      return batched ? given : given.unsqueeze(1);
    });
  }

  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.projSize !== 0) s += `, projSize=${this.projSize}`;
    if (this.numLayers !== 1) s += `, numLayers=${this.numLayers}`;
    if (!this.bias) s += ", bias=false";
    if (this.batchFirst) s += ", batchFirst=true";
    if (this.dropout !== 0) s += `, dropout=${pyFloat(this.dropout)}`;
    if (this.bidirectional) s += ", bidirectional=true";
    return s;
  }
}

function typeNameFor(mode: Mode): string {
  return mode === "LSTM" ? "LSTM" : mode === "GRU" ? "GRU" : "RNN";
}

function layerName(m: RNNBase): string {
  return typeNameFor(m.mode);
}

/**
 * An Elman RNN, PyTorch's `nn.RNN`: for each layer and time step t,
 * `hₜ = tanh(xₜ·W_ihᵀ + b_ih + hₜ₋₁·W_hhᵀ + b_hh)` (or `relu` with `nonlinearity: "relu"`), the
 * input of layer k > 0 being the output of layer k − 1 (with dropout in training mode).
 *
 * Shapes (D = 2 if bidirectional else 1): `forward(input, hx?)` takes `input` `(L, N, H_in)`
 * (`(N, L, H_in)` with `batchFirst`, or unbatched `(L, H_in)`) and `hx` `(D·numLayers, N, H)`
 * (unbatched `(D·numLayers, H)`; zeros by default), and returns `[output, hN]`: `output`
 * `(L, N, D·H)` (the last layer's hₜ of each step, both directions concatenated) and `hN`
 * `(D·numLayers, N, H)`. Weights: `weight_ih_l{k}` `[H, H_in]` (`[H, D·H]` for k > 0),
 * `weight_hh_l{k}` `[H, H]`, `bias_ih_l{k}`, `bias_hh_l{k}` `[H]`, `_reverse` for the backward
 * direction; init U(−1/√H, 1/√H).
 *
 * PyTorch: `torch.nn.RNN`.
 *
 * @example
 * ```ts
 * const rnn = new RNN(10, 20, { numLayers: 2 });
 * const [output, hN] = rnn.forward(randn([5, 3, 10]), zeros([2, 3, 20]));
 * output.shape; // → [5, 3, 20]
 * hN.shape;     // → [2, 3, 20]
 * Object.keys(rnn.stateDict()).slice(0, 4); // → ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]
 * ```
 * @group Recurrent
 */
export class RNN extends RNNBase {
  static override readonly typeName: string = "RNN";
  /** The nonlinearity, `"tanh"` or `"relu"`. */
  readonly nonlinearity: "tanh" | "relu";
  /** Layer 0's input-hidden weight `[H, H_in]` (PyTorch `weight_ih_l0`); deeper layers: {@link RNNBase.allWeights}. */
  declare weightIhL0: Parameter;
  /** Layer 0's hidden-hidden weight `[H, H]` (PyTorch `weight_hh_l0`). */
  declare weightHhL0: Parameter;
  /** Layer 0's input-hidden bias `[H]` (PyTorch `bias_ih_l0`; absent with `bias: false`). */
  declare biasIhL0: Parameter | undefined;
  /** Layer 0's hidden-hidden bias `[H]` (PyTorch `bias_hh_l0`; absent with `bias: false`). */
  declare biasHhL0: Parameter | undefined;

  constructor(inputSize: number, hiddenSize: number, options: RNNOptions = {}) {
    const { nonlinearity, ...o } = resolveOptions("RNN", options, { ...BASE_OPTIONS, nonlinearity: "tanh" as "tanh" | "relu" }, { ...BASE_CHECKS, nonlinearity: NONLINEARITY_CHECK });
    super(nonlinearity === "tanh" ? "RNN_TANH" : "RNN_RELU", inputSize, hiddenSize, { ...o, projSize: 0 });
    this.nonlinearity = nonlinearity;
  }

  /** The recurrence over `input` from `hx` (zeros when omitted): `[output, hN]` (see the class). */
  forward(input: Tensor, hx: Tensor | null = null): [Tensor, Tensor] {
    const [output, [hN]] = this.run(input, [hx]);
    return [output, hN];
  }
}

/**
 * A long short-term memory, PyTorch's `nn.LSTM`: for each layer and time step t,
 *
 *     i = σ(W_ii·x + b_ii + W_hi·h + b_hi)    f = σ(W_if·x + b_if + W_hf·h + b_hf)
 *     g = tanh(W_ig·x + b_ig + W_hg·h + b_hg) o = σ(W_io·x + b_io + W_ho·h + b_ho)
 *     cₜ = f·cₜ₋₁ + i·g                       hₜ = o·tanh(cₜ)   (then hₜ·W_hrᵀ with projSize)
 *
 * the input of layer k > 0 being the output of layer k − 1 (with dropout in training mode).
 *
 * Shapes (D = 2 if bidirectional else 1, H_out = projSize or H): `forward(input, [h0, c0]?)`
 * takes `input` `(L, N, H_in)` (`(N, L, H_in)` with `batchFirst`, or unbatched `(L, H_in)`),
 * `h0` `(D·numLayers, N, H_out)` and `c0` `(D·numLayers, N, H)` (unbatched without the N; zeros by
 * default), and returns `[output, [hN, cN]]` with `output` `(L, N, D·H_out)`. Weights:
 * `weight_ih_l{k}` `[4H, H_in]` (rows in i, f, g, o order), `weight_hh_l{k}` `[4H, H_out]`,
 * `bias_ih_l{k}`, `bias_hh_l{k}` `[4H]`, `weight_hr_l{k}` `[H_out, H]` with projSize, `_reverse`
 * for the backward direction; init U(−1/√H, 1/√H). Without projSize, each layer and direction
 * runs the whole sequence as one fused op (one graph node).
 *
 * PyTorch: `torch.nn.LSTM`.
 *
 * @example
 * ```ts
 * const lstm = new LSTM(10, 20, { numLayers: 2, batchFirst: true });
 * const [output, [hN, cN]] = lstm.forward(randn([3, 5, 10]));
 * output.shape; // → [3, 5, 20]
 * hN.shape;     // → [2, 3, 20]
 * lstm.weightIhL0.shape; // → [80, 10]
 * ```
 * @group Recurrent
 */
export class LSTM extends RNNBase {
  static override readonly typeName: string = "LSTM";
  /** Layer 0's input-hidden weights `[4H, H_in]` in i, f, g, o order (PyTorch `weight_ih_l0`); deeper layers: {@link RNNBase.allWeights}. */
  declare weightIhL0: Parameter;
  /** Layer 0's hidden-hidden weights `[4H, H_out]` (PyTorch `weight_hh_l0`). */
  declare weightHhL0: Parameter;
  /** Layer 0's input-hidden biases `[4H]` (PyTorch `bias_ih_l0`; absent with `bias: false`). */
  declare biasIhL0: Parameter | undefined;
  /** Layer 0's hidden-hidden biases `[4H]` (PyTorch `bias_hh_l0`; absent with `bias: false`). */
  declare biasHhL0: Parameter | undefined;
  /** Layer 0's projection `[projSize, H]` (PyTorch `weight_hr_l0`; only with `projSize`). */
  declare weightHrL0: Parameter | undefined;

  constructor(inputSize: number, hiddenSize: number, options: LSTMOptions = {}) {
    super("LSTM", inputSize, hiddenSize, resolveOptions("LSTM", options, { ...BASE_OPTIONS, projSize: 0 }, { ...BASE_CHECKS, projSize: optionChecks.intAtLeast(0) }));
  }

  /** The recurrence over `input` from `[h0, c0]` (zeros when omitted): `[output, [hN, cN]]` (see the class). */
  forward(input: Tensor, hx: readonly [Tensor, Tensor] | null = null): [Tensor, [Tensor, Tensor]] {
    if (hx !== null && (!Array.isArray(hx) || hx.length !== 2)) {
      throw new TypeError(`LSTM: hx must be a pair [h0, c0] of tensors (or null), got ${hx instanceof Tensor ? `a tensor of shape ${fmt(hx.shape)}` : String(hx)}`);
    }
    const [output, [hN, cN]] = this.run(input, hx ?? [null, null]);
    return [output, [hN, cN]];
  }
}

/**
 * A gated recurrent unit, PyTorch's `nn.GRU`: for each layer and time step t,
 *
 *     r = σ(W_ir·x + b_ir + W_hr·h + b_hr)      z = σ(W_iz·x + b_iz + W_hz·h + b_hz)
 *     n = tanh(W_in·x + b_in + r·(W_hn·h + b_hn))   hₜ = (1 − z)·n + z·hₜ₋₁
 *
 * the input of layer k > 0 being the output of layer k − 1 (with dropout in training mode).
 *
 * Shapes (D = 2 if bidirectional else 1): as {@link RNN}: `forward(input, hx?)` with `input`
 * `(L, N, H_in)` and `hx` `(D·numLayers, N, H)` returns `[output (L, N, D·H), hN]`. Weights:
 * `weight_ih_l{k}` `[3H, H_in]` (rows in r, z, n order), `weight_hh_l{k}` `[3H, H]`, `bias_ih_l{k}`,
 * `bias_hh_l{k}` `[3H]`, `_reverse` for the backward direction; init U(−1/√H, 1/√H).
 *
 * PyTorch: `torch.nn.GRU`.
 *
 * @example
 * ```ts
 * const gru = new GRU(10, 20, { bidirectional: true });
 * const [output, hN] = gru.forward(randn([5, 10])); // unbatched (L, H_in)
 * output.shape; // → [5, 40]
 * hN.shape;     // → [2, 20]
 * ```
 * @group Recurrent
 */
export class GRU extends RNNBase {
  static override readonly typeName: string = "GRU";
  /** Layer 0's input-hidden weights `[3H, H_in]` in r, z, n order (PyTorch `weight_ih_l0`); deeper layers: {@link RNNBase.allWeights}. */
  declare weightIhL0: Parameter;
  /** Layer 0's hidden-hidden weights `[3H, H]` (PyTorch `weight_hh_l0`). */
  declare weightHhL0: Parameter;
  /** Layer 0's input-hidden biases `[3H]` (PyTorch `bias_ih_l0`; absent with `bias: false`). */
  declare biasIhL0: Parameter | undefined;
  /** Layer 0's hidden-hidden biases `[3H]` (PyTorch `bias_hh_l0`; absent with `bias: false`). */
  declare biasHhL0: Parameter | undefined;

  constructor(inputSize: number, hiddenSize: number, options: RNNBaseOptions = {}) {
    super("GRU", inputSize, hiddenSize, { ...resolveOptions("GRU", options, BASE_OPTIONS, BASE_CHECKS), projSize: 0 });
  }

  /** The recurrence over `input` from `hx` (zeros when omitted): `[output, hN]` (see the class). */
  forward(input: Tensor, hx: Tensor | null = null): [Tensor, Tensor] {
    const [output, [hN]] = this.run(input, [hx]);
    return [output, hN];
  }
}

// ------------------------------------------------------------------ cells

/**
 * Options of {@link RNNCell}, {@link LSTMCell} and {@link GRUCell}.
 *
 * @example
 * ```ts
 * new LSTMCell(3, 4, { bias: false, dtype: "float64" }).biasIh; // → null
 * ```
 * @group Recurrent
 */
export interface RNNCellBaseOptions {
  /** Learn the biases `bias_ih` and `bias_hh` (default true). */
  bias?: boolean;
  /** dtype of the weights (default float32). */
  dtype?: "float32" | "float64";
  /** Source of randomness for the initial weights (the global generator by default). */
  generator?: Generator;
}

/**
 * Options of {@link RNNCell}: those of every cell and the nonlinearity.
 *
 * @example
 * ```ts
 * new RNNCell(3, 4, { nonlinearity: "relu" }).nonlinearity; // → "relu"
 * ```
 * @group Recurrent
 */
export interface RNNCellOptions extends RNNCellBaseOptions {
  /** `"tanh"` (default) or `"relu"`. */
  nonlinearity?: "tanh" | "relu";
}

const CELL_OPTIONS = { bias: true, ...LAYER_COMMON };
const CELL_CHECKS = { bias: optionChecks.boolean, ...LAYER_COMMON_CHECKS };

/**
 * What the three cells share, PyTorch's `nn.RNNCellBase`: the weights `weight_ih` `[G·H, I]`,
 * `weight_hh` `[G·H, H]`, `bias_ih`, `bias_hh` `[G·H]` (G = 1, 4 or 3), drawn from
 * U(−1/√H, 1/√H), and one step of the recurrence on `(N, I)` or unbatched `(I)` inputs.
 *
 * PyTorch: `torch.nn.RNNCellBase`.
 *
 * @example
 * ```ts
 * const cell: RNNCellBase = new GRUCell(3, 4);
 * Object.keys(cell.stateDict()); // → ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]
 * ```
 * @group Recurrent
 */
export abstract class RNNCellBase extends Module {
  static override readonly typeName: string = "RNNCellBase";
  static override readonly stateDictNames = { weightIh: "weight_ih", weightHh: "weight_hh", biasIh: "bias_ih", biasHh: "bias_hh" };
  /** Features of the input. */
  readonly inputSize: number;
  /** Features of the hidden state. */
  readonly hiddenSize: number;
  /** Whether the cell has biases. */
  readonly bias: boolean;
  /** Input-hidden weights `[G·H, I]` (PyTorch `weight_ih`). */
  weightIh: Parameter;
  /** Hidden-hidden weights `[G·H, H]` (PyTorch `weight_hh`). */
  weightHh: Parameter;
  /** Input-hidden biases `[G·H]` (PyTorch `bias_ih`), or null with `bias: false`. */
  biasIh: Parameter | null;
  /** Hidden-hidden biases `[G·H]` (PyTorch `bias_hh`), or null with `bias: false`. */
  biasHh: Parameter | null;
  private readonly mode: Mode;
  private readonly generator: Generator | undefined;

  /** The weights of one cell of recurrence `mode`; called by the subclasses with their resolved options. */
  protected constructor(mode: Mode, inputSize: number, hiddenSize: number, o: typeof CELL_OPTIONS) {
    super();
    const op = cellNameFor(mode);
    optionChecks.intAtLeast(0)(op, "inputSize", inputSize);
    optionChecks.intAtLeast(1)(op, "hiddenSize", hiddenSize);
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.bias = o.bias;
    this.mode = mode;
    this.generator = o.generator;
    const g = STEPS[mode].gates * hiddenSize;
    this.weightIh = new Parameter(empty([g, inputSize], { dtype: o.dtype }));
    this.weightHh = new Parameter(empty([g, hiddenSize], { dtype: o.dtype }));
    this.biasIh = o.bias ? new Parameter(empty([g], { dtype: o.dtype })) : null;
    this.biasHh = o.bias ? new Parameter(empty([g], { dtype: o.dtype })) : null;
    this.resetParameters();
  }

  /**
   * Draws every weight again from U(−1/√hiddenSize, 1/√hiddenSize), PyTorch's default, from
   * `generator` (default: the constructor's, else the global generator).
   *
   * PyTorch: `torch.nn.RNNCellBase.reset_parameters`.
   *
   * @example
   * ```ts
   * const cell = new LSTMCell(3, 16);
   * cell.resetParameters(new Generator(1));
   * cell.weightIh.abs().max().item() <= 0.25; // → true (1/√16)
   * ```
   */
  resetParameters(generator = this.generator): void {
    resetUniform(this, this.hiddenSize, generator);
  }

  /** One step from `input` `(N, I)` / `(I)` and the state components (zeros when null). */
  protected step(input: Tensor, hx: readonly (Tensor | null)[]): Tensor[] {
    const op = cellNameFor(this.mode);
    checkTensor(op, input);
    if (input.ndim !== 1 && input.ndim !== 2) throw new RangeError(`${op}: expected input to be 1-D or 2-D, got ${input.ndim}-D of shape ${fmt(input.shape)}`);
    const dtype = this.weightIh.dtype;
    checkInputDType(op, input, dtype);
    if (input.shape[input.ndim - 1] !== this.inputSize) {
      throw new RangeError(`${op}: input has inconsistent input size: got ${input.shape[input.ndim - 1]}, expected ${this.inputSize} (input of shape ${fmt(input.shape)})`);
    }
    const batched = input.ndim === 2;
    const x = batched ? input : input.unsqueeze(0);
    const n = x.shape[0];
    const state = hx.map((h, k) => {
      const what = hx.length > 1 ? `hx[${k}]` : "hx";
      if (h === null || h === undefined) return zeros([n, this.hiddenSize], { dtype });
      checkStateShape(op, h, batched ? [n, this.hiddenSize] : [this.hiddenSize], what, dtype);
      return batched ? h : h.unsqueeze(0);
    });
    const w = { wIh: this.weightIh, wHh: this.weightHh, bIh: this.biasIh, bHh: this.biasHh, wHr: null };
    const next = STEPS[this.mode].step(x, state, w);
    return batched ? next : next.map((t) => t.squeeze(0));
  }

  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (!this.bias) s += ", bias=false";
    if (this.mode === "RNN_RELU") s += ", nonlinearity=relu";
    return s;
  }
}

function cellNameFor(mode: Mode): string {
  return `${typeNameFor(mode)}Cell`;
}

/**
 * One step of an Elman RNN, PyTorch's `nn.RNNCell`: `h' = tanh(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh)`
 * (or `relu`). `forward(input, hx?)`: `input` `(N, H_in)` or `(H_in)`, `hx` `(N, H)` or `(H)`
 * (zeros by default) → `h'` of `hx`'s shape. Weights `weight_ih` `[H, H_in]`, `weight_hh` `[H, H]`,
 * biases `[H]`, init U(−1/√H, 1/√H).
 *
 * PyTorch: `torch.nn.RNNCell`.
 *
 * @example
 * ```ts
 * const cell = new RNNCell(10, 20);
 * let h = zeros([3, 20]);
 * for (const x of randn([6, 3, 10]).unbind(0)) h = cell.forward(x, h);
 * h.shape; // → [3, 20]
 * ```
 * @group Recurrent
 */
export class RNNCell extends RNNCellBase {
  static override readonly typeName: string = "RNNCell";
  /** The nonlinearity, `"tanh"` or `"relu"`. */
  readonly nonlinearity: "tanh" | "relu";

  constructor(inputSize: number, hiddenSize: number, options: RNNCellOptions = {}) {
    const { nonlinearity, ...o } = resolveOptions("RNNCell", options, { ...CELL_OPTIONS, nonlinearity: "tanh" as "tanh" | "relu" }, { ...CELL_CHECKS, nonlinearity: NONLINEARITY_CHECK });
    super(nonlinearity === "tanh" ? "RNN_TANH" : "RNN_RELU", inputSize, hiddenSize, o);
    this.nonlinearity = nonlinearity;
  }

  /** The next hidden state from `input` and `hx` (zeros when omitted). */
  forward(input: Tensor, hx: Tensor | null = null): Tensor {
    return this.step(input, [hx])[0];
  }
}

/**
 * One step of an LSTM, PyTorch's `nn.LSTMCell`: the gates i, f, g, o of {@link LSTM} from
 * `x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh`, then `c' = f·c + i·g`, `h' = o·tanh(c')` (one fused op).
 * `forward(input, [h, c]?)`: `input` `(N, H_in)` or `(H_in)`, `h` and `c` `(N, H)` or `(H)` (zeros
 * by default) → `[h', c']`. Weights `weight_ih` `[4H, H_in]`, `weight_hh` `[4H, H]`, biases `[4H]`,
 * in i, f, g, o order; init U(−1/√H, 1/√H).
 *
 * PyTorch: `torch.nn.LSTMCell`.
 *
 * @example
 * ```ts
 * const cell = new LSTMCell(10, 20);
 * let state: [Tensor, Tensor] = [zeros([3, 20]), zeros([3, 20])];
 * for (const x of randn([6, 3, 10]).unbind(0)) state = cell.forward(x, state);
 * state[1].shape; // → [3, 20]
 * ```
 * @group Recurrent
 */
export class LSTMCell extends RNNCellBase {
  static override readonly typeName: string = "LSTMCell";

  constructor(inputSize: number, hiddenSize: number, options: RNNCellBaseOptions = {}) {
    super("LSTM", inputSize, hiddenSize, resolveOptions("LSTMCell", options, CELL_OPTIONS, CELL_CHECKS));
  }

  /** The next `[h, c]` from `input` and `[h, c]` (zeros when omitted). */
  forward(input: Tensor, hx: readonly [Tensor, Tensor] | null = null): [Tensor, Tensor] {
    if (hx !== null && (!Array.isArray(hx) || hx.length !== 2)) {
      throw new TypeError(`LSTMCell: hx must be a pair [h, c] of tensors (or null), got ${hx instanceof Tensor ? `a tensor of shape ${fmt(hx.shape)}` : String(hx)}`);
    }
    const [h, c] = this.step(input, hx ?? [null, null]);
    return [h, c];
  }
}

/**
 * One step of a GRU, PyTorch's `nn.GRUCell`: the gates r, z, n of {@link GRU}, then
 * `h' = (1 − z)·n + z·h`. `forward(input, hx?)`: `input` `(N, H_in)` or `(H_in)`, `hx` `(N, H)` or
 * `(H)` (zeros by default) → `h'`. Weights `weight_ih` `[3H, H_in]`, `weight_hh` `[3H, H]`, biases
 * `[3H]`, in r, z, n order; init U(−1/√H, 1/√H).
 *
 * PyTorch: `torch.nn.GRUCell`.
 *
 * @example
 * ```ts
 * const cell = new GRUCell(10, 20);
 * cell.forward(randn([10])).shape; // → [20]
 * ```
 * @group Recurrent
 */
export class GRUCell extends RNNCellBase {
  static override readonly typeName: string = "GRUCell";

  constructor(inputSize: number, hiddenSize: number, options: RNNCellBaseOptions = {}) {
    super("GRU", inputSize, hiddenSize, resolveOptions("GRUCell", options, CELL_OPTIONS, CELL_CHECKS));
  }

  /** The next hidden state from `input` and `hx` (zeros when omitted). */
  forward(input: Tensor, hx: Tensor | null = null): Tensor {
    return this.step(input, [hx])[0];
  }
}
