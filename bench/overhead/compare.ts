/**
 * Old vs new, interleaved in one process: loads tsgrad from this checkout and from another one
 * (`--base DIR`, e.g. a worktree of main), runs each workload alternately in both (and, with
 * `--torch`, in PyTorch on 1 thread between them), and prints medians and ratios. The final
 * numbers of both checkouts are printed too: an optimisation that changes no result prints the
 * same digits twice. Each time is printed twice: wall-clock and the process's CPU time (user +
 * system, all threads), which a loaded machine inflates much less than the wall clock.
 *
 *   nice -n -10 npx tsx --conditions=@tsgrad/source bench/overhead/compare.ts --base /tmp/overhead-base [--runs 5] [--scale 1] [--torch] w1 w2 w3
 *
 * `--variant LABEL=DIR` (repeatable) adds more checkouts, e.g. one per commit of a series, so a
 * single run gives what each change bought; they run in the order given, after `old`.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import * as tg from "tsgrad";
import { w1Data, w2Data, w3Data, workload, type Tsgrad } from "./workloads.js";

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const [, value] = args.splice(at, 2);
  return value;
};
const base = option("--base");
const runs = Number(option("--runs") ?? 5);
const scale = Number(option("--scale") ?? 1);
const withTorch = args.includes("--torch");
const variantDirs: string[] = [];
for (let v = option("--variant"); v !== undefined; v = option("--variant")) variantDirs.push(v);
const names = args.filter((a) => !a.startsWith("--"));
if (names.length === 0) names.push("w1", "w2", "w3");

const load = async (dir: string) => (await import(join(resolve(dir), "packages/tsgrad/src/index.ts"))) as Tsgrad;
const variants: Array<[string, Tsgrad]> = [];
if (base) variants.push(["old", await load(base)]);
for (const v of variantDirs) {
  const [label, dir] = v.split("=");
  variants.push([label, await load(dir)]);
}
variants.push(["new", tg]);

let torchData: string | undefined;
if (withTorch) {
  const dump = (t: tg.Tensor) => Array.from(t.dataSync() as ArrayLike<number>);
  const entry = (d: Record<string, tg.Tensor>) =>
    Object.fromEntries(Object.entries(d).flatMap(([k, t]) => [[k, dump(t)], [`${k}Shape`, t.shape]]));
  torchData = join(mkdtempSync(join(tmpdir(), "tsgrad-overhead-")), "data.json");
  writeFileSync(torchData, JSON.stringify({ w1: entry(w1Data(tg)), w2: entry(w2Data(tg)), w3: entry(w3Data(tg)) }));
}
const script = fileURLToPath(new URL("./torch_workloads.py", import.meta.url));

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
console.log(`node ${process.version}; load ${loadavg().map((l) => l.toFixed(2)).join(" ")}; ${runs} runs; scale ${scale}`);
for (const name of names) {
  const times = new Map<string, number[]>();
  const results = new Map<string, string>();
  const push = (label: string, s: number) => {
    if (!times.has(label)) times.set(label, []);
    times.get(label)!.push(s);
  };
  for (let r = 0; r < runs; r++) {
    const order = r % 2 === 0 ? variants : [...variants].reverse();
    for (const [label, lib] of order) {
      const w = workload(lib, name, scale);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const result = w.run();
      const s = (performance.now() - t0) / 1000;
      const c = process.cpuUsage(c0);
      push(label, s);
      push(`${label} cpu`, (c.user + c.system) / 1e6);
      results.set(label, JSON.stringify(result));
    }
    if (torchData && name !== "w4") {
      const out = spawnSync("/usr/bin/python3", [script, torchData, name, "1", String(scale)], { encoding: "utf8" });
      if (out.status !== 0) throw new Error(out.stderr);
      const line = JSON.parse(out.stdout.trim()) as { seconds: number; cpuSeconds: number; result: unknown };
      push("torch", line.seconds);
      push("torch cpu", line.cpuSeconds);
      results.set("torch", JSON.stringify(line.result));
    }
  }
  const med = new Map([...times].map(([k, v]) => [k, median(v)]));
  const cells = [...med].map(([k, v]) => `${k} ${v.toFixed(3)} s [${times.get(k)!.map((t) => t.toFixed(2)).join(" ")}]`);
  const ratios: string[] = [];
  const ratio = (a: string, b: string) => {
    for (const suffix of ["", " cpu"]) {
      if (med.has(a + suffix) && med.has(b + suffix)) ratios.push(`${a}/${b}${suffix} ${(med.get(a + suffix)! / med.get(b + suffix)!).toFixed(3)}`);
    }
  };
  for (const [label] of variants) if (label !== "old") ratio(label, "old");
  for (const [label] of variants) ratio(label, "torch");
  console.log(`${name}:\n  ${cells.join("\n  ")}\n  ${ratios.join(", ")}`);
  for (const [k, v] of results) console.log(`  ${k.padEnd(5)} ${v}`);
}
console.log(`load at end ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
