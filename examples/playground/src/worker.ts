/// <reference lib="dom" />
/**
 * The playground's Web Worker: all of the training happens here, so the page stays responsive.
 * It trains in slices of about 40 ms, posting the losses, the metrics and the model on the plot's
 * grid after each, and reads a `stop` or a new `train` between slices.
 */
import * as tg from "tsgrad";
import { evaluate, plotBounds, predictGrid, setUp, trainStep } from "./experiment.js";
import { pairingCode, type Command, type Config, type Report } from "./pairings.js";

const SLICE_MS = 40;
const GRID = 50;
let current = 0; // the id of the run that may go on: a new command ends the old run

/** The worker's global scope (typed here: the project's lib is the DOM's, not the worker's). */
const scope = globalThis as unknown as {
  postMessage(message: Report, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<Command>) => void) | null;
};

function post(report: Report, transfer: Transferable[] = []): void {
  scope.postMessage(report, transfer);
}

const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

async function train(config: Config, id: number): Promise<void> {
  const t0 = performance.now();
  const run = setUp(config);
  const { data } = run;
  const bounds = plotBounds(data);
  const points = (x: tg.Tensor, y: tg.Tensor, outliers?: tg.Tensor) => ({
    x: x.toArray() as number[][],
    y: Array.from(y.dataSync()),
    outliers: outliers ? Array.from(outliers.dataSync(), Boolean) : undefined,
  });
  const truth = data.truth ? Array.from({ length: 121 }, (_, i) => bounds[0] + ((bounds[1] - bounds[0]) * i) / 120).map((x) => [x, data.truth!(x)]) : undefined;
  post({
    type: "start", task: data.task, classes: data.classes, bounds, truth,
    train: points(data.xTrain, data.yTrain, data.outliersTrain), test: points(data.xTest, data.yTest),
    model: run.model.toString(), code: pairingCode(data.task, config.output, config.loss), kernelMode: tg.getKernelMode(),
  });
  let step = 0;
  while (step < config.steps) {
    const sliceEnd = performance.now() + SLICE_MS;
    do {
      trainStep(run);
      step++;
    } while (step < config.steps && performance.now() < sliceEnd);
    const grid = predictGrid(run, config, bounds, data.task === "regression" ? 200 : GRID);
    post({ type: "progress", step, ...evaluate(run, config), grid, gridSize: data.task === "regression" ? 200 : GRID }, [grid.buffer]);
    await nextTask();
    if (id !== current) return;
  }
  post({ type: "done", step, ms: performance.now() - t0 });
}

scope.onmessage = (event) => {
  const command = event.data;
  current++;
  if (command.type === "train") {
    const id = current;
    train(command.config, id).catch((e: unknown) => {
      if (id === current) post({ type: "error", message: e instanceof Error ? e.message : String(e) });
    });
  }
};
