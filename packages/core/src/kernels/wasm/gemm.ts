/**
 * The WebAssembly SIMD float32 kernel behind `gemm` (../matmul.ts): gemm.wat, compiled into
 * gemm-bytes.ts by tools/build-wasm.ts. The module is instantiated once, on first use. Each call
 * copies Bᵀ into the module's memory and packs it there in 8-column panels, then copies A in, in
 * chunks of rows (so the memory stays small however tall A is), runs the kernel on each chunk and
 * copies C out. The memory grows as needed and is kept for the next call; it never shrinks, and a
 * call needing more than the module's 2 GiB maximum returns false (the caller falls back to JS).
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

interface GemmExports {
  memory: WasmMemory;
  /** C[m×n8] = A[m×k]·Bp, byte addresses; see gemm.wat for the layouts. */
  gemm(a: number, bp: number, c: number, m: number, k: number, n8: number): void;
  /** Bp = Bt (n×k row-major at `src`) packed in 8-column panels at `dst`. */
  pack(src: number, dst: number, n: number, k: number): void;
  /** The same panels from B (k×n row-major at `src`). */
  packRows(src: number, dst: number, n: number, k: number): void;
}

// Bytes of A rows plus C rows copied per kernel call (a multiple of 4 rows, at least 4).
const ROW_CHUNK_BYTES = 8 << 20;
const PAGE_BYTES = 65536;

let kernel: GemmExports | null | undefined;
let view = new Float32Array(0);

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

/** True when this runtime compiles the SIMD kernel (Node ≥ 16.4, current browsers). */
export function wasmGemmAvailable(): boolean {
  return load() !== null;
}

// A Float32Array over the module's memory, at least `bytes` long; null if it cannot grow that far.
function memoryView(memory: WasmMemory, bytes: number): Float32Array | null {
  const missing = bytes - memory.buffer.byteLength;
  if (missing > 0) {
    try {
      memory.grow(Math.ceil(missing / PAGE_BYTES));
    } catch {
      return null;
    }
  }
  if (view.buffer !== memory.buffer) view = new Float32Array(memory.buffer);
  return view;
}

// The first n of every n8 columns of `rows` rows of src into dst, rows n apart. A row-by-row
// `set` costs a subarray each, slower than a plain loop for short rows.
function copyRows(dst: Float32Array, dOff: number, src: Float32Array, sOff: number, rows: number, n: number, n8: number): void {
  if (n === n8) {
    dst.set(src.subarray(sOff, sOff + rows * n), dOff);
  } else if (n >= 64) {
    for (let i = 0; i < rows; i++) dst.set(src.subarray(sOff + i * n8, sOff + i * n8 + n), dOff + i * n);
  } else {
    for (let i = 0; i < rows; i++) {
      for (let j = 0, s = sOff + i * n8, d = dOff + i * n; j < n; j++) dst[d + j] = src[s + j];
    }
  }
}

/**
 * C[m×n] = A[m×k]·B in float32 (sums accumulated in float32), written at `c[cOff..]`, with B given
 * as Bᵀ (`bLayout` "nk") or as it is ("kn"); the same contract as `gemm`. Returns false, having
 * written nothing, when WebAssembly SIMD is unavailable or the operands do not fit its memory.
 */
export function gemmWasm(
  c: Float32Array, cOff: number, a: Float32Array, aOff: number, b: Float32Array, bOff: number,
  m: number, k: number, n: number, bLayout: BLayout = "nk",
): boolean {
  const wasm = load();
  if (wasm === null) return false;
  if (m === 0 || n === 0) return true;
  const n8 = (n + 7) & ~7;
  const fit = Math.floor(ROW_CHUNK_BYTES / (4 * (k + n8)));
  const rows = Math.min(m, Math.max(4, fit - (fit % 4)));
  // Float indices into memory: the packed panels, then a scratch area that first holds B as it
  // comes (for packing) and then each chunk of A rows and of C rows (16-byte aligned).
  const aIdx = n8 * k;
  const cIdx = aIdx + ((rows * k + 3) & ~3);
  const mem = memoryView(wasm.memory, 4 * Math.max(cIdx + rows * n8, aIdx + n * k));
  if (mem === null) return false;
  mem.set(b.subarray(bOff, bOff + n * k), aIdx);
  if (bLayout === "nk") wasm.pack(4 * aIdx, 0, n, k);
  else wasm.packRows(4 * aIdx, 0, n, k);
  for (let i0 = 0; i0 < m; i0 += rows) {
    const r = Math.min(rows, m - i0);
    mem.set(a.subarray(aOff + i0 * k, aOff + (i0 + r) * k), aIdx);
    wasm.gemm(4 * aIdx, 0, 4 * cIdx, r, k, n8);
    copyRows(c, cOff + i0 * n, mem, cIdx, r, n, n8);
  }
  return true;
}
