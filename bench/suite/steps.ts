/**
 * The side-by-side of one model's training step and forward pass (bench/lenet.bench.ts,
 * bench/lstm.bench.ts): the frameworks take turns round after round, each turn building the
 * model afresh and timing one pass under a budget; printed as ms per step with the loss and the
 * throughput ratio tsgrad / other (above 1: tsgrad is faster).
 */
import { Tally, roundRobin, timeReps, type Budget } from "../lib/timing.js";
import { TorchWorker, writeDataFile, type Encoded } from "../lib/torch.js";
import type { Sample } from "./framework.js";

export type Pass = "step" | "forward";

/** A framework's turn: build the model and time `pass` under `budget`. */
export interface StepContestant {
  name: string;
  run(pass: Pass, budget: Budget): Promise<Sample>;
}

/** A JavaScript framework's contestant: `build` makes a fresh model's step and forward functions (after `activate`). */
export function jsSteps(name: string, build: () => Record<Pass, () => number>, activate?: () => Promise<void>): StepContestant {
  return {
    name,
    async run(pass, budget) {
      await activate?.();
      return timeReps(build()[pass], budget);
    },
  };
}

/** Starts the PyTorch worker on `data` (the model's inputs, encoded) and returns its contestant for `op`, or undefined (said on stderr) without PyTorch. */
export async function torchSteps(op: "lenet" | "lstm", data: Record<string, Encoded>): Promise<{ contestant: StepContestant; close(): void } | undefined> {
  const worker = await TorchWorker.start(1);
  if (typeof worker === "string") {
    process.stderr.write(`PyTorch not run: ${worker}\n`);
    return undefined;
  }
  const file = writeDataFile({ [op]: data });
  return {
    contestant: {
      name: `PyTorch ${worker.version} (1 thread)`,
      run: (pass, budget) => worker.request<Sample>({ op, pass, budget, data: file.path }),
    },
    close() {
      worker.close();
      file.remove();
    },
  };
}

/** Runs every contestant's step and forward pass for `rounds` rounds and prints the two tables under `title`. */
export async function compareSteps(title: string, contestants: StepContestant[], rounds: number, budget: Budget): Promise<void> {
  const tallies = contestants.map(() => ({ step: new Tally(), forward: new Tally() }));
  await roundRobin(rounds, contestants.map((c, i) => ({ c, t: tallies[i] })), async ({ c, t }) => {
    for (const pass of ["step", "forward"] as const) {
      const tally = t[pass];
      if (tally.note !== undefined) continue;
      try {
        const r = await c.run(pass, budget);
        tally.add(r.times, r.value);
      } catch (e) {
        tally.note = (e as Error).message.split("\n")[0];
      }
    }
  });
  console.log(`${title}; median ms of ${rounds} rounds × ${budget.maxReps} runs, each round after ${budget.warmup} warm-up`);
  for (const pass of ["step", "forward"] as const) {
    console.log(pass === "step" ? "training step (forward, backward, Adam update):" : "forward pass only (no graph):");
    const ours = tallies[0][pass].ms;
    contestants.forEach((c, i) => {
      const t = tallies[i][pass];
      if (t.note !== undefined || Number.isNaN(t.ms)) {
        console.log(`  ${c.name.padEnd(28)}      n/a  (${t.note ?? "no samples"})`);
        return;
      }
      const ratio = i === 0 ? "" : `  tsgrad throughput ×${(t.ms / ours).toFixed(2)}`;
      console.log(`  ${c.name.padEnd(28)} ${t.ms.toFixed(2).padStart(8)} ms  (${(1000 / t.ms).toFixed(1)}/s, loss ${t.value.toFixed(3)})${ratio}`);
    });
  }
}
