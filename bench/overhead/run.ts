/**
 * Runs one workload of workloads.ts once and prints its time and final numbers: the driver to
 * profile.
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx/esm --conditions=@tsgrad/source bench/overhead/run.ts w1 [--scale 0.2]
 */
import { performance } from "node:perf_hooks";
import * as tg from "tsgrad";
import { workload } from "./workloads.js";

const name = process.argv[2] ?? "w1";
const at = process.argv.indexOf("--scale");
const scale = at > 0 ? Number(process.argv[at + 1]) : 1;
const w = workload(tg, name, scale);
const t0 = performance.now();
const result = w.run();
console.log(`${name} ×${scale}: ${((performance.now() - t0) / 1000).toFixed(3)} s`, JSON.stringify(result));
