/**
 * Run by durable-save.test.ts in a child process: saves a large state dict over PATH with FORMAT
 * ("json": `save`, "safetensors": `saveSafetensors`) while a worker thread watches the directory
 * and, once the temporary file has grown past 1 MiB, kills this process by its own pid with
 * SIGKILL, in the middle of the write. Prints nothing: the parent checks what is left on disk.
 *
 *     node --import tsx --conditions=@tsgrad/source killed-save.ts PATH FORMAT MEGABYTES
 */
import { Worker } from "node:worker_threads";
import { zeros } from "@tsgrad/core";
import { save, saveSafetensors } from "@tsgrad/core/node";

const [path, format, megabytes] = process.argv.slice(2);
const watcher = `
  const { readdirSync, statSync } = require("node:fs");
  const { dirname, basename, join } = require("node:path");
  const { path } = require("node:worker_threads").workerData;
  const dir = dirname(path);
  const prefix = "." + basename(path) + ".";
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    for (const name of readdirSync(dir)) {
      if (!name.startsWith(prefix)) continue;
      let size = 0;
      try { size = statSync(join(dir, name)).size; } catch { continue; }
      if (size > 1 << 20) process.kill(process.pid, "SIGKILL");
    }
    Atomics.wait(pause, 0, 0, 0.2);
  }
`;
const big = { "layer.weight": zeros([(Number(megabytes) * 2 ** 20) / 4]), "layer.bias": zeros([10]) };
const worker = new Worker(watcher, { eval: true, workerData: { path } });
worker.on("online", () => {
  if (format === "json") save(big, path);
  else saveSafetensors(big, path);
  console.log("the save finished before the kill");
});
