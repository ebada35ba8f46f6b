/**
 * The ONNX graph under construction, for {@link exportOnnx}: nodes, initializers (one per constant
 * tensor, named after the parameter or buffer it holds when it is one), fresh value names, and the
 * few helpers whose form depends on the opset (the reductions take their axes as an input from
 * opset 18). Built as onnx-proto's plain objects (the ONNX schema compiled for protobufjs).
 */
import onnxProto, { type onnx } from "onnx-proto"; // CommonJS: the values through the default import
import { Tensor, tensor, type DType } from "@tsgrad/core";

export const proto = onnxProto.onnx;

const DataType = proto.TensorProto.DataType;
const AttrType = proto.AttributeProto.AttributeType;

/** tsgrad dtype → ONNX element type. */
export const ONNX_DTYPE: Readonly<Record<DType, number>> = {
  float32: DataType.FLOAT, float64: DataType.DOUBLE, int32: DataType.INT32, int16: DataType.INT16, int8: DataType.INT8,
  uint8: DataType.UINT8, bool: DataType.BOOL,
};

/** ONNX's "to the end" bound for Slice. */
export const INT64_MAX = Number.MAX_SAFE_INTEGER;

/** An attribute of a node. */
export type Attribute = onnx.IAttributeProto;

export const floatAttr = (name: string, f: number): Attribute => ({ name, type: AttrType.FLOAT, f });
export const intAttr = (name: string, i: number): Attribute => ({ name, type: AttrType.INT, i });
export const intsAttr = (name: string, ints: readonly number[]): Attribute => ({ name, type: AttrType.INTS, ints: [...ints] });
export const stringAttr = (name: string, s: string): Attribute => ({ name, type: AttrType.STRING, s: new TextEncoder().encode(s) });
export const stringsAttr = (name: string, ss: readonly string[]): Attribute => ({
  name, type: AttrType.STRINGS, strings: ss.map((s) => new TextEncoder().encode(s)),
});

const bytesOf = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));

/** A graph under construction. */
export class Graph {
  readonly nodes: onnx.INodeProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];
  private count = 0;
  private readonly tensorNames = new Map<Tensor, string>();
  private readonly constantNames = new Map<string, string>();

  constructor(
    /** The opset the nodes are written for. */
    readonly opset: number,
  ) {}

  /** A new value name `hint_N`. */
  fresh(hint: string): string {
    return `${hint}_${this.count++}`;
  }

  /** Adds a node of `opType` on `inputs` ("" for an omitted optional input); returns its output's name. */
  node(opType: string, inputs: readonly string[], attributes: Attribute[] = []): string {
    return this.nodeN(opType, inputs, 1, attributes)[0];
  }

  /** Adds a node with `outputs` outputs; returns their names. */
  nodeN(opType: string, inputs: readonly string[], outputs: number, attributes: Attribute[] = []): string[] {
    const names = Array.from({ length: outputs }, () => this.fresh(opType));
    this.nodes.push({ opType, input: [...inputs], output: names, name: `${opType}_${this.nodes.length}`, attribute: attributes });
    return names;
  }

  /** The initializer holding `t`'s values (its dtype kept), named `name` or `const_N`; one per tensor. */
  tensor(t: Tensor, name?: string): string {
    const known = this.tensorNames.get(t);
    if (known !== undefined) return known;
    const data = t.contiguous().dataSync();
    const initName = name ?? this.fresh("const");
    this.initializers.push({ name: initName, dims: [...t.shape], dataType: ONNX_DTYPE[t.dtype], rawData: bytesOf(data) });
    this.tensorNames.set(t, initName);
    return initName;
  }

  /** A 0-d constant of `dtype`. */
  scalar(value: number, dtype: DType = "float32"): string {
    return this.cached(`${dtype}:${value}`, () => this.tensor(tensor(value, { dtype })));
  }

  /** A 1-d int64 constant (shapes, axes, slice bounds); 0-d with `scalar`. */
  int64s(values: readonly number[], scalar = false): string {
    return this.cached(`int64${scalar ? "s" : ""}:${values.join(",")}`, () => {
      const name = this.fresh("const");
      const data = BigInt64Array.from(values.map((v) => BigInt(v)));
      this.initializers.push({ name, dims: scalar ? [] : [values.length], dataType: DataType.INT64, rawData: bytesOf(data) });
      return name;
    });
  }

  private cached(key: string, make: () => string): string {
    let name = this.constantNames.get(key);
    if (name === undefined) {
      name = make();
      this.constantNames.set(key, name);
    }
    return name;
  }

  /** `x` cast to `dtype`. */
  cast(x: string, dtype: DType): string {
    return this.node("Cast", [x], [intAttr("to", ONNX_DTYPE[dtype])]);
  }

  /** A reduction over `axes` (all when null): the axes an input from opset 18 (ReduceSum: 13). */
  reduce(op: string, x: string, axes: readonly number[] | null, keepdims: boolean): string {
    const keep = intAttr("keepdims", keepdims ? 1 : 0);
    if (axes === null) return this.node(op, [x], [keep]);
    if (op === "ReduceSum" || this.opset >= 18) return this.node(op, [x, this.int64s(axes)], [keep]);
    return this.node(op, [x], [keep, intsAttr("axes", axes)]);
  }

  squeeze(x: string, axes: readonly number[]): string {
    return this.node("Squeeze", [x, this.int64s(axes)]);
  }

  unsqueeze(x: string, axes: readonly number[]): string {
    return this.node("Unsqueeze", [x, this.int64s(axes)]);
  }

  /** `x` reshaped by an ONNX shape spec (0 keeps the input's dim, −1 is inferred). */
  reshape(x: string, spec: readonly number[]): string {
    return this.node("Reshape", [x, this.int64s(spec)]);
  }

  transpose(x: string, perm: readonly number[]): string {
    return this.node("Transpose", [x], [intsAttr("perm", perm)]);
  }

  /** Slice of `x` along `axes` from `starts` to `ends` by `steps`. */
  slice(x: string, starts: readonly number[], ends: readonly number[], axes: readonly number[], steps?: readonly number[]): string {
    const inputs = [x, this.int64s(starts), this.int64s(ends), this.int64s(axes)];
    if (steps) inputs.push(this.int64s(steps));
    return this.node("Slice", inputs);
  }

  /** Renames the value `from` to `to` everywhere (a graph output takes its producer's output). */
  rename(from: string, to: string): void {
    for (const n of this.nodes) {
      n.input = n.input!.map((v) => (v === from ? to : v));
      n.output = n.output!.map((v) => (v === from ? to : v));
    }
  }
}


/** The value info (name, element type, shape) of a graph input or output; named dims are symbolic, `null` dims unknown. */
export function valueInfo(name: string, dtype: DType, shape: ReadonlyArray<number | string | null>): onnx.IValueInfoProto {
  const dim = shape.map((d) => (typeof d === "string" ? { dimParam: d } : d === null ? {} : { dimValue: d }));
  return { name, type: { tensorType: { elemType: ONNX_DTYPE[dtype], shape: { dim } } } };
}
