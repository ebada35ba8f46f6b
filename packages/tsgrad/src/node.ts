/**
 * tsgrad/node — the Node-only additions to tsgrad: file IO (`save`, `load`, safetensors, `.pt` files, checkpoints) and ONNX export. The Node build of
 * `tsgrad` (its `node` export condition) re-exports them too, so `import { save } from "tsgrad"`
 * works in Node; browser bundles never see `node:fs`.
 *
 * @packageDocumentation
 */
export * from "@tsgrad/core/node";
export { exportOnnx, type ExportOnnxOptions } from "./onnx.js";
