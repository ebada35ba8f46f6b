/**
 * Resampling benchmark (not a test): F.interpolate on a float32 (8, 16, 64, 64) input — bilinear
 * ×2 forward, forward + backward, bicubic ×2 and nearest ×2 forward — and reflection padding by 2,
 * in tsgrad and in PyTorch with one thread (bench/torch_resample.py, Debian's python3-torch) when
 * present, in one run. Reported: the median ms per call over the timed runs (after warm-up) and
 * the throughput ratio tsgrad / PyTorch (above 1: tsgrad is faster).
 *
 *   npx tsx --conditions=@tsgrad/source bench/resample.bench.ts [--runs N] [--warmup W]
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { manualSeed, randn } from "@tsgrad/core";
import { F } from "@tsgrad/nn";

const flag = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const RUNS = flag("--runs", 15);
const WARMUP = flag("--warmup", 3);

/**
 * Median ms per call of each case, the cases run round-robin (every case once per round, after
 * the warm-up rounds), so that JIT tiering and GC state do not favour the later cases.
 */
function medianMs(cases: Record<string, () => void>): Record<string, number> {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let round = 0; round < WARMUP + RUNS; round++) {
    for (const [name, fn] of Object.entries(cases)) {
      const s = performance.now();
      fn();
      if (round >= WARMUP) times[name].push(performance.now() - s);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, t]) => [k, t.sort((a, b) => a - b)[t.length >> 1]]));
}

manualSeed(0);
const x = randn([8, 16, 64, 64]);
const xg = randn([8, 16, 64, 64], { requiresGrad: true });
const g = randn([8, 16, 128, 128]);

const CASES: Record<string, () => void> = {
  "bilinear fwd": () => F.interpolate(x, { scaleFactor: 2, mode: "bilinear" }),
  "bilinear fwd+bwd": () => {
    xg.grad = null;
    F.interpolate(xg, { scaleFactor: 2, mode: "bilinear" }).backward(g);
  },
  "bicubic fwd": () => F.interpolate(x, { scaleFactor: 2, mode: "bicubic" }),
  "nearest fwd": () => F.interpolate(x, { scaleFactor: 2 }),
  "reflect pad fwd": () => F.pad(x, [2, 2, 2, 2], { mode: "reflect" }),
};

const ours = medianMs(CASES);

let torch: Record<string, number> | null = null;
let version = "";
const python = "/usr/bin/python3";
if (existsSync(python)) {
  const script = fileURLToPath(new URL("./torch_resample.py", import.meta.url));
  const run = spawnSync(python, [script, String(RUNS), String(WARMUP)], { encoding: "utf8" });
  if (run.status === 0) {
    const parsed = JSON.parse(run.stdout) as Record<string, number | string>;
    version = String(parsed.version);
    torch = Object.fromEntries(Object.entries(parsed).filter(([k]) => k !== "version")) as Record<string, number>;
  } else console.log("PyTorch run failed:", run.stderr.trim().split("\n").at(-1));
}

console.log(`(8, 16, 64, 64) float32, median of ${RUNS} runs after ${WARMUP} warm-ups${torch ? `; PyTorch ${version}, 1 thread` : ""}`);
console.log("case".padEnd(20), "tsgrad ms".padStart(10), "torch ms".padStart(10), "tsgrad/torch".padStart(14));
for (const name of Object.keys(CASES)) {
  const t = torch?.[name];
  const ratio = t === undefined ? "" : `${(t / ours[name]).toFixed(2)}×`;
  console.log(name.padEnd(20), ours[name].toFixed(2).padStart(10), (t === undefined ? "—" : t.toFixed(2)).padStart(10), ratio.padStart(14));
}
