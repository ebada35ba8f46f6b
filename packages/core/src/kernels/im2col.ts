/**
 * im2col and col2im over typed arrays, the kernels under convolution, its transpose and
 * `unfold`/`fold`. Every geometry is three-dimensional (depth, height, width): a 1-d or 2-d
 * convolution is the 3-d one with leading spatial sizes of 1 and kernel 1, so one pair of loops
 * serves every rank. Column `l` of the buffer is output position `l` (row-major over
 * depth·height·width), row `r` is (channel, kd, kh, kw) in that order: PyTorch's weight layout
 * `[out, in, kD, kH, kW]` flattened, so a convolution is one matrix product `W · cols`.
 *
 * A buffer's rows may be longer than one sample's `colCols` columns (`ld`, the row stride): the
 * convolution lays a whole batch side by side, sample `s` in columns `[s·L, (s + 1)·L)`, and
 * multiplies once.
 */
import type { TypedArray } from "../dtype.js";

/** A sliding-window geometry over one plane stack of `channels` channels (sizes d, h, w). */
export interface WindowGeometry {
  /** Channels of the input that one column buffer covers (per group). */
  readonly channels: number;
  /** Input spatial sizes [D, H, W]. */
  readonly input: readonly [number, number, number];
  /** Kernel sizes [kD, kH, kW]. */
  readonly kernel: readonly [number, number, number];
  readonly stride: readonly [number, number, number];
  /** Zeros before the first element of each spatial dim (the ones after are implied by `output`). */
  readonly padding: readonly [number, number, number];
  readonly dilation: readonly [number, number, number];
  /** Output spatial sizes [oD, oH, oW]. */
  readonly output: readonly [number, number, number];
}

/** Rows of the column buffer: channels · kD · kH · kW. */
export function colRows(g: WindowGeometry): number {
  return g.channels * g.kernel[0] * g.kernel[1] * g.kernel[2];
}

/** Columns of the column buffer: oD · oH · oW. */
export function colCols(g: WindowGeometry): number {
  return g.output[0] * g.output[1] * g.output[2];
}

// The output positions o in [lo, hi) whose input index o·s − p + k·d falls inside [0, size).
function validRange(size: number, out: number, s: number, p: number, kOff: number): [number, number] {
  const shift = p - kOff;
  const lo = Math.min(out, Math.max(0, Math.ceil(shift / s)));
  const hi = Math.min(out, Math.max(0, Math.floor((size - 1 + shift) / s) + 1));
  return [lo, Math.max(lo, hi)];
}

// Per row of the buffer, PLAN ints: the input offset of output position 0's tap (it may lie
// outside the input; only in-range positions are read), the in-range output ranges along d, h, w,
// and whether every position is in range. Computed once per call, shared by every sample.
const PLAN = 8;

function windowPlan(g: WindowGeometry): Int32Array {
  const [D, H, W] = g.input;
  const [KD, KH, KW] = g.kernel;
  const [sd, sh, sw] = g.stride;
  const [pd, ph, pw] = g.padding;
  const [dd, dh, dw] = g.dilation;
  const [OD, OH, OW] = g.output;
  const plan = new Int32Array(colRows(g) * PLAN);
  let r = 0;
  for (let c = 0; c < g.channels; c++) {
    for (let kd = 0; kd < KD; kd++) {
      const [dLo, dHi] = validRange(D, OD, sd, pd, kd * dd);
      for (let kh = 0; kh < KH; kh++) {
        const [hLo, hHi] = validRange(H, OH, sh, ph, kh * dh);
        for (let kw = 0; kw < KW; kw++, r += PLAN) {
          const [wLo, wHi] = validRange(W, OW, sw, pw, kw * dw);
          plan[r] = ((c * D + kd * dd - pd) * H + kh * dh - ph) * W + kw * dw - pw;
          plan[r + 1] = dLo; plan[r + 2] = dHi; plan[r + 3] = hLo; plan[r + 4] = hHi; plan[r + 5] = wLo; plan[r + 6] = wHi;
          const empty = dLo >= dHi || hLo >= hHi || wLo >= wHi;
          plan[r + 7] = !empty && wLo === 0 && wHi === OW && hLo === 0 && hHi === OH && dLo === 0 && dHi === OD ? 1 : 0;
          if (empty) plan[r + 1] = plan[r + 2] = 0;
        }
      }
    }
  }
  return plan;
}

/**
 * Writes the column buffer of `src` (contiguous `[channels, D, H, W]` at `srcOff`) into `dst`
 * (`[colRows, colCols]` at `dstOff`, rows `ld` apart, default `colCols`; overwritten, out-of-range
 * taps read 0). With `samples` > 1, sample `s` of `src` (`srcStride` apart) goes to columns
 * `[s·colCols, (s + 1)·colCols)`, so `ld` must be at least `samples · colCols`.
 */
export function im2col(
  src: TypedArray, srcOff: number, g: WindowGeometry, dst: TypedArray, dstOff: number,
  ld = colCols(g), samples = 1, srcStride = 0,
): void {
  walk(src, srcOff, srcStride, g, dst, dstOff, ld, samples, false);
}

/**
 * The adjoint of {@link im2col}: adds every entry of the column buffer `src` (`[colRows, colCols]`
 * at `srcOff`, rows `ld` apart) into the input position it was read from in `dst` (contiguous
 * `[channels, D, H, W]` at `dstOff`); entries from padding are dropped. `samples` and `dstStride`
 * as im2col's.
 */
export function col2im(
  src: TypedArray, srcOff: number, g: WindowGeometry, dst: TypedArray, dstOff: number,
  ld = colCols(g), samples = 1, dstStride = 0,
): void {
  walk(dst, dstOff, dstStride, g, src, srcOff, ld, samples, true);
}

// One loop nest for both directions: `img` is the [C, D, H, W] side (samples imgStride apart),
// `col` the column buffer (sample s in columns [s·L, (s + 1)·L)). im2col zeroes a row first only
// when some of its taps fall in the padding; col2im adds.
function walk(
  img: TypedArray, imgOff: number, imgStride: number, g: WindowGeometry, col: TypedArray, colOff: number, ld: number, samples: number, add: boolean,
): void {
  const plan = windowPlan(g);
  const [, H, W] = g.input;
  const [sd, sh, sw] = g.stride;
  const [, OH, OW] = g.output;
  const L = colCols(g);
  const rows = plan.length / PLAN;
  for (let s = 0; s < samples; s++) {
    for (let r = 0, p = 0; r < rows; r++, p += PLAN) {
      const row = colOff + s * L + r * ld;
      if (!add && plan[p + 7] === 0) col.fill(0, row, row + L);
      const tap = imgOff + s * imgStride + plan[p];
      const dHi = plan[p + 2], hLo = plan[p + 3], hHi = plan[p + 4], wLo = plan[p + 5];
      const n = plan[p + 6] - wLo;
      for (let od = plan[p + 1]; od < dHi; od++) {
        let o = row + (od * OH + hLo) * OW + wLo;
        let b = tap + (od * sd * H + hLo * sh) * W + wLo * sw;
        for (let oh = hLo; oh < hHi; oh++, o += OW, b += sh * W) {
          if (add) for (let i = 0; i < n; i++) img[b + i * sw] += col[o + i];
          else if (sw === 1) for (let i = 0; i < n; i++) col[o + i] = img[b + i];
          else for (let i = 0; i < n; i++) col[o + i] = img[b + i * sw];
        }
      }
    }
  }
}

// ------------------------------------------------------------------------- wide columns

/**
 * Columns per sample of the wide buffer of a stride-1 geometry over a padded input (`padding` 0):
 * column `j` is the output whose window starts at flat input position `j`, for `j` up to the
 * last output's, `((oD − 1)·H + oH − 1)·W + oW`. The columns whose position lies in a row's (or
 * plane's) last `kW − 1` (`kH − 1`) dilated taps belong to no output; they hold other pixels of
 * the input. What this buys: each row of the buffer is one contiguous run of the input.
 */
export function wideCols(g: WindowGeometry): number {
  const [, H, W] = g.input;
  const [OD, OH, OW] = g.output;
  return ((OD - 1) * H + OH - 1) * W + OW;
}

/**
 * {@link im2col} into wide columns ({@link wideCols}) for a stride-1 geometry with no padding
 * (pad the input first, {@link padPlanes}): per row and sample one copy of `wideCols` elements.
 */
export function im2colWide(
  src: TypedArray, srcOff: number, g: WindowGeometry, dst: TypedArray, dstOff: number,
  ld: number, samples: number, srcStride: number,
): void {
  const [D, H, W] = g.input;
  const [KD, KH, KW] = g.kernel;
  const [dd, dh, dw] = g.dilation;
  const Lw = wideCols(g);
  let row = dstOff;
  for (let c = 0; c < g.channels; c++) {
    for (let kd = 0; kd < KD; kd++) {
      for (let kh = 0; kh < KH; kh++) {
        for (let kw = 0; kw < KW; kw++, row += ld) {
          const tap = srcOff + ((c * D + kd * dd) * H + kh * dh) * W + kw * dw;
          for (let s = 0; s < samples; s++) copyRun(dst, row + s * Lw, src, tap + s * srcStride, Lw);
        }
      }
    }
  }
}

/**
 * Copies `planes` planes of sizes `input` (contiguous at `srcOff`) into `dst`, a zero-filled
 * array of planes of sizes `padded`, `before` elements in from the front of each dim (the back
 * padding is what `padded` leaves).
 */
export function padPlanes(
  src: TypedArray, srcOff: number, planes: number, input: readonly [number, number, number],
  before: readonly [number, number, number], padded: readonly [number, number, number], dst: TypedArray,
): void {
  const [D, H, W] = input;
  const [Dp, Hp, Wp] = padded;
  const [pd, ph, pw] = before;
  const n = Math.min(W, Wp - pw);
  for (let p = 0; p < planes; p++) {
    for (let d = 0; d < D && d + pd < Dp; d++) {
      for (let h = 0; h < H && h + ph < Hp; h++) {
        copyRun(dst, ((p * Dp + d + pd) * Hp + h + ph) * Wp + pw, src, srcOff + ((p * D + d) * H + h) * W, n);
      }
    }
  }
}

/** dst[dOff + i] = src[sOff + i] for i < n: `set` for long runs, where it beats the loop. */
export function copyRun(dst: TypedArray, dOff: number, src: TypedArray, sOff: number, n: number): void {
  if (n >= 64) dst.set(src.subarray(sOff, sOff + n), dOff);
  else for (let i = 0; i < n; i++) dst[dOff + i] = src[sOff + i];
}
