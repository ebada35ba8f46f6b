/**
 * The route out of one process, both ways: tsgrad trains the moons model and saves it (and its
 * data) as safetensors; PyTorch loads it into the same architecture and continues training with
 * torch.distributed and DistributedDataParallel, 2 processes with the gloo backend on localhost
 * (continue_ddp.py), then saves safetensors; tsgrad loads the result and evaluates it, reproducing
 * PyTorch's outputs.
 *
 *   pnpm tsx --conditions=@tsgrad/source examples/pytorch-handoff/handoff.ts [--epochs 30] [--seed 0] [--out DIR]
 *
 * Needs Debian's python3-torch (/usr/bin/python3; set PYTHON to use another interpreter).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as tg from "tsgrad";
import { loadSafetensors, loadSafetensorsMetadata, saveSafetensors } from "tsgrad/node";
import { DEFAULT_OUT, runIfMain, type ExampleOptions } from "../cli.js";

const here = dirname(fileURLToPath(import.meta.url));
const { nn } = tg;

/** The architecture on both sides: 2-32-1 with ReLU, on logits (BCEWithLogitsLoss). */
export const moonsModel = (): tg.nn.Sequential => new nn.Sequential(new nn.Linear(2, 32), new nn.ReLU(), new nn.Linear(32, 1));

/** Loss and accuracy of `model` on (X, y), with y float 0/1 of shape [N, 1]. */
function evaluate(model: tg.nn.Module, X: tg.Tensor, y: tg.Tensor): { loss: number; accuracy: number; logits: tg.Tensor } {
  return tg.noGrad(() => {
    const logits = model.forward(X) as tg.Tensor;
    const loss = tg.losses.binaryCrossEntropyWithLogits(logits, y).item();
    return { loss, accuracy: logits.gt(0).to("float32").eq(y).to("float32").mean().item(), logits };
  });
}

/** Step 1: tsgrad trains on the moons and writes moons.safetensors and moons-data.safetensors to `dir`. */
export function trainInTsgrad(dir: string, epochs: number, seed: number): { loss: number; accuracy: number } {
  const { X, y } = tg.data.makeMoons({ nSamples: 1000, noise: 0.2, randomState: 42 });
  const [XTrain, XTest, yTrain, yTest] = tg.data.trainTestSplit(X, y.to("float32").unsqueeze(1), { testSize: 0.2, randomState: 42 });
  tg.manualSeed(seed);
  const model = moonsModel();
  const optimizer = new tg.optim.Adam(model.parameters(), { lr: 0.01 });
  const loader = new tg.data.DataLoader(new tg.data.TensorDataset(XTrain, yTrain), { batchSize: 32, shuffle: true });
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const [xb, yb] of loader) {
      optimizer.zeroGrad();
      tg.losses.binaryCrossEntropyWithLogits(model.forward(xb), yb).backward();
      optimizer.step();
    }
  }
  mkdirSync(dir, { recursive: true });
  saveSafetensors(model, join(dir, "moons.safetensors"), { metadata: { trainer: "tsgrad", epochs: String(epochs) } });
  saveSafetensors({ X_train: XTrain, y_train: yTrain, X_test: XTest, y_test: yTest }, join(dir, "moons-data.safetensors"));
  const { loss, accuracy } = evaluate(model, XTest, yTest);
  return { loss, accuracy };
}

/** What continue_ddp.py prints. */
export interface DdpResult {
  world_size: number;
  replicas_equal: boolean;
  loss_before: number;
  loss_after: number;
  accuracy: number;
  first_logits: number[];
}

/** Step 2: PyTorch continues with DistributedDataParallel (2 gloo processes) and writes moons-ddp.safetensors. */
export function continueInPyTorch(dir: string, epochs: number, python = process.env.PYTHON ?? "/usr/bin/python3"): DdpResult {
  const run = spawnSync(python, [join(here, "continue_ddp.py"), dir, "--epochs", String(epochs), "--world-size", "2"], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`continue_ddp.py failed (exit ${run.status}):\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split("\n").pop()!) as DdpResult;
}

/** Step 3: tsgrad loads PyTorch's result into its model and evaluates it on the test set. */
export function evaluateInTsgrad(dir: string): { loss: number; accuracy: number; firstLogits: number[]; metadata: Record<string, string> } {
  const data = loadSafetensors(join(dir, "moons-data.safetensors"));
  const model = moonsModel();
  model.loadStateDict(loadSafetensors(join(dir, "moons-ddp.safetensors")));
  const { loss, accuracy, logits } = evaluate(model, data.X_test, data.y_test);
  return { loss, accuracy, firstLogits: [...logits.narrow(0, 0, 8).flatten().dataSync()], metadata: loadSafetensorsMetadata(join(dir, "moons-ddp.safetensors")) };
}

/** The whole loop; prints one line per step. */
export async function runHandoff(options: ExampleOptions = {}): Promise<{ tsgrad: { loss: number; accuracy: number }; pytorch: DdpResult; back: ReturnType<typeof evaluateInTsgrad> }> {
  const { epochs = 30, seed = 0, out = DEFAULT_OUT, log = console.log } = options;
  const dir = join(out, "pytorch-handoff");
  const pct = (a: number): string => `${(100 * a).toFixed(2)}%`;
  const tsgrad = trainInTsgrad(dir, epochs, seed);
  log(`1. tsgrad trained ${epochs} epochs: test loss ${tsgrad.loss.toFixed(4)}, accuracy ${pct(tsgrad.accuracy)}; wrote ${join(dir, "moons.safetensors")}`);
  const pytorch = continueInPyTorch(dir, epochs);
  log(`2. PyTorch DDP (${pytorch.world_size} processes, gloo) continued ${epochs} epochs: test loss ${pytorch.loss_before.toFixed(4)} -> ${pytorch.loss_after.toFixed(4)}, accuracy ${pct(pytorch.accuracy)}, replicas equal: ${pytorch.replicas_equal}`);
  const back = evaluateInTsgrad(dir);
  log(`3. tsgrad loaded PyTorch's moons-ddp.safetensors: test loss ${back.loss.toFixed(4)}, accuracy ${pct(back.accuracy)}`);
  return { tsgrad, pytorch, back };
}

runIfMain(import.meta.url, (args) => runHandoff(args));
