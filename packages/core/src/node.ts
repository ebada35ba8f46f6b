/**
 * @tsgrad/core/node — the Node-only part of core: file IO. Everything else in core runs in every
 * JavaScript runtime (Node, browsers, Web Workers) and imports no Node module; this entry imports
 * `node:fs`, so bundlers for the browser never see it. The umbrella package re-exports it from
 * `tsgrad/node` and from the Node build of `tsgrad` (the `node` export condition), so
 * `import { save, load } from "tsgrad"` works in Node as before.
 *
 * In a browser, use {@link serialize} / {@link deserialize} (bytes) with `saveToIndexedDB`,
 * `loadFromIndexedDB` or `downloadBytes` from the main entry.
 *
 * @example
 * ```ts
 * import { tensor } from "@tsgrad/core";
 * import { save, load } from "@tsgrad/core/node";
 * save({ w: tensor([1, 2]) }, "w.json");
 * (load("w.json") as { w: Tensor }).w.toArray(); // → [1, 2]
 * ```
 * @packageDocumentation
 * @module tg/node
 */
import { readFileSync } from "node:fs";
import { serializeAs, deserializeAs, textOf, type serialize, type deserialize } from "./serialize.js";
import { writeAll, writeAtomically } from "./node/files.js";

export { saveSafetensors, loadSafetensors, loadSafetensorsMetadata } from "./node/safetensors-file.js";
export { loadTorch } from "./node/torch-file.js";
export { saveCheckpoint, loadCheckpoint, type CheckpointOptions } from "./node/checkpoint.js";

/**
 * Writes tensors and the plain data around them to `path`, like `torch.save`: a module's or an
 * optimizer's `stateDict()`, a tensor, or any nesting of arrays and plain objects of tensors,
 * numbers (-0, NaN and ±Infinity included), strings, booleans and null (`undefined` is saved as
 * null). Tensors are saved as contiguous copies with their dtype. Keys are saved as they are,
 * `__proto__` and keys starting with `$` included. Shared sub-objects are saved once per
 * reference; a cycle throws, naming where it closes. The file holds exactly the bytes of
 * {@link serialize}, so a file saved in Node loads in a browser and back. The write is durable: a
 * temporary file in the same directory, flushed to disk, then renamed over `path`, so a process
 * killed while saving leaves the old file or the new one, never a mixture. Node only
 * (`@tsgrad/core/node`, `tsgrad/node`). PyTorch: `torch.save`.
 *
 * @example
 * ```ts
 * const model = new nn.Linear(2, 1);
 * const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 });
 * save(model.stateDict(), "model.json");
 * model.loadStateDict(load("model.json") as Record<string, Tensor>);
 * save(optimizer.stateDict(), "optimizer.json");
 * ```
 */
export function save(value: unknown, path: string): void {
  const bytes = new TextEncoder().encode(serializeAs("save", value));
  writeAtomically("save", path, (fd) => writeAll(fd, bytes));
}

/**
 * Reads what {@link save} wrote to `path`: the same structure (a `Savable`), with fresh
 * tensors. Like `torch.load`; cast the result to the type you saved. Node only.
 *
 * The file is treated as untrusted: a malformed, truncated or malicious file throws an error that
 * starts with `load:` and names the path inside the file (`state.3.expAvg`); a tensor's shape is
 * checked against the length of its data before anything is allocated; keys such as `__proto__`
 * load as plain data (own properties of ordinary objects), never as prototypes. Bytes from
 * anywhere else go through {@link deserialize}. PyTorch: `torch.load`.
 *
 * @example
 * ```ts
 * const model = new nn.Linear(2, 1);
 * save(model.stateDict(), "model.json");
 * const copy = new nn.Linear(2, 1);
 * copy.loadStateDict(load("model.json") as Record<string, Tensor>);
 * copy.weight.allclose(model.weight); // → true
 * ```
 */
export function load(path: string): unknown {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`load: cannot read ${JSON.stringify(path)}: ${(e as Error).message}`, { cause: e });
  }
  return deserializeAs("load", textOf("load", bytes));
}
