/**
 * The Node build of tsgrad: everything of the main entry (index.ts, the same re-exports) plus the
 * Node-only file IO of `tsgrad/node`; chosen by the `node` export condition (browsers and bundlers
 * targeting them get index.ts). The re-exports are listed again rather than `export * from
 * "./index.js"` so that the built entries share no chunk: bundlers drop an `export *` of an
 * external package from a shared chunk.
 *
 * @packageDocumentation
 */
export * from "@tsgrad/core";
export * as nn from "@tsgrad/nn";
export * as losses from "@tsgrad/losses";
export * as optim from "@tsgrad/optim";
export * as data from "@tsgrad/data";
export * from "@tsgrad/core/node";
export { exportOnnx, type ExportOnnxOptions } from "./onnx.js";
