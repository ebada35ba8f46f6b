/**
 * saveCheckpoint / loadCheckpoint (issue 12): training resumed from a checkpoint is bit-identical to
 * training straight through. The run uses everything that carries state across epochs: Adam's
 * moments, a StepLR schedule, dropout drawing from the global generator, and a DataLoader shuffling
 * with its own generator; the resumed run starts in a fresh set of objects with the global stream
 * moved on, so only what the checkpoint restored can make it match.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as tg from "tsgrad";
import { saveCheckpoint, loadCheckpoint, loadSafetensors, saveSafetensors, type CheckpointOptions } from "tsgrad/node";

const { nn, optim, data, losses } = tg;
const dir = mkdtempSync(join(tmpdir(), "tsgrad-checkpoint-"));

/** A fresh training setup: the same architecture and options every time, weights from `seed`. */
function setup(seed: number) {
  tg.manualSeed(seed);
  const model = new nn.Sequential(new nn.Linear(2, 16), new nn.ReLU(), new nn.Dropout(0.2), new nn.Linear(16, 2));
  const optimizer = new optim.Adam(model.parameters(), { lr: 0.02 });
  const scheduler = new optim.StepLR(optimizer, { stepSize: 2, gamma: 0.5 });
  const moons = data.makeMoons({ nSamples: 96, noise: 0.1, randomState: 3 });
  const shuffle = new tg.Generator(11);
  const loader = new data.DataLoader(new data.TensorDataset(moons.X, moons.y), { batchSize: 16, shuffle: true, generator: shuffle });
  return { model, optimizer, scheduler, loader, shuffle };
}

/** Trains `epochs` epochs; returns the first target of every batch (the shuffle order, in effect). */
function train(s: ReturnType<typeof setup>, epochs: number): number[][] {
  const orders: number[][] = [];
  for (let e = 0; e < epochs; e++) {
    const order: number[] = [];
    s.model.train();
    for (const [xb, yb] of s.loader) {
      s.optimizer.zeroGrad();
      losses.crossEntropy(s.model.forward(xb), yb).backward();
      s.optimizer.step();
      order.push(...(xb.narrow(1, 0, 1).flatten().dataSync() as Float32Array));
    }
    s.scheduler.step();
    orders.push(order);
  }
  return orders;
}

const paramsOf = (m: tg.nn.Module): Float32Array[] => m.parameters().map((p) => p.dataSync() as Float32Array);

describe("saveCheckpoint / loadCheckpoint", () => {
  it("resumed training is bit-identical to training straight through (weights, Adam, StepLR, dropout RNG, shuffle order)", () => {
    const straight = setup(0);
    const firstHalf = train(straight, 3);
    const path = join(dir, "ckpt.safetensors");
    saveCheckpoint({ model: straight.model, optimizer: straight.optimizer, scheduler: straight.scheduler, epoch: 3, rng: tg.getDefaultGenerator(), shuffle: straight.shuffle }, path);
    const secondHalf = train(straight, 3);

    const resumed = setup(123); // other initial weights, another global stream
    tg.randn([7]); // the global stream moves on
    const saved = loadCheckpoint(path, { model: resumed.model, optimizer: resumed.optimizer, scheduler: resumed.scheduler, rng: tg.getDefaultGenerator(), shuffle: resumed.shuffle });
    expect(saved.epoch).toBe(3);
    expect(resumed.optimizer.paramGroups[0].lr).toBe(straight.optimizer.paramGroups[0].lr * 4); // two decays later
    const resumedHalf = train(resumed, 3);
    expect(resumedHalf).toEqual(secondHalf);
    expect(paramsOf(resumed.model)).toEqual(paramsOf(straight.model));
    expect(resumed.optimizer.stateDict()).toEqual(straight.optimizer.stateDict());
    // The shuffle orders of the epochs differ from one another, so matching them is not vacuous.
    expect(firstHalf[0]).not.toEqual(firstHalf[1]);
  });

  it("the tensors are safetensors records PyTorch's tools can read, named by their path", () => {
    const s = setup(0);
    train(s, 1);
    const path = join(dir, "named.safetensors");
    saveCheckpoint({ model: s.model, optimizer: s.optimizer, note: "first", best: [0.5, NaN] }, path);
    const records = loadSafetensors(path);
    expect(Object.keys(records)).toContain('model["0.weight"]');
    expect(Object.keys(records)).toContain("optimizer.state.0.expAvg");
    expect(records['model["3.bias"]'].toArray()).toEqual((s.model.at(3) as tg.nn.Linear).bias!.toArray());
    const back = loadCheckpoint(path);
    expect(back.note).toBe("first");
    expect(back.best).toEqual([0.5, NaN]);
    expect(Object.keys(back.model as object)).toEqual(Object.keys(s.model.stateDict()));
  });

  it("names what it cannot restore, and refuses a plain safetensors file", () => {
    const s = setup(0);
    const path = join(dir, "small.safetensors");
    saveCheckpoint({ model: s.model, epoch: 1 }, path);
    expect(() => loadCheckpoint(path, { optimizer: s.optimizer })).toThrow(/loadCheckpoint: the checkpoint holds no "optimizer" \(it holds "model", "epoch"\)/);
    expect(() => loadCheckpoint(path, { epoch: s.model })).toThrow(/loadCheckpoint: "epoch" was saved as a plain value, not a state dict/);
    expect(() => loadCheckpoint(path, { model: tg.getDefaultGenerator() })).toThrow(/loadCheckpoint: "model" was not saved from a Generator/);
    expect(() => loadCheckpoint(path, { epoch: 3 })).toThrow(/loadCheckpoint: cannot restore "epoch" into number 3/);
    expect(() => saveCheckpoint({ f: () => 1 }, path)).toThrow(/saveCheckpoint: cannot store function at f/);
    expect(() => saveCheckpoint({}, path, { check_sum: false } as CheckpointOptions)).toThrow(/saveCheckpoint: unknown option "check_sum"/);
    const plain = join(dir, "plain.safetensors");
    saveSafetensors(s.model, plain);
    expect(() => loadCheckpoint(plain)).toThrow(/loadCheckpoint: ".*plain.safetensors" is a safetensors file but not a tsgrad checkpoint/);
    expect((loadCheckpoint(path, { model: s.model }) as { epoch: number }).epoch).toBe(1);
  });
});
