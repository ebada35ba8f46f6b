/**
 * The WebAssembly SIMD kernels behind `gemm` (../matmul.ts) for float32 and float64: gemm.wat,
 * compiled into gemm-bytes.ts by tools/build-wasm.ts. The module is instantiated once, on first
 * use. Each call copies B into the module's memory and packs it there in panels 32 bytes wide,
 * then copies A in, in chunks of rows (so the memory stays small however tall A is), runs the
 * kernel on each chunk and copies C out. The memory grows as needed and is kept for the next call;
 * it never shrinks, and a call needing more than the module's 2 GiB maximum returns false (the
 * caller falls back to JS).
 */
import type { BLayout } from "../matmul.js";
import { GEMM_WASM_BASE64 } from "./gemm-bytes.js";

// The project's lib (ES2022 + Node types, no DOM) does not declare WebAssembly; the little used
// here is typed locally, and a runtime without it simply has no `globalThis.WebAssembly`.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: object };
}

// Byte addresses throughout; see gemm.wat for the layouts.
type Kernel = (a: number, bp: number, c: number, m: number, k: number, nPad: number) => void;
type PackTransposed = (src: number, dst: number, n: number, k: number) => void;
interface GemmExports {
  memory: WasmMemory;
  gemmF32: Kernel;
  gemmF64: Kernel;
  packTransposedF32: PackTransposed;
  packTransposedF64: PackTransposed;
  packRows(src: number, dst: number, n: number, k: number, elemBytes: number): void;
}

/** The element types the WASM kernels take. */
export type WasmFloatArray = Float32Array | Float64Array;

// Bytes of A rows plus C rows copied per kernel call (a multiple of 4 rows, at least 4).
const ROW_CHUNK_BYTES = 8 << 20;
const PAGE_BYTES = 65536;
const PANEL_BYTES = 32; // one k step of a packed panel of B

let kernel: GemmExports | null | undefined;
let views: { f32: Float32Array; f64: Float64Array } | undefined;

function load(): GemmExports | null {
  if (kernel === undefined) {
    try {
      const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
      if (wasm === undefined) throw new Error("no WebAssembly");
      const bytes = Uint8Array.from(atob(GEMM_WASM_BASE64), (ch) => ch.charCodeAt(0));
      kernel = new wasm.Instance(new wasm.Module(bytes)).exports as GemmExports;
    } catch {
      kernel = null; // no WebAssembly or no SIMD (compiling the module fails): JS does the work
    }
  }
  return kernel;
}

/** True when this runtime compiles the SIMD kernels (Node ≥ 16.4, current browsers). */
export function wasmGemmAvailable(): boolean {
  return load() !== null;
}

// A view of the module's memory typed like `like`, at least `bytes` long; null if it cannot grow so far.
function memoryView(memory: WasmMemory, bytes: number, like: WasmFloatArray): WasmFloatArray | null {
  const missing = bytes - memory.buffer.byteLength;
  if (missing > 0) {
    try {
      memory.grow(Math.ceil(missing / PAGE_BYTES));
    } catch {
      return null;
    }
  }
  if (views === undefined || views.f32.buffer !== memory.buffer) {
    views = { f32: new Float32Array(memory.buffer), f64: new Float64Array(memory.buffer) };
  }
  return like instanceof Float32Array ? views.f32 : views.f64;
}

// The first n of every nPad columns of `rows` rows of src into dst, rows n apart. A row-by-row
// `set` costs a subarray each, slower than a plain loop for short rows.
function copyRows(dst: WasmFloatArray, dOff: number, src: WasmFloatArray, sOff: number, rows: number, n: number, nPad: number): void {
  if (n === nPad) {
    dst.set(src.subarray(sOff, sOff + rows * n), dOff);
  } else if (n >= 64) {
    for (let i = 0; i < rows; i++) dst.set(src.subarray(sOff + i * nPad, sOff + i * nPad + n), dOff + i * n);
  } else {
    for (let i = 0; i < rows; i++) {
      for (let j = 0, s = sOff + i * nPad, d = dOff + i * n; j < n; j++) dst[d + j] = src[s + j];
    }
  }
}

/**
 * C[m×n] = A[m×k]·B, written at `c[cOff..]`, with B given as Bᵀ (`bLayout` "nk") or as it is
 * ("kn"); the same contract as `gemm`. All three arrays are Float32Array (sums accumulate in
 * float32) or all Float64Array (float64, the same sums as the JS kernel). Returns false, having
 * written nothing, when WebAssembly SIMD is unavailable or the operands do not fit its memory.
 */
export function gemmWasm(
  c: WasmFloatArray, cOff: number, a: WasmFloatArray, aOff: number, b: WasmFloatArray, bOff: number,
  m: number, k: number, n: number, bLayout: BLayout = "nk",
): boolean {
  const wasm = load();
  if (wasm === null) return false;
  if (m === 0 || n === 0) return true;
  const size = c.BYTES_PER_ELEMENT;
  const width = PANEL_BYTES / size; // columns per panel
  const nPad = Math.ceil(n / width) * width;
  const fit = Math.floor(ROW_CHUNK_BYTES / (size * (k + nPad)));
  const rows = Math.min(m, Math.max(4, fit - (fit % 4)));
  // Element indices into memory: the packed panels, then a scratch area that first holds B as it
  // comes (for packing) and then each chunk of A rows and of C rows (16-byte aligned).
  const aIdx = nPad * k;
  const perVector = 16 / size;
  const cIdx = aIdx + Math.ceil((rows * k) / perVector) * perVector;
  const mem = memoryView(wasm.memory, size * Math.max(cIdx + rows * nPad, aIdx + n * k), c);
  if (mem === null) return false;
  mem.set(b.subarray(bOff, bOff + n * k), aIdx);
  if (bLayout === "kn") wasm.packRows(size * aIdx, 0, n, k, size);
  else if (size === 4) wasm.packTransposedF32(size * aIdx, 0, n, k);
  else wasm.packTransposedF64(size * aIdx, 0, n, k);
  const run = size === 4 ? wasm.gemmF32 : wasm.gemmF64;
  for (let i0 = 0; i0 < m; i0 += rows) {
    const r = Math.min(rows, m - i0);
    mem.set(a.subarray(aOff + i0 * k, aOff + (i0 + r) * k), aIdx);
    run(size * aIdx, 0, size * cIdx, r, k, nPad);
    copyRows(c, cOff + i0 * n, mem, cIdx, r, n, nPad);
  }
  return true;
}
