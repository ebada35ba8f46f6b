/**
 * The WebAssembly SIMD GEMM (kernels/wasm) and its dispatch from `gemm`: float32 results against a
 * float64 reference and float64 results against the JS kernel, bit for bit, on edge shapes,
 * offsets, both layouts of A and of B, chunked tall operands, reused and given-back memory; the
 * relaxed-SIMD (fused) and SIMD128 builds, each in a child process; which kernel `gemm` picks;
 * the JS fallback where WebAssembly SIMD is missing; and matmul / linear forward and backward
 * through the public API in float32 against the same computation in float64.
 *
 * float32 sums carry rounding error that grows with k; the bound used is the standard one,
 * |C − C₆₄| ≤ tol·(|A|·|B|) elementwise, with tol = 1e-5 (≈ 170 float32 ulps, ample for k ≤ 1024).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, it, expect, vi, afterEach } from "vitest";
import { Generator, gradcheck, linear, rand, randn, tensor, type Tensor } from "@tsgrad/core";
import { gemm, gemmJs, wasmGemmApplies, WASM_GEMM_MIN_WORK, type ALayout, type BLayout } from "../src/kernels/matmul.js";
import { gemmWasm, load, setMemoryKeepBytesForTesting, wasmGemmAvailable, wasmGemmMemoryBytes, K_BLOCK } from "../src/kernels/wasm/gemm.js";
import { GEMM_WAT_SHA256 } from "../src/kernels/wasm/gemm-bytes.js";

const TOL = 1e-5;
const gen = new Generator(2024);
const values = (count: number): Float32Array => randn([count], { generator: gen }).dataSync() as Float32Array;

type FloatArray = Float32Array | Float64Array;

// Checks c[cOff..] against A·Btᵀ in float64 within TOL·(|A|·|B|), and that nothing around it was written.
function expectProduct(c: FloatArray, cOff: number, a: FloatArray, aOff: number, bt: FloatArray, bOff: number, m: number, k: number, n: number, what: string): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let exact = 0;
      let scale = 0;
      for (let p = 0; p < k; p++) {
        const t = a[aOff + i * k + p] * bt[bOff + j * k + p];
        exact += t;
        scale += Math.abs(t);
      }
      const got = c[cOff + i * n + j];
      if (!(Math.abs(got - exact) <= TOL * scale)) expect.fail(`${what}: C[${i}][${j}] = ${got}, expected ${exact} (bound ${TOL * scale})`);
    }
  }
  for (let i = 0; i < cOff; i++) expect(c[i], `${what}: before C`).toBe(-7);
  for (let i = cOff + m * n; i < c.length; i++) expect(c[i], `${what}: after C`).toBe(-7);
}

// Runs `kernel` on fresh operands placed at odd offsets inside larger arrays, A and B stored as
// `aLayout` and `bLayout` say; returns them with A row-major and Bᵀ (which expectProduct reads)
// whichever layouts the kernel was given.
type FloatGemm = (c: FloatArray, cOff: number, a: FloatArray, aOff: number, b: FloatArray, bOff: number, m: number, k: number, n: number, bLayout: BLayout, aLayout: ALayout) => unknown;
function runAtOffsets(kernel: FloatGemm, m: number, k: number, n: number, bLayout: BLayout = "nk", dtype: "float32" | "float64" = "float32", aLayout: ALayout = "mk") {
  const [aOff, bOff, cOff] = [3, 5, 2];
  const make = (count: number): FloatArray => (dtype === "float32" ? values(count) : Float64Array.from(values(count)));
  const a = make(aOff + m * k + 4);
  const at = a.slice();
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) at[aOff + p * m + i] = a[aOff + i * k + p];
  const bt = make(bOff + n * k + 4);
  const b = bt.slice();
  for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) b[bOff + p * n + j] = bt[bOff + j * k + p];
  const c = make(cOff + m * n + 3).fill(-7);
  kernel(c, cOff, aLayout === "mk" ? a : at, aOff, bLayout === "nk" ? bt : b, bOff, m, k, n, bLayout, aLayout);
  return { a, aOff, bt, bOff, c, cOff };
}

const LAYOUTS = [["mk", "nk"], ["mk", "kn"], ["km", "nk"], ["km", "kn"]] as const;

describe("the WASM SIMD gemm kernel", () => {
  it("is built from the current gemm.wat (rerun `npx tsx tools/build-wasm.ts` after editing it)", () => {
    const wat = readFileSync(new URL("../src/kernels/wasm/gemm.wat", import.meta.url), "utf8");
    expect(createHash("sha256").update(wat).digest("hex")).toBe(GEMM_WAT_SHA256);
  });

  it("compiles on this runtime (Node 20 has WebAssembly SIMD), so the tests below exercise it", () => {
    expect(wasmGemmAvailable()).toBe(true);
  });

  it("runs over a shared memory in Node (the thread pool's), imported as env.memory", () => {
    const loaded = load()!;
    expect(loaded.shared).toBe(true);
    expect(loaded.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  const dims = [1, 2, 3, 4, 5, 7, 8, 9, 13, 15, 16, 17, 31, 33];
  const ks = [1, 2, 3, 4, 5, 8, 17, 32, 33];

  it("float32: matches the float64 product on 1×1×1, primes and multiples of 4, 8, 16 ± 1, at offsets, A and B either way", () => {
    for (const [aLayout, bLayout] of LAYOUTS) {
      for (const m of dims) {
        for (const n of dims) {
          for (const k of ks) {
            const r = runAtOffsets(gemmWasm, m, k, n, bLayout, "float32", aLayout);
            expectProduct(r.c, r.cOff, r.a, r.aOff, r.bt, r.bOff, m, k, n, `${m}×${k}×${n} A ${aLayout} B ${bLayout}`);
          }
        }
      }
    }
  });

  it("float32: the layouts of A and B change no bit of C (both are packed into the same panels)", () => {
    for (const [m, k, n] of [[33, 17, 9], [7, 300, 13], [130, 70, 41]]) {
      const results = LAYOUTS.map(([aLayout, bLayout]) => {
        gen.manualSeed(5);
        return runAtOffsets(gemmWasm, m, k, n, bLayout, "float32", aLayout).c;
      });
      for (const c of results.slice(1)) expect(c, `${m}×${k}×${n}`).toEqual(results[0]);
    }
  });

  it("float64: equals the JS kernel bit for bit on the same shapes (same sums in the same order)", () => {
    for (const [aLayout, bLayout] of LAYOUTS) {
      for (const m of dims) {
        for (const n of dims) {
          for (const k of ks) {
            const r = runAtOffsets(gemmWasm, m, k, n, bLayout, "float64", aLayout);
            const js = new Float64Array(r.c.length).fill(-7);
            gemmJs(js, r.cOff, r.a, r.aOff, r.bt, r.bOff, m, k, n);
            if (!js.every((v, i) => v === r.c[i])) expect.fail(`float64 ${m}×${k}×${n} A ${aLayout} B ${bLayout}: differs from gemmJs`);
          }
        }
      }
    }
  });

  it("stays within float32 rounding for k up to 1024", () => {
    for (const [m, k, n, bLayout] of [[37, 1024, 45, "nk"], [129, 257, 130, "kn"], [4, 1023, 8, "nk"], [1, 1024, 1, "kn"]] as const) {
      const r = runAtOffsets(gemmWasm, m, k, n, bLayout);
      expectProduct(r.c, r.cOff, r.a, r.aOff, r.bt, r.bOff, m, k, n, `${m}×${k}×${n} ${bLayout}`);
    }
    // Positive operands cannot cancel, so there the bound is a plain 1e-5 relative tolerance.
    const [m, k, n] = [9, 1024, 19];
    const a = rand([m * k], { generator: gen }).dataSync() as Float32Array;
    const bt = rand([n * k], { generator: gen }).dataSync() as Float32Array;
    const c = new Float32Array(m * n);
    gemmWasm(c, 0, a, 0, bt, 0, m, k, n);
    expectProduct(c, 0, a, 0, bt, 0, m, k, n, "positive 9×1024×19");
  });

  it("writes zeros when k = 0 and nothing when m or n is 0", () => {
    for (const dtype of ["float32", "float64"] as const) {
      for (const bLayout of ["nk", "kn"] as const) {
        const what = `${dtype} ${bLayout}`;
        const r = runAtOffsets(gemmWasm, 5, 0, 9, bLayout, dtype);
        expect(Array.from(r.c.subarray(r.cOff, r.cOff + 45)), what).toEqual(new Array(45).fill(0));
        expectProduct(r.c, r.cOff, r.a, r.aOff, r.bt, r.bOff, 5, 0, 9, `5×0×9 ${what}`);
        for (const [m, n] of [[0, 4], [4, 0], [0, 0]]) {
          const e = runAtOffsets(gemmWasm, m, 3, n, bLayout, dtype);
          expect(e.c.every((v) => v === -7), `${m}×3×${n} ${what}`).toBe(true);
        }
      }
    }
  });

  it("handles A taller than one chunk of rows (the copy goes in pieces), A either way", () => {
    // 2 MiB per chunk / 4 bytes / (k + max(k, nPad)) = 64 rows: eighteen chunks here; in float64,
    // 32 rows, thirty-five chunks.
    const [m, k, n] = [1100, 4096, 5];
    for (const dtype of ["float32", "float64"] as const) {
      for (const aLayout of ["mk", "km"] as const) {
        const r = runAtOffsets(gemmWasm, m, k, n, "nk", dtype, aLayout);
        expectProduct(r.c, r.cOff, r.a, r.aOff, r.bt, r.bOff, m, k, n, `${m}×${k}×${n} ${dtype} A ${aLayout}`);
      }
    }
  });

  it("runs B in blocks of columns when its packed panels exceed one pass (2 MiB), A and B either way", () => {
    // k = 4096: a panel is 128 KiB, so a pass holds 16 panels, 128 float32 or 64 float64 columns.
    for (const dtype of ["float32", "float64"] as const) {
      for (const [aLayout, bLayout] of LAYOUTS) {
        const [m, k, n] = [6, 4096, 301];
        const r = runAtOffsets(gemmWasm, m, k, n, bLayout, dtype, aLayout);
        expectProduct(r.c, r.cOff, r.a, r.aOff, r.bt, r.bOff, m, k, n, `${m}×${k}×${n} ${dtype} A ${aLayout} B ${bLayout}`);
      }
    }
  });

  it("runs k in passes (65536 float32, 32768 float64 steps) when it is longer, summing the partial products in float64", () => {
    for (const dtype of ["float32", "float64"] as const) {
      for (const [aLayout, bLayout] of LAYOUTS) {
        for (const [m, k, n] of [[5, 70001, 9], [1, 131073, 1]]) {
          const r = runAtOffsets(gemmWasm, m, k, n, bLayout, dtype, aLayout);
          expectProduct(r.c, r.cOff, r.a, r.aOff, r.bt, r.bOff, m, k, n, `${m}×${k}×${n} ${dtype} A ${aLayout} B ${bLayout}`);
        }
      }
    }
  });

  it("sums float32 k in blocks of K_BLOCK steps: 2²⁴ + 8 ones come out exact, not stuck at 2²⁴", () => {
    // A plain float32 running sum stops growing at 2²⁴ = 16777216 (adding 1 rounds away).
    const k = 2 ** 24 + 8;
    const a = new Float32Array(k).fill(1);
    const c = new Float32Array(1);
    gemmWasm(c, 0, a, 0, a, 0, 1, k, 1);
    expect(c[0]).toBe(k);
    expect(K_BLOCK).toBeLessThan(k);
  });

  it("keeps its memory bounded (about 4 MiB) whatever the size of the product", () => {
    const k = 3e6;
    const a = new Float32Array(k).fill(0.5);
    const c = new Float32Array(1);
    gemmWasm(c, 0, a, 0, a, 0, 1, k, 1);
    expect(c[0]).toBe(k / 4);
    runAtOffsets(gemmWasm, 600, 700, 800, "kn", "float64");
    expect(wasmGemmMemoryBytes()).toBeLessThanOrEqual(4.5 * 2 ** 20);
  });

  it("gives its memory back when a product left more than the keep limit: the next product starts on a fresh one", () => {
    // Today's budgets keep the memory near 4 MiB, under WASM_MEMORY_KEEP_BYTES; a lower limit
    // makes an ordinary product cross it, so the give-back runs here.
    try {
      runAtOffsets(gemmWasm, 40, 50, 60);
      const first = load()!;
      setMemoryKeepBytesForTesting(1 << 20);
      const r = runAtOffsets(gemmWasm, 600, 700, 800, "kn", "float32", "km");
      expectProduct(r.c, r.cOff, r.a, r.aOff, r.bt, r.bOff, 600, 700, 800, "600×700×800, before the give-back");
      expect(wasmGemmMemoryBytes(), "dropped after the product").toBe(0);
      setMemoryKeepBytesForTesting();
      const again = runAtOffsets(gemmWasm, 300, 200, 100, "nk", "float64");
      expectProduct(again.c, again.cOff, again.a, again.aOff, again.bt, again.bOff, 300, 200, 100, "300×200×100 on the new memory");
      expect(load(), "a new instance").not.toBe(first);
      expect(wasmGemmMemoryBytes()).toBeLessThanOrEqual(4.5 * 2 ** 20);
    } finally {
      setMemoryKeepBytesForTesting();
    }
  });

  it("is not confused by what earlier, larger calls, of either dtype, left in its memory", () => {
    runAtOffsets(gemmWasm, 300, 300, 300);
    runAtOffsets(gemmWasm, 200, 400, 300, "kn", "float64");
    for (const [m, k, n] of [[3, 7, 5], [6, 2, 11], [1, 1, 1]]) {
      for (const dtype of ["float32", "float64"] as const) {
        const r = runAtOffsets(gemmWasm, m, k, n, "nk", dtype);
        expectProduct(r.c, r.cOff, r.a, r.aOff, r.bt, r.bOff, m, k, n, `${m}×${k}×${n} ${dtype} after larger calls`);
      }
    }
  });
});

describe("the WASM kernel's memory after a large product (child process, node --expose-gc)", () => {
  // Before: the module's memory grew to hold the whole product and never shrank, 160 MB of RSS
  // kept after one [1, 4e6] @ [4e6, 1] (PyTorch: 3 MB) and 840 MB after k = 2e7.
  it("RSS after GC returns to within 8 MiB of its level before [1, k] @ [k, 1], k = 4e6 and 2e7", () => {
    const child = fileURLToPath(new URL("./child/wasm-memory.ts", import.meta.url));
    for (const k of [4e6, 2e7]) {
      const run = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", "--conditions=@tsgrad/source", child, String(k)], { encoding: "utf8" });
      expect(run.status, run.stderr).toBe(0);
      const { before, after, product, kernelBytes } = JSON.parse(run.stdout) as { before: number; after: number; product: number; kernelBytes: number };
      expect(product, `k = ${k}`).toBe(k);
      expect(after - before, `k = ${k}: RSS ${before} -> ${after} bytes`).toBeLessThanOrEqual(8 * 2 ** 20);
      expect(kernelBytes, `k = ${k}`).toBeLessThanOrEqual(4.5 * 2 ** 20);
    }
  });
});

describe("the two builds of the kernels: relaxed SIMD (fused multiply-add) and plain SIMD128 (child processes)", () => {
  // Node 20 compiles relaxed SIMD only behind --experimental-wasm-relaxed-simd; browsers and
  // Node 22+ have it on. The fused build must be picked where it validates, and both must give
  // the float32 bound on every layout and the same bits on 1 to 4 threads.
  const child = fileURLToPath(new URL("./child/relaxed-gemm.ts", import.meta.url));
  const run = (flag: string) => {
    const out = spawnSync(process.execPath, [flag, "--import", "tsx", "--conditions=@tsgrad/source", child], { encoding: "utf8" });
    expect(out.status, out.stderr).toBe(0);
    return JSON.parse(out.stdout) as { kernel: string; probe: number; worst: number; threadsAgree: boolean; long: { signed: boolean; error: number; bar: number }[] };
  };
  // V8 emits a fused multiply-add for relaxed_madd where the CPU has FMA3, else a multiply and an add.
  const cpuHasFma = ((): boolean => {
    try {
      return /^flags\s*:.*\bfma\b/m.test(readFileSync("/proc/cpuinfo", "utf8"));
    } catch {
      return false;
    }
  })();

  it("with --experimental-wasm-relaxed-simd: the relaxed build, fused where the CPU has FMA, within the float32 bound and PyTorch's long-k error", () => {
    const r = run("--experimental-wasm-relaxed-simd");
    expect(r.kernel).toBe("relaxed-simd");
    expect(r.probe).toBe(cpuHasFma ? -(2 ** -46) : 0);
    expect(r.worst).toBeLessThanOrEqual(1);
    expect(r.threadsAgree).toBe(true);
    expect(r.long).toHaveLength(2);
    for (const c of r.long) expect(c.error, `k = 4e6, ${c.signed ? "signed" : "positive"} data`).toBeLessThanOrEqual(c.bar);
  }, 60_000);

  it("with --no-experimental-wasm-relaxed-simd: the SIMD128 build, a rounded multiply then an add, within the same bounds", () => {
    const r = run("--no-experimental-wasm-relaxed-simd");
    expect(r.kernel).toBe("simd128");
    expect(r.probe).toBe(0);
    expect(r.worst).toBeLessThanOrEqual(1);
    expect(r.threadsAgree).toBe(true);
    for (const c of r.long) expect(c.error, `k = 4e6, ${c.signed ? "signed" : "positive"} data`).toBeLessThanOrEqual(c.bar);
  }, 60_000);

});

describe("gemm dispatch", () => {
  const differs = (x: Float32Array, y: Float32Array): boolean => x.some((v, i) => v !== y[i]);

  it("sends float32 products of at least WASM_GEMM_MIN_WORK multiply-adds to WASM, smaller ones to JS", () => {
    for (const [m, k, n] of [[16, 64, 16], [8, 16, 8]]) {
      const a = values(m * k);
      const bt = values(n * k);
      const [viaGemm, viaJs, viaWasm] = [0, 1, 2].map(() => new Float32Array(m * n));
      gemm(viaGemm, 0, a, 0, bt, 0, m, k, n);
      gemmJs(viaJs, 0, a, 0, bt, 0, m, k, n);
      gemmWasm(viaWasm, 0, a, 0, bt, 0, m, k, n);
      // float32 vs float64 sums: the two kernels round differently, which tells them apart.
      expect(differs(viaJs, viaWasm), `${m}×${k}×${n}: kernels differ`).toBe(true);
      expect(viaGemm).toEqual(m * k * n >= WASM_GEMM_MIN_WORK ? viaWasm : viaJs);
    }
  });

  it("runs a small product with a row-major B (\"kn\") in JS by transposing B, float32 and float64", () => {
    for (const dtype of ["float32", "float64"] as const) {
      for (const [m, k, n] of [[5, 7, 9], [1, 3, 1], [3, 0, 2], [13, 4, 17]]) {
        expect(m * k * n).toBeLessThan(WASM_GEMM_MIN_WORK);
        const r = runAtOffsets(gemm, m, k, n, "kn", dtype);
        const js = r.c.slice().fill(-7);
        gemmJs(js, r.cOff, r.a, r.aOff, r.bt, r.bOff, m, k, n);
        expect(r.c, `${m}×${k}×${n} ${dtype}`).toEqual(js);
      }
    }
  });

  it("sends large float64 products to WASM (the same sums as JS), and keeps int32 products in JS", () => {
    const [m, k, n] = [16, 64, 16];
    const a = Float64Array.from(values(m * k));
    const bt = Float64Array.from(values(n * k));
    const [viaGemm, viaJs] = [new Float64Array(m * n), new Float64Array(m * n)];
    expect(wasmGemmApplies("float64", m, k, n)).toBe(true);
    gemm(viaGemm, 0, a, 0, bt, 0, m, k, n);
    gemmJs(viaJs, 0, a, 0, bt, 0, m, k, n);
    expect(viaGemm).toEqual(viaJs);
    expect(wasmGemmApplies("int32", m, k, n)).toBe(false);
    const ints = Int32Array.from({ length: m * k }, (_, i) => (i % 7) - 3);
    const out = new Int32Array(m * m);
    gemm(out, 0, ints, 0, ints, 0, m, k, m);
    let diag = 0;
    for (let p = 0; p < k; p++) diag += ints[p] * ints[p];
    expect(out[0]).toBe(diag);
  });

  describe("without WebAssembly SIMD", () => {
    afterEach(() => {
      vi.unstubAllGlobals();
      vi.resetModules();
    });

    it("falls back to the JS kernel when the module does not compile", async () => {
      const compileError = vi.fn(function compile() {
        throw new Error("CompileError: invalid opcode 0xfd");
      });
      vi.stubGlobal("WebAssembly", { Module: compileError, Instance: vi.fn(), validate: vi.fn(() => false) });
      vi.resetModules();
      const fresh = await import("../src/kernels/matmul.js");
      const freshWasm = await import("../src/kernels/wasm/gemm.js");
      const [m, k, n] = [20, 30, 40];
      const a = values(m * k);
      const bt = values(n * k);
      const [viaGemm, viaJs] = [new Float32Array(m * n), new Float32Array(m * n)];
      fresh.gemm(viaGemm, 0, a, 0, bt, 0, m, k, n);
      gemmJs(viaJs, 0, a, 0, bt, 0, m, k, n);
      expect(viaGemm).toEqual(viaJs);
      expect(freshWasm.wasmGemmAvailable()).toBe(false);
      expect(compileError).toHaveBeenCalledTimes(1); // tried once, not on every call
    });

    it("uses an ordinary memory, with the same results, where there is no SharedArrayBuffer", async () => {
      const [m, k, n] = [37, 45, 29];
      const a = values(m * k);
      const bt = values(n * k);
      const [viaShared, viaPlain] = [new Float32Array(m * n), new Float32Array(m * n)];
      gemmWasm(viaShared, 0, a, 0, bt, 0, m, k, n);
      vi.stubGlobal("SharedArrayBuffer", undefined);
      vi.resetModules();
      const freshWasm = await import("../src/kernels/wasm/gemm.js");
      expect(freshWasm.gemmWasm(viaPlain, 0, a, 0, bt, 0, m, k, n)).toBe(true);
      expect(freshWasm.load()!.shared).toBe(false);
      expect(freshWasm.load()!.memory.buffer).toBeInstanceOf(ArrayBuffer);
      expect(viaPlain).toEqual(viaShared);
    });
  });
});

// Each float32 result against the same computation in float64, within TOL·bound (bound ≥ 0, float64).
function expectWithin(actual: Tensor, exact: Tensor, bound: Tensor, what: string): void {
  expect(actual.dtype, what).toBe("float32");
  expect(actual.shape, what).toEqual(exact.shape);
  const [x, y, s] = [actual.to("float64").dataSync(), exact.dataSync(), bound.dataSync()];
  for (let i = 0; i < y.length; i++) {
    if (!(Math.abs(x[i] - y[i]) <= TOL * s[i] + 1e-30)) expect.fail(`${what}: element ${i} is ${x[i]}, expected ${y[i]} (bound ${TOL * s[i]})`);
  }
}

const r32 = (shape: number[]): Tensor => randn(shape, { generator: gen });
const as64 = (t: Tensor): Tensor => t.detach().to("float64");
const abs64 = (t: Tensor): Tensor => as64(t).abs();

describe("matmul and linear in float32 through the public API", () => {
  it("match float64 on 2-D, 1-D, batched, broadcast and transposed operands", () => {
    const cases: Array<[string, Tensor, Tensor]> = [
      ["2-D", r32([37, 45]), r32([45, 29])],
      ["vector · matrix", r32([300]), r32([300, 17])],
      ["matrix · vector", r32([70, 300]), r32([300])],
      ["batched", r32([3, 17, 33]), r32([3, 33, 9])],
      ["broadcast batch", r32([2, 1, 17, 33]), r32([3, 33, 9])],
      ["matrix · batch", r32([17, 33]), r32([4, 33, 25])],
      ["transposed views", r32([40, 31]).T, r32([19, 40]).T],
      ["k = 1024", r32([12, 1024]), r32([1024, 20])],
    ];
    for (const [what, a, b] of cases) {
      expectWithin(a.matmul(b), as64(a).matmul(as64(b)), abs64(a).matmul(abs64(b)), what);
    }
  });

  it("linear (x·Wᵀ + b) matches float64 for 2-D and 3-D inputs", () => {
    for (const xShape of [[64, 50], [3, 21, 50]]) {
      const [x, w, b] = [r32(xShape), r32([30, 50]), r32([30])];
      const exact = linear(as64(x), as64(w), as64(b));
      const bound = abs64(x).matmul(abs64(w).T).add(abs64(b));
      expectWithin(linear(x, w, b), exact, bound, `linear ${xShape.join("×")}`);
    }
  });

  it("matmul and linear gradients match float64 (the backward matmuls run in WASM too)", () => {
    // loss = Σ (x·w) ⊙ r: dx = r·wᵀ and dw = xᵀ·r, each a product of its own.
    const [x, w, r] = [r32([33, 40]).requiresGrad_(true), r32([40, 27]).requiresGrad_(true), r32([33, 27])];
    x.matmul(w).mul(r).sum().backward();
    const [x64, w64, r64] = [as64(x).requiresGrad_(true), as64(w).requiresGrad_(true), as64(r)];
    x64.matmul(w64).mul(r64).sum().backward();
    expectWithin(x.grad!, x64.grad!, abs64(r).matmul(abs64(w).T), "matmul dx");
    expectWithin(w.grad!, w64.grad!, abs64(x).T.matmul(abs64(r)), "matmul dw");

    const [xl, wl, bl] = [r32([2, 30, 40]).requiresGrad_(true), r32([27, 40]).requiresGrad_(true), r32([27]).requiresGrad_(true)];
    const rl = r32([2, 30, 27]);
    linear(xl, wl, bl).mul(rl).sum().backward();
    const [xl64, wl64, bl64] = [as64(xl), as64(wl), as64(bl)].map((t) => t.requiresGrad_(true));
    linear(xl64, wl64, bl64).mul(as64(rl)).sum().backward();
    expectWithin(xl.grad!, xl64.grad!, abs64(rl).matmul(abs64(wl)), "linear dx");
    expectWithin(wl.grad!, wl64.grad!, abs64(rl).reshape(-1, 27).T.matmul(abs64(xl).reshape(-1, 40)), "linear dW");
    expectWithin(bl.grad!, bl64.grad!, abs64(rl).reshape(-1, 27).sum(0), "linear db");
  });

  it("gradcheck in float64 passes on products above the WASM threshold", () => {
    const r64 = (shape: number[]): Tensor => randn(shape, { dtype: "float64", requiresGrad: true, generator: gen });
    const [a, b] = [r64([9, 13]), r64([13, 11])];
    expect(9 * 13 * 11).toBeGreaterThanOrEqual(WASM_GEMM_MIN_WORK);
    expect(gradcheck((a, b) => a.matmul(b), [a, b])).toBe(true);
    const [x, w, bias] = [r64([2, 9, 13]), r64([11, 13]), r64([11])];
    expect(gradcheck((x, w, bias) => linear(x, w, bias), [x, w, bias])).toBe(true);
  });

  it("gives exact results where float32 sums are exact (small integers)", () => {
    const a = tensor(Array.from({ length: 20 }, (_, i) => Array.from({ length: 30 }, (_, p) => ((i + 2 * p) % 5) - 2)));
    const b = tensor(Array.from({ length: 30 }, (_, p) => Array.from({ length: 10 }, (_, j) => ((p * j) % 3) - 1)));
    expect(a.matmul(b).toArray()).toEqual(a.to("float64").matmul(b.to("float64")).toArray());
  });
});
