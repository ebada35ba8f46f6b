/**
 * Summarises a V8 CPU profile (`node --cpu-prof`): self time by function and by source file, the
 * top rows as a markdown table. For the "where the time goes" part of docs/benchmarks.md:
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --conditions=@tsgrad/source --import tsx \
 *     bench/suite.bench.ts --only W1 --frameworks tsgrad --rounds 1
 *   npx tsx bench/profile-summary.ts /tmp/prof/*.cpuprofile [--top 15] [--within timeOnce]
 *
 * --within NAME counts only the samples taken inside a call of the function NAME (timeOnce for
 * the timed training runs, timeReps for per-step workloads), which leaves out start-up and warm-up.
 * Functions without a source file are native (the garbage collector, "(idle)") or, when named
 * `kernel`, tsgrad's elementwise kernels compiled with `new Function`.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "./lib/args.js";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const files = process.argv.slice(2).filter((a) => a.endsWith(".cpuprofile"));
const args = parseArgs({ numbers: ["--top"], lists: ["--within"] }, process.argv.slice(2).filter((a) => !a.endsWith(".cpuprofile")));
const top = args.number("--top", 15);
const within = args.list("--within");

for (const path of files) {
  const profile = JSON.parse(readFileSync(path, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inside = (id: number | undefined): boolean => {
    for (; id !== undefined; id = parent.get(id)) if (within!.includes(byId.get(id)!.callFrame.functionName.toLowerCase())) return true;
    return false;
  };
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    if (within === undefined || inside(id)) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const short = (url: string): string => url.replace(/^file:\/\//, "").replace(/^.*\/(packages|node_modules|bench)\//, "$1/") || "(native)";
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const where = short(url);
    const key = `${functionName || "(anonymous)"} ${where}${url ? `:${lineNumber + 1}` : ""}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    byFile.set(where, (byFile.get(where) ?? 0) + us);
  }
  const rows = (m: Map<string, number>): string[] =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => `| ${k} | ${(us / 1000).toFixed(0)} | ${((100 * us) / total).toFixed(1)}% |`);
  console.log(`${path}: ${(total / 1e6).toFixed(2)} s sampled\n`);
  console.log("| function (self time) | ms | share |\n|---|---:|---:|");
  console.log(rows(byFunction).join("\n"));
  console.log("\n| file (self time) | ms | share |\n|---|---:|---:|");
  console.log(rows(byFile).join("\n"));
}
