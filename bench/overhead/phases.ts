/**
 * Where one training step's time goes: W1's (or W2's) loop split into its phases — loader,
 * forward, loss, zeroGrad, backward, step, item, per-epoch eval — each timed with performance.now()
 * over a run, printed as µs per step. Coarse (the timer costs ~0.1 µs) but enough to see which
 * phase a change moved.
 *
 *   nice -n -10 npx tsx --conditions=@tsgrad/source bench/overhead/phases.ts [w1|w2] [--epochs 100]
 */
import { performance } from "node:perf_hooks";
import * as tg from "tsgrad";
import { w1Data, w2Data } from "./workloads.js";

const name = process.argv[2] === "w2" ? "w2" : "w1";
const at = process.argv.indexOf("--epochs");
const epochs = at > 0 ? Number(process.argv[at + 1]) : 100;
const d = name === "w1" ? w1Data(tg) : w2Data(tg);
tg.manualSeed(0);
const widths = name === "w1" ? [2, 32, 16, 8, 1] : [2, 64, 64, 3];
const layers: tg.nn.Module[] = [];
for (let k = 1; k < widths.length; k++) {
  layers.push(new tg.nn.Linear(widths[k - 1], widths[k]));
  if (k < widths.length - 1) layers.push(new tg.nn.ReLU());
}
if (name === "w1") layers.push(new tg.nn.Sigmoid());
const model = new tg.nn.Sequential(...layers);
const criterion = name === "w1" ? new tg.losses.BCELoss() : new tg.losses.CrossEntropyLoss();
const optimizer = name === "w1" ? new tg.optim.SGD(model.parameters(), { lr: 0.05 }) : new tg.optim.Adam(model.parameters(), { lr: 0.01 });
const loader = new tg.data.DataLoader(new tg.data.TensorDataset(d.xTrain, d.yTrain), { batchSize: 64, shuffle: true, generator: new tg.Generator(0) });

const phases = ["loader", "forward", "loss", "zeroGrad", "backward", "step", "item", "eval"] as const;
const spent = Object.fromEntries(phases.map((p) => [p, 0])) as Record<(typeof phases)[number], number>;
let steps = 0;
for (let e = 0; e < epochs; e++) {
  if (e === Math.floor(epochs / 5)) { for (const p of phases) spent[p] = 0; steps = 0; } // warm-up
  model.train();
  const it = loader[Symbol.iterator]();
  for (;;) {
    let t = performance.now();
    const next = it.next();
    const mark = (p: (typeof phases)[number]) => { const now = performance.now(); spent[p] += now - t; t = now; };
    mark("loader");
    if (next.done) break;
    const [x, y] = next.value;
    const out = model.forward(x);
    mark("forward");
    const loss = criterion.forward(out, y);
    mark("loss");
    optimizer.zeroGrad();
    mark("zeroGrad");
    loss.backward();
    mark("backward");
    optimizer.step();
    mark("step");
    loss.item();
    mark("item");
    steps++;
  }
  const t = performance.now();
  model.eval();
  tg.noGrad(() => criterion.forward(model.forward(d.xVal), d.yVal).item());
  spent.eval += performance.now() - t;
}
let total = 0;
for (const p of phases) total += spent[p];
console.log(`${name}: ${steps} steps, ${((1000 * total) / steps).toFixed(1)} µs per step (eval spread over the steps)`);
for (const p of phases) console.log(`  ${p.padEnd(9)} ${((1000 * spent[p]) / steps).toFixed(1).padStart(7)} µs`);
