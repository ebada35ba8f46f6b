/**
 * PyTorch in `pnpm bench`: each turn is one request to the long-lived bench/torch_suite.py
 * worker (bench/lib/torch.ts), which trains and times the same workload on the same data file.
 */
import type { TorchWorker } from "../lib/torch.js";
import type { Contestant, Sample } from "./framework.js";

/** The PyTorch contestant `name` over a started worker and the data file both sides read. */
export function pytorch(worker: TorchWorker, dataPath: string, name = "PyTorch"): Contestant {
  return {
    name,
    skip: () => undefined,
    async run(w, epochs) {
      const ask = (msg: Record<string, unknown>): Promise<Sample> => worker.request<{ times: number[]; value: number | null }>({ data: dataPath, ...msg }).then((r) => ({ times: r.times, value: r.value ?? NaN }));
      switch (w.kind) {
        case "train": return ask({ op: "train", spec: w.mlp, epochs, evalEachEpoch: w.evalEachEpoch });
        case "steps": return ask({ op: "steps", spec: w.mlp, budget: w.budget });
        case "matmul": return ask({ op: "matmul", n: w.n, budget: w.budget });
        case "lenet":
        case "lstm": return ask({ op: w.kind, budget: w.budget });
      }
    },
  };
}
