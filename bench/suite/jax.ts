/**
 * jax-js (@jax-js/jax 0.1.25) in `pnpm bench`, on its `wasm` device. In Node 20 it runs on one
 * thread: its worker pool needs a global `Worker`, which Node 20 does not have. Models are written
 * the JAX way: parameters as a flat list of arrays drawn U(−1/√fan_in, 1/√fan_in) (the rule every
 * framework follows), a loss function, and one `jit`-compiled training step (valueAndGrad and the
 * SGD or Adam update, PyTorch's formulas) per model shape, compiled once and reused by every
 * round. jax-js counts references: an array passed to a function is consumed, `.ref` keeps it.
 */
import { defaultDevice, init, jit, lax, nn, numpy as np, random, valueAndGrad } from "@jax-js/jax";
import type { Dataset } from "../lib/data.js";
import type { JsFramework, MlpModel, ModelData } from "./framework.js";
import type { LossName, MlpSpec } from "./workloads.js";
import { LSTM_SIZES } from "./tsgrad.js";

type Arr = np.Array;

let seed = 0;
/** A fresh array of `shape` drawn U(−1/√fanIn, 1/√fanIn). */
function uniform(shape: number[], fanIn: number): Arr {
  const bound = 1 / Math.sqrt(fanIn);
  return random.uniform(random.key(seed++), shape, { minval: -bound, maxval: bound });
}

/** The loss `name` of predictions (logits for bce/ce) against targets (one-hot for ce), consuming both. */
function lossOf(name: LossName): (out: Arr, y: Arr) => Arr {
  switch (name) {
    // max(z, 0) − z·y + log(1 + exp(−|z|)), PyTorch's stable form
    case "bce": return (z, y) => nn.relu(z.ref).sub(z.ref.mul(y)).add(np.log1p(np.exp(np.abs(z).neg()))).mean();
    case "ce": return (z, y) => nn.logSoftmax(z, -1).mul(y).sum(-1).mean().neg();
    case "mse": return (o, y) => np.square(o.sub(y)).mean();
    case "huber": return (o, y) => {
      const d = np.abs(o.sub(y));
      return np.where(np.less(d.ref, 1), np.square(d.ref).mul(0.5), d.sub(0.5)).mean();
    };
    case "mae": return (o, y) => np.abs(o.sub(y)).mean();
  }
}

type Optimizer = { name: "sgd" | "adam"; lr: number };
const [B1, B2, EPS] = [0.9, 0.999, 1e-8];

/**
 * A jit-compiled training step of `loss(params, ...inputs)`: returns [loss, new params, new m, new v].
 * Adam's bias corrections come in as `lrc` = lr / (1 − β₁ᵗ) and `bc2` = √(1 − β₂ᵗ) (PyTorch's update:
 * p −= lrc · m / (√v / bc2 + ε)); SGD ignores m, v, lrc, bc2.
 */
function compileStep(loss: (p: Arr[], ...inputs: Arr[]) => Arr, opt: Optimizer) {
  return jit((p: Arr[], m: Arr[], v: Arr[], lrc: Arr, bc2: Arr, ...inputs: Arr[]) => {
    const [l, g] = valueAndGrad(loss)(p.map((a) => a.ref), ...inputs) as [Arr, Arr[]];
    if (opt.name === "sgd") {
      lrc.dispose();
      bc2.dispose();
      return [l, p.map((a, i) => a.sub(g[i].mul(opt.lr))), m, v];
    }
    const m2 = m.map((mi, i) => mi.mul(B1).add(g[i].ref.mul(1 - B1)));
    const v2 = v.map((vi, i) => vi.mul(B2).add(np.square(g[i]).mul(1 - B2)));
    const p2 = p.map((a, i) => a.sub(m2[i].ref.div(np.sqrt(v2[i].ref).div(bc2.ref).add(EPS)).mul(lrc.ref)));
    lrc.dispose();
    bc2.dispose();
    return [l, p2, m2, v2];
  });
}

/** Compiled steps by model key, so a model built again (every round builds afresh) reuses its compiled step. */
const compiled = new Map<string, ReturnType<typeof compileStep>>();

/** The state of one model's training: call `step(...inputs)` for one update; it reads the loss. */
function trainer(key: string, params: Arr[], loss: (p: Arr[], ...inputs: Arr[]) => Arr, opt: Optimizer): { step(...inputs: Arr[]): number; params(): Arr[]; dispose(): void } {
  let step = compiled.get(key);
  if (!step) compiled.set(key, (step = compileStep(loss, opt)));
  let p = params;
  let m = p.map((a) => np.zerosLike(a.ref));
  let v = p.map((a) => np.zerosLike(a.ref));
  let t = 0;
  return {
    step(...inputs) {
      t++;
      const lrc = np.array(opt.lr / (1 - B1 ** t));
      const bc2 = np.array(Math.sqrt(1 - B2 ** t));
      const [l, p2, m2, v2] = step(p, m, v, lrc, bc2, ...inputs) as [Arr, Arr[], Arr[], Arr[]];
      [p, m, v] = [p2, m2, v2];
      return l.item();
    },
    params: () => p,
    dispose: () => [...p, ...m, ...v].forEach((a) => a.dispose()),
  };
}

/** The MLP's forward pass over a flat [w0, b0, w1, b1, ...] (w as [in, out]), ReLU between layers. */
function forward(p: Arr[], x: Arr): Arr {
  let h = x;
  for (let k = 0; k < p.length / 2; k++) {
    h = np.matmul(h, p[2 * k]).add(p[2 * k + 1]);
    if (k < p.length / 2 - 1) h = nn.relu(h);
  }
  return h;
}

/** Compiled test metrics (accuracy or test loss) by model shape. */
const metrics = new Map<string, (p: Arr[], x: Arr, y: Arr) => Arr>();

function mlp(spec: MlpSpec, data: Dataset): MlpModel {
  const params: Arr[] = [];
  for (let k = 0; k + 1 < spec.widths.length; k++) {
    const [fanIn, out] = [spec.widths[k], spec.widths[k + 1]];
    params.push(uniform([fanIn, out], fanIn), uniform([out], fanIn));
  }
  const lossFn = lossOf(spec.loss);
  const rows = (x: Float32Array): Arr => np.array(x).reshape([x.length / data.features, data.features]);
  const targets = (y: Float32Array | Int32Array): Arr => (y instanceof Int32Array ? nn.oneHot(np.array(y, { dtype: np.int32 }), data.classes) : np.array(y).reshape([y.length, 1]));
  const [xTrain, yTrain, xTest, yTest] = [rows(data.xTrain), targets(data.yTrain), rows(data.xTest), targets(data.yTest)];
  const train = trainer(`mlp ${JSON.stringify(spec)}`, params, (p, x, y) => lossFn(forward(p, x), y), spec.optimizer);
  const metricKey = `metric ${spec.loss} ${data.classes} ${spec.widths}`;
  let metric = metrics.get(metricKey);
  if (!metric) {
    metric = jit((p: Arr[], x: Arr, y: Arr): Arr => {
      const out = forward(p, x);
      if (data.classes === 0) return lossFn(out, y);
      const hit = data.classes > 1 ? np.equal(np.argmax(out, 1), np.argmax(y, 1)) : np.equal(np.greater(out, 0), np.greater(y, 0.5));
      return hit.astype(np.float32).mean();
    });
    metrics.set(metricKey, metric);
  }
  const evaluate = metric;
  return {
    step(batch) {
      const index = np.array(Int32Array.from(batch), { dtype: np.int32 });
      return train.step(np.take(xTrain.ref, index.ref, 0), np.take(yTrain.ref, index, 0));
    },
    evaluate: () => evaluate(train.params().map((a) => a.ref), xTest.ref, yTest.ref).item(),
    dispose() {
      train.dispose();
      [xTrain, yTrain, xTest, yTest].forEach((a) => a.dispose());
    },
  };
}

/** LeNet-5 (NCHW, OIHW kernels), cross-entropy, Adam. */
function lenet(data: ModelData["lenet"]): () => number {
  const n = data.y.length;
  const shapes: Array<[number[], number]> = [
    [[6, 1, 5, 5], 25], [[6], 25], [[16, 6, 5, 5], 150], [[16], 150],
    [[400, 120], 400], [[120], 400], [[120, 84], 120], [[84], 120], [[84, 10], 84], [[10], 84],
  ];
  const params = shapes.map(([shape, fanIn]) => uniform(shape, fanIn));
  const pool = (h: Arr): Arr => lax.reduceWindow(h, (w) => np.max(w), [2, 2], [2, 2]);
  const conv = (h: Arr, w: Arr, b: Arr, pad: number): Arr => nn.relu(lax.conv(h, w, [1, 1], [[pad, pad], [pad, pad]]).add(b.reshape([1, -1, 1, 1])));
  const loss = (p: Arr[], x: Arr, y: Arr): Arr => {
    let h = pool(conv(x, p[0], p[1], 2));
    h = pool(conv(h, p[2], p[3], 0)).reshape([n, 400]);
    return lossOf("ce")(forward(p.slice(4), h), y);
  };
  const train = trainer("lenet", params, loss, { name: "adam", lr: 1e-3 });
  const x = np.array(data.x).reshape([n, 1, 28, 28]);
  const y = nn.oneHot(np.array(data.y, { dtype: np.int32 }), 10);
  return () => train.step(x.ref, y.ref);
}

/** The 2-layer LSTM (PyTorch's gate order i, f, g, o and weight layout), a Linear head on the last step, MSE, Adam. */
function lstm(data: ModelData["lstm"]): () => number {
  const { batch, seq, input, hidden: H } = LSTM_SIZES;
  const params: Arr[] = [];
  for (const inW of [input, H]) params.push(uniform([inW, 4 * H], H), uniform([H, 4 * H], H), uniform([4 * H], H), uniform([4 * H], H));
  params.push(uniform([H, 1], H), uniform([1], H));
  const loss = (p: Arr[], xs: Arr, y: Arr): Arr => {
    let steps = Array.from({ length: seq }, (_, t) => xs.ref.slice([], t) as Arr);
    xs.dispose();
    for (let layer = 0; layer < 2; layer++) {
      const [wIh, wHh, bIh, bHh] = p.slice(4 * layer, 4 * layer + 4);
      const bias = bIh.add(bHh);
      let h = np.zeros([batch, H]);
      let c = np.zeros([batch, H]);
      steps = steps.map((xt) => {
        const [i, f, g, o] = np.split(np.matmul(xt, wIh.ref).add(np.matmul(h, wHh.ref)).add(bias.ref), 4, 1);
        c = nn.sigmoid(f).mul(c).add(nn.sigmoid(i).mul(np.tanh(g)));
        h = nn.sigmoid(o).mul(np.tanh(c.ref));
        return h.ref;
      });
      [wIh, wHh, bias, h, c].forEach((a) => a.dispose());
    }
    const last = steps.pop()!;
    steps.forEach((s) => s.dispose());
    return lossOf("mse")(forward(p.slice(8), last), y);
  };
  const train = trainer("lstm", params, loss, { name: "adam", lr: 1e-3 });
  const x = np.array(data.x).reshape([batch, seq, input]);
  const y = np.array(data.y).reshape([batch, 1]);
  return () => train.step(x.ref, y.ref);
}

let started = false;

export const jax: JsFramework = {
  name: "jax-js",
  async activate() {
    if (started) return;
    await init("wasm");
    defaultDevice("wasm");
    started = true;
  },
  mlp,
  matmul(n, a, b) {
    const [ja, jb] = [np.array(a).reshape([n, n]), np.array(b).reshape([n, n])];
    return () => void np.matmul(ja.ref, jb.ref).dataSync();
  },
  lenet,
  lstm,
};
