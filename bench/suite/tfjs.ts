/**
 * TensorFlow.js 4.22 in `pnpm bench`, on its `cpu` backend (plain JavaScript) and its `wasm`
 * backend (@tensorflow/tfjs-backend-wasm, XNNPACK; its .wasm files load from node_modules; in
 * Node it picks the SIMD build and never the threaded one, WASM_HAS_MULTITHREAD_SUPPORT being
 * false under Node). Models are tf.sequential layers whose kernels and biases are drawn
 * U(−1/√fan_in, 1/√fan_in), the rule every framework follows; each step runs optimizer.minimize
 * inside tf.tidy and reads the loss, as a training loop that reports it does.
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import type { Dataset } from "../lib/data.js";
import type { JsFramework, MlpModel, ModelData } from "./framework.js";
import type { LossName, MlpSpec } from "./workloads.js";
import { LSTM_SIZES } from "./tsgrad.js";

type Initializer = ReturnType<typeof tf.initializers.randomUniform>;

/** PyTorch's default bound for a layer with `fanIn` inputs per output. */
const uniform = (fanIn: number): Initializer => {
  const bound = 1 / Math.sqrt(fanIn);
  return tf.initializers.randomUniform({ minval: -bound, maxval: bound });
};
const init = (fanIn: number): { kernelInitializer: Initializer; biasInitializer: Initializer } => ({ kernelInitializer: uniform(fanIn), biasInitializer: uniform(fanIn) });

/** The loss `name` of predictions (logits for bce/ce) against targets (one-hot for ce). */
function lossOf(name: LossName): (target: tf.Tensor, out: tf.Tensor) => tf.Scalar {
  switch (name) {
    case "bce": return (t, o) => tf.losses.sigmoidCrossEntropy(t, o) as tf.Scalar;
    case "ce": return (t, o) => tf.losses.softmaxCrossEntropy(t, o) as tf.Scalar;
    case "mse": return (t, o) => tf.losses.meanSquaredError(t, o) as tf.Scalar;
    case "huber": return (t, o) => tf.losses.huberLoss(t, o, undefined, 1) as tf.Scalar;
    case "mae": return (t, o) => tf.losses.absoluteDifference(t, o) as tf.Scalar;
  }
}

/** Adam with PyTorch's defaults (tfjs's epsilon default is 1e-7). */
const adam = (lr: number): tf.Optimizer => tf.train.adam(lr, 0.9, 0.999, 1e-8);

/** Runs a training step of `loss` inside tf.tidy and reads the loss. */
const minimize = (optimizer: tf.Optimizer, loss: () => tf.Scalar): number => tf.tidy(() => optimizer.minimize(loss, true)!.dataSync()[0]);

function mlp(spec: MlpSpec, data: Dataset): MlpModel {
  const model = tf.sequential();
  spec.widths.slice(1).forEach((units, k) => {
    const hidden = k < spec.widths.length - 2;
    model.add(tf.layers.dense({ units, activation: hidden ? "relu" : "linear", ...init(spec.widths[k]), ...(k === 0 ? { inputShape: [spec.widths[0]] } : {}) }));
  });
  const optimizer = spec.optimizer.name === "sgd" ? tf.train.sgd(spec.optimizer.lr) : adam(spec.optimizer.lr);
  const loss = lossOf(spec.loss);
  const rows = (x: Float32Array): tf.Tensor2D => tf.tensor2d(x, [x.length / data.features, data.features]);
  const targets = (y: Float32Array | Int32Array): tf.Tensor => (y instanceof Int32Array ? tf.oneHot(tf.tensor1d(y, "int32"), data.classes).toFloat() : tf.tensor2d(y, [y.length, 1]));
  const [xTrain, yTrain, xTest, yTest] = [rows(data.xTrain), targets(data.yTrain), rows(data.xTest), targets(data.yTest)];
  return {
    step(batch) {
      return tf.tidy(() => {
        const index = tf.tensor1d(batch, "int32");
        const [x, y] = [tf.gather(xTrain, index), tf.gather(yTrain, index)];
        return minimize(optimizer, () => loss(y, model.apply(x, { training: true }) as tf.Tensor));
      });
    },
    evaluate() {
      return tf.tidy(() => {
        const out = model.predict(xTest) as tf.Tensor;
        if (data.classes === 0) return loss(yTest, out).dataSync()[0];
        const hit = data.classes > 1 ? tf.equal(tf.argMax(out, 1), tf.argMax(yTest, 1)) : tf.equal(tf.greater(out, 0), tf.greater(yTest, 0.5));
        return tf.mean(hit.toFloat()).dataSync()[0];
      });
    },
    dispose() {
      model.dispose();
      optimizer.dispose();
      tf.dispose([xTrain, yTrain, xTest, yTest]);
    },
  };
}

/** LeNet-5 in NHWC (as tfjs wants), cross-entropy, Adam; the step and the forward pass. */
export function lenetBench(data: ModelData["lenet"]): { step: () => number; forward: () => number } {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 6, kernelSize: 5, padding: "same", activation: "relu", ...init(25) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: "relu", ...init(6 * 25) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 120, activation: "relu", ...init(400) }),
      tf.layers.dense({ units: 84, activation: "relu", ...init(120) }),
      tf.layers.dense({ units: 10, ...init(84) }),
    ],
  });
  const optimizer = adam(1e-3);
  const n = data.y.length;
  // NCHW with one channel has the same bytes as NHWC.
  const x = tf.tensor4d(data.x, [n, 28, 28, 1]);
  const y = tf.oneHot(tf.tensor1d(data.y, "int32"), 10).toFloat();
  const loss = (training: boolean): tf.Scalar => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training }) as tf.Tensor) as tf.Scalar;
  return { step: () => minimize(optimizer, () => loss(true)), forward: () => tf.tidy(() => loss(false).dataSync()[0]) };
}

/** The 2-layer LSTM (tf.layers.lstm × 2, a dense head on the last step), MSE, Adam; the step and the forward pass. */
export function lstmBench(data: ModelData["lstm"]): { step: () => number; forward: () => number } {
  const { batch, seq, input, hidden } = LSTM_SIZES;
  const cell = { units: hidden, kernelInitializer: uniform(hidden), recurrentInitializer: uniform(hidden), biasInitializer: uniform(hidden) };
  const model = tf.sequential({
    layers: [tf.layers.lstm({ inputShape: [seq, input], returnSequences: true, ...cell }), tf.layers.lstm(cell), tf.layers.dense({ units: 1, ...init(hidden) })],
  });
  const optimizer = adam(1e-3);
  const x = tf.tensor3d(data.x, [batch, seq, input]);
  const y = tf.tensor2d(data.y, [batch, 1]);
  const loss = (training: boolean): tf.Scalar => tf.losses.meanSquaredError(y, model.apply(x, { training }) as tf.Tensor) as tf.Scalar;
  return { step: () => minimize(optimizer, () => loss(true)), forward: () => tf.tidy(() => loss(false).dataSync()[0]) };
}

/** Selects tfjs's `backend` and waits until it is ready. */
export async function useBackend(backend: "cpu" | "wasm"): Promise<void> {
  if (tf.getBackend() !== backend) await tf.setBackend(backend);
  await tf.ready();
}

/** Whether the wasm backend's SIMD and threaded builds are used (read after it started). */
export async function wasmFeatures(): Promise<{ simd: boolean; threads: boolean }> {
  return { simd: Boolean(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT")), threads: Boolean(await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT")) };
}

/** tfjs on `backend`; `cpu` skips what would take minutes (2048³ matmul, 2 s per product at 1024³). */
export function tfjs(backend: "cpu" | "wasm"): JsFramework {
  return {
    name: `tfjs-${backend}`,
    activate: () => useBackend(backend),
    skip(w) {
      if (backend === "cpu" && w.kind === "matmul" && w.n > 1024) return "minutes per product";
      if (backend === "wasm" && w.kind === "lenet") return "no Conv2DBackpropFilter kernel";
      return undefined;
    },
    mlp,
    matmul(n, a, b) {
      const [ta, tb] = [tf.tensor2d(a, [n, n]), tf.tensor2d(b, [n, n])];
      return () => {
        const c = tf.matMul(ta, tb);
        c.dataSync();
        c.dispose();
      };
    },
    lenet: (data) => lenetBench(data).step,
    lstm: (data) => lstmBench(data).step,
  };
}
