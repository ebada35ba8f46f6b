/// <reference lib="dom" />
/**
 * The playground page: the controls, the warning for a mismatched pairing, and the drawing of what
 * the worker reports. It imports no tsgrad itself: the training is all in worker.ts.
 */
import { drawLosses, drawScene, type Scene } from "./draw.js";
import {
  DATASETS, HIDDEN_ACTIVATIONS, LEARNING_RATES, LOSSES, OPTIMIZERS, OUTPUTS, hiddenNote, verdict,
  type Config, type DatasetName, type HiddenActivation, type LossName, type OptimizerName, type OutputName, type Report,
} from "./pairings.js";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const dataset = $<HTMLSelectElement>("dataset");
const activation = $<HTMLSelectElement>("activation");
const output = $<HTMLSelectElement>("output");
const loss = $<HTMLSelectElement>("loss");
const optimizer = $<HTMLSelectElement>("optimizer");
const lr = $<HTMLSelectElement>("lr");
const trainButton = $<HTMLButtonElement>("train");
const stopButton = $<HTMLButtonElement>("stop");
const warning = $<HTMLParagraphElement>("warning");
const note = $<HTMLParagraphElement>("note");
const metrics = $<HTMLParagraphElement>("metrics");
const plot = $<HTMLCanvasElement>("plot");
const lossCanvas = $<HTMLCanvasElement>("losses");

function fill(select: HTMLSelectElement, options: ReadonlyArray<readonly [string, string]>, selected: string): void {
  select.replaceChildren(...options.map(([value, label]) => new Option(label, value, false, value === selected)));
}

fill(dataset, Object.entries(DATASETS).map(([k, d]) => [k, d.label]), "moons");
fill(activation, HIDDEN_ACTIVATIONS.map((a) => [a, a === "Identity" ? "none (Identity)" : a]), "ReLU");
fill(output, Object.entries(OUTPUTS), "sigmoid");
fill(loss, Object.entries(LOSSES).map(([k, l]) => [k, l.label]), "bce");
fill(optimizer, OPTIMIZERS.map((o) => [o, o]), "Adam");
fill(lr, LEARNING_RATES.map((r) => [String(r), String(r)]), "0.03");

const task = () => DATASETS[dataset.value as DatasetName].task;

/** The warning for the chosen pairing (the article's explanation), the note on the hidden activation, and the losses the task allows. */
function updateAdvice(): void {
  for (const o of Array.from(loss.options)) o.disabled = !LOSSES[o.value as LossName].tasks.includes(task());
  const { warning: text } = verdict(task(), output.value as OutputName, loss.value as LossName);
  warning.hidden = text === undefined;
  warning.textContent = text ? `Mismatched pairing. ${text}` : "";
  const hint = hiddenNote(activation.value as HiddenActivation);
  note.hidden = hint === undefined;
  note.textContent = hint ?? "";
}

dataset.addEventListener("change", () => {
  const d = DATASETS[dataset.value as DatasetName];
  output.value = d.output;
  loss.value = d.loss;
  updateAdvice();
});
for (const select of [output, loss, activation]) select.addEventListener("change", updateAdvice);
updateAdvice();

function readConfig(): Config {
  const hidden = $<HTMLInputElement>("hidden").value.split(/[\s,]+/).filter(Boolean).map(Number);
  if (hidden.some((h) => !Number.isInteger(h) || h < 1 || h > 256) || hidden.length > 6) {
    throw new RangeError(`hidden layers: up to 6 widths from 1 to 256, comma-separated; got "${$<HTMLInputElement>("hidden").value}"`);
  }
  const steps = Number($<HTMLInputElement>("steps").value);
  const seed = Number($<HTMLInputElement>("seed").value);
  if (!Number.isInteger(steps) || steps < 1 || steps > 20000) throw new RangeError(`steps: an integer from 1 to 20000, got ${steps}`);
  if (!Number.isInteger(seed) || seed < 0) throw new RangeError(`seed: a non-negative integer, got ${seed}`);
  return {
    dataset: dataset.value as DatasetName, seed, hidden, steps,
    activation: activation.value as HiddenActivation, output: output.value as OutputName, loss: loss.value as LossName,
    optimizer: optimizer.value as OptimizerName, lr: Number(lr.value),
  };
}

const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
let scene: Scene | undefined;
let history = { steps: [] as number[], train: [] as number[], test: [] as number[] };
let kernelMode = "";

function setState(state: "idle" | "training" | "done" | "error"): void {
  document.body.dataset.state = state;
  trainButton.disabled = state === "training";
  stopButton.disabled = state !== "training";
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

worker.onmessage = (event: MessageEvent<Report>) => {
  const r = event.data;
  if (r.type === "start") {
    scene = { task: r.task, classes: r.classes, bounds: r.bounds, train: r.train, test: r.test, truth: r.truth };
    history = { steps: [], train: [], test: [] };
    kernelMode = r.kernelMode;
    $("code").textContent = `loss = ${r.code}`;
    $("model").textContent = r.model;
    drawScene(plot, scene);
    drawLosses(lossCanvas, [], [], []);
  } else if (r.type === "progress" && scene) {
    history.steps.push(r.step);
    history.train.push(r.trainLoss);
    history.test.push(r.testLoss);
    drawScene(plot, scene, r.grid, r.gridSize);
    drawLosses(lossCanvas, history.steps, history.train, history.test);
    const metric = scene.task === "regression"
      ? `MAE to the clean curve: train ${r.trainMetric.toFixed(3)}, test ${r.testMetric.toFixed(3)}`
      : `accuracy: train ${pct(r.trainMetric)}, test ${pct(r.testMetric)}`;
    metrics.textContent = `step ${r.step} · loss: train ${r.trainLoss.toPrecision(3)}, test ${r.testLoss.toPrecision(3)} · ${metric}`;
    metrics.dataset.step = String(r.step);
    metrics.dataset.trainMetric = String(r.trainMetric);
    metrics.dataset.testMetric = String(r.testMetric);
  } else if (r.type === "done") {
    metrics.textContent += ` · ${(r.ms / 1000).toFixed(1)} s, ${kernelMode} kernels`;
    metrics.dataset.kernelMode = kernelMode;
    setState("done");
  } else if (r.type === "error") {
    metrics.textContent = `Training stopped with an error: ${r.message}`;
    setState("error");
  }
};
worker.onerror = (e) => {
  metrics.textContent = `The worker failed: ${e.message}`;
  setState("error");
};

$<HTMLFormElement>("controls").addEventListener("submit", (event) => {
  event.preventDefault();
  try {
    const config = readConfig();
    setState("training");
    metrics.textContent = "training…";
    worker.postMessage({ type: "train", config });
  } catch (e) {
    metrics.textContent = (e as Error).message;
    setState("error");
  }
});
stopButton.addEventListener("click", () => {
  worker.postMessage({ type: "stop" });
  setState("done");
});
