// onnxruntime-node 1.20.1 ships without its .d.ts (dist/index.d.ts is missing from the package):
// the part of its API the ONNX export tests use, as onnxruntime-common declares it.
declare module "onnxruntime-node" {
  export class Tensor {
    constructor(type: "float32" | "float64" | "int32" | "bool", data: Float32Array | Float64Array | Int32Array | Uint8Array, dims: readonly number[]);
    readonly dims: readonly number[];
    readonly data: Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;
  }
  export class InferenceSession {
    static create(model: string | Uint8Array): Promise<InferenceSession>;
    readonly inputNames: readonly string[];
    readonly outputNames: readonly string[];
    run(feeds: Record<string, Tensor>): Promise<Record<string, Tensor>>;
  }
}
