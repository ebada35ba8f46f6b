/**
 * Run by wasm-gemm.test.ts in child processes, with and without `--experimental-wasm-relaxed-simd`
 * (Node 20 compiles relaxed SIMD only behind that flag), so both builds of the kernels run in CI.
 * Prints as JSON: which build gemm picked; one float32 product whose value tells a fused
 * multiply-add from a separate multiply and add; and, for odd shapes in every layout of A and B,
 * the worst error against a float64 reference relative to the float32 bound, and whether 1 to 4
 * threads gave the single-thread bits; and, for the long products of numerics.test.ts (k = 4·10⁶),
 * the relative error beside the bar PyTorch's error sets there (2× its best).
 */
import { randn, setNumThreads } from "@tsgrad/core";
import type { ALayout, BLayout } from "../../src/kernels/matmul.js";
import { setCoreLimitForTesting, setWorkersOnlyForTesting } from "../../src/kernels/threads.js";
import { gemmThreadsReady, gemmWasm, wasmGemmKernel } from "../../src/kernels/wasm/gemm.js";
import { NUMERICS, relErr, stream } from "../long-products.js";

// C = (−1)·1 + (1 + 2⁻²³)(1 − 2⁻²³): the second product is 1 − 2⁻⁴⁶ exactly. A fused multiply-add
// keeps it, giving −2⁻⁴⁶; a rounded multiply gives 1, then −1 + 1 = 0.
const fusedProbe = (): number => {
  const e = 2 ** -23;
  const c = new Float32Array(1);
  gemmWasm(c, 0, Float32Array.of(-1, 1 + e), 0, Float32Array.of(1, 1 - e), 0, 1, 2, 1, "kn");
  return c[0];
};

const shapes: [number, number, number][] = [[1, 7, 33], [7, 33, 1], [33, 1023, 7], [130, 257, 67]];
const layouts: [ALayout, BLayout][] = [["mk", "nk"], ["mk", "kn"], ["km", "nk"], ["km", "kn"]];

setCoreLimitForTesting(4);
setWorkersOnlyForTesting(true);
let worst = 0; // max |C − C₆₄| / (1e-5 · Σ|a·b|): at most 1 within the bound
let threadsAgree = true;
for (const [m, k, n] of shapes) {
  const a = randn([m * k]).dataSync() as Float32Array;
  const b = randn([k * n]).dataSync() as Float32Array;
  for (const [aLayout, bLayout] of layouts) {
    const at = (i: number, p: number): number => (aLayout === "mk" ? a[i * k + p] : a[p * m + i]);
    const bt = (p: number, j: number): number => (bLayout === "kn" ? b[p * n + j] : b[j * k + p]);
    let single: Float32Array | null = null;
    for (const threads of [1, 2, 3, 4]) {
      setNumThreads(threads);
      await gemmThreadsReady();
      const c = new Float32Array(m * n);
      gemmWasm(c, 0, a, 0, b, 0, m, k, n, bLayout, aLayout);
      if (single === null) {
        single = c;
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            let [exact, scale] = [0, 0];
            for (let p = 0; p < k; p++) {
              exact += at(i, p) * bt(p, j);
              scale += Math.abs(at(i, p) * bt(p, j));
            }
            worst = Math.max(worst, Math.abs(c[i * n + j] - exact) / (1e-5 * scale));
          }
        }
      } else if (!c.every((v, i) => v === single![i])) {
        threadsAgree = false;
      }
    }
  }
}
const long = NUMERICS.longProducts.map((c) => {
  const out = new Float32Array(1);
  gemmWasm(out, 0, stream(c.k, c.streams[0], c.signed), 0, stream(c.k, c.streams[1], c.signed), 0, 1, c.k, 1);
  return { signed: c.signed, error: relErr(out[0], c.exact), bar: 2 * Math.min(c.torchMmRelErr, c.torchDotRelErr) };
});
console.log(JSON.stringify({ kernel: wasmGemmKernel(), probe: fusedProbe(), worst, threadsAgree, long }));
