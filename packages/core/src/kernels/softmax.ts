/**
 * Softmax-family kernels over contiguous data viewed as [outer, r, inner], along the middle axis.
 * Each row is shifted by its max before exp, so logits of ±1000 stay finite.
 */
import type { TypedArray } from "../dtype.js";

/** Which function of the shifted row to write: softmax, log-softmax, or logsumexp (one value per row). */
export type SoftmaxKind = "softmax" | "logSoftmax" | "logsumexp";

/** Computes `kind` along the middle axis of `x` into `out` (logsumexp's `out` has outer·inner entries). */
export function softmaxAxis(kind: SoftmaxKind, out: TypedArray, x: TypedArray, off: number, outer: number, r: number, inner: number): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = off + o * r * inner + i;
      let m = -Infinity;
      for (let k = 0; k < r; k++) {
        const v = x[base + k * inner];
        if (v > m || v !== v) m = v;
      }
      // A row whose max is ±inf is shifted by 0 instead (PyTorch's logsumexp rule), so the
      // answer is ±inf rather than NaN.
      const shift = kind === "logsumexp" && (m === Infinity || m === -Infinity) ? 0 : m;
      let s = 0;
      for (let k = 0; k < r; k++) s += Math.exp(x[base + k * inner] - shift);
      if (kind === "logsumexp") {
        out[o * inner + i] = Math.log(s) + shift;
      } else if (kind === "softmax") {
        const outBase = base - off;
        for (let k = 0; k < r; k++) out[outBase + k * inner] = Math.exp(x[base + k * inner] - shift) / s;
      } else {
        const outBase = base - off;
        const logS = Math.log(s);
        for (let k = 0; k < r; k++) out[outBase + k * inner] = x[base + k * inner] - shift - logS;
      }
    }
  }
}
