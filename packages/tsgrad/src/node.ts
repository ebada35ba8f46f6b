/**
 * tsgrad/node — the Node-only additions to tsgrad: file IO (`save`, `load`). The Node build of
 * `tsgrad` (its `node` export condition) re-exports them too, so `import { save } from "tsgrad"`
 * works in Node; browser bundles never see `node:fs`.
 *
 * @packageDocumentation
 */
export * from "@tsgrad/core/node";
