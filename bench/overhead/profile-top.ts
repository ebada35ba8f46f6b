/**
 * Summarises a `.cpuprofile` written by `node --cpu-prof`: the functions with the most self time
 * and the most total (inclusive) time, with their file and line.
 *
 *   npx tsx bench/overhead/profile-top.ts /tmp/prof/CPU.….cpuprofile [--top 30] [--under loop]
 *
 * `--under NAME` keeps only the samples with a function called NAME on the stack (e.g. the
 * training loop, leaving out start-up).
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const file = process.argv[2];
const at = process.argv.indexOf("--top");
const top = at > 0 ? Number(process.argv[at + 1]) : 30;
const underAt = process.argv.indexOf("--under");
const under = underAt > 0 ? process.argv[underAt + 1] : undefined;
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n: ProfileNode) => {
  const { functionName, url, lineNumber, columnNumber } = n.callFrame;
  const short = url.replace(/^.*\/(packages|node_modules)\//, "$1/").replace(/^file:\/\/.*\/bench\//, "bench/");
  // tsx emits each module on one line: the column tells anonymous functions apart.
  return `${functionName || "(anonymous)"} ${short}:${lineNumber + 1}:${columnNumber + 1}`;
};
const self = new Map<string, number>();
const total = new Map<string, number>();
let all = 0;
const stackOf = (id: number): string[] => {
  const out: string[] = [];
  for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) out.push(label(byId.get(n)!));
  return out;
};
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  if (under !== undefined && !stackOf(id).some((l) => l.startsWith(`${under} `))) return;
  all += dt;
  const leaf = byId.get(id)!;
  self.set(label(leaf), (self.get(label(leaf)) ?? 0) + dt);
  const seen = new Set<string>();
  for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
    const l = label(byId.get(n)!);
    if (seen.has(l)) continue;
    seen.add(l);
    total.set(l, (total.get(l) ?? 0) + dt);
  }
});
const show = (title: string, m: Map<string, number>) => {
  console.log(`\n${title} (of ${(all / 1000).toFixed(0)} ms)`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((100 * v) / all).toFixed(1).padStart(5)}%  ${k}`);
};
show("self", self);
show("total", total);
