/**
 * GEMM benchmark (not a test): float32 products N³ for N = 256 … 2048 in the three layouts training
 * uses, through the public API: A·B (a forward), A·Bᵀ (x·Wᵀ, and g·Bᵀ in backward) and Aᵀ·B (the
 * weight gradient gᵀ·x), on 1 thread and on every core, side by side with PyTorch on 1 thread
 * (bench/torch_gemm.py, when Debian's python3-torch is there). The three runs of a size take turns
 * round by round, so a change in the machine's load hits all alike. Reported: median GFLOP/s,
 * and the share of the SIMD128 limit without FMA (2 four-wide multiplies + 2 adds per cycle: 16
 * flops per cycle at the clock /proc/cpuinfo gives).
 *
 *   pnpm bench:gemm [--rounds R] [--sizes 256,512,1024,2048]
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import * as tg from "tsgrad";
import { gemmThreadsReady, wasmGemmKernel } from "../packages/core/src/kernels/wasm/gemm.js";
import { parseArgs } from "./lib/args.js";
import { PYTHON } from "./lib/torch.js";

const args = parseArgs({ numbers: ["--rounds"], lists: ["--sizes"] });
const ROUNDS = args.number("--rounds", 5);
const SIZES = (args.list("--sizes") ?? ["256", "512", "1024", "2048"]).map(Number);
const LAYOUTS = ["A·B", "A·Bᵀ", "Aᵀ·B"] as const;
type Layout = (typeof LAYOUTS)[number];

const product = (layout: Layout, a: tg.Tensor, b: tg.Tensor): (() => void) =>
  layout === "A·B" ? () => void a.matmul(b) : layout === "A·Bᵀ" ? () => void a.matmul(b.T) : () => void a.T.matmul(b);

// ms of one call: enough calls to fill ~150 ms (at least 1).
function timeOnce(fn: () => void, reps: number): number {
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) fn();
  return (performance.now() - t0) / reps;
}

const median = (xs: number[]): number => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)];
const gflops = (n: number, ms: number): number => (2 * n ** 3) / (ms * 1e6);

const cpuMhz = ((): number | null => {
  try {
    const m = readFileSync("/proc/cpuinfo", "utf8").match(/cpu MHz\s*:\s*([\d.]+)/);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
})();
const limit = cpuMhz === null ? null : (16 * cpuMhz) / 1000; // GFLOP/s per core

const torchScript = fileURLToPath(new URL("./torch_gemm.py", import.meta.url));
const torchRun = spawnSync(PYTHON, [torchScript, String(ROUNDS), SIZES.join(",")], { encoding: "utf8" });
const torch = torchRun.status === 0 ? (JSON.parse(torchRun.stdout) as Record<string, number>) : null;

const cores = tg.getNumThreads();
tg.setNumThreads(cores);
await gemmThreadsReady();
console.log(`tsgrad GEMM benchmark — float32, ${ROUNDS} rounds, medians; kernel ${wasmGemmKernel()}; ${cores} cores; load ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
console.log(`SIMD128 limit without FMA: ${limit === null ? "unknown (no /proc/cpuinfo)" : `${limit.toFixed(1)} GFLOP/s per core at ${cpuMhz} MHz`}; PyTorch ${torch ? "1 thread" : "not installed"}\n`);
console.log(`| N | layout | tsgrad 1 thread GFLOP/s (of limit) | tsgrad ${cores} threads GFLOP/s | PyTorch 1 thread GFLOP/s | tsgrad 1t / PyTorch |`);
console.log("|---:|---|---:|---:|---:|---:|");
tg.manualSeed(0);
for (const n of SIZES) {
  const [a, b] = [tg.randn([n, n]), tg.randn([n, n])];
  for (const layout of LAYOUTS) {
    const fn = product(layout, a, b);
    fn();
    const reps = Math.max(1, Math.round(150 / timeOnce(fn, 1)));
    const times: Record<"one" | "all", number[]> = { one: [], all: [] };
    for (let r = 0; r < ROUNDS; r++) {
      for (const which of ["one", "all"] as const) {
        tg.setNumThreads(which === "one" ? 1 : cores);
        times[which].push(timeOnce(fn, reps));
      }
    }
    const [one, all] = [gflops(n, median(times.one)), gflops(n, median(times.all))];
    const pt = torch?.[`${n} ${layout}`];
    const ptFlops = pt === undefined ? undefined : gflops(n, pt);
    const share = limit === null ? "" : ` (${Math.round((100 * one) / limit)}%)`;
    console.log(`| ${n} | ${layout} | ${one.toFixed(1)}${share} | ${all.toFixed(1)} | ${ptFlops === undefined ? "—" : ptFlops.toFixed(1)} | ${ptFlops === undefined ? "—" : (one / ptFlops).toFixed(2)} |`);
  }
}
tg.setNumThreads(cores);
