/**
 * ONNX export: one traced forward pass of a model becomes an ONNX `ModelProto` (built with
 * onnx-proto, the ONNX schema compiled for protobufjs) that ONNX Runtime serves. The tracer is in
 * onnx-trace.ts, the ops' ONNX forms in onnx-ops.ts, the layers' in onnx-layers.ts.
 */
import { writeFileSync } from "node:fs";
import { Tensor, enableGrad, isFloatingPoint, optionChecks, resolveOptions, typeNameOf, describeValue } from "@tsgrad/core";
import * as nn from "@tsgrad/nn";
import { Graph, proto, valueInfo } from "./onnx-graph.js";
import { Trace, tensorsIn, withTracing } from "./onnx-trace.js";

/**
 * Options of {@link exportOnnx}, PyTorch's `torch.onnx.export` arguments.
 *
 * | option | default | PyTorch |
 * |---|---|---|
 * | `inputNames` | `["input"]`; `["input_0", "input_1", …]` for several | `input_names` |
 * | `outputNames` | `["output"]`; `["output_0", …]` for several | `output_names` |
 * | `dynamicAxes` | `{}` (every dim fixed) | `dynamic_axes` |
 * | `opset` | `17` (13 to 21) | `opset_version` |
 *
 * @example
 * ```ts
 * const options: ExportOnnxOptions = { dynamicAxes: { input: { 0: "batch" }, output: { 0: "batch" } } };
 * ```
 * @group Serialization
 */
export interface ExportOnnxOptions {
  /** The graph inputs' names, one per example input. */
  inputNames?: string[];
  /** The graph outputs' names, one per tensor the forward returns (arrays and pairs flattened in order). */
  outputNames?: string[];
  /** Per input or output name, the dims that vary, each with a symbolic name: `{ input: { 0: "batch" } }`. */
  dynamicAxes?: Record<string, Record<number, string>>;
  /** The ONNX opset (13 to 21). */
  opset?: number;
}

const defaultNames = (base: string, n: number): string[] => (n === 1 ? [base] : Array.from({ length: n }, (_, i) => `${base}_${i}`));

function checkNames(op: string, what: string, names: unknown, n: number): string[] {
  if (!Array.isArray(names) || names.length !== n || names.some((s) => typeof s !== "string" || s === "")) {
    throw new TypeError(`${op}: ${what} must be an array of ${n} non-empty name${n === 1 ? "" : "s"} (one per ${what === "inputNames" ? "example input" : "output tensor"}), got ${describeValue(names)}`);
  }
  if (new Set(names).size !== n) throw new RangeError(`${op}: ${what} has a repeated name: ${JSON.stringify(names)}`);
  return names as string[];
}

/** The dims of a graph input or output: named ones symbolic; with any dynamic input axis, an output's unnamed dims are left unknown. */
function dims(shape: readonly number[], named: Record<number, string> | undefined, unknownRest: boolean): Array<number | string | null> {
  return shape.map((s, d) => (named && Object.hasOwn(named, d) ? named[d] : unknownRest ? null : s));
}

/**
 * Exports `model` as an ONNX model, the format ONNX Runtime (`onnxruntime-node`, `onnxruntime-web`)
 * and other engines serve, and returns its bytes; with a `path`, also writes them there.
 *
 * It traces one forward pass on `exampleInput` (a tensor, or an array of tensors for a forward
 * that takes several) in eval mode (dropout the identity, batch norm on its running statistics)
 * and writes what ran: the parameters and buffers as initializers under their `stateDict()` names.
 * The forward may return a tensor or several (arrays, pair results and plain objects, flattened in order).
 *
 * - Layers exported as ONNX nodes when their `forward` is entered: `MaxPool1d/2d`,
 *   `AvgPool1d/2d` (ceilMode, countIncludePad), `AdaptiveAvgPool1d/2d` and `AdaptiveMaxPool1d/2d`
 *   (global, or sizes dividing the input), `BatchNorm1d/2d/3d`, `InstanceNorm1d/2d`, `LayerNorm`,
 *   `GroupNorm`, `RMSNorm`, `Embedding`, `EmbeddingBag` (2-D ids), `Upsample`, `RNN`, `LSTM`, `GRU`
 *   (bidirectional, numLayers, batchFirst, initial states), `Flatten`, `Dropout`s, `Identity`.
 * - Any other module (`Sequential`, `Linear`, the activation and conv layers, `MultiheadAttention`, the
 *   transformer layers, your own) is traced through: its `forward` may use the Tensor
 *   methods with an ONNX form (arithmetic, comparisons, unary math, matmul, reductions over dims,
 *   softmax, topk/sort, reshape/view/flatten/permute/transpose/expand, squeeze/unsqueeze, index
 *   with integers, slices and masks, narrow/select/split/chunk, gather/indexSelect, maskedFill),
 *   `cat`, `stack`, `where`, `matmul`, `F.linear`, `F.conv*`, `F.pad` and nn's functional
 *   activations.
 * - Anything else on values that depend on the input throws a TypeError naming the op and the
 *   module path: `exportOnnx: cannot export "cummax" (at encoder.1)` (docs/interop.md lists what
 *   exports). Values that do not depend on the input (masks, constants, weights reshaped) are
 *   computed once and stored as constants.
 *
 * The dims named in `dynamicAxes` may vary; as in PyTorch, a dim not named there is fixed (sizes
 * that forward reads from `x.shape` are constants, except the leading dims reshape, flatten and
 * expand keep from their input). Node only (`tsgrad/node`). PyTorch:
 * `torch.onnx.export(model, x, path, input_names=…, output_names=…, dynamic_axes=…, opset_version=…)`.
 *
 * @example
 * ```ts
 * const model = new nn.Sequential(new nn.Linear(2, 8), new nn.ReLU(), new nn.Linear(8, 1));
 * const bytes = exportOnnx(model, zeros([4, 2]), "moons.onnx", { dynamicAxes: { input: { 0: "batch" }, output: { 0: "batch" } } });
 * bytes.length > 0; // → true
 * // Serve it: const session = await ort.InferenceSession.create("moons.onnx");
 * //           const { output } = await session.run({ input: new ort.Tensor("float32", data, [n, 2]) });
 *
 * // A custom forward with two outputs is traced; an op without an ONNX form is named.
 * class Residual extends nn.Module {
 *   fc = new nn.Linear(4, 4);
 *   forward(x: Tensor) { return [x.add(this.fc.forward(x).relu()), x.mean(1)]; }
 * }
 * exportOnnx(new Residual(), zeros([2, 4]), undefined, { outputNames: ["y", "m"] }).length > 0; // → true
 * class Scan extends nn.Module {
 *   forward(x: Tensor) { return x.cummax(1).values; }
 * }
 * exportOnnx(new Scan(), zeros([2, 4])); // throws TypeError: exportOnnx: cannot export "cummax" (at the model): no ONNX form for this op
 * ```
 * @group Serialization
 */
export function exportOnnx(model: nn.Module, exampleInput: Tensor | readonly Tensor[], path?: string, options?: ExportOnnxOptions): Uint8Array {
  const op = "exportOnnx";
  if (!(model instanceof nn.Module)) throw new TypeError(`${op}: expected a Module, got ${describeValue(model)}`);
  const examples = Array.isArray(exampleInput) ? [...(exampleInput as readonly Tensor[])] : [exampleInput as Tensor];
  examples.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`${op}: exampleInput${examples.length > 1 ? `[${i}]` : ""} must be a Tensor, got ${describeValue(t)}`);
  });
  if (examples.length === 0) throw new RangeError(`${op}: exampleInput is an empty array`);
  const resolved = resolveOptions(op, options, { inputNames: null as string[] | null, outputNames: null as string[] | null, dynamicAxes: {} as Record<string, Record<number, string>>, opset: 17 }, {
    opset: (o, name, v) => {
      optionChecks.integer(o, name, v);
      if ((v as number) < 13 || (v as number) > 21) throw new RangeError(`${o}: ${name} must be in [13, 21], got ${v as number}`);
    },
  });
  const { dynamicAxes, opset } = resolved;
  const inputNames = resolved.inputNames === null ? defaultNames("input", examples.length) : checkNames(op, "inputNames", resolved.inputNames, examples.length);
  if (typeof dynamicAxes !== "object" || dynamicAxes === null) throw new TypeError(`${op}: dynamicAxes must be an object { name: { dim: "symbol" } }, got ${describeValue(dynamicAxes)}`);

  const wasTraining = model.training;
  const params = model.parameters();
  const requires = params.map((p) => p.requiresGrad);
  model.eval();
  try {
    // Parameters need no grad for the trace: a tensor that needs one depends on an input.
    for (const p of params) p.requiresGrad_(false);
    const g = new Graph(opset);
    const trace = new Trace(g, model);
    const inputs = examples.map((t, i) => {
      const traced = t.detach();
      if (isFloatingPoint(traced.dtype)) traced.requiresGrad_(true);
      trace.bind(traced, inputNames[i]);
      return traced;
    });
    const result: unknown = withTracing(trace, model, () => enableGrad(() => model.forward(...inputs)));
    const outputs = tensorsIn(result);
    if (outputs.length === 0) throw new TypeError(`${op}: the model's forward returned no tensor (got ${describeValue(result)})`);
    const outputNames = resolved.outputNames === null ? defaultNames("output", outputs.length) : checkNames(op, "outputNames", resolved.outputNames, outputs.length);
    const known = new Set([...inputNames, ...outputNames]);
    for (const name of Object.keys(dynamicAxes)) {
      if (!known.has(name)) throw new RangeError(`${op}: dynamicAxes names "${name}", which is neither an input (${inputNames.join(", ")}) nor an output (${outputNames.join(", ")})`);
    }
    const produced = new Set(g.nodes.flatMap((n) => n.output!));
    const taken = new Set<string>(inputNames);
    outputs.forEach((t, i) => {
      const v = trace.value(t);
      // A node's result takes the output's name; an input, a constant or a repeat gets an Identity.
      if (produced.has(v) && !taken.has(v)) g.rename(v, outputNames[i]);
      else g.nodes.push({ opType: "Identity", input: [v], output: [outputNames[i]], name: `Identity_${outputNames[i]}` });
      taken.add(outputNames[i]);
      produced.delete(v);
    });
    const anyDynamicInput = inputNames.some((n) => Object.keys(dynamicAxes[n] ?? {}).length > 0);
    const graph = {
      name: typeNameOf(model),
      node: g.nodes,
      initializer: g.initializers,
      input: examples.map((t, i) => valueInfo(inputNames[i], t.dtype, dims(t.shape, dynamicAxes[inputNames[i]], false))),
      output: outputs.map((t, i) => valueInfo(outputNames[i], t.dtype, dims(t.shape, dynamicAxes[outputNames[i]], anyDynamicInput))),
    };
    // A copy: protobufjs returns a Buffer view into its shared pool.
    const bytes = new Uint8Array(proto.ModelProto.encode({
      irVersion: opset <= 18 ? 8 : opset <= 20 ? 9 : 10, producerName: "tsgrad", opsetImport: [{ domain: "", version: opset }], graph,
    }).finish());
    if (path !== undefined) writeFileSync(path, bytes);
    return bytes;
  } finally {
    params.forEach((p, i) => p.requiresGrad_(requires[i]));
    model.train(wasTraining);
  }
}
