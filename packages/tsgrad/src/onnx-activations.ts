/**
 * ONNX forms of the activations, shared by the activation layers (onnx-layers.ts, parameters from
 * the module's fields) and nn's functional activations (onnx-ops.ts: the fused ops `elementwiseOp`
 * builds, which core's trace hook reports as `name(x, p, q)` with the parameters of their spec).
 */
import type { DType } from "@tsgrad/core";
import { floatAttr, type Graph } from "./onnx-graph.js";

/** An activation on the value `x` of `dtype`, with its parameters `p`, `q` as the op's spec has them. */
export type ActivationForm = (g: Graph, x: string, dtype: DType, p: number, q: number) => string;

const softplus = (g: Graph, x: string): string => g.node("Softplus", [x]);

/** The forms, by the fused op's name (its `elementwiseOp` spec name). */
export const ACTIVATIONS: Readonly<Record<string, ActivationForm>> = {
  leakyRelu: (g, x, _, slope) => g.node("LeakyRelu", [x], [floatAttr("alpha", slope)]),
  elu: (g, x, _, alpha) => g.node("Elu", [x], [floatAttr("alpha", alpha)]),
  celu: (g, x, _, alpha) => g.node("Celu", [x], [floatAttr("alpha", alpha)]),
  // p·(x > 0 ? x : q·(eˣ − 1)): ONNX's gamma and alpha.
  selu: (g, x, _, scale, alpha) => g.node("Selu", [x], [floatAttr("alpha", alpha), floatAttr("gamma", scale)]),
  silu: (g, x) => g.node("Mul", [x, g.node("Sigmoid", [x])]),
  mish: (g, x) => g.node("Mul", [x, g.node("Tanh", [softplus(g, x)])]),
  softsign: (g, x) => g.node("Softsign", [x]),
  logsigmoid: (g, x) => g.node("Neg", [softplus(g, g.node("Neg", [x]))]),
  tanhshrink: (g, x) => g.node("Sub", [x, g.node("Tanh", [x])]),
  // PyTorch's softplus is the identity where β·x > threshold.
  softplus: (g, x, dtype, beta, threshold) => {
    const bx = beta === 1 ? x : g.node("Mul", [x, g.scalar(beta, dtype)]);
    const soft = beta === 1 ? softplus(g, bx) : g.node("Div", [softplus(g, bx), g.scalar(beta, dtype)]);
    return g.node("Where", [g.node("Greater", [bx, g.scalar(threshold, dtype)]), x, soft]);
  },
  // 0.5·x·(1 + erf(x / √2)); the tanh form is composed of Tensor methods and traced as such.
  gelu: (g, x, dtype) => {
    const erf = g.node("Erf", [g.node("Div", [x, g.scalar(Math.SQRT2, dtype)])]);
    return g.node("Mul", [g.node("Mul", [x, g.scalar(0.5, dtype)]), g.node("Add", [erf, g.scalar(1, dtype)])]);
  },
  hardtanh: (g, x, dtype, lo, hi) => g.node("Clip", [x, g.scalar(lo, dtype), g.scalar(hi, dtype)]),
  hardsigmoid: (g, x) => g.node("HardSigmoid", [x], [floatAttr("alpha", 1 / 6), floatAttr("beta", 0.5)]),
  // ONNX's HardSwish is opset 14: x·hardsigmoid(x) below it.
  hardswish: (g, x) => (g.opset >= 14 ? g.node("HardSwish", [x]) : g.node("Mul", [x, g.node("HardSigmoid", [x], [floatAttr("alpha", 1 / 6), floatAttr("beta", 0.5)])])),
  // x where |x| > λ, else 0.
  hardshrink: (g, x, dtype, lambd) => g.node("Where", [g.node("Greater", [g.node("Abs", [x]), g.scalar(lambd, dtype)]), x, g.scalar(0, dtype)]),
  // x − λ·sign(x) where |x| > λ, else 0.
  softshrink: (g, x, dtype, lambd) => {
    const shrunk = g.node("Sub", [x, g.node("Mul", [g.node("Sign", [x]), g.scalar(lambd, dtype)])]);
    return g.node("Where", [g.node("Greater", [g.node("Abs", [x]), g.scalar(lambd, dtype)]), shrunk, g.scalar(0, dtype)]);
  },
  // x where x > threshold, else value.
  threshold: (g, x, dtype, threshold, value) => g.node("Where", [g.node("Greater", [x, g.scalar(threshold, dtype)]), x, g.scalar(value, dtype)]),
};
