/**
 * js-pytorch 0.7.2 in `pnpm bench`: tensors of nested JavaScript arrays (float64), its
 * nn.Linear (weight [in, out]), nn.ReLU (really a leaky ReLU, slope 1e-3) and CrossEntropyLoss.
 * It has no BCE, SGD, absolute value, conv or LSTM layers, its Adam has no bias correction and its
 * MSELoss divides by the batch size twice, so BCE on logits (log(1 + eᶻ) − z·y), MSE, SGD and Adam
 * (PyTorch's update) are written from its differentiable ops; Huber and MAE need |x| and are skipped, as are conv and LSTM, and
 * products of 1024³ and up (seconds to minutes each).
 */
import { torch } from "js-pytorch";
import type { Dataset } from "../lib/data.js";
import type { JsFramework, MlpModel } from "./framework.js";
import type { LossName, MlpSpec } from "./workloads.js";

type T = InstanceType<typeof torch.Tensor>;
type Nested = number[] | number[][];

/** `rows` × `cols` (or a vector when `cols` is 0) of U(−1/√fanIn, 1/√fanIn). */
function uniform(rows: number, cols: number, fanIn: number): Nested {
  const bound = 1 / Math.sqrt(fanIn);
  const draw = (): number => (2 * Math.random() - 1) * bound;
  return cols === 0 ? Array.from({ length: rows }, draw) : Array.from({ length: rows }, () => Array.from({ length: cols }, draw));
}

/** The loss `name` of predictions (logits for bce/ce) against a target tensor. */
function lossOf(name: LossName): (out: T, y: T) => T {
  switch (name) {
    case "bce": return (z, y) => z.exp().add(1).log().add(z.mul(y).neg()).mean().mean();
    case "ce": return (z, y) => new torch.nn.CrossEntropyLoss().forward(z, y);
    // its MSELoss divides the mean by the batch size once more, so the mean is written out
    case "mse": return (o, y) => o.add(y.neg()).pow(2).mean().mean();
    default: throw new TypeError(`js-pytorch: no ${name} loss (it has no absolute value)`);
  }
}

const [B1, B2, EPS] = [0.9, 0.999, 1e-8];

/** SGD or Adam over `params` with their `_grad`s, PyTorch's formulas, in js-pytorch's tensor ops. */
function optimizer(params: T[], opt: MlpSpec["optimizer"]): () => void {
  if (opt.name === "sgd") return () => params.forEach((p) => (p._data = p.add(p._grad.mul(-opt.lr))._data));
  const m = params.map((p) => torch.zeros(p.shape));
  const v = params.map((p) => torch.zeros(p.shape));
  let t = 0;
  return () => {
    t++;
    const [lrc, bc2] = [opt.lr / (1 - B1 ** t), Math.sqrt(1 - B2 ** t)];
    params.forEach((p, i) => {
      m[i] = m[i].mul(B1).add(p._grad.mul(1 - B1));
      v[i] = v[i].mul(B2).add(p._grad.pow(2).mul(1 - B2));
      p._data = p.add(m[i].div(v[i].sqrt().div(bc2).add(EPS)).mul(-lrc))._data;
    });
  };
}

function mlp(spec: MlpSpec, data: Dataset): MlpModel {
  const layers = spec.widths.slice(1).map((out, k) => {
    const layer = new torch.nn.Linear(spec.widths[k], out);
    layer.W._data = uniform(spec.widths[k], out, spec.widths[k]);
    layer.b._data = uniform(out, 0, spec.widths[k]);
    return layer;
  });
  const relu = new torch.nn.ReLU();
  const forward = (x: T): T => layers.reduce((h, layer, k) => (k < layers.length - 1 ? relu.forward(layer.forward(h)) : layer.forward(h)), x);
  const params = layers.flatMap((l) => [l.W, l.b]);
  const update = optimizer(params, spec.optimizer);
  const loss = lossOf(spec.loss);
  const F = data.features;
  const rows = (x: Float32Array): number[][] => Array.from({ length: x.length / F }, (_, i) => Array.from(x.subarray(i * F, (i + 1) * F)));
  const targets = (y: Float32Array | Int32Array): number[] | number[][] => (y instanceof Int32Array ? Array.from(y) : Array.from(y, (v) => [v]));
  const [xTrain, yTrain, xTest, yTest] = [rows(data.xTrain), targets(data.yTrain), rows(data.xTest), targets(data.yTest)];
  return {
    step(batch) {
      const pick = <R>(all: R[]): R[] => Array.from(batch, (i) => all[i]);
      const l = loss(forward(torch.tensor(pick(xTrain))), torch.tensor(pick(yTrain as number[][])));
      l.backward();
      update();
      params.forEach((p) => p.zero_grad());
      return Number(l.data);
    },
    evaluate() {
      const out = forward(torch.tensor(xTest)).data as number[][];
      if (data.classes === 0) return Number(loss(torch.tensor(out), torch.tensor(yTest)).data);
      const predicted = out.map((row) => (data.classes > 1 ? row.indexOf(Math.max(...row)) : row[0] > 0 ? 1 : 0));
      const truth = (yTest as Array<number | number[]>).map((y) => (Array.isArray(y) ? y[0] : y));
      return predicted.filter((p, i) => p === truth[i]).length / predicted.length;
    },
  };
}

export const jsPytorch: JsFramework = {
  name: "js-pytorch",
  skip(w) {
    if (w.kind === "train" && (w.mlp.loss === "huber" || w.mlp.loss === "mae")) return "no absolute value (|x|)";
    if (w.kind === "matmul" && w.n > 512) return "seconds to minutes per product";
    if (w.kind === "lstm") return "no LSTM; composed of its ops it would take minutes per step";
    return undefined;
  },
  mlp,
  matmul(n, a, b) {
    const nested = (x: Float32Array): number[][] => Array.from({ length: n }, (_, i) => Array.from(x.subarray(i * n, (i + 1) * n)));
    const [ta, tb] = [torch.tensor(nested(a)), torch.tensor(nested(b))];
    return () => void torch.matmul(ta, tb);
  },
};
