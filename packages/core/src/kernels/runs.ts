/**
 * Copies of contiguous runs between two typed arrays of one element type — the inner loop of
 * advanced indexing (rows picked by an index) and of pad (rows placed inside a border).
 *
 * A run of 16 to 2047 elements moves as 8-byte words through Float64Array views of both
 * buffers, made once per {@link RunCopier}: for float32 data two elements per move, for uint8 eight.
 * That beats both an element loop and `TypedArray.set`, whose `subarray` view costs about 60 ns a
 * run (4096 rows of 64 float32: 0.27 → 0.17 ms, medians at load 6). Longer runs use `set` (a
 * memcpy); shorter ones, or runs whose two ends are not equally word-aligned, an element loop.
 * Moving float64 words copies their bits exactly (V8 never canonicalizes a NaN held in a typed
 * array; packages/core/test/long-row-copies.test.ts checks every NaN payload).
 */
import type { TypedArray } from "../dtype.js";

const LONG = 2048;
const SHORT = 16;

/** Element offsets into a storage: Int32 below {@link INT32_OFFSET_LIMIT} elements, Float64 from there. */
export type Offsets = Int32Array | Float64Array;

/** The storage size (2³¹ elements) from which {@link offsetArray} gives Float64 offsets. */
export const INT32_OFFSET_LIMIT = 2 ** 31;

/**
 * A table of `n` offsets into a storage of `storage` elements. Int32 keeps the copy loops in
 * integer arithmetic (Float64 measured 1.5× slower on pad's rows), but would wrap for a uint8 or
 * bool storage of 2³¹ elements or more, and read or write the wrong elements.
 */
export function offsetArray(storage: number, n: number): Offsets {
  return storage < INT32_OFFSET_LIMIT ? new Int32Array(n) : new Float64Array(n);
}

/** Copies runs from `src` into `out` (one element type); see the file comment for how. */
export class RunCopier {
  private readonly wordOut: Float64Array | null = null;
  private readonly wordSrc: Float64Array | null = null;
  /** log2 of the elements per 8-byte word (1 for float32 and int32, 3 for uint8 and bool). */
  private readonly shift: number = 0;
  /** Elements per word − 1: the bits of an element offset within its word. */
  private readonly mask: number = 0;

  constructor(private readonly out: TypedArray, private readonly src: TypedArray) {
    const bytes = out.BYTES_PER_ELEMENT;
    // Word offsets are computed with 32-bit unsigned shifts: both arrays must have fewer than 2^32 elements.
    if (bytes < 8 && src.BYTES_PER_ELEMENT === bytes && out.byteOffset % 8 === 0 && src.byteOffset % 8 === 0 && Math.max(out.length, src.length) < 2 ** 32) {
      this.shift = Math.log2(8 / bytes);
      this.mask = 8 / bytes - 1;
      this.wordOut = new Float64Array(out.buffer, out.byteOffset, Math.floor(out.byteLength / 8));
      this.wordSrc = new Float64Array(src.buffer, src.byteOffset, Math.floor(src.byteLength / 8));
    }
  }

  /**
   * One run per row, for rows `outStride` apart in `out`: row r gets `length` elements from
   * `bases[r] + from` at `r·outStride + at`; rows whose base is negative are skipped.
   */
  copyRows(bases: Offsets, outStride: number, at: number, from: number, length: number): void {
    const { out, src, wordOut: wo, wordSrc: ws, mask, shift } = this;
    if (wo === null || ws === null || length < SHORT || length >= LONG) {
      for (let r = 0, to = at; r < bases.length; r++, to += outStride) if (bases[r] >= 0) this.copy(to, bases[r] + from, length);
      return;
    }
    // The word path of copy() inlined into the row loop: a call per row cost about as much as
    // its 32 word moves (pad's 8192 rows of 64 float32: 0.35 → 0.28 ms into the same output).
    for (let r = 0, to = at; r < bases.length; r++, to += outStride) {
      if (bases[r] < 0) continue;
      let t = to;
      let f = bases[r] + from;
      if ((t & mask) !== (f & mask)) {
        this.copy(t, f, length);
        continue;
      }
      let n = length;
      for (; (t & mask) !== 0; n--) out[t++] = src[f++];
      const words = n >>> shift;
      moveWords(wo, ws, t >>> shift, f >>> shift, words);
      for (let k = words << shift; k < n; k++) out[t + k] = src[f + k];
    }
  }

  /** out[to + i] = src[from + i] for i < length. */
  copy(to: number, from: number, length: number): void {
    const { out, src } = this;
    if (length >= LONG) {
      out.set(src.subarray(from, from + length), to);
      return;
    }
    const wo = this.wordOut;
    const ws = this.wordSrc;
    const mask = this.mask;
    // Masks and unsigned shifts, not % and /: a division per run cost ~0.2 ms over pad's 8704 rows.
    if (wo !== null && ws !== null && length >= SHORT && (to & mask) === (from & mask)) {
      let t = to;
      let f = from;
      let n = length;
      for (; (t & mask) !== 0; n--) out[t++] = src[f++];
      const shift = this.shift;
      const words = n >>> shift;
      moveWords(wo, ws, t >>> shift, f >>> shift, words);
      for (let k = words << shift; k < n; k++) out[t + k] = src[f + k];
      return;
    }
    for (let k = 0; k < length; k++) out[to + k] = src[from + k];
  }
}

/** wo[i + w] = ws[j + w] for w < words (small enough for V8 to inline into both callers). */
function moveWords(wo: Float64Array, ws: Float64Array, i: number, j: number, words: number): void {
  const end = i + words;
  // Eight moves a turn: fastest of 1, 4 and 8 (minima 0.38 / 0.26 / 0.20 ms for pad's 8192 rows of 64 float32).
  for (; i + 7 < end; i += 8, j += 8) {
    wo[i] = ws[j];
    wo[i + 1] = ws[j + 1];
    wo[i + 2] = ws[j + 2];
    wo[i + 3] = ws[j + 3];
    wo[i + 4] = ws[j + 4];
    wo[i + 5] = ws[j + 5];
    wo[i + 6] = ws[j + 6];
    wo[i + 7] = ws[j + 7];
  }
  for (; i < end; i++, j++) wo[i] = ws[j];
}
