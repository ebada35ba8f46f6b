/**
 * The thread pool of the WASM kernels (kernels/threads.ts) and the products it splits: every
 * thread count from 1 to 4 gives the single-thread result bit for bit, within the float32 bound of
 * a float64 reference, at odd sizes, A as it lies and transposed, both layouts of B, float32 and float64, through the kernel
 * and through matmul / linear / convolution; small products stay on the calling thread; setNumThreads
 * checks its argument; without SharedArrayBuffer everything runs on one thread with the same
 * results; and a Node process that used the pool exits by itself (its workers are unref'd).
 *
 * The machine may have fewer than 4 cores: setCoreLimitForTesting lets the pool start more
 * workers than cores (oversubscribed, so slower, but the partitioning is what is under test).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { Generator, convolution, getNumThreads, linear, randn, setNumThreads, type Tensor } from "@tsgrad/core";
import type { ALayout, BLayout } from "../src/kernels/matmul.js";
import { poolReadyForTesting, setCoreLimitForTesting, setWorkersOnlyForTesting, threadStats } from "../src/kernels/threads.js";
import { gemmThreadsReady, gemmWasm, THREAD_MIN_WORK } from "../src/kernels/wasm/gemm.js";

const TOL = 1e-5;
const gen = new Generator(13);
type FloatArray = Float32Array | Float64Array;
const values = (count: number, dtype: "float32" | "float64"): FloatArray => {
  const v = randn([count], { generator: gen }).dataSync() as Float32Array;
  return dtype === "float32" ? v : Float64Array.from(v);
};

// A and B (as `aLayout` and `layout` say) for an m×k×n product, and the float64 reference with its error scale.
function operands(m: number, k: number, n: number, layout: BLayout, dtype: "float32" | "float64", aLayout: ALayout = "mk") {
  const a = values(m * k, dtype);
  const b = values(k * n, dtype);
  const exact = new Float64Array(m * n);
  const scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const x = aLayout === "mk" ? a[i * k + p] : a[p * m + i];
      for (let j = 0; j < n; j++) {
        const t = x * (layout === "kn" ? b[p * n + j] : b[j * k + p]);
        exact[i * n + j] += t;
        scale[i * n + j] += Math.abs(t);
      }
    }
  }
  return { a, b, exact, scale };
}

// Runs the WASM gemm on `threads` threads (the pool up first) and returns C.
async function productOn(threads: number, m: number, k: number, n: number, a: FloatArray, b: FloatArray, layout: BLayout, aLayout: ALayout = "mk"): Promise<FloatArray> {
  setNumThreads(threads);
  expect(await gemmThreadsReady()).toBe(threads);
  const c = new (a.constructor as new (n: number) => FloatArray)(m * n);
  expect(gemmWasm(c, 0, a, 0, b, 0, m, k, n, layout, aLayout)).toBe(true);
  return c;
}

describe("setNumThreads / getNumThreads", () => {
  afterEach(() => setNumThreads(64));

  it("getNumThreads is every core by default, what setNumThreads set, and never more than the cores", () => {
    const cores = getNumThreads();
    expect(cores).toBeGreaterThanOrEqual(1);
    setNumThreads(1);
    expect(getNumThreads()).toBe(1);
    setNumThreads(cores + 5);
    expect(getNumThreads()).toBe(cores);
  });

  it("rejects anything but a positive integer, naming the op and the value", () => {
    expect(() => setNumThreads(0)).toThrow(new RangeError("setNumThreads: n must be a positive integer, got 0"));
    expect(() => setNumThreads(-2)).toThrow("setNumThreads: n must be a positive integer, got -2");
    expect(() => setNumThreads(1.5)).toThrow("setNumThreads: n must be a positive integer, got 1.5");
    expect(() => setNumThreads(NaN)).toThrow("setNumThreads: n must be a positive integer, got NaN");
    expect(() => setNumThreads(Infinity)).toThrow("setNumThreads: n must be a positive integer, got Infinity");
    expect(() => setNumThreads("2" as unknown as number)).toThrow(new TypeError('setNumThreads: n must be a positive integer, got "2"'));
    expect(() => (setNumThreads as (n?: number) => void)()).toThrow("setNumThreads: n must be a positive integer, got undefined");
  });
});

describe("products split among 1 to 4 threads", () => {
  // The workers take every share of a split product: the main thread would otherwise often take
  // them all before a worker wakes, and the comparisons below would not exercise the workers.
  beforeAll(() => {
    setCoreLimitForTesting(4);
    setWorkersOnlyForTesting(true);
  });
  afterAll(() => {
    setCoreLimitForTesting(undefined);
    setWorkersOnlyForTesting(false);
    setNumThreads(64);
  });

  // Odd sizes, with k longer than one pass (65536 steps) in the last.
  const shapes: [number, number, number][] = [[1023, 33, 7], [33, 1023, 33], [7, 1023, 1023], [1023, 7, 33], [1, 1023, 1023], [37, 70001, 9]];
  // A as it lies (A·B, A·Bᵀ) and transposed (Aᵀ·B, the weight gradient gᵀ·x).
  const layouts = [["mk", "nk"], ["mk", "kn"], ["km", "kn"]] as const;
  for (const dtype of ["float32", "float64"] as const) {
    for (const [aLayout, layout] of layouts) {
      it(`${dtype}, A ${aLayout}, B ${layout}: the same bits for every thread count, within the bound of a float64 reference`, async () => {
        for (const [m, k, n] of dtype === "float64" ? shapes.slice(0, 3) : shapes) {
          const { a, b, exact, scale } = operands(m, k, n, layout, dtype, aLayout);
          const single = await productOn(1, m, k, n, a, b, layout, aLayout);
          for (let i = 0; i < single.length; i++) {
            const tol = dtype === "float32" ? TOL * scale[i] : 1e-13 * scale[i];
            if (!(Math.abs(single[i] - exact[i]) <= tol)) expect.fail(`${m}×${k}×${n}: C[${i}] = ${single[i]}, expected ${exact[i]}`);
          }
          for (const threads of [2, 3, 4]) {
            const before = threadStats().handOffs;
            const c = await productOn(threads, m, k, n, a, b, layout, aLayout);
            expect(c, `${m}×${k}×${n} on ${threads} threads`).toEqual(single);
            // Split where each thread gets at least THREAD_MIN_WORK and there are two 4-row blocks: the
            // one-row product and 1023×33×7 stay here. (With k = 70001 a chunk of rows is one
            // block, so whether it is split is the kernel's affair.)
            const used = Math.min(threads, Math.ceil(m / 4), Math.floor((m * k * n) / THREAD_MIN_WORK));
            if (k > 1023) continue;
            if (used > 1) expect(threadStats().handOffs - before, `${m}×${k}×${n} on ${threads} threads`).toBeGreaterThanOrEqual(2);
            else expect(threadStats().handOffs).toBe(before);
          }
        }
      }, 60_000);
    }
  }

  it("back-to-back split products, the main thread claiming shares too, give the single-thread bits", async () => {
    // Jobs follow each other closely, so late claims of workers meet the next job: the tags of
    // NEXT and COUNT must keep each share to one thread and one job (threads.ts).
    const [m, k, n] = [64, 256, 96];
    const { a, b } = operands(m, k, n, "kn", "float32");
    const single = await productOn(1, m, k, n, a, b, "kn");
    setWorkersOnlyForTesting(false);
    try {
      setNumThreads(2);
      expect(await gemmThreadsReady()).toBe(2);
      const before = threadStats().handOffs;
      const ready = poolReadyForTesting();
      const c = new Float32Array(m * n);
      for (let rep = 0; rep < 300; rep++) {
        c.fill(NaN);
        gemmWasm(c, 0, a, 0, b, 0, m, k, n, "kn");
        if (!c.every((x, i) => Object.is(x, single[i]))) expect.fail(`product ${rep} differs from the single-thread one`);
      }
      expect(getNumThreads()).toBe(2); // the pool is still up: no stall, no failed share
      expect(threadStats().handOffs).toBeGreaterThanOrEqual(before);
      // No promise per product: in a synchronous loop none would settle, and a chain of them
      // grew the heap by about 3 KB a W4 training step.
      expect(poolReadyForTesting()).toBe(ready);
    } finally {
      setWorkersOnlyForTesting(true);
    }
  });

  it("products under THREAD_MIN_WORK multiply-adds per thread stay on the calling thread", async () => {
    const before = threadStats().handOffs;
    for (const [m, k, n] of [[31, 31, 31], [64, 64, 63], [8, 4000, 8]]) {
      const { a, b } = operands(m, k, n, "nk", "float32");
      await productOn(4, m, k, n, a, b, "nk");
    }
    expect(threadStats().handOffs).toBe(before);
  });

  it("matmul, linear and convolution give the same bits on 1 and 4 threads, forward and backward", async () => {
    const run = (): number[][] => {
      const x = randn([96, 200], { generator: new Generator(1), requiresGrad: true });
      const w = randn([300, 200], { generator: new Generator(2), requiresGrad: true });
      const img = randn([8, 3, 20, 20], { generator: new Generator(3), requiresGrad: true });
      const kernel = randn([16, 3, 5, 5], { generator: new Generator(4), requiresGrad: true });
      const outs: Tensor[] = [x.matmul(w.T), linear(x, w), x.T.matmul(x.detach().to("float64").to("float32")), convolution(img, kernel, null, { padding: 2 })];
      outs.reduce((s, t) => s.add(t.sum()), outs[0].sum()).backward();
      return [...outs, x.grad!, w.grad!, img.grad!, kernel.grad!].map((t) => Array.from(t.dataSync()));
    };
    setNumThreads(1);
    const single = run();
    setNumThreads(4);
    await gemmThreadsReady();
    const before = threadStats().handOffs;
    expect(run()).toEqual(single);
    expect(threadStats().handOffs).toBeGreaterThan(before);
  });
});

describe("without shared memory", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it("runs every product on one thread, with the same results", async () => {
    const [m, k, n] = [200, 300, 100];
    const { a, b } = operands(m, k, n, "kn", "float32");
    const threaded = await productOn(2, m, k, n, a, b, "kn");
    vi.stubGlobal("SharedArrayBuffer", undefined);
    vi.resetModules();
    const core = await import("@tsgrad/core");
    const fresh = await import("../src/kernels/wasm/gemm.js");
    core.setNumThreads(2);
    expect(core.getNumThreads()).toBe(1);
    expect(await fresh.gemmThreadsReady()).toBe(1);
    const c = new Float32Array(m * n);
    expect(fresh.gemmWasm(c, 0, a, 0, b, 0, m, k, n, "kn")).toBe(true);
    expect(fresh.load()!.shared).toBe(false);
    expect(c).toEqual(threaded);
  });
});

describe("in a Node process", () => {
  it("a script that ran products on the pool exits by itself", () => {
    const script = fileURLToPath(new URL("child/threads-exit.ts", import.meta.url));
    const out = spawnSync(process.execPath, ["--import", "tsx", "--conditions=@tsgrad/source", script], { encoding: "utf8", timeout: 60_000 });
    expect(out.error, out.stderr).toBeUndefined();
    expect(out.status, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({ threads: 2, handedOff: true });
  });
});
