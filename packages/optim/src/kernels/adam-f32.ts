/**
 * Adam's float32 update with PyTorch 1.13's CPU arithmetic, bit for bit: each tensor op of
 * `_single_tensor_adam(w)` rounds to float32, and the two that PyTorch's vectorized kernels fuse
 * into a multiply-add (`add_(x, alpha)`, `addcmul_`) round once. adam.wat does it four lanes at a
 * time; where WebAssembly SIMD is missing (or the module cannot compile, as under a strict CSP),
 * {@link adamF32Js} does the same arithmetic with `Math.fround`, slower.
 *
 * The WASM module has a small memory of its own: the arrays pass through it in chunks that stay
 * in cache (copied in, updated, copied back), since a parameter's data cannot live there.
 */
import type { FloatArray } from "../optimizer.js";
import { ADAM_WASM_BASE64 } from "./adam-bytes.js";

/** What one step needs besides the arrays, already derived from the options and the step count. */
export interface AdamF32Step {
  /** −grad instead of grad. */
  maximize: boolean;
  /** L2 weight decay λ added to the gradient (Adam), 0 for none. */
  l2: number;
  /** θ's factor 1 − γλ (AdamW), 1 for none. */
  decay: number;
  beta1: number;
  beta2: number;
  /** −γ / (1 − β1^t). */
  negStepSize: number;
  /** √(1 − β2^t). */
  bias2Sqrt: number;
  eps: number;
}

/** The arrays of one parameter's step (vmax null without amsgrad), all of one length. */
export interface AdamF32Arrays {
  param: Float32Array;
  grad: Float32Array;
  expAvg: Float32Array;
  expAvgSq: Float32Array;
  maxExpAvgSq: Float32Array | null;
}

type AdamKernel = (
  p: number, g: number, m: number, v: number, vmax: number, bytes: number, flags: number,
  wd: number, decay: number, beta1: number, c1: number, beta2: number, c2: number, negStep: number, bias2Sqrt: number, eps: number,
) => void;
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: { adamF32: AdamKernel } };
  Memory: new (descriptor: { initial: number; maximum: number }) => { buffer: ArrayBuffer };
}

/** Elements of each array per kernel call: five arrays of 16 KiB fill 80 of the module's 128 KiB. */
const CHUNK = 4096;
// Where the five staging areas start in the module's memory, in float32 elements (the kernel takes bytes).
const [P, G, M, V, VMAX] = [0, 1, 2, 3, 4].map((k) => k * CHUNK);
const enum Flag { L2 = 1, Decoupled = 2, Amsgrad = 4, Maximize = 8 }

type Loaded = { kernel: AdamKernel; memory: Float32Array };
// undefined: not tried yet; null: no WebAssembly SIMD here.
let wasm: Loaded | null | undefined;

function load(): Loaded | null {
  if (wasm === undefined) {
    try {
      const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
      if (api === undefined) throw new Error("no WebAssembly");
      const memory = new api.Memory({ initial: 2, maximum: 2 });
      const module = new api.Module(Uint8Array.from(atob(ADAM_WASM_BASE64), (ch) => ch.charCodeAt(0)));
      wasm = { kernel: new api.Instance(module, { env: { memory } }).exports.adamF32, memory: new Float32Array(memory.buffer) };
    } catch {
      wasm = null; // no WebAssembly, no SIMD, or a CSP that forbids compiling: adamF32Js does the work
    }
  }
  return wasm;
}

/** True when this runtime runs {@link adamF32}'s WebAssembly kernel (else it falls back to {@link adamF32Js}). */
export function adamF32WasmAvailable(): boolean {
  return load() !== null;
}

/** Elements start to end of `a`: `a` itself when that is all of it (most parameters fit one chunk). */
const part = (a: Float32Array, start: number, end: number): Float32Array => (start === 0 && end === a.length ? a : a.subarray(start, end));

/**
 * One Adam/AdamW step over float32 arrays, in place, PyTorch's float32 results bit for bit
 * (adam.wat's comment has the formulas). Runs the WASM kernel, or {@link adamF32Js} without it.
 */
export function adamF32(arrays: AdamF32Arrays, s: AdamF32Step): void {
  const loaded = load();
  if (loaded === null) return adamF32Js(arrays, s);
  const { kernel, memory } = loaded;
  const { param, grad, expAvg, expAvgSq, maxExpAvgSq } = arrays;
  const flags = (s.l2 !== 0 ? Flag.L2 : 0) | (s.decay !== 1 ? Flag.Decoupled : 0) | (maxExpAvgSq !== null ? Flag.Amsgrad : 0) | (s.maximize ? Flag.Maximize : 0);
  for (let start = 0; start < param.length; start += CHUNK) {
    const end = Math.min(start + CHUNK, param.length);
    const n = end - start;
    memory.set(part(param, start, end), P);
    memory.set(part(grad, start, end), G);
    memory.set(part(expAvg, start, end), M);
    memory.set(part(expAvgSq, start, end), V);
    if (maxExpAvgSq !== null) memory.set(part(maxExpAvgSq, start, end), VMAX);
    // Whole groups of 4 lanes: the last group's spare lanes hold stale values and are not copied back.
    kernel(4 * P, 4 * G, 4 * M, 4 * V, 4 * VMAX, 16 * Math.ceil(n / 4), flags,
      s.l2, s.decay, s.beta1, 1 - s.beta1, s.beta2, 1 - s.beta2, s.negStepSize, s.bias2Sqrt, s.eps);
    param.set(memory.subarray(P, P + n), start);
    expAvg.set(memory.subarray(M, M + n), start);
    expAvgSq.set(memory.subarray(V, V + n), start);
    if (maxExpAvgSq !== null) maxExpAvgSq.set(memory.subarray(VMAX, VMAX + n), start);
  }
}

const f = Math.fround;
/** a·b + c rounded once to float32 (a, b float32: their product is exact in float64). */
const fma = (a: number, b: number, c: number): number => f(a * b + c);

/** {@link adamF32}'s arithmetic in plain JS, one element at a time (the fallback, and the kernel's reference in tests). */
export function adamF32Js(arrays: AdamF32Arrays, s: AdamF32Step): void {
  const { param, grad, expAvg, expAvgSq, maxExpAvgSq } = arrays;
  const [wd, decay, beta1, c1, beta2, c2] = [s.l2, s.decay, s.beta1, 1 - s.beta1, s.beta2, 1 - s.beta2].map(f);
  const [negStep, bias2Sqrt, eps] = [s.negStepSize, s.bias2Sqrt, s.eps].map(f);
  for (let i = 0; i < param.length; i++) {
    const g0 = s.maximize ? -grad[i] : grad[i];
    const p = decay !== 1 ? f(param[i] * decay) : param[i];
    const g = s.l2 !== 0 ? fma(p, wd, g0) : g0;
    const m = fma(g, c1, f(expAvg[i] * beta1));
    let v = fma(f(c2 * g), g, f(expAvgSq[i] * beta2));
    expAvg[i] = m;
    expAvgSq[i] = v;
    if (maxExpAvgSq !== null) v = maxExpAvgSq[i] = Math.max(maxExpAvgSq[i], v);
    param[i] = f(p + f(f(negStep * m) / f(f(f(Math.sqrt(v)) / bias2Sqrt) + eps)));
  }
}

/** FloatArray narrowing: all five arrays float32 (the kernel's element type). */
export function allFloat32(...arrays: Array<FloatArray | null>): boolean {
  return arrays.every((a) => a === null || a instanceof Float32Array);
}
