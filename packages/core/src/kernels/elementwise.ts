/**
 * Elementwise kernels. Each op's scalar expression is spliced into a loop once, with
 * `new Function`, so the hot loop has no per-element closure call. Inputs are read through
 * (offset, strides), so broadcast (stride-0) and transposed views need no copy; outputs are
 * always contiguous.
 *
 * Where `new Function` is not allowed (a Content-Security-Policy without 'unsafe-eval'), the same
 * expressions run interpreted: parsed once by expr.ts into a tree of closures, evaluated per
 * element by the same loop nest written out in JavaScript. Which path runs is decided once, on
 * the first kernel built, by trying `new Function` ({@link setKernelMode} overrides it).
 */
import type { TypedArray } from "../dtype.js";
import * as special from "./special.js";
import { compileExpression } from "./expr.js";

// The named scalar helpers an expression may call (erf(x), lgamma(x), divFloor(x, y), ...).
const HELPER_NAMES = Object.keys(special);
const HELPER_VALUES = HELPER_NAMES.map((n) => (special as Record<string, unknown>)[n]);
const HELPERS: Readonly<Record<string, unknown>> = special;

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

/**
 * How elementwise kernels run: `"compiled"` (spliced into a loop with `new Function`, the fast
 * path), `"interpreted"` (parsed once into closures; works under a CSP that forbids eval), or
 * `"auto"` (the default: compiled when `new Function` is allowed, checked once).
 * @group Utilities
 */
export type KernelMode = "auto" | "compiled" | "interpreted";

let mode: KernelMode = "auto";
let evalAllowed: boolean | undefined;

/** Whether this runtime lets `new Function` run (false under a CSP without 'unsafe-eval'). Checked once. */
function canEval(): boolean {
  if (evalAllowed === undefined) {
    try {
      evalAllowed = new Function("return 1")() === 1;
    } catch {
      evalAllowed = false;
    }
  }
  return evalAllowed;
}

/**
 * Chooses how elementwise kernels run (see {@link KernelMode}); kernels already built for the
 * other path stay cached for it. `"compiled"` throws where `new Function` is not allowed. Use
 * `"interpreted"` to keep a strict page from logging the one CSP violation report that the
 * automatic check causes, or to measure the fallback.
 *
 * @example
 * ```ts
 * setKernelMode("interpreted");
 * tensor([1, -2]).relu().toArray(); // [1, 0]
 * setKernelMode("auto");
 * ```
 * @group Utilities
 */
export function setKernelMode(next: KernelMode): void {
  if (next !== "auto" && next !== "compiled" && next !== "interpreted") {
    throw new TypeError(`setKernelMode: mode must be "auto", "compiled" or "interpreted", got ${typeof next === "string" ? JSON.stringify(next) : typeof next}`);
  }
  if (next === "compiled" && !canEval()) throw new Error("setKernelMode: \"compiled\" needs new Function, which this runtime forbids (a Content-Security-Policy without 'unsafe-eval')");
  mode = next;
}

/**
 * The path elementwise kernels take now: `"compiled"` or `"interpreted"` (the automatic choice
 * resolved).
 *
 * @example
 * ```ts
 * getKernelMode(); // → "compiled"
 * ```
 * @group Utilities
 */
export function getKernelMode(): "compiled" | "interpreted" {
  if (mode !== "auto") return mode;
  return canEval() ? "compiled" : "interpreted";
}

// One cache per path and arity, keyed by the expression itself: the lookup is on every op call.
const caches = { compiled: new Map<readonly string[], Map<string, unknown>>(), interpreted: new Map<readonly string[], Map<string, unknown>>() };

function compile<K>(names: readonly string[], expr: string): K {
  const path = getKernelMode();
  let cache = caches[path].get(names);
  if (!cache) caches[path].set(names, (cache = new Map()));
  let fn = cache.get(expr);
  if (!fn) {
    fn = path === "compiled" ? compiledKernel(names, expr) : interpretedKernel(names, expr);
    cache.set(expr, fn);
  }
  return fn as K;
}

function compiledKernel(names: readonly string[], expr: string): unknown {
  const params = ["out", ...names.flatMap((n) => [`${n}Arr`, `${n}Off`, `${n}Str`]), "shape", "p", "q"];
  return new Function("isContig", ...HELPER_NAMES, `return function kernel(${params.join(", ")}) {${loopSource(names, expr)}\n};`)(
    isContig, ...HELPER_VALUES,
  );
}

/**
 * The loop of {@link loopSource}, written out once for any arity, evaluating the expression's
 * closure tree per element. Variables: the inputs in order, then p, q, t, u.
 */
function interpretedKernel(names: readonly string[], expr: string): unknown {
  const k = names.length;
  const slots = new Map<string, number>([...names.map((n, i) => [n, i] as const), ["p", k], ["q", k + 1], ["t", k + 2], ["u", k + 3]]);
  const vars: unknown[] = new Array(k + 4).fill(0);
  const f = compileExpression(expr, slots, vars, HELPERS);
  const arrs: TypedArray[] = new Array(k);
  const offs: number[] = new Array(k).fill(0);
  const strs: (readonly number[])[] = new Array(k);
  const pos: number[] = new Array(k).fill(0);
  const steps: number[] = new Array(k).fill(0);
  return function kernel(out: TypedArray, ...args: unknown[]): void {
    for (let i = 0; i < k; i++) {
      arrs[i] = args[3 * i] as TypedArray;
      offs[i] = args[3 * i + 1] as number;
      strs[i] = args[3 * i + 2] as readonly number[];
    }
    const shape = args[3 * k] as readonly number[];
    vars[k] = args[3 * k + 1];
    vars[k + 1] = args[3 * k + 2];
    vars[k + 2] = 0;
    vars[k + 3] = 0;
    const nd = shape.length;
    if (nd === 0) {
      for (let i = 0; i < k; i++) vars[i] = arrs[i][offs[i]];
      out[0] = f() as number;
      return;
    }
    let total = 1;
    for (let d = 0; d < nd; d++) total *= shape[d];
    if (total === 0) return;
    let contiguous = true;
    for (let i = 0; i < k; i++) contiguous &&= strs[i].length === nd && isContig(strs[i], shape);
    if (contiguous) {
      if (k === 1) {
        const a = arrs[0];
        const o = offs[0];
        for (let i = 0; i < total; i++) {
          vars[0] = a[o + i];
          out[i] = f() as number;
        }
      } else {
        for (let i = 0; i < total; i++) {
          for (let j = 0; j < k; j++) vars[j] = arrs[j][offs[j] + i];
          out[i] = f() as number;
        }
      }
      return;
    }
    const n = shape[nd - 1];
    for (let i = 0; i < k; i++) {
      steps[i] = strs[i][nd - 1];
      pos[i] = offs[i];
    }
    const outer = total / n;
    const idx = new Int32Array(nd);
    let o = 0;
    for (let r = 0; r < outer; r++) {
      for (let j = 0; j < n; j++) {
        for (let i = 0; i < k; i++) vars[i] = arrs[i][pos[i] + j * steps[i]];
        out[o++] = f() as number;
      }
      for (let d = nd - 2; d >= 0; d--) {
        for (let i = 0; i < k; i++) pos[i] += strs[i][d];
        if (++idx[d] < shape[d]) break;
        for (let i = 0; i < k; i++) pos[i] -= strs[i][d] * shape[d];
        idx[d] = 0;
      }
    }
  };
}

/**
 * Every (input names, expression) pair built so far on `path`, for the tests that check the two
 * paths agree on every kernel a workload used.
 */
export function builtKernels(path: "compiled" | "interpreted"): Array<{ names: readonly string[]; expr: string }> {
  return [...caches[path]].flatMap(([names, cache]) => [...cache.keys()].map((expr) => ({ names, expr })));
}

/**
 * Whether `expr` calls one of the named helpers (erf, lgamma, ...): such a kernel cannot run in
 * the thread pool's workers, whose kernels see only the expression and `Math`.
 */
export function callsHelper(expr: string): boolean {
  return HELPER_PATTERN.test(expr);
}
const HELPER_PATTERN = new RegExp(`\\b(${HELPER_NAMES.join("|")})\\s*\\(`);

export const UNARY = ["x"];
export const BINARY = ["x", "y"];
export const TERNARY = ["c", "x", "y"];
export const GRADIENT = ["g", "x", "y"];

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

// ---------------------------------------------------------------- branch-free float32 ReLU

// ReLU's compiled expression branches on each element's sign, and on a layer's activations
// that branch mispredicts about half the time (4–5 ns an element); these work on the floats'
// bits instead, with no branch per element (about 1 ns). Same results as the expressions,
// including NaN (kept forward, gradient 0) and −0 (gives 0).

/** The int32 bits of `n` float32 elements of `a` from element `offset` (a view, not a copy). */
const bitsOf = (a: Float32Array, offset: number, n: number): Int32Array => new Int32Array(a.buffer, a.byteOffset + 4 * offset, n);
const INF_BITS = 0x7f800000;

/** out = max(x, 0) over `out.length` contiguous float32 elements of `x` from `xOff`. */
export function reluFloat32(out: Float32Array, x: Float32Array, xOff: number): void {
  const n = out.length;
  const o = bitsOf(out, 0, n);
  const v = bitsOf(x, xOff, n);
  for (let i = 0; i < n; i++) {
    const b = v[i];
    // all ones (keep) when the sign bit is clear, or when |b| is above infinity's bits (NaN)
    o[i] = b & (~(b >> 31) | ((INF_BITS - (b & 0x7fffffff)) >> 31));
  }
}

/** out = (y > 0 ? g : 0) over `out.length` contiguous float32 elements of `g` and `y` from their offsets. */
export function reluGradFloat32(out: Float32Array, g: Float32Array, gOff: number, y: Float32Array, yOff: number): void {
  const n = out.length;
  const o = bitsOf(out, 0, n);
  const gb = bitsOf(g, gOff, n);
  const yb = bitsOf(y, yOff, n);
  for (let i = 0; i < n; i++) {
    // y > 0 exactly when its bits b satisfy 0 ≤ b − 1 < infinity's bits (positive, finite or ∞, not NaN)
    const a = (yb[i] - 1) | 0;
    o[i] = gb[i] & ~(a >> 31) & ((a - INF_BITS) >> 31);
  }
}
