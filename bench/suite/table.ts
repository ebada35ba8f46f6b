/**
 * The table `pnpm bench` prints: one row per workload, one column per framework; each cell the
 * median over rounds, the accuracy or loss the run ended with, and its speed relative to PyTorch
 * and to tsgrad (above 1: faster than that reference).
 */
import type { Tally } from "../lib/timing.js";
import { unitOf, type Workload } from "./workloads.js";

/** One framework's result on one workload. */
export interface Cell {
  tally: Tally;
  /** Why the framework does not run this workload. */
  skip?: string;
  /** Epochs timed, when fewer than the workload's (the time is scaled up to all of them). */
  epochs?: number;
}

/** The rate of a cell in its workload's unit (runs/s for a training run), higher is better; NaN when it did not run. */
function rate(w: Workload, c: Cell | undefined): number {
  if (!c || c.skip !== undefined || c.tally.note !== undefined) return NaN;
  const ms = c.tally.ms;
  if (w.kind === "train") return 1000 / (ms * (w.epochs / (c.epochs ?? w.epochs)));
  if (w.kind === "matmul") return (2 * w.n ** 3) / (ms * 1e6);
  return 1000 / ms;
}

/** The cell's median in the workload's unit: seconds for a training run, steps/s or GFLOP/s. */
function shown(w: Workload, r: number): string {
  if (w.kind === "train") return `${(1 / r).toFixed(2)} s`;
  return `${r.toFixed(r >= 100 ? 0 : 1)}${w.kind === "matmul" ? "" : "/s"}`;
}

/** The accuracy or loss a cell ended with. */
function metric(w: Workload, c: Cell): string {
  const v = c.tally.value;
  if (w.kind === "matmul" || !Number.isFinite(v)) return "";
  const classifies = (w.kind === "train" || w.kind === "steps") && (w.mlp.loss === "bce" || w.mlp.loss === "ce");
  if (!classifies) return ` · loss ${v.toPrecision(3)}`;
  return ` · ${(100 * v).toFixed(1)}%`;
}

/** The markdown table of `rows` (workload, cells by framework name) for `columns`, with its footnotes. */
export function table(rows: Array<{ w: Workload; cells: Map<string, Cell> }>, columns: string[]): string {
  const notes: string[] = [];
  const lines = [`| workload | unit | ${columns.join(" | ")} |`, `|---|---|${columns.map(() => "---|").join("")}`];
  for (const { w, cells } of rows) {
    const [pt, tg] = [rate(w, cells.get("PyTorch")), rate(w, cells.get("tsgrad"))];
    const out = columns.map((name) => {
      const c = cells.get(name);
      if (!c) return "";
      if (c.skip !== undefined) return `— (${c.skip})`;
      if (c.tally.note !== undefined) return `fails: ${c.tally.note.slice(0, 80)}`;
      const r = rate(w, c);
      const ratios = [name !== "PyTorch" && Number.isFinite(pt) ? `${(r / pt).toFixed(2)}× PT` : "", name !== "tsgrad" && Number.isFinite(tg) ? `${(r / tg).toFixed(2)}× tg` : ""].filter(Boolean);
      let star = "";
      if (c.epochs !== undefined && w.kind === "train") {
        notes.push(`${name}, ${w.id}: ${c.epochs} of ${w.epochs} epochs timed (its time ×${(w.epochs / c.epochs).toFixed(1)}; the accuracy or loss is after ${c.epochs} epochs).`);
        star = "*";
      }
      return `${shown(w, r)}${star}${metric(w, c)}${ratios.length ? ` · ${ratios.join(", ")}` : ""}`;
    });
    lines.push(`| ${w.title} | ${unitOf(w)} | ${out.join(" | ")} |`);
  }
  if (notes.length) lines.push("", ...notes.map((n) => `\\* ${n}`));
  return lines.join("\n");
}
