/** PyTorch's side of the interop tests: tools/fixtures/check_interop.py run by Debian's /usr/bin/python3 (with python3-torch). */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import type * as tg from "tsgrad";
import { decode, expectClose, type EncodedTensor } from "../../../tools/test-utils.js";

/** Whether /usr/bin/python3 can import torch (the checks are skipped otherwise). */
export const hasTorch = spawnSync("/usr/bin/python3", ["-c", "import torch"], { encoding: "utf8" }).status === 0;

/** Runs check_interop.py with `args` and returns what it printed (JSON). */
export function checkInterop(...args: string[]): unknown {
  const run = spawnSync("/usr/bin/python3", ["tools/fixtures/check_interop.py", ...args], { encoding: "utf8", cwd: new URL("../../../", import.meta.url).pathname });
  if (run.status !== 0) throw new Error(`check_interop.py ${args.join(" ")} failed:\n${run.stderr}`);
  return JSON.parse(run.stdout);
}

// Float32 forward passes: PyTorch and tsgrad sum the same products in different orders, so the
// outputs agree to a few float32 ulps, not bit for bit.
export const F32 = { rtol: 1e-5, atol: 1e-6 };

/**
 * Checks that PyTorch loads the state dict tsgrad saved at `path` into `arch` (check_interop.py's
 * "mlp" or "cnn") under the same keys, and computes `net`'s output on `input`.
 */
export function expectPyTorchComputes(arch: string, net: tg.nn.Module, input: EncodedTensor, path: string, dir: string): void {
  const inputPath = join(dir, `${arch}-input.json`);
  writeFileSync(inputPath, JSON.stringify(input));
  const got = checkInterop("run", arch, path, inputPath) as { keys: string[]; output: EncodedTensor };
  expect(got.keys).toEqual(Object.keys(net.stateDict()));
  expectClose(net.forward(decode(input)) as tg.Tensor, got.output, `${arch} output`, F32.rtol, F32.atol);
}
