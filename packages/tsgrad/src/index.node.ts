/**
 * The Node build of tsgrad: everything of the main entry plus the Node-only file IO of
 * `tsgrad/node` (chosen by the `node` export condition; browsers and bundlers targeting them get
 * index.ts).
 *
 * @packageDocumentation
 */
export * from "./index.js";
export * from "./node.js";
