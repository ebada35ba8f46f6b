/**
 * tsgrad in `pnpm bench`: the MLPs as nn.Sequential of Linear and ReLU with its optim and losses,
 * matmul, and the LeNet-5 and 2-layer LSTM steps (also used by bench/lenet.bench.ts and
 * bench/lstm.bench.ts). tsgrad's default initialisation is PyTorch's, the rule every framework follows.
 */
import * as tg from "tsgrad";
import type { Dataset } from "../lib/data.js";
import type { JsFramework, MlpModel, ModelData } from "./framework.js";
import type { LossName, MlpSpec } from "./workloads.js";

const { nn, optim, losses } = tg;

/** The training loss `name` of predictions (logits for bce/ce) against targets. */
function lossOf(name: LossName): (out: tg.Tensor, target: tg.Tensor) => tg.Tensor {
  switch (name) {
    case "bce": return (o, t) => losses.binaryCrossEntropyWithLogits(o, t);
    case "ce": return (o, t) => losses.crossEntropy(o, t);
    case "mse": return (o, t) => losses.mseLoss(o, t);
    case "huber": return (o, t) => losses.huberLoss(o, t, { delta: 1 });
    case "mae": return (o, t) => losses.l1Loss(o, t);
  }
}

/** Test accuracy of logits (classes > 1: argmax; 1: logit > 0) against targets. */
function accuracy(out: tg.Tensor, target: tg.Tensor, classes: number): number {
  const hit = classes > 1 ? out.argmax(1).eq(target) : out.gt(0).eq(target.gt(0.5));
  return hit.to("float32").mean().item();
}

function mlp(spec: MlpSpec, data: Dataset): MlpModel {
  const layers: tg.nn.Module[] = [];
  spec.widths.slice(1).forEach((out, k) => {
    layers.push(new nn.Linear(spec.widths[k], out));
    if (k < spec.widths.length - 2) layers.push(new nn.ReLU());
  });
  const model = new nn.Sequential(...layers);
  const opt = spec.optimizer.name === "sgd" ? new optim.SGD(model.parameters(), { lr: spec.optimizer.lr }) : new optim.Adam(model.parameters(), { lr: spec.optimizer.lr });
  const loss = lossOf(spec.loss);
  const rows = (x: Float32Array): tg.Tensor => tg.tensor(x, { shape: [x.length / data.features, data.features] });
  const targets = (y: Float32Array | Int32Array): tg.Tensor => (y instanceof Int32Array ? tg.tensor(y, { dtype: "int32" }) : tg.tensor(y, { shape: [y.length, 1] }));
  const [xTrain, yTrain, xTest, yTest] = [rows(data.xTrain), targets(data.yTrain), rows(data.xTest), targets(data.yTest)];
  return {
    step(batch) {
      const index = tg.tensor(batch, { dtype: "int32" });
      const l = loss(model.forward(xTrain.indexSelect(0, index)) as tg.Tensor, yTrain.indexSelect(0, index));
      opt.zeroGrad();
      l.backward();
      opt.step();
      return l.item();
    },
    evaluate() {
      return tg.noGrad(() => {
        const out = model.forward(xTest) as tg.Tensor;
        return data.classes > 0 ? accuracy(out, yTest, data.classes) : loss(out, yTest).item();
      });
    },
  };
}

/** LeNet-5: conv 1→6 5×5 pad 2, ReLU, max-pool 2, conv 6→16 5×5, ReLU, max-pool 2, 400-120-84-10 with ReLU. */
export function lenetModel(): tg.nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(), new nn.Linear(400, 120), new nn.ReLU(), new nn.Linear(120, 84), new nn.ReLU(), new nn.Linear(84, 10),
  );
}

/** A training step and a forward pass (no graph) of `loss` over `params` with Adam (lr 1e-3), each returning the loss. */
export function adamStep(params: tg.Tensor[], loss: () => tg.Tensor): { step: () => number; forward: () => number } {
  const opt = new optim.Adam(params, { lr: 1e-3 });
  return {
    step: () => {
      opt.zeroGrad();
      const l = loss();
      l.backward();
      opt.step();
      return l.item();
    },
    forward: () => tg.noGrad(() => loss().item()),
  };
}

/** LeNet-5 on a batch of 64 digits, cross-entropy, Adam. */
export function lenetBench(data: ModelData["lenet"]): { step: () => number; forward: () => number } {
  const model = lenetModel();
  const x = tg.tensor(data.x, { shape: [data.y.length, 1, 28, 28] });
  const y = tg.tensor(data.y, { dtype: "int32" });
  return adamStep(model.parameters(), () => losses.crossEntropy(model.forward(x) as tg.Tensor, y));
}

/** The LSTM workload's sizes: batch, sequence length, input and hidden width. */
export const LSTM_SIZES = { batch: 32, seq: 50, input: 32, hidden: 128 };

/** A 2-layer LSTM (batch first) and a Linear head on the last step's output. */
export function lstmModel(): { lstm: tg.nn.LSTM; head: tg.nn.Linear } {
  return { lstm: new nn.LSTM(LSTM_SIZES.input, LSTM_SIZES.hidden, { numLayers: 2, batchFirst: true }), head: new nn.Linear(LSTM_SIZES.hidden, 1) };
}

/** The LSTM on its sequences, MSE, Adam; `last` maps the input to the last step's output (default: the fused LSTM layer). */
export function lstmBench(data: ModelData["lstm"], build = lstmModel(), last?: (x: tg.Tensor) => tg.Tensor): { step: () => number; forward: () => number } {
  const { batch, seq, input } = LSTM_SIZES;
  const { lstm, head } = build;
  const x = tg.tensor(data.x, { shape: [batch, seq, input] });
  const y = tg.tensor(data.y, { shape: [batch, 1] });
  const lastStep = last ?? ((xs: tg.Tensor) => lstm.forward(xs)[0].select(1, -1));
  return adamStep([...lstm.parameters(), ...head.parameters()], () => losses.mseLoss(head.forward(lastStep(x)), y));
}

export const tsgrad: JsFramework = {
  name: "tsgrad",
  mlp,
  matmul(n, a, b) {
    const [ta, tb] = [tg.tensor(a, { shape: [n, n] }), tg.tensor(b, { shape: [n, n] })];
    return () => void ta.matmul(tb);
  },
  lenet: (data) => lenetBench(data).step,
  lstm: (data) => lstmBench(data).step,
};
