/**
 * The hand-off to PyTorch's distributed training (issue 12), run for real when /usr/bin/python3 has
 * torch (.ci/run installs python3-torch): tsgrad trains and saves safetensors, continue_ddp.py
 * continues in 2 DistributedDataParallel processes over gloo on localhost and saves safetensors,
 * tsgrad loads that and reproduces PyTorch's test outputs.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runHandoff } from "../pytorch-handoff/handoff.js";

const hasTorch = spawnSync("/usr/bin/python3", ["-c", "import torch, torch.distributed"], { encoding: "utf8" }).status === 0;
if (!hasTorch) console.log("pytorch-handoff: skipped: /usr/bin/python3 cannot import torch (install python3-torch)");
const out = mkdtempSync(join(tmpdir(), "tsgrad-handoff-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("examples/pytorch-handoff", () => {
  it.skipIf(!hasTorch)("tsgrad -> PyTorch DDP (2 gloo processes) -> tsgrad, with PyTorch's outputs reproduced", async () => {
    const lines: string[] = [];
    const { tsgrad, pytorch, back } = await runHandoff({ epochs: 10, seed: 0, out, log: (l) => void lines.push(l) });
    expect(tsgrad.accuracy).toBeGreaterThan(0.9);
    // PyTorch started from tsgrad's weights: its loss before training is tsgrad's (float32 rounding apart).
    expect(pytorch.loss_before).toBeCloseTo(tsgrad.loss, 5);
    expect(pytorch.world_size).toBe(2);
    expect(pytorch.replicas_equal).toBe(true);
    expect(pytorch.loss_after).toBeLessThan(pytorch.loss_before);
    expect(back.metadata).toEqual({ trainer: "torch DistributedDataParallel", world_size: "2" });
    expect(back.accuracy).toBe(pytorch.accuracy);
    expect(back.loss).toBeCloseTo(pytorch.loss_after, 5);
    back.firstLogits.forEach((v, i) => expect(Math.abs(v - pytorch.first_logits[i]), `logit ${i}`).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(v))));
    expect(lines).toHaveLength(3);
  }, 240_000);
});
