/**
 * The one place options objects are read. Every public function, method and constructor that
 * takes options passes them through {@link resolveOptions}: unknown keys throw (with a hint when a
 * PyTorch user typed the snake_case or legacy name), and each given value is checked.
 */
// Imports only leaf modules: tensor.ts and random.ts build their check tables from this one at load
// time. Checks for a Tensor or a Generator are `optionChecks.instanceOf(Tensor, "a Tensor")`.
import { typeNameOf } from "./inspect.js";
import { checkDType, isFloatingPoint, type DType } from "./dtype.js";

/**
 * A short description of a value for error messages: `null`, `"abc"`, `number NaN`, `an array of
 * length 3`, `a Tensor of shape [2, 3]`, `a plain object`, `a Map`.
 *
 * @example
 * ```ts
 * describeValue([1, 2]); // → "an array of length 2"
 * ```
 * @group Utilities
 */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === "function") return "a function";
  if (typeof value === "object") {
    const shape = (value as { shape?: unknown }).shape;
    const tag = (value as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag];
    if (tag === "Tensor" && Array.isArray(shape)) return `a Tensor of shape [${shape.join(", ")}]`;
    const proto = Object.getPrototypeOf(value) as object | null;
    const name = typeof tag === "string" ? tag : typeNameOf(value);
    if (proto === null || !name || name === "Object") return "a plain object";
    return /^[AEIOU]/.test(name) ? `an ${name}` : `a ${name}`;
  }
  return `${typeof value} ${String(value)}`;
}

/**
 * True for an object literal or a null-prototype object: what an options argument looks like
 * (arrays, tensors and class instances are not).
 *
 * @example
 * ```ts
 * isPlainObject({ dim: 1 }); // → true
 * isPlainObject([1]); // → false
 * ```
 * @group Utilities
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Checks one option's value; throws a TypeError (wrong kind) or RangeError (out of range) naming `op`. @group Utilities */
export type OptionCheck = (op: string, name: string, value: unknown) => void;

/** Legacy or Python-only option names, and what to write instead. */
const RENAMED: Readonly<Record<string, string>> = {
  unbiased: "correction (unbiased: false is correction: 0)",
  size_average: "reduction",
  reduce: "reduction",
};

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row.push(Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    prev = row;
  }
  return prev[b.length];
}

/** The known name an unknown key most likely meant, or undefined. */
function suggestion(key: string, known: readonly string[]): string | undefined {
  const camel = key.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
  if (known.includes(camel)) return camel;
  const lower = camel.toLowerCase();
  const sameLetters = known.find((k) => k.toLowerCase() === lower);
  if (sameLetters) return sameLetters;
  if (known.includes(key)) return undefined;
  let best: string | undefined;
  let bestDistance = Math.min(2, Math.floor(key.length / 3));
  for (const k of known) {
    const d = editDistance(lower, k.toLowerCase());
    if (d <= bestDistance) { best = k; bestDistance = d - 1; }
  }
  if (best !== undefined) return best;
  const renamed = Object.hasOwn(RENAMED, key) ? RENAMED[key] : undefined;
  return renamed !== undefined && known.includes(renamed.split(" ")[0]) ? renamed : undefined;
}

/**
 * The TypeError for an option key that `op` does not take, with a "did you mean" hint (a
 * snake_case or differently cased name, a near typo, or a PyTorch name tsgrad spells otherwise).
 * {@link resolveOptions} throws it; call it yourself where options are read by hand.
 *
 * @example
 * ```ts
 * const err = unknownOptionError("Linear", "Bias", ["bias", "dtype", "generator"]);
 * err.message; // → 'Linear: unknown option "Bias" (did you mean "bias"?); known options: bias, dtype, generator'
 * ```
 * @group Utilities
 */
export function unknownOptionError(op: string, key: string, known: readonly string[]): TypeError {
  const hint = suggestion(key, known);
  const list = known.length === 0 ? "it takes no options" : `known options: ${known.join(", ")}`;
  return new TypeError(`${op}: unknown option "${key}"${hint ? ` (did you mean ${hint.includes(" ") ? hint : `"${hint}"`}?)` : ""}; ${list}`);
}

/**
 * Reads an options object: `options` over `defaults`, every key not in `defaults` rejected, each
 * given value checked by `checks[key]`. An `undefined` value keeps the default. List optional
 * options without a default in `defaults` with the value `undefined`.
 *
 * Throws a TypeError when `options` is not a plain object or has an unknown key ("did you mean
 * "batchSize"?" for `batch_size`), and whatever a check throws for a bad value.
 *
 * @example
 * ```ts
 * const opts = resolveOptions("myLayer", { scale: 2 }, { scale: 1, bias: true }, { scale: optionChecks.positive });
 * opts.bias; // → true
 * ```
 * @group Utilities
 */
export function resolveOptions<D extends object>(
  op: string,
  options: unknown,
  defaults: D,
  checks: { readonly [K in keyof D]?: OptionCheck } = {},
): D {
  const resolved = { ...defaults } as Record<string, unknown>;
  if (options === undefined) return resolved as D;
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(`${op}: options must be an object, got ${describeValue(options)}`);
  }
  const known = Object.keys(defaults);
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(defaults, key)) throw unknownOptionError(op, key, known);
    const value = (options as Record<string, unknown>)[key];
    if (value === undefined) continue;
    const check = (checks as Record<string, OptionCheck | undefined>)[key];
    if (check !== undefined) check(op, key, value);
    resolved[key] = value;
  }
  return resolved as D;
}

/**
 * Throws like {@link resolveOptions} when `options` has a key outside `known`, without merging
 * defaults; for functions whose options are spread over several signatures.
 *
 * @example
 * ```ts
 * checkOptionKeys("sum", { dtype: "float64" }, ["dtype"]); // passes
 * ```
 * @group Utilities
 */
export function checkOptionKeys(op: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(`${op}: options must be an object, got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) if (!known.includes(key)) throw unknownOptionError(op, key, known);
}

function typeofCheck(kind: "boolean" | "string" | "function", expected: string): OptionCheck {
  return (op, name, value) => {
    if (typeof value !== kind) throw new TypeError(`${op}: ${name} must be ${expected}, got ${describeValue(value)}`);
  };
}

function numberCheck(holds: (v: number) => boolean, expected: string): OptionCheck {
  return (op, name, value) => {
    if (typeof value !== "number") throw new TypeError(`${op}: ${name} must be ${expected}, got ${describeValue(value)}`);
    if (!holds(value)) throw new RangeError(`${op}: ${name} must be ${expected}, got ${value}`);
  };
}

/**
 * Ready-made checks for {@link resolveOptions}. Each names the op, the option and the value it got:
 * `DataLoader: batchSize must be an integer >= 1, got 0`.
 *
 * @example
 * ```ts
 * resolveOptions("f", { k: 3 }, { k: 1 }, { k: optionChecks.intAtLeast(1) }).k; // → 3
 * ```
 * @group Utilities
 */
export const optionChecks = {
  /** `true` or `false`. */
  boolean: typeofCheck("boolean", "a boolean"),
  /** Any number, NaN and ±Infinity included. */
  number: numberCheck(() => true, "a number"),
  /** A finite number. */
  finite: numberCheck(Number.isFinite, "a finite number"),
  /** A finite number > 0. */
  positive: numberCheck((v) => Number.isFinite(v) && v > 0, "a finite number > 0"),
  /** A finite number >= 0. */
  nonNegative: numberCheck((v) => Number.isFinite(v) && v >= 0, "a finite number >= 0"),
  /** A number >= `min`, Infinity allowed (NaN is not). */
  atLeast: (min: number): OptionCheck => numberCheck((v) => v >= min, `a number >= ${min}`),
  /** A number in the half-open range [min, max) (Adam's betas: [0, 1)). */
  inHalfOpenRange: (min: number, max: number): OptionCheck => numberCheck((v) => v >= min && v < max, `a number in [${min}, ${max})`),
  /** A number in [0, 1] (a probability). */
  probability: numberCheck((v) => v >= 0 && v <= 1, "a number in [0, 1]"),
  /** Any integer (a safe integer). */
  integer: numberCheck(Number.isSafeInteger, "an integer"),
  /** An integer >= `min`. */
  intAtLeast: (min: number): OptionCheck => numberCheck((v) => Number.isSafeInteger(v) && v >= min, `an integer >= ${min}`),
  /** A number in the closed range [min, max]. */
  inRange: (min: number, max: number): OptionCheck => numberCheck((v) => v >= min && v <= max, `a number in [${min}, ${max}]`),
  /** A string. */
  string: typeofCheck("string", "a string"),
  /** A function. */
  function: typeofCheck("function", "a function"),
  /** One of the listed values (compared with `===`). */
  oneOf: (allowed: readonly unknown[]): OptionCheck => (op, name, value) => {
    if (!allowed.includes(value)) {
      const list = allowed.map((a) => (typeof a === "string" ? JSON.stringify(a) : String(a))).join(", ");
      throw new (typeof value === "string" || typeof value === typeof allowed[0] ? RangeError : TypeError)(
        `${op}: ${name} must be one of ${list}, got ${describeValue(value)}`,
      );
    }
  },
  /** An instance of `cls` (e.g. `Tensor`, `Generator`). */
  instanceOf: (cls: abstract new (...args: never[]) => unknown, what: string): OptionCheck => (op, name, value) => {
    if (!(value instanceof cls)) throw new TypeError(`${op}: ${name} must be ${what}, got ${describeValue(value)}`);
  },
  /** One of tsgrad's dtype names: "float32", "float64", "int32", "int16", "int8", "uint8" or "bool". */
  dtype: ((op, name, value) => {
    if (typeof value !== "string") throw new TypeError(`${op}: ${name} must be a dtype name such as "float32", got ${describeValue(value)}`);
    checkDType(op, value);
  }) as OptionCheck,
  /** A floating-point dtype name: "float32" or "float64" (learnable tensors, floating-point data). */
  floatDType: ((op, name, value) => {
    optionChecks.dtype(op, name, value);
    if (!isFloatingPoint(value as DType)) throw new TypeError(`${op}: ${name} must be a floating-point dtype ("float32" or "float64"), got ${describeValue(value)}`);
  }) as OptionCheck,
  /** The given check, or `null`. */
  nullable: (check: OptionCheck): OptionCheck => (op, name, value) => {
    if (value !== null) check(op, name, value);
  },
} as const;
