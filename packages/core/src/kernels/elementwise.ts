/**
 * Compiled elementwise kernels. Each op's scalar expression is spliced into a loop once, with
 * `new Function`, so the hot loop has no per-element closure call (ndarray-ops' cwise does the
 * same). Inputs are read through (offset, strides), so broadcast (stride-0) and transposed views
 * need no copy; outputs are always contiguous.
 */
import type { TypedArray } from "../dtype.js";
import * as special from "./special.js";

// The named scalar helpers an expression may call (erf(x), lgamma(x), divFloor(x, y), ...).
const HELPER_NAMES = Object.keys(special);
const HELPERS = HELPER_NAMES.map((n) => (special as Record<string, unknown>)[n]);

/** out[i] = expr(x), where `x` is the input element and `p`, `q` are scalar parameters. */
export type UnaryKernel = (
  out: TypedArray, x: TypedArray, xOff: number, xStr: readonly number[], shape: readonly number[], p: number, q: number,
) => void;

/** out[i] = expr(x, y) over the broadcast shape. */
export type BinaryKernel = (
  out: TypedArray,
  x: TypedArray, xOff: number, xStr: readonly number[],
  y: TypedArray, yOff: number, yStr: readonly number[],
  shape: readonly number[], p?: number, q?: number,
) => void;

/**
 * out[i] = expr(a, x, y) over three broadcast inputs: where-style selection (`c`, `x`, `y`), or a
 * fused backward rule (`g`, `x`, `y`: the output gradient, the input and the output).
 */
export type TernaryKernel = (
  out: TypedArray,
  a: TypedArray, aOff: number, aStr: readonly number[],
  x: TypedArray, xOff: number, xStr: readonly number[],
  y: TypedArray, yOff: number, yStr: readonly number[],
  shape: readonly number[], p?: number, q?: number,
) => void;

// One loop nest serves every arity: `names` are the inputs; the inner loop walks the last dim
// with each input's last stride, the outer counter carries the other dims. Expressions may use
// the scratch variables `t` and `u` to compute a value once: "(t = sigmoid, g * t * (1 - t))".
function loopSource(names: readonly string[], expr: string): string {
  const decl = names.map((n) => `let p${n} = ${n}Off;`).join(" ");
  const inner = names.map((n) => `const s${n} = ${n}Str[nd - 1];`).join(" ");
  const reads = names.map((n) => `const ${n} = ${n}Arr[q${n}]; q${n} += s${n};`).join(" ");
  const starts = names.map((n) => `let q${n} = p${n};`).join(" ");
  const step = names.map((n) => `p${n} += ${n}Str[d];`).join(" ");
  const rewind = names.map((n) => `p${n} -= ${n}Str[d] * shape[d];`).join(" ");
  const contiguous = names.map((n) => `${n}Str.length === nd && isContig(${n}Str, shape)`).join(" && ");
  const flatReads = names.map((n) => `const ${n} = ${n}Arr[${n}Off + i];`).join(" ");
  return `
    let t = 0, u = 0;
    const nd = shape.length;
    if (nd === 0) { ${names.map((n) => `const ${n} = ${n}Arr[${n}Off];`).join(" ")} out[0] = ${expr}; return; }
    let total = 1; for (let d = 0; d < nd; d++) total *= shape[d];
    if (total === 0) return;
    if (${contiguous}) {
      for (let i = 0; i < total; i++) { ${flatReads} out[i] = ${expr}; }
      return;
    }
    const n = shape[nd - 1]; ${inner}
    const outer = total / n;
    const idx = new Int32Array(nd);
    ${decl}
    let o = 0;
    for (let k = 0; k < outer; k++) {
      ${starts}
      for (let j = 0; j < n; j++) { ${reads} out[o++] = ${expr}; }
      for (let d = nd - 2; d >= 0; d--) {
        ${step}
        if (++idx[d] < shape[d]) break;
        ${rewind}
        idx[d] = 0;
      }
    }`;
}

function isContig(strides: readonly number[], shape: readonly number[]): boolean {
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] !== 1 && strides[d] !== s) return false;
    s *= shape[d];
  }
  return true;
}

// One cache per arity, keyed by the expression itself: the lookup is on every op call.
const caches = new Map<readonly string[], Map<string, unknown>>();

function compile<K>(names: readonly string[], expr: string): K {
  let cache = caches.get(names);
  if (!cache) caches.set(names, (cache = new Map()));
  let fn = cache.get(expr);
  if (!fn) {
    const params = ["out", ...names.flatMap((n) => [`${n}Arr`, `${n}Off`, `${n}Str`]), "shape", "p", "q"];
    fn = new Function("isContig", ...HELPER_NAMES, `return function kernel(${params.join(", ")}) {${loopSource(names, expr)}\n};`)(
      isContig, ...HELPERS,
    );
    cache.set(expr, fn);
  }
  return fn as K;
}

const UNARY = ["x"];
const BINARY = ["x", "y"];
const TERNARY = ["c", "x", "y"];
const GRADIENT = ["g", "x", "y"];

/** Compiles (once, cached) a unary kernel for a JS expression over `x`, `p` and `q`. */
export function unaryKernel(expr: string): UnaryKernel {
  return compile<UnaryKernel>(UNARY, expr);
}

/** Compiles (once, cached) a broadcasting binary kernel for a JS expression over `x` and `y`. */
export function binaryKernel(expr: string): BinaryKernel {
  return compile<BinaryKernel>(BINARY, expr);
}

/** Compiles (once, cached) a broadcasting ternary kernel over `c`, `x` and `y`. */
export function ternaryKernel(expr: string): TernaryKernel {
  return compile<TernaryKernel>(TERNARY, expr);
}

/**
 * Compiles (once, cached) a fused backward kernel: a JS expression over the output gradient `g`,
 * the input `x`, the output `y` and the op's parameters `p`, `q`, giving the input's gradient.
 */
export function gradientKernel(expr: string): TernaryKernel {
  return compile<TernaryKernel>(GRADIENT, expr);
}
