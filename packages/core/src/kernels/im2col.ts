/**
 * im2col and col2im over typed arrays, the kernels under convolution, its transpose and
 * `unfold`/`fold`. Every geometry is three-dimensional (depth, height, width): a 1-d or 2-d
 * convolution is the 3-d one with leading spatial sizes of 1 and kernel 1, so one pair of loops
 * serves every rank. Column `l` of the buffer is output position `l` (row-major over
 * depth·height·width), row `r` is (channel, kd, kh, kw) in that order: PyTorch's weight layout
 * `[out, in, kD, kH, kW]` flattened, so a convolution is one matrix product `W · cols`.
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

/**
 * Writes the column buffer of `src` (contiguous `[channels, D, H, W]` at `srcOff`) into `dst`
 * (`[colRows, colCols]` row-major at `dstOff`, overwritten; out-of-range taps read 0).
 */
export function im2col(src: TypedArray, srcOff: number, g: WindowGeometry, dst: TypedArray, dstOff: number): void {
  walk(src, srcOff, g, dst, dstOff, false);
}

/**
 * The adjoint of {@link im2col}: adds every entry of the column buffer `src` (`[colRows, colCols]`
 * at `srcOff`) into the input position it was read from in `dst` (contiguous `[channels, D, H, W]`
 * at `dstOff`); entries from padding are dropped.
 */
export function col2im(src: TypedArray, srcOff: number, g: WindowGeometry, dst: TypedArray, dstOff: number): void {
  walk(dst, dstOff, g, src, srcOff, true);
}

// One loop nest for both directions: `img` is the [C, D, H, W] side, `col` the column buffer.
// A row of the buffer is zeroed first only when some of its taps fall in the padding; each output
// row copies its in-range span, offsets hoisted out of the element loop.
function walk(img: TypedArray, imgOff: number, g: WindowGeometry, col: TypedArray, colOff: number, add: boolean): void {
  const [D, H, W] = g.input;
  const [KD, KH, KW] = g.kernel;
  const [sd, sh, sw] = g.stride;
  const [pd, ph, pw] = g.padding;
  const [dd, dh, dw] = g.dilation;
  const [OD, OH, OW] = g.output;
  const L = OD * OH * OW;
  const plane = D * H * W;
  let row = colOff;
  for (let c = 0; c < g.channels; c++) {
    const cOff = imgOff + c * plane;
    for (let kd = 0; kd < KD; kd++) {
      const [dLo, dHi] = validRange(D, OD, sd, pd, kd * dd);
      for (let kh = 0; kh < KH; kh++) {
        const [hLo, hHi] = validRange(H, OH, sh, ph, kh * dh);
        for (let kw = 0; kw < KW; kw++, row += L) {
          const [wLo, wHi] = validRange(W, OW, sw, pw, kw * dw);
          const full = wLo === 0 && wHi === OW && hLo === 0 && hHi === OH && dLo === 0 && dHi === OD;
          if (!add && !full) col.fill(0, row, row + L);
          if (wLo >= wHi) continue;
          const n = wHi - wLo;
          for (let od = dLo; od < dHi; od++) {
            const id = od * sd - pd + kd * dd;
            for (let oh = hLo; oh < hHi; oh++) {
              const ih = oh * sh - ph + kh * dh;
              const o = row + (od * OH + oh) * OW + wLo;
              const base = cOff + (id * H + ih) * W - pw + kw * dw + wLo * sw;
              if (add) {
                for (let i = 0; i < n; i++) img[base + i * sw] += col[o + i];
              } else if (sw === 1) {
                if (n >= 32) col.set(img.subarray(base, base + n), o);
                else for (let i = 0; i < n; i++) col[o + i] = img[base + i];
              } else {
                for (let i = 0; i < n; i++) col[o + i] = img[base + i * sw];
              }
            }
          }
        }
      }
    }
  }
}
