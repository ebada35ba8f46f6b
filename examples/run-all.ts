/**
 * Runs every example script in examples/ in turn (what `pnpm examples` does), each in its own
 * process with the flags given here (e.g. `pnpm examples --quiet`), and prints how long each took.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const EXAMPLES = [
  "quickstart.ts",
  "binary-moons.ts",
  "multiclass.ts",
  "regression.ts",
  "multilabel.ts",
  "activations.ts",
  "perceptron.ts",
  "custom-layer.ts",
  "mnist-cnn.ts",
  "transformer.ts",
  "sequence.ts",
];

const timings: string[] = [];
const start = performance.now();
let failed = 0;
for (const file of EXAMPLES) {
  console.log(`\n=== ${file} ===`);
  const t0 = performance.now();
  const run = spawnSync(process.execPath, ["--import", "tsx", "--conditions=@tsgrad/source", join(here, file), ...process.argv.slice(2)], {
    stdio: "inherit",
  });
  const seconds = (performance.now() - t0) / 1000;
  timings.push(`  ${file.padEnd(20)} ${seconds.toFixed(1).padStart(6)} s${run.status === 0 ? "" : "  FAILED"}`);
  if (run.status !== 0) {
    failed++;
    console.error(`${file} failed with exit code ${run.status}`);
  }
}
console.log(`\n=== summary ===\n${timings.join("\n")}\n  ${"total".padEnd(20)} ${((performance.now() - start) / 1000).toFixed(1).padStart(6)} s`);
process.exit(failed ? 1 : 0);
