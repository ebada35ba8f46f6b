/**
 * `pnpm bench`: issue 13's workloads W1–W5, the LeNet-5 and the 2-layer LSTM training steps, in
 * tsgrad, PyTorch (Debian's python3-torch through bench/torch_suite.py, when present), tfjs 4.22
 * (cpu and wasm backends), jax-js (wasm) and js-pytorch, in one run: for each workload the
 * frameworks take turns round after round, with the same data (generated here, handed to
 * PyTorch in a temporary JSON file), hyper-parameters and initialisation rule. Prints one
 * markdown table of medians over the rounds, each with the accuracy or loss the run ended with
 * and its speed relative to PyTorch and to tsgrad. docs/benchmarks.md says what every row does.
 *
 *   pnpm bench [--quick] [--only W1,W4,lenet] [--frameworks tsgrad,pytorch] [--rounds R] [--max-run S] [--threads 1,2]
 *
 * --quick: epochs / 10, time budgets / 5, 2 rounds. --only: workload ids or their prefixes (W3 is
 * W3-mse, W3-huber, W3-mae; W5 every size). --max-run: a peer's training run projected (from its
 * warm-up) to take longer than S seconds (default 6; quick 2) is timed over the epochs that fit,
 * its time scaled to all of them and marked (tsgrad and PyTorch always run every epoch).
 * --threads: tsgrad's and PyTorch's thread counts (default 1; needs tsgrad's setNumThreads). The
 * first count gives the "tsgrad" and "PyTorch" columns the ratios refer to; each further count N
 * adds the columns "tsgrad Nt" and "PyTorch Nt", interleaved with the rest.
 */
import { execSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import * as tg from "tsgrad";
import { parseArgs } from "./lib/args.js";
import { encodeDataset, mnist, moons, regression, sequences, spiral, type Dataset } from "./lib/data.js";
import { Tally, roundRobin } from "./lib/timing.js";
import { TorchWorker, encode, writeDataFile } from "./lib/torch.js";
import { jsContestant, type Contestant, type ModelData } from "./suite/framework.js";
import { jax } from "./suite/jax.js";
import { jsPytorch } from "./suite/js-pytorch.js";
import { pytorch } from "./suite/pytorch.js";
import { table, type Cell } from "./suite/table.js";
import { tfjs, useBackend, wasmFeatures } from "./suite/tfjs.js";
import { tsgrad } from "./suite/tsgrad.js";
import { picked, workloads, type DatasetName } from "./suite/workloads.js";

const args = parseArgs({ numbers: ["--rounds", "--max-run"], lists: ["--only", "--frameworks", "--threads"], switches: ["--quick"] });
const quick = args.has("--quick");
const rounds = args.number("--rounds", quick ? 2 : 3);
const maxRunMs = 1000 * args.number("--max-run", quick ? 2 : 6);
const threads = (args.list("--threads") ?? ["1"]).map(Number);
if (threads.some((n) => !Number.isInteger(n) || n < 1)) throw new RangeError(`bench: --threads wants positive integers, got ${args.list("--threads")?.join(",")}`);
const only = args.list("--only");
const wanted = args.list("--frameworks");
const chosen = workloads(quick).filter((w) => picked(w, only));
if (chosen.length === 0) throw new RangeError(`bench: --only ${only?.join(",")} picks no workload (ids: ${workloads(false).map((w) => w.id).join(", ")})`);
const setThreads = (tg as unknown as { setNumThreads?: (n: number) => void }).setNumThreads;
if (!setThreads && threads.some((n) => n !== 1)) throw new RangeError("bench: --threads needs tsgrad's setNumThreads, which this tsgrad lacks");
/** Column names: the first thread count is the reference ("tsgrad", "PyTorch"), others get "Nt". */
const named = (name: string, n: number): string => (n === threads[0] ? name : `${name} ${n}t`);
const want = (name: string): boolean => wanted === undefined || wanted.includes(name.toLowerCase());

// The data, made once and shared: the data sets the chosen workloads need, the fixed batches.
const builders: Record<DatasetName, () => Dataset> = { moons, spiral, regression, mnist };
const datasets = new Map<DatasetName, Dataset>();
const dataset = (name: DatasetName): Dataset => {
  if (!datasets.has(name)) datasets.set(name, builders[name]());
  return datasets.get(name)!;
};
const needs = new Set<DatasetName>(chosen.flatMap((w) => (w.kind === "train" || w.kind === "steps" ? [w.mlp.data] : w.kind === "lenet" ? ["mnist" as const] : [])));
needs.forEach(dataset);
const digits = needs.has("mnist") ? dataset("mnist") : undefined;
const lenet = digits ? { x: digits.xTrain.slice(0, 64 * 784), y: digits.yTrain.slice(0, 64) as Int32Array } : { x: new Float32Array(0), y: new Int32Array(0) };
const lstm = sequences();
const matrices = new Map<number, [Float32Array, Float32Array]>();
const models: ModelData = {
  lenet,
  lstm,
  matmul(n) {
    if (!matrices.has(n)) matrices.set(n, [Float32Array.from(tg.randn([n, n]).dataSync()), Float32Array.from(tg.randn([n, n]).dataSync())]);
    return matrices.get(n)!;
  },
};

const contestants: Contestant[] = [];
const file = writeDataFile({
  ...Object.fromEntries([...datasets].map(([name, d]) => [name, encodeDataset(d)])),
  lenet: { x: encode(lenet.x, [lenet.y.length, 1, 28, 28]), y: encode(lenet.y, [lenet.y.length]) },
  lstm: { x: encode(lstm.x, [32, 50, 32]), y: encode(lstm.y, [32, 1]) },
});
let torchNote = "PyTorch: not run (--frameworks)";
const workers: TorchWorker[] = [];
for (const n of threads) {
  // tsgrad's default is every core: each turn sets its own count.
  if (want("tsgrad")) contestants.push(jsContestant({ ...tsgrad, name: named("tsgrad", n), activate: async () => setThreads?.(n) }, dataset, models));
  if (!want("pytorch")) continue;
  const started = await TorchWorker.start(n);
  if (typeof started === "string") {
    torchNote = `PyTorch: not run (${started})`;
    continue;
  }
  workers.push(started);
  torchNote = `PyTorch ${started.version}`;
  contestants.push(pytorch(started, file.path, named("PyTorch", n)));
}
for (const fw of [tfjs("cpu"), tfjs("wasm"), jax, jsPytorch]) if (want(fw.name)) contestants.push(jsContestant(fw, dataset, models));

const references = contestants.map((c) => c.name).filter((name) => name.startsWith("tsgrad") || name.startsWith("PyTorch"));
const load0 = loadavg();
const started = Date.now();
const results: Array<{ w: (typeof chosen)[number]; cells: Map<string, Cell> }> = [];
for (const w of chosen) {
  const cells = new Map<string, Cell>(contestants.map((c) => [c.name, { tally: new Tally(), skip: c.skip(w) }]));
  const active = contestants.filter((c) => cells.get(c.name)!.skip === undefined);
  const epochs = new Map<string, number>();
  if (w.kind === "train") {
    // Warm-up: one epoch on a throw-away model, then two on another, whose time says how many
    // epochs fit into --max-run. tsgrad and PyTorch, the references, always run every epoch.
    for (const c of active) {
      const cell = cells.get(c.name)!;
      try {
        await c.run(w, 1);
        const probe = await c.run(w, 2);
        const fit = Math.max(1, Math.floor(maxRunMs / (probe.times[0] / 2)));
        const cut = fit < w.epochs && !references.includes(c.name);
        epochs.set(c.name, cut ? fit : w.epochs);
        if (cut) cell.epochs = fit;
      } catch (e) {
        cell.tally.note = (e as Error).message.split("\n")[0];
      }
    }
  }
  await roundRobin(rounds, active, async (c) => {
    const cell = cells.get(c.name)!;
    if (cell.tally.note !== undefined) return;
    try {
      const r = await c.run(w, epochs.get(c.name) ?? 0);
      cell.tally.add(r.times, r.value);
    } catch (e) {
      cell.tally.note = (e as Error).message.split("\n")[0];
    }
  });
  results.push({ w, cells });
  const summary = [...cells].map(([name, c]) => `${name} ${c.skip ? "skip" : c.tally.note ? "fails" : `${c.tally.ms.toFixed(2)} ms`}`).join(", ");
  process.stderr.write(`${w.id} (${((Date.now() - started) / 1000).toFixed(0)} s): ${summary}\n`);
}
workers.forEach((w) => w.close());
file.remove();

await useBackend("wasm");
const wasm = await wasmFeatures();
const commit = (() => {
  try {
    return execSync("git rev-parse --short HEAD", { encoding: "utf8" }).trim() + (execSync("git status --porcelain --untracked-files=no", { encoding: "utf8" }).trim() ? " (with local changes)" : "");
  } catch {
    return "unknown";
  }
})();
const load1 = loadavg();
console.log(`tsgrad benchmark, ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, commit ${commit}`);
console.log(`${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores; Node ${process.version}; load average ${load0.map((l) => l.toFixed(2)).join(" ")} at the start, ${load1.map((l) => l.toFixed(2)).join(" ")} at the end`);
console.log(`${torchNote}; tsgrad and PyTorch on ${threads.join(" and ")} thread(s) (the columns without a count: ${threads[0]}); tfjs-wasm SIMD ${wasm.simd ? "on" : "off"}, threads ${wasm.threads ? "on" : "off"}; jax-js wasm on 1 thread (Node 20 has no global Worker)`);
console.log(`median of ${rounds} rounds${quick ? " (--quick)" : ""}; ${((Date.now() - started) / 60000).toFixed(1)} min; × PT / × tg: speed relative to PyTorch / tsgrad (above 1: faster)\n`);
console.log(table(results, contestants.map((c) => c.name)));
