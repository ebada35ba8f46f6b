/**
 * The WebAssembly SIMD kernels behind `gemm` (../matmul.ts) for float32 and float64: gemm.wat,
 * compiled into gemm-bytes.ts by tools/build-wasm.ts. The module imports its memory; it is
 * instantiated on first use over a new one, shared where the runtime allows (see `load`), from its
 * relaxed-SIMD variant (fused float32 multiply-adds) where the runtime validates that. A product
 * runs in passes over blocks of B: each pass copies one block (a group of columns × a range of k)
 * into the module's memory and packs it there in panels 32 bytes wide, then copies A's matching
 * columns in, a chunk of rows at a time, packs them in panels of 4 rows, runs the kernel on each
 * chunk and copies C out. Either operand may come transposed (B as Bᵀ, A as Aᵀ): each is packed
 * from the layout it lies in. The blocks and chunks have fixed byte budgets, so the memory the
 * module keeps (it grows on demand) is bounded at about 4 MiB whatever the product's size: the
 * operands are never copied in whole, and a memory that grew past WASM_MEMORY_KEEP_BYTES is dropped.
 *
 * When k is longer than one block (more than 65536 float32 or 32768 float64 steps), each pass
 * gives a partial product and the partials are summed in float64 here, so long float32
 * reductions keep float32 accuracy (the kernel itself sums k in blocks of K_BLOCK steps into
 * float64 totals, gemm.wat).
 */
import type { ALayout, BLayout } from "../matmul.js";
import { RunCopier } from "../runs.js";
import { MAX_SHARES, runOnThreads, threadsFor, threadsReady, type Share } from "../threads.js";
import { GEMM_RELAXED_SHARED_WASM_BASE64, GEMM_RELAXED_WASM_BASE64, GEMM_SHARED_WASM_BASE64, GEMM_WASM_BASE64 } from "./gemm-bytes.js";

// The project's lib (ES2022 + Node types, no DOM) does not declare WebAssembly; the little used
// here is typed locally, and a runtime without it simply has no `globalThis.WebAssembly`.
interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
  Memory: new (descriptor: { initial: number; maximum: number; shared?: boolean }) => WasmMemory;
}

// Byte addresses throughout; see gemm.wat for the layouts.
type Kernel = (ap: number, bp: number, c: number, mPanels: number, k: number, nPad: number) => void;
type KernelF32 = (ap: number, bp: number, c: number, mPanels: number, k: number, nPad: number, totals: number, blockSteps: number) => void;
type PackTransposed = (src: number, dst: number, n: number, k: number) => void;
interface GemmExports {
  gemmF32: KernelF32;
  gemmF64: Kernel;
  packTransposedF32: PackTransposed;
  packTransposedF32x4: PackTransposed;
  packTransposedF64: PackTransposed;
  packRows(src: number, dst: number, n: number, k: number, elemBytes: number, panelBytes: number): void;
}

/** The element types the WASM kernels take. */
export type WasmFloatArray = Float32Array | Float64Array;

// Bytes of A rows plus C rows copied per kernel call (a multiple of 4 rows, at least 4).
const ROW_CHUNK_BYTES = 2 << 20;
// Bytes of packed B per pass: a block of whole panels, k steps × columns.
const PACKED_B_BYTES = 2 << 20;
const PAGE_BYTES = 65536;
const PANEL_BYTES = 32; // one k step of a packed panel of B
const A_PANEL_ROWS = 4; // rows of A in one packed panel (gemm.wat's micro-kernel)
// The float32 kernel's float64 totals for one 4-row × 8-column block of C: one area per thread, from address 0.
const TOTALS_BYTES = 256;
/**
 * The least multiply-adds per thread of a product split among threads: a hand-off costs a few
 * microseconds (a wake-up, and caches filled again), what ~64³ multiply-adds take on one core.
 */
export const THREAD_MIN_WORK = 64 ** 3;
/**
 * Shares per thread a chunk of rows is cut into when split: threads claim shares until none is
 * left, so a thread that starts late (a busy machine) or runs slower takes fewer of them.
 */
const SHARES_PER_THREAD = 4;

/**
 * k steps the float32 kernel sums in float32 before adding the sums into float64 totals: the
 * rounding error of a float32 dot product grows with the length of its float32 sums, so this
 * bounds it (and keeps it below PyTorch's on k = 4·10⁶) at a cost lost in the noise (gemm.wat).
 */
export const K_BLOCK = 256;

/**
 * The most the module's memory may hold after a product: a product that needed more (none does
 * with today's budgets, which keep it near 4 MiB) is followed by dropping the memory, so the next
 * product starts over with a small one (WebAssembly memory can grow but never shrink).
 */
export const WASM_MEMORY_KEEP_BYTES = 8 << 20;
let memoryKeepBytes = WASM_MEMORY_KEEP_BYTES;
// The largest memory the kernels may use: far above the budgets, below what a 32-bit browser can reserve.
const MAX_PAGES = 4096;

/**
 * Which build of the kernels runs: "relaxed-simd" (float32 multiply-adds fused, where the runtime
 * has relaxed SIMD), "simd128" (separate multiply and add), or null without WebAssembly SIMD.
 */
export type GemmKernelKind = "relaxed-simd" | "simd128";

/** The compiled module, its memory and its exports; `shared` when the memory is a SharedArrayBuffer's. */
export interface GemmInstance {
  readonly module: object;
  readonly memory: WasmMemory;
  readonly exports: GemmExports;
  readonly shared: boolean;
}

// undefined: not tried yet; null: no WebAssembly SIMD here. The compiled modules outlive the
// instances (an instance is dropped with its memory, see WASM_MEMORY_KEEP_BYTES).
let modules: { plain: object; shared: object | null; kind: GemmKernelKind } | null | undefined;
let instance: GemmInstance | undefined;
let views: { f32: Float32Array; f64: Float64Array } | undefined;

const decode = (base64: string): Uint8Array => Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));

/**
 * The kernels' instance, created on first use over a new memory: a shared one where this runtime
 * has shared WebAssembly memory (Node; a cross-origin-isolated page or worker), so the thread pool
 * can run the same exports over it, an ordinary one elsewhere. Null without WebAssembly SIMD.
 */
export function load(): GemmInstance | null {
  if (modules === undefined) {
    try {
      const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
      if (wasm === undefined) throw new Error("no WebAssembly");
      const relaxedBytes = decode(GEMM_RELAXED_WASM_BASE64);
      const kind: GemmKernelKind = wasm.validate(relaxedBytes) ? "relaxed-simd" : "simd128";
      const plain = new wasm.Module(kind === "relaxed-simd" ? relaxedBytes : decode(GEMM_WASM_BASE64));
      let shared: object | null = null;
      if (typeof SharedArrayBuffer === "function") {
        try {
          shared = new wasm.Module(decode(kind === "relaxed-simd" ? GEMM_RELAXED_SHARED_WASM_BASE64 : GEMM_SHARED_WASM_BASE64));
        } catch {
          shared = null; // a runtime with SharedArrayBuffer but without WebAssembly threads
        }
      }
      modules = { plain, shared, kind };
    } catch {
      modules = null; // no WebAssembly or no SIMD (compiling the module fails): JS does the work
    }
  }
  if (modules === null) return null;
  if (instance === undefined) instance = instantiate(modules);
  return instance;
}

function instantiate({ plain, shared }: { plain: object; shared: object | null }): GemmInstance {
  const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  if (shared !== null) {
    try {
      const memory = new wasm.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
      return { module: shared, memory, exports: new wasm.Instance(shared, { env: { memory } }).exports as GemmExports, shared: true };
    } catch {
      // a page without cross-origin isolation may compile the module and still refuse the memory
    }
  }
  const memory = new wasm.Memory({ initial: 1, maximum: MAX_PAGES });
  return { module: plain, memory, exports: new wasm.Instance(plain, { env: { memory } }).exports as GemmExports, shared: false };
}

/**
 * The kernels' instance when its memory is shared (the thread pool can run over it), grown to at
 * least `bytes`, with float32 and float64 views of it; null where there is no shared instance or it
 * cannot grow so far. For other kernels that borrow the pool (kernels/parallel-map.ts); they call
 * {@link releaseLargeMemory} when done.
 */
export function sharedMemoryViews(bytes: number): { instance: GemmInstance; f32: Float32Array; f64: Float64Array } | null {
  const loaded = load();
  if (loaded === null || !loaded.shared || memoryView(loaded.memory, bytes, new Float32Array(0)) === null) return null;
  return { instance: loaded, f32: views!.f32, f64: views!.f64 };
}

/** After a product: drops the instance if its memory grew past WASM_MEMORY_KEEP_BYTES. */
export function releaseLargeMemory(): void {
  if (instance !== undefined && instance.memory.buffer.byteLength > memoryKeepBytes) {
    instance = undefined;
    views = undefined;
  }
}

/**
 * Starts the thread pool over the kernels' shared memory (if `getNumThreads()` allows more than one
 * thread here) and resolves, once its workers are up, with the threads a large product uses now.
 * For tests and benchmarks: products themselves never wait, they use the workers that are ready.
 */
export function gemmThreadsReady(): Promise<number> {
  const loaded = load();
  return threadsReady(loaded !== null && loaded.shared ? loaded : null);
}

/** True when this runtime compiles the SIMD kernels (Node ≥ 16.4, current browsers). */
export function wasmGemmAvailable(): boolean {
  return load() !== null;
}

/** Which build of the kernels this runtime runs (see {@link GemmKernelKind}); null without WebAssembly SIMD. */
export function wasmGemmKernel(): GemmKernelKind | null {
  return load() === null ? null : modules!.kind;
}

/**
 * For tests only: the memory a product may leave behind before the instance is dropped (default
 * WASM_MEMORY_KEEP_BYTES), so the give-back path can run with today's small budgets.
 */
export function setMemoryKeepBytesForTesting(bytes: number = WASM_MEMORY_KEEP_BYTES): void {
  memoryKeepBytes = bytes;
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

// `rows` rows of `cols` elements from src (rows sStride apart) to dst (rows dStride apart): one
// `set` when both are dense, else row by row through a RunCopier (8-byte word moves; `set` for
// rows of 2048+). A `set` per row costs a subarray each: for the 2048 rows of 128 float32 of a
// transposed A's block (Aᵀ·B, 2048³) that was 100 ms of a 460 ms product.
function copyBlock(
  dst: WasmFloatArray, dOff: number, dStride: number, src: WasmFloatArray, sOff: number, sStride: number,
  rows: number, cols: number,
): void {
  if (cols === dStride && cols === sStride) {
    dst.set(src.subarray(sOff, sOff + rows * cols), dOff);
    return;
  }
  const copier = new RunCopier(dst, src);
  for (let i = 0; i < rows; i++) copier.copy(dOff + i * dStride, sOff + i * sStride, cols);
}

// acc[rows × cols, rows n apart] += src[rows × cols, rows sStride apart].
function addBlock(acc: Float64Array, aOff: number, n: number, src: WasmFloatArray, sOff: number, sStride: number, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) {
    for (let j = 0, s = sOff + i * sStride, d = aOff + i * n; j < cols; j++) acc[d + j] += src[s + j];
  }
}

/**
 * The shares of the kernel calls over `panels` packed panels of A (at apIdx, 4 rows each) that
 * compute their rows of C (at cIdx; element indices), `parts` of them at most: contiguous ranges
 * of whole panels, as even as can be; each share has its own float64 totals. The ranges depend on
 * `parts`; the sums in each row do not.
 */
function panelShares(size: number, parts: number, apIdx: number, bpIdx: number, cIdx: number, panels: number, steps: number, colsPad: number): Share[] {
  parts = Math.min(parts, panels);
  const shares: Share[] = [];
  for (let t = 0, first = 0; t < parts; t++) {
    const count = Math.floor(panels / parts) + (t < panels % parts ? 1 : 0);
    const [ap, c] = [size * (apIdx + first * A_PANEL_ROWS * steps), size * (cIdx + first * A_PANEL_ROWS * colsPad)];
    shares.push([size === 4
      ? { fn: "gemmF32", args: [ap, size * bpIdx, c, count, steps, colsPad, t * TOTALS_BYTES, K_BLOCK] }
      : { fn: "gemmF64", args: [ap, size * bpIdx, c, count, steps, colsPad] }]);
    first += count;
  }
  return shares;
}

/**
 * C[m×n] = A·B, written at `c[cOff..]`, with B given as Bᵀ (`bLayout` "nk") or as it is ("kn") and
 * A as it is (`aLayout` "mk") or as Aᵀ ("km", k×m row-major); the same contract as `gemm`. All
 * three arrays are Float32Array (float32 sums over blocks of K_BLOCK steps, added up in float64)
 * or all Float64Array (float64 sums, the JS kernel's bit for bit when k fits one pass). Returns
 * false, having written nothing, when WebAssembly SIMD is unavailable.
 */
export function gemmWasm(
  c: WasmFloatArray, cOff: number, a: WasmFloatArray, aOff: number, b: WasmFloatArray, bOff: number,
  m: number, k: number, n: number, bLayout: BLayout = "nk", aLayout: ALayout = "mk",
): boolean {
  const loaded = load();
  if (loaded === null) return false;
  const wasm = loaded.exports;
  if (m === 0 || n === 0) return true;
  if (k === 0) {
    c.fill(0, cOff, cOff + m * n);
    return true;
  }
  const size = c.BYTES_PER_ELEMENT;
  const width = PANEL_BYTES / size; // columns per panel of B
  // One pass: kc steps of k × nc columns of B (whole panels), as much as PACKED_B_BYTES holds, and
  // no more steps than a panel of A and its raw rows can hold in ROW_CHUNK_BYTES (65536 float32,
  // 32768 float64).
  const kc = Math.min(k, PACKED_B_BYTES / PANEL_BYTES, ROW_CHUNK_BYTES / (2 * A_PANEL_ROWS * size));
  const nc = Math.min(Math.ceil(n / width), Math.max(1, Math.floor(PACKED_B_BYTES / (PANEL_BYTES * kc)))) * width;
  // A chunk's packed A and, in one area, its raw rows (until packed) then its rows of C.
  const fit = Math.floor(ROW_CHUNK_BYTES / (size * (kc + Math.max(kc, nc))));
  const rows = Math.min(m, Math.max(A_PANEL_ROWS, fit - (fit % A_PANEL_ROWS)));
  const chunkPanels = Math.ceil(rows / A_PANEL_ROWS);
  const threads = threadsFor(loaded.shared ? loaded : null, m * k * n, chunkPanels, THREAD_MIN_WORK);
  const parts = threads > 1 ? Math.min(threads * SHARES_PER_THREAD, MAX_SHARES) : 1;
  // Element indices into memory, each area 16-byte aligned: each share's totals, the packed panels
  // of B, the packed panels of A, then the chunk's raw A, which its C rows overwrite once A is
  // packed. A block of B as it comes (for packing) goes where packed A and C go later.
  const align = (idx: number): number => Math.ceil(idx / (16 / size)) * (16 / size);
  const bpIdx = (parts * TOTALS_BYTES) / size;
  const apIdx = align(bpIdx + nc * kc);
  const cIdx = align(apIdx + chunkPanels * A_PANEL_ROWS * kc);
  const [rawB, rawA] = [apIdx, cIdx];
  const end = Math.max(apIdx + nc * kc, cIdx + Math.max(chunkPanels * A_PANEL_ROWS * nc, rows * kc));
  const mem = memoryView(loaded.memory, size * end, c);
  if (mem === null) return false;
  const packA = aLayout === "km"
    ? (r: number, steps: number) => wasm.packRows(size * rawA, size * apIdx, r, steps, size, A_PANEL_ROWS * size)
    : (r: number, steps: number) => (size === 4 ? wasm.packTransposedF32x4 : wasm.packTransposedF64)(size * rawA, size * apIdx, r, steps);
  // With more than one pass over k, each pass gives a partial C, summed here in float64.
  const partials = kc < k ? new Float64Array(m * n) : null;
  for (let j0 = 0; j0 < n; j0 += nc) {
    const cols = Math.min(nc, n - j0);
    const colsPad = Math.ceil(cols / width) * width;
    for (let p0 = 0; p0 < k; p0 += kc) {
      const steps = Math.min(kc, k - p0);
      if (bLayout === "kn") {
        copyBlock(mem, rawB, cols, b, bOff + p0 * n + j0, n, steps, cols);
        wasm.packRows(size * rawB, size * bpIdx, cols, steps, size, PANEL_BYTES);
      } else {
        copyBlock(mem, rawB, steps, b, bOff + j0 * k + p0, k, cols, steps);
        (size === 4 ? wasm.packTransposedF32 : wasm.packTransposedF64)(size * rawB, size * bpIdx, cols, steps);
      }
      for (let i0 = 0; i0 < m; i0 += rows) {
        const r = Math.min(rows, m - i0);
        const panels = Math.ceil(r / A_PANEL_ROWS);
        if (aLayout === "km") copyBlock(mem, rawA, r, a, aOff + p0 * m + i0, m, steps, r);
        else copyBlock(mem, rawA, steps, a, aOff + i0 * k + p0, k, r, steps);
        packA(r, steps);
        if (parts > 1) runOnThreads(loaded, panelShares(size, parts, apIdx, bpIdx, cIdx, panels, steps, colsPad));
        else if (size === 4) wasm.gemmF32(size * apIdx, size * bpIdx, size * cIdx, panels, steps, colsPad, 0, K_BLOCK);
        else wasm.gemmF64(size * apIdx, size * bpIdx, size * cIdx, panels, steps, colsPad);
        if (partials) addBlock(partials, i0 * n + j0, n, mem, cIdx, colsPad, r, cols);
        else copyBlock(c, cOff + i0 * n + j0, n, mem, cIdx, colsPad, r, cols);
      }
    }
  }
  if (partials) c.set(partials, cOff);
  releaseLargeMemory();
  return true;
}

/** Bytes of memory the WASM module holds now (0 before first use): bounded by the pass budgets. */
export function wasmGemmMemoryBytes(): number {
  return instance ? instance.memory.buffer.byteLength : 0;
}
