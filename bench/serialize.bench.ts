/**
 * Saving and loading large state dicts (not a test): time and peak resident memory of
 * saveSafetensors / loadSafetensors, saveCheckpoint / loadCheckpoint, the JSON save / load,
 * saveTorch / loadTorch, and loadTorch of the file torch.save wrote, each in a fresh child process (peak RSS is `process.resourceUsage().maxRSS`, the whole process: the
 * tensors themselves, Node's ~50 MB, and whatever the format adds), with `torch.save` /
 * `torch.load` of the same sizes when Debian's python3-torch is installed. The state dict is
 * float32 tensors of 64 MB each; `ratio` is peak RSS / state-dict size (streaming keeps it near 1).
 *
 *   pnpm bench:serialize [--mb 2048] [--json-mb 2048] [--only safetensors,checkpoint,json,torch]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import * as tg from "tsgrad";
import { load, loadCheckpoint, loadSafetensors, loadTorch, save, saveCheckpoint, saveSafetensors, saveTorch } from "tsgrad/node";

const TENSOR_ELEMENTS = 16 * 2 ** 20; // 64 MB of float32

/** A state dict of `mb` megabytes: 64 MB tensors (the last one smaller), named like layers. */
function stateDict(mb: number): Record<string, tg.Tensor> {
  const elements = (mb * 2 ** 20) / 4;
  const sd: Record<string, tg.Tensor> = {};
  for (let i = 0, left = elements; left > 0; i++, left -= TENSOR_ELEMENTS) sd[`layers.${i}.weight`] = tg.full([Math.min(left, TENSOR_ELEMENTS)], i + 0.5);
  return sd;
}

const SAVES: Record<string, (sd: Record<string, tg.Tensor>, path: string) => void> = {
  saveSafetensors: (sd, path) => saveSafetensors(sd, path),
  saveCheckpoint: (sd, path) => saveCheckpoint({ model: sd, epoch: 1 }, path),
  "save (JSON)": (sd, path) => save(sd, path),
  saveTorch: (sd, path) => saveTorch(sd, path),
};
const LOADS: Record<string, (path: string) => unknown> = { loadSafetensors, loadCheckpoint, "load (JSON)": load, loadTorch };

/** In the child: runs one mode and prints its time (of the IO alone) and peak RSS. */
function child(mode: string, path: string, mb: number): void {
  // A save times the write alone: the tensors are built first (their memory counts in the peak).
  const sd = Object.hasOwn(SAVES, mode) ? stateDict(mb) : undefined;
  const start = performance.now();
  if (sd !== undefined) SAVES[mode](sd, path);
  else LOADS[mode](path);
  console.log(JSON.stringify({ seconds: (performance.now() - start) / 1000, peak: process.resourceUsage().maxRSS * 1024 }));
}

function run(mode: string, path: string, mb: number): { seconds: number; peak: number } | string {
  const r = spawnSync(process.execPath, ["--import", "tsx", "--conditions=@tsgrad/source", "--max-old-space-size=8192", fileURLToPath(import.meta.url), "--child", mode, path, String(mb)], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) return (r.stderr.match(/(RangeError|Error): [^\n]*/)?.[0] ?? `exit ${r.status}`).slice(0, 90);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as { seconds: number; peak: number };
}

const TORCH = `
import sys, time, resource, torch
mode, path, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
n = mb * 2**20 // 4
if mode == "save":
    sd = {f"layers.{i}.weight": torch.full((min(16 * 2**20, n - i * 16 * 2**20),), i + 0.5) for i in range((n + 16 * 2**20 - 1) // (16 * 2**20))}
    t = time.perf_counter(); torch.save(sd, path)
else:
    t = time.perf_counter(); torch.load(path)
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
`;

function torchRun(mode: string, path: string, mb: number): { seconds: number; peak: number } | undefined {
  const r = spawnSync("/usr/bin/python3", ["-c", TORCH, mode, path, String(mb)], { encoding: "utf8" });
  if (r.status !== 0) return undefined;
  const [seconds, peak] = r.stdout.trim().split(/\s+/).map(Number);
  return { seconds, peak };
}

function main(): void {
  const flag = (name: string, fallback: number): number => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
  const mb = flag("--mb", 2048);
  const jsonMb = flag("--json-mb", mb);
  const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1].split(",") : ["safetensors", "checkpoint", "json", "torch"];
  const dir = mkdtempSync(join(tmpdir(), "tsgrad-serialize-bench-"));
  const rows: string[] = [];
  const row = (what: string, size: number, r: { seconds: number; peak: number } | string | undefined, file?: string): void => {
    const bytes = size * 2 ** 20;
    const cells = typeof r === "object"
      ? `${r.seconds.toFixed(2).padStart(7)} s  ${(r.peak / 2 ** 20).toFixed(0).padStart(6)} MB  ${(r.peak / bytes).toFixed(2).padStart(5)}×`
      : `  ${r ?? "not run"}`;
    const fileMb = file ? `  file ${(statSync(file).size / 2 ** 20).toFixed(0)} MB` : "";
    rows.push(`${what.padEnd(20)} ${String(size).padStart(5)} MB ${cells}${fileMb}`);
    console.log(rows[rows.length - 1]);
  };
  console.log(`${"".padEnd(20)} state dict      time    peak RSS  ratio`);
  try {
    const formats = [
      ["saveSafetensors", "loadSafetensors", mb, "safetensors"],
      ["saveCheckpoint", "loadCheckpoint", mb, "checkpoint"],
      ["save (JSON)", "load (JSON)", jsonMb, "json"],
      ["saveTorch", "loadTorch", mb, "torch"],
    ] as const;
    for (const [save, load, size, ext] of formats) {
      if (!only.includes(ext)) continue;
      const path = join(dir, `sd.${ext}`);
      const saved = run(save, path, size);
      row(save, size, saved, typeof saved === "object" ? path : undefined);
      if (typeof saved === "object") row(load, size, run(load, path, size));
      rmSync(path, { force: true });
    }
    if (only.includes("torch")) {
      const pt = join(dir, "sd.pt");
      const saved = torchRun("save", pt, mb);
      row("torch.save", mb, saved, saved ? pt : undefined);
      if (saved) {
        row("torch.load", mb, torchRun("load", pt, mb));
        row("loadTorch (torch's)", mb, run("loadTorch", pt, mb));
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--child") child(process.argv[3], process.argv[4], Number(process.argv[5]));
else main();
