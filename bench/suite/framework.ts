/**
 * What a framework provides to `pnpm bench`, and the shared driver that turns it into timed runs:
 * each JavaScript framework only builds its models (an MLP step over given row indices, a
 * matmul, the LeNet-5 and LSTM steps); shuffling, epochs, evaluation and timing are here, the
 * same code for all of them. PyTorch implements {@link Contestant} directly (bench/suite/pytorch.ts).
 */
import { nTrain, type Dataset } from "../lib/data.js";
import { timeOnce, timeReps } from "../lib/timing.js";
import type { DatasetName, MlpSpec, Workload } from "./workloads.js";

/** One timed run: sample times in ms (a training run: its single total), and its accuracy or loss. */
export interface Sample {
  times: number[];
  value: number;
}

/** A column of the table: runs each workload it can, or says why not. */
export interface Contestant {
  name: string;
  /** Why this framework does not run `w`, or undefined when it does. */
  skip(w: Workload): string | undefined;
  /** Runs `w` once (for a training run: `epochs` epochs of a fresh model). */
  run(w: Workload, epochs: number): Promise<Sample>;
}

/** An MLP with its optimizer, built by a framework for a spec and a data set. */
export interface MlpModel {
  /** One training step on the training rows `rows`; returns the batch's loss as a number. */
  step(rows: Int32Array): number;
  /** Test accuracy (classification) or the loss on the test set (regression). */
  evaluate(): number;
  /** Frees what the garbage collector cannot (tfjs and jax-js tensors in their WebAssembly heaps). */
  dispose?(): void;
}

/** The inputs of the fixed-batch model steps. */
export interface ModelData {
  /** 64 MNIST digits [64, 1, 28, 28] (row-major, NCHW) and their labels. */
  lenet: { x: Float32Array; y: Int32Array };
  /** Sequences [32, 50, 32] and targets [32, 1]. */
  lstm: { x: Float32Array; y: Float32Array };
  /** Two N(0, 1) matrices per size, row-major. */
  matmul(n: number): [Float32Array, Float32Array];
}

/** What a JavaScript framework implements; a method left out (or `skip`) means it cannot run that kind. */
export interface JsFramework {
  name: string;
  /** Called before each of its turns (tfjs selects its backend here). */
  activate?(): Promise<void>;
  skip?(w: Workload): string | undefined;
  mlp(spec: MlpSpec, data: Dataset): MlpModel;
  /** A function computing a·b (and making sure it is computed) for n×n row-major a, b. */
  matmul(n: number, a: Float32Array, b: Float32Array): () => void;
  /** A LeNet-5 training step on the batch (returns the loss). */
  lenet?(data: ModelData["lenet"]): () => number;
  /** A 2-layer LSTM training step on the batch (returns the loss). */
  lstm?(data: ModelData["lstm"]): () => number;
}

/** A small seeded PRNG (mulberry32) for the JavaScript frameworks' shuffles. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Yields the training row indices batch after batch, a fresh Fisher–Yates shuffle every epoch; the last batch of an epoch may be short. */
export class Batches {
  private readonly order: Int32Array;
  private at: number;
  private readonly random: () => number;

  constructor(private readonly n: number, private readonly size: number, seed: number) {
    this.order = Int32Array.from({ length: n }, (_, i) => i);
    this.at = n;
    this.random = rng(seed);
  }

  /** Batches per epoch. */
  get perEpoch(): number {
    return Math.ceil(this.n / this.size);
  }

  next(): Int32Array {
    if (this.at >= this.n) {
      for (let i = this.n - 1; i > 0; i--) {
        const j = Math.floor(this.random() * (i + 1));
        [this.order[i], this.order[j]] = [this.order[j], this.order[i]];
      }
      this.at = 0;
    }
    const batch = this.order.subarray(this.at, Math.min(this.n, this.at + this.size));
    this.at += this.size;
    return batch;
  }
}

let runSeed = 1;

/** The contestant of a JavaScript framework: the shared driver over its models. */
export function jsContestant(fw: JsFramework, datasets: (name: DatasetName) => Dataset, models: ModelData): Contestant {
  const skip = (w: Workload): string | undefined => {
    const own = fw.skip?.(w);
    if (own !== undefined) return own;
    if (w.kind === "lenet" && !fw.lenet) return "no conv layers";
    if (w.kind === "lstm" && !fw.lstm) return "no LSTM";
    return undefined;
  };
  return {
    name: fw.name,
    skip,
    async run(w, epochs) {
      await fw.activate?.();
      switch (w.kind) {
        case "train": {
          const data = datasets(w.mlp.data);
          const batches = new Batches(nTrain(data), w.mlp.batch, runSeed++);
          const model = fw.mlp(w.mlp, data);
          const { ms, value } = timeOnce(() => {
            for (let e = 0; e < epochs; e++) {
              for (let b = 0; b < batches.perEpoch; b++) model.step(batches.next());
              if (w.evalEachEpoch && e < epochs - 1) model.evaluate();
            }
            return model.evaluate();
          });
          model.dispose?.();
          return { times: [ms], value };
        }
        case "steps": {
          const data = datasets(w.mlp.data);
          const batches = new Batches(nTrain(data), w.mlp.batch, runSeed++);
          const model = fw.mlp(w.mlp, data);
          const { times } = timeReps(() => model.step(batches.next()), w.budget);
          const value = model.evaluate();
          model.dispose?.();
          return { times, value };
        }
        case "matmul": {
          const product = fw.matmul(w.n, ...models.matmul(w.n));
          return { ...timeReps(() => (product(), 0), w.budget), value: NaN };
        }
        case "lenet":
          return timeReps(fw.lenet!(models.lenet), w.budget);
        case "lstm":
          return timeReps(fw.lstm!(models.lstm), w.budget);
      }
    },
  };
}
