/**
 * Option handling shared by every loss: defaults, unknown-key rejection (so a snake_case
 * `ignore_index` or a legacy `size_average` fails loudly) and one check per option name.
 */
import { Tensor, typeNameOf } from "@tsgrad/core";
import { REDUCTIONS, invalidReduction, type Reduction } from "./reduction.js";

/** Options every loss takes. */
export interface ReductionOptions {
  /** How per-element losses are combined (default `"mean"`). */
  reduction?: Reduction;
}

type Check = (op: string, value: unknown) => void;

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return `a ${typeNameOf(value)}`;
  return String(value);
}

function numberIn(name: string, holds: (v: number) => boolean, expected: string): Check {
  return (op, value) => {
    if (typeof value !== "number" || !holds(value)) {
      throw new RangeError(`${op}: ${name} must be ${expected} (got ${describe(value)})`);
    }
  };
}

function tensorOption(name: string): Check {
  return (op, value) => {
    if (value !== undefined && !(value instanceof Tensor)) {
      throw new TypeError(`${op}: ${name} must be a Tensor (got ${describe(value)})`);
    }
  };
}

// One check per option name; the same name means the same thing in every loss.
const CHECKS: Record<string, Check> = {
  reduction: (op, value) => {
    if (!REDUCTIONS.includes(value as Reduction)) throw invalidReduction(op, value);
  },
  weight: tensorOption("weight"),
  posWeight: tensorOption("posWeight"),
  delta: numberIn("delta", (v) => v > 0 && Number.isFinite(v), "a finite number > 0"),
  beta: numberIn("beta", (v) => v >= 0 && Number.isFinite(v), "a finite number >= 0"),
  margin: numberIn("margin", Number.isFinite, "a finite number"),
  p: numberIn("p", (v) => v === 1 || v === 2, "1 or 2"),
  ignoreIndex: numberIn("ignoreIndex", Number.isInteger, "an integer"),
  labelSmoothing: numberIn("labelSmoothing", (v) => v >= 0 && v <= 1, "between 0 and 1"),
};

/**
 * `options` over `defaults`, every given value checked and every key not in `defaults` rejected.
 * `undefined` values keep the default.
 */
export function resolveOptions<D extends object>(op: string, options: Partial<D> | undefined, defaults: D): D {
  if (options === undefined) return { ...defaults };
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new TypeError(`${op}: options must be an object (got ${describe(options)})`);
  }
  const resolved = { ...defaults } as Record<string, unknown>;
  for (const [key, value] of Object.entries(options)) {
    if (!(key in defaults)) {
      throw new TypeError(`${op}: unknown option "${key}" (expected one of: ${Object.keys(defaults).join(", ")})`);
    }
    if (value === undefined) continue;
    // Built-in option names are checked; a custom loss's own options are its own to check.
    if (Object.hasOwn(CHECKS, key)) CHECKS[key](op, value);
    resolved[key] = value;
  }
  return resolved as D;
}

/** The default of {@link ReductionOptions}. */
export const REDUCTION_DEFAULTS = { reduction: "mean" as Reduction };
