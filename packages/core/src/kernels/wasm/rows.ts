/**
 * Row gathers through WebAssembly (rows.wat): the copy loop of constant pad and of advanced
 * indexing by rows, when the arrays are large. A JS loop moves a row at about a fifth of memcpy's
 * speed, and `set` costs a subarray view per row; rows.wat moves each row with one memory.copy.
 * The source range and the row table are copied into the module's memory, the output is built
 * there and copied out with one `set`. The fill is written in the same pass, only into the gaps
 * the copies leave (one run from the end of each copy to the start of the next), so no byte of
 * the output is written twice: pad's [8, 16, 64, 64] by 2 measured a median of 0.21–0.23 ms
 * this way, against 0.40–0.56 ms in JS and 0.29 ms when the whole output was filled first.
 * When the source range is much larger than the output (a few rows of a big embedding table),
 * copying it in would cost more than it saves, and the caller's JS loop runs instead.
 *
 * The memory is the module's own (not the thread pool's shared one), used by the calling thread
 * only. It grows as needed; after a call that needed more than KEEP_BYTES it is dropped, so a
 * one-off large pad does not hold its size for the life of the program.
 */
import type { TypedArray } from "../../dtype.js";
import { ROWS_WASM_BASE64 } from "./rows-bytes.js";

type GatherRows = (out: number, src: number, bases: number, rows: number, outStride: number, at: number, from: number, len: number, elemShift: number, fill: number, patternLo: number, patternHi: number) => void;
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: { gatherRows: GatherRows } };
  Memory: new (descriptor: { initial: number; maximum: number }) => WasmMemory;
}
type TypedArrayConstructor = new (buffer: ArrayBuffer) => TypedArray;

const PAGE_BYTES = 65536;
/** Memory kept between calls; a call needing more drops the memory afterwards. */
const KEEP_BYTES = 16 << 20;
/** The most one call may use (addresses stay well inside i32). */
const MAX_BYTES = 1 << 30;
/** Outputs smaller than this stay in JS: the copies in and out cost more than they save. */
const MIN_OUTPUT_BYTES = 64 << 10;
/** A source range more than this many times the bytes gathered stays in JS. */
const MAX_SOURCE_RATIO = 4;

// undefined: not tried yet; null: no WebAssembly here (or a CSP refused it).
let module: object | null | undefined;
let instance: { gatherRows: GatherRows; memory: WasmMemory } | undefined;

function wasmApi(): WasmApi | undefined {
  return (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
}

function compiled(): object | null {
  if (module !== undefined) return module;
  const api = wasmApi();
  try {
    module = api === undefined ? null : new api.Module(Uint8Array.from(atob(ROWS_WASM_BASE64), (c) => c.charCodeAt(0)));
  } catch {
    module = null;
  }
  return module;
}

// The instance, with a memory of at least `bytes`; undefined if it cannot have one.
function instanceWith(bytes: number): { gatherRows: GatherRows; memory: WasmMemory } | undefined {
  const mod = compiled();
  const api = wasmApi();
  if (mod === null || api === undefined) return undefined;
  try {
    if (instance === undefined) {
      const memory = new api.Memory({ initial: 1, maximum: MAX_BYTES / PAGE_BYTES });
      instance = { gatherRows: new api.Instance(mod, { env: { memory } }).exports.gatherRows, memory };
    }
    const missing = bytes - instance.memory.buffer.byteLength;
    if (missing > 0) instance.memory.grow(Math.ceil(missing / PAGE_BYTES));
    return instance;
  } catch {
    instance = undefined;
    return undefined;
  }
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8;

/**
 * The gather of `RunCopier.copyRows` for an output written whole: row r of `out` (`outStride`
 * elements, rows back to back from 0) gets `length` elements of `src` from `bases[r] + from` at
 * `at`, and every element no row copy writes gets `fill` (rows with a negative base, and the
 * elements before `at` and after `at + length`). `fill` may be omitted when the copies write every
 * element (`at` 0, `length` equal to `outStride`, no negative base). `out` and `src` must be
 * of one element type. The fill goes in with the copies, into the gaps between them, as a
 * repeated 8-byte pattern of the element.
 *
 * Returns false, having written nothing, when WebAssembly is unavailable or the arrays are too
 * small, too large or too sparse for the detour to pay; the caller then runs its JS loop.
 */
export function gatherRowsWasm(out: TypedArray, src: TypedArray, bases: Int32Array | Float64Array, outStride: number, at: number, from: number, length: number, fill?: number): boolean {
  const size = out.BYTES_PER_ELEMENT;
  if (!(bases instanceof Int32Array) || src.BYTES_PER_ELEMENT !== size || out.length !== bases.length * outStride) return false;
  if (out.byteLength < MIN_OUTPUT_BYTES) return false;
  let lo = Infinity;
  let hi = -Infinity;
  let copied = 0;
  for (let r = 0; r < bases.length; r++) {
    const base = bases[r];
    if (base < 0) continue;
    if (base < lo) lo = base;
    if (base > hi) hi = base;
    copied++;
  }
  if (copied === 0) return false;
  const [first, end] = [lo + from, hi + from + length];
  if ((end - first) > MAX_SOURCE_RATIO * Math.max(copied * length, 1)) return false;
  const srcAt = 0;
  const basesAt = align8((end - first) * size);
  const outAt = align8(basesAt + bases.byteLength);
  const bytes = outAt + out.byteLength;
  if (bytes > MAX_BYTES) return false;
  const wasm = instanceWith(bytes);
  if (wasm === undefined) return false;
  const buffer = wasm.memory.buffer;
  const heap = new (out.constructor as TypedArrayConstructor)(buffer);
  heap.set(src.subarray(first, end), srcAt / size);
  new Int32Array(buffer, basesAt, bases.length).set(bases);
  const outIdx = outAt / size;
  // The fill element repeated over 8 bytes, as two i32 halves.
  const pattern = new Int32Array(new (out.constructor as new (length: number) => TypedArray)(8 / size).fill(fill ?? 0).buffer);
  // bases[r] + from − first is the row's start within the copied range.
  wasm.gatherRows(outAt, srcAt + (from - first) * size, basesAt, bases.length, outStride * size, at * size, 0, length * size, Math.log2(size), fill === undefined ? 0 : 1, pattern[0], pattern[1]);
  out.set(heap.subarray(outIdx, outIdx + out.length));
  if (buffer.byteLength > KEEP_BYTES) instance = undefined;
  return true;
}
