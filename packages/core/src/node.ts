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
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { serializeAs, decodeParsed, encodeBase64, tensorBytes, type serialize, type deserialize } from "./serialize.js";
import { TsgradTextReader } from "./serialize-stream.js";
import type { Tensor } from "./tensor.js";
import { fileError, writeAll, writeAtomically } from "./node/files.js";

export { saveSafetensors, loadSafetensors, loadSafetensorsMetadata } from "./node/safetensors-file.js";
export { loadTorch, saveTorch } from "./node/torch-file.js";
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
 * killed while saving leaves the old file or the new one, never a mixture; the next save of the
 * same path removes the temporary files that killed saves of it left. Each tensor's base64 is
 * streamed to the file, so the text is never held in memory whole (a save peaks near 1.7× the
 * tensors' size; `saveSafetensors` near 1×, and its files are ¾ the size). Node only
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
  // The JSON is built with a placeholder for each tensor, then written piece by piece with each
  // tensor's base64 streamed in chunks: the same bytes as serialize(), without the whole text in memory.
  const nonce = Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
  const tensors: Tensor[] = [];
  const text = serializeAs("save", value, {
    write: (t) => `\u0000tsgrad-${nonce}-${tensors.push(t) - 1}\u0000`,
    read: () => {
      throw new Error("unreachable");
    },
  });
  const encoder = new TextEncoder();
  const placeholder = new RegExp(`"\\\\u0000tsgrad-${nonce}-(\\d+)\\\\u0000"`, "g");
  writeAtomically("save", path, (fd) => {
    let from = 0;
    for (const match of text.matchAll(placeholder)) {
      const t = tensors[Number(match[1])];
      writeAll(fd, encoder.encode(`${text.slice(from, match.index)}{"dtype":${JSON.stringify(t.dtype)},"shape":${JSON.stringify(t.shape)},"data":"`));
      const bytes = tensorBytes(t);
      for (let i = 0; i < bytes.length; i += STREAM_CHUNK) writeAll(fd, encoder.encode(encodeBase64(bytes.subarray(i, i + STREAM_CHUNK))));
      writeAll(fd, encoder.encode(`"}`));
      from = match.index + match[0].length;
    }
    writeAll(fd, encoder.encode(text.slice(from)));
  });
}

/** Bytes of a tensor base64-encoded per write (a multiple of 3, so only the last chunk pads). */
const STREAM_CHUNK = 3 << 20;

/**
 * Reads what {@link save} wrote to `path`: the same structure (a `Savable`), with fresh
 * tensors. Like `torch.load`; cast the result to the type you saved. Node only.
 *
 * The file is read in chunks and parsed as it is read: each tensor's base64 is decoded straight
 * into the buffer the tensor keeps, so the text is never in memory whole and a load needs little
 * beyond the tensors themselves. The file is treated as untrusted: a malformed, truncated or
 * malicious file throws an error that starts with `load:` and names the path inside the file
 * (`state.3.expAvg`); a tensor's buffer is allocated only when the bytes its shape claims fit in
 * what the file's size can hold, and its shape is checked against the length of its data; keys such as `__proto__`
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
  let fd: number;
  let size: number;
  try {
    fd = openSync(path, "r");
    size = fstatSync(fd).size;
  } catch (e) {
    throw fileError("load", "read", path, e);
  }
  try {
    const reader = new TsgradTextReader("load", size);
    const utf8 = new TextDecoder("utf-8", { fatal: true });
    const chunk = new Uint8Array(Math.min(READ_CHUNK, Math.max(size, 1)));
    const text = (bytes: Uint8Array, stream: boolean): string => {
      try {
        return utf8.decode(bytes, { stream });
      } catch {
        throw new TypeError("load: not a tsgrad file (its bytes are not UTF-8 text)");
      }
    };
    for (let n; (n = readChunk(fd, chunk, path)) > 0; ) reader.push(text(chunk.subarray(0, n), true));
    reader.push(text(new Uint8Array(0), false));
    return decodeParsed("load", reader.end());
  } finally {
    closeSync(fd);
  }
}

/** Bytes read from the file per call of {@link load}. */
const READ_CHUNK = 1 << 20;

/** The next bytes of `fd` into `into` (0 at the end), as `load` reports a failed read. */
function readChunk(fd: number, into: Uint8Array, path: string): number {
  try {
    return readSync(fd, into, 0, into.length, null);
  } catch (e) {
    throw fileError("load", "read", path, e);
  }
}
