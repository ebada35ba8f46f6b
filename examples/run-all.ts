/** Runs every example script in examples/ in turn (what `pnpm examples` does). */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const EXAMPLES = ["quickstart.ts"];

let failed = 0;
for (const file of EXAMPLES) {
  console.log(`\n=== ${file} ===`);
  const run = spawnSync(process.execPath, ["--import", "tsx", "--conditions=@tsgrad/source", join(here, file), ...process.argv.slice(2)], {
    stdio: "inherit",
  });
  if (run.status !== 0) {
    failed++;
    console.error(`${file} failed with exit code ${run.status}`);
  }
}
process.exit(failed ? 1 : 0);
