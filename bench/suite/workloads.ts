/**
 * The workloads of `pnpm bench` (issue 13's W1–W5 plus the LeNet-5 and LSTM steps): what each
 * framework must do, with the same data, hyper-parameters and initialisation rule everywhere
 * (every weight and bias U(−1/√fan_in, 1/√fan_in), PyTorch's default for Linear, Conv2d and LSTM).
 */
import type { Budget } from "../lib/timing.js";

export type LossName = "bce" | "ce" | "mse" | "huber" | "mae";
export type DatasetName = "moons" | "spiral" | "regression" | "mnist";

/** An MLP with ReLU between its Linear layers, trained with mini-batches of shuffled training rows. */
export interface MlpSpec {
  data: DatasetName;
  /** Layer widths, input first. */
  widths: number[];
  /** bce: binary cross-entropy on the logit; ce: cross-entropy over classes; mse, huber (δ = 1), mae. */
  loss: LossName;
  optimizer: { name: "sgd" | "adam"; lr: number };
  batch: number;
}

/** A whole training run, timed in seconds: `epochs` epochs (a fresh shuffle each), the test set evaluated after each epoch or once at the end. */
export interface TrainWorkload {
  kind: "train";
  id: string;
  title: string;
  mlp: MlpSpec;
  epochs: number;
  evalEachEpoch: boolean;
}

/** Training steps of an MLP on consecutive shuffled batches, timed per step (steps/s); the test accuracy after the round's steps. */
export interface StepsWorkload {
  kind: "steps";
  id: string;
  title: string;
  mlp: MlpSpec;
  budget: Budget;
}

/** One float32 product [n, n] × [n, n], timed per product (GFLOP/s). */
export interface MatmulWorkload {
  kind: "matmul";
  id: string;
  title: string;
  n: number;
  budget: Budget;
}

/** A fixed-batch training step of a model (LeNet-5 or the 2-layer LSTM), timed per step; the loss after the round's steps. */
export interface ModelWorkload {
  kind: "lenet" | "lstm";
  id: string;
  title: string;
  budget: Budget;
}

export type Workload = TrainWorkload | StepsWorkload | MatmulWorkload | ModelWorkload;

/** The unit a workload's result is shown in: seconds per run (lower is better) or a rate (higher is better). */
export function unitOf(w: Workload): "s" | "steps/s" | "GFLOP/s" {
  return w.kind === "train" ? "s" : w.kind === "matmul" ? "GFLOP/s" : "steps/s";
}

/** The workloads; `quick` cuts epochs by 10 and the time budgets by 5. */
export function workloads(quick: boolean): Workload[] {
  const epochs = (e: number): number => (quick ? Math.max(2, Math.round(e / 10)) : e);
  const budget = (warmup: number, minMs: number, maxReps: number): Budget => (quick ? { warmup: 1, minMs: minMs / 5, maxReps: Math.max(2, Math.round(maxReps / 5)) } : { warmup, minMs, maxReps });
  const w3 = (loss: LossName, name: string): TrainWorkload => ({
    kind: "train",
    id: `W3-${loss}`,
    title: `W3 regression 8-64-64-1, ${name}, Adam, batch 64, ${epochs(300)} epochs`,
    mlp: { data: "regression", widths: [8, 64, 64, 1], loss, optimizer: { name: "adam", lr: 1e-3 }, batch: 64 },
    epochs: epochs(300),
    evalEachEpoch: false,
  });
  const sizes = [256, 512, 1024, 2048];
  return [
    {
      kind: "train",
      id: "W1",
      title: `W1 moons 2-32-16-8-1, SGD, batch 64, ${epochs(500)} epochs + per-epoch eval`,
      mlp: { data: "moons", widths: [2, 32, 16, 8, 1], loss: "bce", optimizer: { name: "sgd", lr: 0.05 }, batch: 64 },
      epochs: epochs(500),
      evalEachEpoch: true,
    },
    {
      kind: "train",
      id: "W2",
      title: `W2 spiral 2-64-64-3, Adam, batch 64, ${epochs(200)} epochs`,
      mlp: { data: "spiral", widths: [2, 64, 64, 3], loss: "ce", optimizer: { name: "adam", lr: 1e-2 }, batch: 64 },
      epochs: epochs(200),
      evalEachEpoch: false,
    },
    w3("mse", "MSE"),
    w3("huber", "Huber"),
    w3("mae", "MAE"),
    {
      kind: "steps",
      id: "W4",
      title: "W4 MNIST 784-256-128-10, batch 128, CE + Adam",
      mlp: { data: "mnist", widths: [784, 256, 128, 10], loss: "ce", optimizer: { name: "adam", lr: 1e-3 }, batch: 128 },
      budget: budget(3, 3000, 300),
    },
    {
      kind: "steps",
      id: "W4-wide",
      title: "W4 MNIST 784-512-512-10, batch 64, CE + Adam",
      mlp: { data: "mnist", widths: [784, 512, 512, 10], loss: "ce", optimizer: { name: "adam", lr: 1e-3 }, batch: 64 },
      budget: budget(3, 3000, 300),
    },
    ...sizes.map((n): MatmulWorkload => ({ kind: "matmul", id: `W5-${n}`, title: `W5 matmul ${n}³ float32`, n, budget: budget(1, 2000, 50) })),
    { kind: "lenet", id: "lenet", title: "LeNet-5 step, batch 64×1×28×28, CE + Adam", budget: budget(2, 3000, 50) },
    { kind: "lstm", id: "lstm", title: "LSTM 2-layer step, batch 32, seq 50, hidden 128, MSE + Adam", budget: budget(1, 3000, 20) },
  ];
}

/** Whether `w` is picked by `--only` items: an item matches an id or its prefix before '-' (W3 → W3-mse, W3-huber, W3-mae). */
export function picked(w: Workload, only: string[] | undefined): boolean {
  if (only === undefined) return true;
  const id = w.id.toLowerCase();
  return only.some((o) => id === o || id.startsWith(`${o}-`));
}
