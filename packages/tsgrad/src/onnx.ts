/**
 * ONNX export, first step: a module tree of known layers becomes an ONNX graph, one table row per
 * layer type (the ops it emits), built with onnx-proto (the ONNX schema compiled for protobufjs).
 * Layers outside the table, and user modules with their own `forward`, throw naming the module's
 * path and type: tracing arbitrary forwards is not done yet.
 */
import { writeFileSync } from "node:fs";
import onnxProto, { type onnx } from "onnx-proto"; // CommonJS: the values through the default import
import { Tensor, noGrad, optionChecks, resolveOptions, typeNameOf, describeValue } from "@tsgrad/core";
import * as nn from "@tsgrad/nn";

const proto = onnxProto.onnx;

/**
 * Options of {@link exportOnnx}, PyTorch's `torch.onnx.export` arguments.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `inputNames` | `["input"]` | `input_names` |
 * | `outputNames` | `["output"]` | `output_names` |
 * | `dynamicAxes` | `{}` (every dim fixed) | `dynamic_axes` |
 * | `opset` | `17` | `opset_version` |
 *
 * @example
 * ```ts
 * const options: ExportOnnxOptions = { dynamicAxes: { input: { 0: "batch" }, output: { 0: "batch" } } };
 * ```
 */
export interface ExportOnnxOptions {
  /** The graph input's name (one input). */
  inputNames?: string[];
  /** The graph output's name (one output). */
  outputNames?: string[];
  /** Per input or output name, the dims that vary, each with a symbolic name: `{ input: { 0: "batch" } }`. */
  dynamicAxes?: Record<string, Record<number, string>>;
  /** The ONNX opset (13 to 21). */
  opset?: number;
}

/** A graph under construction: its nodes, initializers and a counter for fresh value names. */
class Graph {
  readonly nodes: onnx.INodeProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];
  private count = 0;

  fresh(hint: string): string {
    return `${hint}_${this.count++}`;
  }

  /** Adds a node of `opType` on `inputs`; returns its output's name. */
  node(opType: string, inputs: string[], attributes: onnx.IAttributeProto[] = [], hint = opType): string {
    const output = this.fresh(hint);
    this.nodes.push({ opType, input: inputs, output: [output], name: `${opType}_${this.nodes.length}`, attribute: attributes });
    return output;
  }

  /** Adds a float32 constant (an initializer); returns its name. */
  constant(name: string, t: Tensor): string {
    const data = t.contiguous().to("float32").dataSync() as Float32Array;
    this.initializers.push({ name, dims: [...t.shape], dataType: proto.TensorProto.DataType.FLOAT, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
    return name;
  }

  scalar(value: number): string {
    return this.constant(this.fresh("const"), new Tensor(new Float32Array([value]), [], "float32"));
  }
}

const float = (name: string, f: number): onnx.IAttributeProto => ({ name, type: proto.AttributeProto.AttributeType.FLOAT, f });
const int = (name: string, i: number): onnx.IAttributeProto => ({ name, type: proto.AttributeProto.AttributeType.INT, i });

/** How each layer type becomes ONNX nodes: `emit(module, input, graph, path)` returns the output's name. */
type Emitter = (m: nn.Module, x: string, g: Graph, path: string) => string;

const sigmoidTimes = (g: Graph, x: string, inner: string): string => g.node("Mul", [x, g.node("Sigmoid", [inner])]);
const softplus = (g: Graph, x: string): string => g.node("Softplus", [x]);

const EMITTERS: Readonly<Record<string, Emitter>> = {
  Linear: (m, x, g, path) => {
    const linear = m as nn.Linear;
    const y = g.node("MatMul", [x, g.constant(`${path}.weight_t`, linear.weight.T)]);
    return linear.bias ? g.node("Add", [y, g.constant(`${path}.bias`, linear.bias)]) : y;
  },
  ReLU: (m, x, g) => g.node("Relu", [x]),
  LeakyReLU: (m, x, g) => g.node("LeakyRelu", [x], [float("alpha", (m as nn.LeakyReLU).negativeSlope)]),
  ELU: (m, x, g) => g.node("Elu", [x], [float("alpha", (m as nn.ELU).alpha)]),
  CELU: (m, x, g) => g.node("Celu", [x], [float("alpha", (m as nn.CELU).alpha)]),
  SELU: (m, x, g) => g.node("Selu", [x], [float("alpha", 1.6732632423543772), float("gamma", 1.0507009873554805)]),
  Sigmoid: (m, x, g) => g.node("Sigmoid", [x]),
  Tanh: (m, x, g) => g.node("Tanh", [x]),
  Softsign: (m, x, g) => g.node("Softsign", [x]),
  SiLU: (m, x, g) => sigmoidTimes(g, x, x),
  Mish: (m, x, g) => g.node("Mul", [x, g.node("Tanh", [softplus(g, x)])]),
  LogSigmoid: (m, x, g) => g.node("Neg", [softplus(g, g.node("Neg", [x]))]),
  Tanhshrink: (m, x, g) => g.node("Sub", [x, g.node("Tanh", [x])]),
  Softplus: (m, x, g) => {
    const { beta, threshold } = m as nn.Softplus;
    // PyTorch's softplus is the identity where beta·x > threshold.
    const bx = beta === 1 ? x : g.node("Mul", [x, g.scalar(beta)]);
    const soft = beta === 1 ? softplus(g, bx) : g.node("Div", [softplus(g, bx), g.scalar(beta)]);
    return g.node("Where", [g.node("Greater", [bx, g.scalar(threshold)]), x, soft]);
  },
  GELU: (m, x, g) => {
    if ((m as nn.GELU).approximate === "tanh") {
      // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
      const cube = g.node("Mul", [g.node("Mul", [x, x]), x]);
      const inner = g.node("Mul", [g.node("Add", [x, g.node("Mul", [cube, g.scalar(0.044715)])]), g.scalar(Math.sqrt(2 / Math.PI))]);
      return g.node("Mul", [g.node("Mul", [x, g.scalar(0.5)]), g.node("Add", [g.node("Tanh", [inner]), g.scalar(1)])]);
    }
    // 0.5·x·(1 + erf(x / √2))
    const erf = g.node("Erf", [g.node("Div", [x, g.scalar(Math.SQRT2)])]);
    return g.node("Mul", [g.node("Mul", [x, g.scalar(0.5)]), g.node("Add", [erf, g.scalar(1)])]);
  },
  Hardtanh: (m, x, g) => g.node("Clip", [x, g.scalar((m as nn.Hardtanh).minVal), g.scalar((m as nn.Hardtanh).maxVal)]),
  ReLU6: (m, x, g) => g.node("Clip", [x, g.scalar(0), g.scalar(6)]),
  Hardsigmoid: (m, x, g) => g.node("HardSigmoid", [x], [float("alpha", 1 / 6), float("beta", 0.5)]),
  Hardswish: (m, x, g) => g.node("HardSwish", [x]),
  Softmax: (m, x, g) => g.node("Softmax", [x], [int("axis", (m as nn.Softmax).dim)]),
  LogSoftmax: (m, x, g) => g.node("LogSoftmax", [x], [int("axis", (m as nn.LogSoftmax).dim)]),
  Flatten: (m, x, g, path) => {
    const { startDim, endDim } = m as nn.Flatten;
    if (startDim !== 1 || endDim !== -1) throw new RangeError(`exportOnnx: module ${path} (Flatten) with startDim ${startDim}, endDim ${endDim}: only Flatten(1, -1) is exported yet`);
    return g.node("Flatten", [x], [int("axis", 1)]);
  },
  // Exported in eval mode, as torch.onnx.export does: dropout is the identity.
  Dropout: (m, x) => x,
  AlphaDropout: (m, x) => x,
  Identity: (m, x) => x,
  Sequential: (m, x, g, path) => {
    let y = x;
    for (const [name, child] of m.namedChildren()) y = emit(child, y, g, path ? `${path}.${name}` : name);
    return y;
  },
};

function emit(m: nn.Module, x: string, g: Graph, path: string): string {
  const type = typeNameOf(m);
  const emitter = Object.hasOwn(EMITTERS, type) ? EMITTERS[type] : undefined;
  if (emitter === undefined) {
    throw new TypeError(
      `exportOnnx: cannot export module ${path || "(the model)"} (${type}): ONNX export covers ${Object.keys(EMITTERS).join(", ")} so far (tracing a custom forward is not done yet)`,
    );
  }
  return emitter(m, x, g, path);
}

function valueInfo(name: string, shape: readonly number[], dynamic: Record<number, string> = {}): onnx.IValueInfoProto {
  const dim = shape.map((size, d) => (Object.hasOwn(dynamic, d) ? { dimParam: dynamic[d] } : { dimValue: size }));
  return { name, type: { tensorType: { elemType: proto.TensorProto.DataType.FLOAT, shape: { dim } } } };
}

/**
 * Exports `model` as an ONNX model, the format ONNX Runtime (`onnxruntime-node`, `onnxruntime-web`)
 * and other engines serve, and returns its bytes; with a `path`, also writes them there. The model
 * is exported in eval mode (dropout as the identity), float32, with its parameters as initializers.
 * `exampleInput` gives the input's shape; the dims named in `dynamicAxes` may vary (as PyTorch, a
 * dim not named there is fixed).
 *
 * Covered so far: `Sequential` (nested), `Linear`, `Flatten(1, -1)`, `Dropout`, `Identity` and the
 * activation layers ReLU, LeakyReLU, ELU, CELU, SELU, Sigmoid, Tanh, Softsign, SiLU, Mish,
 * LogSigmoid, Tanhshrink, Softplus, GELU, Hardtanh, ReLU6, Hardsigmoid, Hardswish, Softmax and
 * LogSoftmax. Any other module, and a user `Module` with its own `forward`, throws naming its path
 * and type. Node only (`tsgrad/node`). PyTorch: `torch.onnx.export(model, x, path, input_names=…,
 * output_names=…, dynamic_axes=…, opset_version=…)`.
 *
 * @example
 * ```ts
 * const model = new nn.Sequential(new nn.Linear(2, 8), new nn.ReLU(), new nn.Linear(8, 1));
 * const bytes = exportOnnx(model, zeros([4, 2]), "moons.onnx", { dynamicAxes: { input: { 0: "batch" }, output: { 0: "batch" } } });
 * bytes.length > 0; // → true
 * ```
 */
export function exportOnnx(model: nn.Module, exampleInput: Tensor, path?: string, options?: ExportOnnxOptions): Uint8Array {
  const op = "exportOnnx";
  const names = (v: unknown): string | null => (Array.isArray(v) && v.length === 1 && typeof v[0] === "string" ? null : "an array of one name");
  const checkNames = (o: string, name: string, v: unknown): void => {
    const problem = names(v);
    if (problem !== null) throw new TypeError(`${o}: ${name} must be ${problem}, got ${describeValue(v)}`);
  };
  const { inputNames, outputNames, dynamicAxes, opset } = resolveOptions(op, options, { inputNames: ["input"], outputNames: ["output"], dynamicAxes: {} as Record<string, Record<number, string>>, opset: 17 }, {
    inputNames: checkNames,
    outputNames: checkNames,
    opset: (o, name, v) => {
      optionChecks.integer(o, name, v);
      if ((v as number) < 13 || (v as number) > 21) throw new RangeError(`${o}: ${name} must be in [13, 21], got ${v as number}`);
    },
  });
  if (!(model instanceof nn.Module)) throw new TypeError(`${op}: expected a Module, got ${describeValue(model)}`);
  if (!(exampleInput instanceof Tensor)) throw new TypeError(`${op}: exampleInput must be a Tensor, got ${describeValue(exampleInput)}`);
  const wasTraining = model.training;
  model.eval();
  try {
    const output = noGrad(() => model.forward(exampleInput)) as Tensor;
    const g = new Graph();
    const result = emit(model, inputNames[0], g, "");
    // The last node writes the graph output (an Identity when the model is one).
    const last = g.nodes.find((n) => n.output?.[0] === result);
    if (last) last.output = [outputNames[0]];
    else g.nodes.push({ opType: "Identity", input: [result], output: [outputNames[0]], name: "Identity_output" });
    const graph: onnx.IGraphProto = {
      name: typeNameOf(model),
      node: g.nodes,
      initializer: g.initializers,
      input: [valueInfo(inputNames[0], exampleInput.shape, dynamicAxes[inputNames[0]])],
      output: [valueInfo(outputNames[0], output.shape, dynamicAxes[outputNames[0]])],
    };
    // A copy: protobufjs returns a Buffer view into its shared pool.
    const bytes = new Uint8Array(proto.ModelProto.encode({
      irVersion: opset <= 18 ? 8 : opset <= 20 ? 9 : 10, producerName: "tsgrad", opsetImport: [{ domain: "", version: opset }], graph,
    }).finish());
    if (path !== undefined) writeFileSync(path, bytes);
    return bytes;
  } finally {
    model.train(wasTraining);
  }
}
