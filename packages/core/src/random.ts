/**
 * Seeded random numbers: xoshiro128** seeded through splitmix32, pure 32-bit integer arithmetic,
 * so the same seed gives the same numbers on every machine and Node version. Normals use
 * Box–Muller.
 */
import { Tensor } from "./tensor.js";
import { type DType, INT32_MAX, INT32_MIN, INTEGER_RANGES, allocate, checkDType } from "./dtype.js";
import { checkSizes, numelOf, readSizeAndOptions, sizeArgs, type SizeAndOptions } from "./shape.js";
import { describeValue, optionChecks, resolveOptions } from "./options.js";
import { inspectCustom } from "./inspect.js";

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A seeded pseudo-random generator, like `torch.Generator`. Pass one as `{ generator }` to the
 * random functions for a stream independent of the global one.
 *
 * @example
 * ```ts
 * const g = new Generator(42);
 * randn([2, 3], { generator: g }); // the same numbers on every run
 * ```
 * @group Random
 */
export class Generator {
  private s = new Uint32Array(4);
  private seedValue = 0;
  private spareNormal: number | null = null;

  /** Seeds the generator (default seed 0). */
  constructor(seed = 0) {
    this.manualSeed(seed);
  }

  /**
   * Re-seeds the generator in place and returns it. Seeds are integers in [0, 2^53).
   *
   * PyTorch: `torch.Generator.manual_seed`.
   *
   * @example
   * ```ts
   * const g = new Generator(5);
   * const first = g.random();
   * g.manualSeed(5).random() === first; // → true
   * ```
   */
  manualSeed(seed: number): this {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`manualSeed: seed must be a non-negative safe integer, got ${seed}`);
    this.seedValue = seed;
    const st = { s: (seed >>> 0) ^ Math.floor(seed / 2 ** 32) };
    for (let i = 0; i < 4; i++) this.s[i] = splitmix32(st);
    this.spareNormal = null;
    return this;
  }

  /**
   * The seed the generator was last seeded with.
   *
   * PyTorch: `torch.Generator.initial_seed`.
   *
   * @example
   * ```ts
   * new Generator(42).initialSeed(); // → 42
   * ```
   */
  initialSeed(): number {
    return this.seedValue;
  }

  /**
   * The full state (6 numbers), to restore later with {@link Generator.setState}.
   *
   * PyTorch: `torch.Generator.get_state`.
   *
   * @example
   * ```ts
   * const g = new Generator(1);
   * const state = g.getState();
   * const before = randn([3], { generator: g });
   * g.setState(state);
   * randn([3], { generator: g }).sub(before).abs().max().item(); // → 0
   * ```
   */
  getState(): number[] {
    return [...this.s, this.spareNormal ?? NaN, this.seedValue];
  }

  /**
   * Restores a state from {@link Generator.getState}; returns this.
   *
   * PyTorch: `torch.Generator.set_state`.
   *
   * @example
   * ```ts
   * const g = new Generator(1);
   * const state = g.getState();
   * const first = g.normal();
   * g.setState(state).normal() === first; // → true
   * ```
   */
  setState(state: readonly number[]): this {
    if (state.length !== 6) throw new RangeError(`Generator.setState: expected 6 numbers, got ${state.length}`);
    for (let i = 0; i < 4; i++) this.s[i] = state[i];
    this.spareNormal = Number.isNaN(state[4]) ? null : state[4];
    this.seedValue = state[5];
    return this;
  }

  /** `Generator(initialSeed=42)`: the seed it was last seeded with (its state is not printed). */
  toString(): string {
    return `Generator(initialSeed=${this.seedValue})`;
  }

  /** What `console.log` prints: `toString()`, not the raw state. */
  [inspectCustom](): string {
    return this.toString();
  }

  /**
   * The next uniformly distributed 32-bit unsigned integer (xoshiro128**): the raw stream every
   * other draw is built from.
   *
   * @example
   * ```ts
   * new Generator(0).nextUint32(); // → 3809008728 (on every machine)
   * ```
   */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /**
   * A uniform double in [0, 1) with 53 random bits (two `nextUint32` draws).
   *
   * @example
   * ```ts
   * new Generator(0).random(); // ≈ 0.88685
   * ```
   */
  random(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /**
   * A standard normal sample (Box–Muller, the second value of each pair kept for the next call).
   *
   * @example
   * ```ts
   * const g = new Generator(0);
   * g.normal(); // ≈ 0.48855
   * const samples = Array.from({ length: 1000 }, () => g.normal());
   * Math.abs(samples.reduce((a, b) => a + b) / 1000) < 0.1; // → true (mean ≈ 0)
   * ```
   */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /**
   * A uniform integer in [low, high).
   *
   * @example
   * ```ts
   * const g = new Generator(0);
   * Array.from({ length: 5 }, () => g.integer(1, 7)); // → [6, 1, 1, 1, 4] (dice rolls)
   * ```
   */
  integer(low: number, high: number): number {
    return low + Math.floor(this.random() * (high - low));
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

let defaultGenerator = new Generator(0);

/**
 * The global generator used when no `{ generator }` is passed.
 *
 * @example
 * ```ts
 * manualSeed(1);
 * const g = getDefaultGenerator(); // the stream rand/randn use by default
 * ```
 * @group Random
 */
export function getDefaultGenerator(): Generator {
  return defaultGenerator;
}

/**
 * Seeds the global generator, like `torch.manual_seed`; returns it.
 *
 * @example
 * ```ts
 * manualSeed(42);
 * const a = randn([3]);
 * manualSeed(42);
 * randn([3]).allclose(a); // true
 * ```
 * @group Random
 */
export function manualSeed(seed: number): Generator {
  defaultGenerator = new Generator(seed);
  return defaultGenerator;
}

/**
 * Options of the random creation functions ({@link rand}, {@link randn}, ...): the dtype, whether
 * the result requires grad, and the generator to draw from.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `dtype` | `"float32"` | `dtype` |
 * | `requiresGrad` | `false` | `requires_grad` |
 * | `generator` | the global generator ({@link manualSeed}) | `generator` |
 *
 * @example
 * ```ts
 * const w = randn([2, 2], { dtype: "float64", requiresGrad: true, generator: new Generator(0) });
 * w.dtype; // → "float64"
 * const a = rand([3], { generator: new Generator(7) });
 * const b = rand([3], { generator: new Generator(7) });
 * a.sub(b).abs().max().item(); // → 0 (same seed, same numbers)
 * ```
 * @group Random
 */
export interface RandomOptions {
  /** Element type (float32 by default). */
  dtype?: DType;
  /** Make the result a leaf that requires grad. */
  requiresGrad?: boolean;
  /** Source of randomness (the global generator by default). */
  generator?: Generator;
}

const RANDOM_OPTIONS: RandomOptions = { dtype: undefined, requiresGrad: false, generator: undefined };
const RANDINT_OPTIONS: RandintOptions = { dtype: undefined, generator: undefined };
const GENERATOR_OPTION: { generator?: Generator } = { generator: undefined };
const RANDOM_OPTION_CHECKS = { dtype: optionChecks.dtype, requiresGrad: optionChecks.boolean, generator: optionChecks.instanceOf(Generator, "a Generator") };

function fromSamples(op: string, dims: number[], options: RandomOptions = {}, sample: (g: Generator) => number): Tensor {
  const dtype = checkDType(op, options.dtype ?? "float32");
  const gen = options.generator ?? defaultGenerator;
  const data = allocate(dtype, numelOf(dims), op);
  for (let i = 0; i < data.length; i++) data[i] = sample(gen);
  const t = new Tensor(data, dims, dtype);
  if (options.requiresGrad) t.requiresGrad_(true);
  return t;
}

/**
 * Uniform samples in [0, 1). The size is varargs or one array, as in PyTorch.
 *
 * @example
 * ```ts
 * rand(2, 3, { generator: new Generator(0) }); // U[0, 1), shape [2, 3]
 * rand([2, 3]);
 * ```
 * @group Random
 */
export function rand(...args: SizeAndOptions<RandomOptions>): Tensor {
  const [dims, options] = readSizeAndOptions<RandomOptions>("rand", args);
  return fromSamples("rand", dims, resolveOptions("rand", options, RANDOM_OPTIONS, RANDOM_OPTION_CHECKS), (g) => g.random());
}

/**
 * Standard normal samples. The size is varargs or one array, as in PyTorch.
 *
 * @example
 * ```ts
 * randn(2, 3, { dtype: "float64", requiresGrad: true }); // N(0, 1)
 * randn([2, 3], { generator: new Generator(1) });
 * ```
 * @group Random
 */
export function randn(...args: SizeAndOptions<RandomOptions>): Tensor {
  const [dims, options] = readSizeAndOptions<RandomOptions>("randn", args);
  return fromSamples("randn", dims, resolveOptions("randn", options, RANDOM_OPTIONS, RANDOM_OPTION_CHECKS), (g) => g.normal());
}

/** Options of {@link randint}. @group Random */
export type RandintOptions = Omit<RandomOptions, "requiresGrad">;

/**
 * The arguments of {@link randint}, as PyTorch takes them: `(high, size, options?)` or
 * `(low, high, size, options?)`, the size one array.
 * @group Random
 */
export type RandintArgs =
  | [high: number, size: readonly number[], options?: RandintOptions]
  | [low: number, high: number, size: readonly number[], options?: RandintOptions];

// The integers each dtype holds exactly: randint's bounds must lie within them (as PyTorch checks).
const EXACT_INTEGERS: Record<DType, [number, number]> = {
  int32: [INT32_MIN, INT32_MAX],
  int16: INTEGER_RANGES.int16 as [number, number],
  int8: INTEGER_RANGES.int8 as [number, number],
  uint8: INTEGER_RANGES.uint8 as [number, number],
  bool: [0, 1],
  float32: [-(2 ** 24), 2 ** 24],
  float64: [-(2 ** 53), 2 ** 53],
};

/**
 * Uniform integers in [low, high) (low defaults to 0), int32 unless `dtype` says otherwise, like
 * `torch.randint(low, high, size)`. PyTorch's default dtype is int64; tsgrad has no int64, so
 * bounds outside int32 (`randint(0, 2 ** 40, [3])`) throw rather than wrap.
 *
 * @example
 * ```ts
 * randint(0, 10, [5]).dtype; // "int32" (values in [0, 10))
 * randint(3, [2, 2]).shape;  // [2, 2] (values in [0, 3))
 * ```
 * @group Random
 */
export function randint(...args: RandintArgs): Tensor {
  const [low, high, size, options] = (Array.isArray(args[1]) ? [0, ...args] : args) as [number, number, unknown, RandintOptions?];
  for (const [name, v] of [["low", low], ["high", high]] as const) {
    if (typeof v !== "number") throw new TypeError(`randint: ${name} must be a number, got ${describeValue(v)}`);
  }
  if (!Array.isArray(size)) {
    throw new TypeError(`randint: size must be an array like [2, 3] (randint(low, high, size) takes the size as one list, as in PyTorch), got ${describeValue(size)}`);
  }
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new RangeError(`randint: expected integers low < high, got low=${low}, high=${high}`);
  }
  const resolved = resolveOptions("randint", options, RANDINT_OPTIONS, RANDOM_OPTION_CHECKS);
  const dtype = checkDType("randint", resolved.dtype ?? "int32");
  const [min, max] = EXACT_INTEGERS[dtype];
  if (low < min || high - 1 > max) {
    throw new RangeError(`randint: the range [${low}, ${high}) does not fit ${dtype} (low must be >= ${min} and high - 1 <= ${max}; tsgrad has no int64)`);
  }
  const dims = checkSizes("randint", sizeArgs("randint", [size]));
  return fromSamples("randint", dims, { ...resolved, dtype }, (g) => g.integer(low, high));
}

/**
 * A random permutation of 0..n−1 (int32), by Fisher–Yates.
 *
 * @example
 * ```ts
 * randperm(4, { generator: new Generator(1) }).toArray(); // a permutation of [0, 1, 2, 3]
 * ```
 * @group Random
 */
export function randperm(n: number, options: { generator?: Generator } = {}): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`randperm: n must be a non-negative integer, got ${n}`);
  const gen = generatorOption("randperm", options) ?? defaultGenerator;
  const data = allocate("int32", n, "randperm") as Int32Array;
  for (let i = 0; i < n; i++) data[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = gen.integer(0, i + 1);
    const t = data[i];
    data[i] = data[j];
    data[j] = t;
  }
  return new Tensor(data, [n], "int32");
}

/** @internal The `{ generator? }` options of `op` (`randperm`, `uniform_`, `normal_`, ...), checked. */
export function generatorOption(op: string, options: unknown): Generator | undefined {
  return resolveOptions(op, options, GENERATOR_OPTION, RANDOM_OPTION_CHECKS).generator;
}

/**
 * Fills `t` in place with uniform samples in [low, high) (no graph; for initialisers).
 *
 * @example
 * ```ts
 * uniformFill_(zeros([2, 3]), -0.1, 0.1); // in place, U[-0.1, 0.1)
 * ```
 * @group Random
 */
export function uniformFill_(t: Tensor, low: number, high: number, generator?: Generator): Tensor {
  const sample = rand(t.shape, { dtype: t.dtype, generator });
  return t.copy_(sample.mul(high - low).add(low));
}

/**
 * Fills `t` in place with normal samples of the given mean and std (no graph; for initialisers).
 *
 * @example
 * ```ts
 * normalFill_(zeros([2, 3]), 0, 0.02); // in place, N(0, 0.02²)
 * ```
 * @group Random
 */
export function normalFill_(t: Tensor, mean: number, std: number, generator?: Generator): Tensor {
  const sample = randn(t.shape, { dtype: t.dtype, generator });
  return t.copy_(sample.mul(std).add(mean));
}
